// What a workflow sends its activities when a case moves (the transition, the tasks and grants it
// writes, the attention mark of a failed step): plain data shared by workflows and activities. Pure.
import type { TaskSpec } from './tasks';
import type { CaseView } from './cases';
import type { ViewOp } from './view-delta';

/** The case row as the projection stores it (db/repositories/cases.ts). */
export interface CaseProjection {
  caseId: string;
  type: string;
  status: string;
  jurisdiction: string;
  requesterAgencyId: string | null;
  providerAgencyId: string | null;
  datasetId: string | null;
  createdBy: string;
  receivedAt: Date;
  revision: number;
  view: Record<string, unknown>;
}

export interface GrantDraft {
  id: string;
  datasetId: string;
  granteeAgencyId: string | null;
  granteePrincipalId: string | null;
  mode: string;
  scope: Record<string, unknown>;
  basis: string;
  citation: string;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  validFrom: string;
  validTo: string | null;
}

export interface TransitionInput {
  revision: number;
  /**
   * The case row as the workflow sends it: instants as ISO text, the revision beside it, and what
   * changed in the view (`viewOps`, see domain/view-delta.ts). Histories recorded before deltas
   * sent the whole `view` instead; both are applied.
   */
  projection: Omit<CaseProjection, 'receivedAt' | 'revision' | 'view'> & { receivedAt: string; view?: CaseView; viewOps?: ViewOp[] };
  /** Documents (stored by the API, content-addressed) this transition makes part of the case. */
  documents?: string[];
  /** The case ends in failure (kernel/case-workflow.ts): shown as needing attention. */
  attention?: Attention;
  audit: { eventKey: string; caseId: string; at: string; actor: string; event: string; detail: Record<string, unknown>; citation: string | null }[];
  grants: GrantDraft[];
  tasks: TaskState[];
  /** Workflow time of the transition (absent in histories recorded before supervision). */
  at?: string;
  /** Public notices (通报批评, js-2020:49) this transition issues. */
  notices?: NoticeDraft[];
}

/** A public notice as the workflow issues it: an agency did not correct within the ordered period. */
export interface NoticeDraft {
  id: string;
  taskId: string;
  agencyId: string | null;
  reason: string;
  orderedBy: string;
  dueAt: string;
  citation: string;
}

/** A task as the workflow holds it, projected into the inbox. */
export interface TaskState extends TaskSpec {
  status: 'open' | 'closed';
  /**
   * Who has taken the task (claim, hand-over), held by the workflow so that claims are judged where
   * decisions are. Absent on tasks of histories recorded before: the projection then keeps its own.
   */
  claimedBy?: string | null;
  escalated: boolean;
  openedAt: string;
  closedAt: string | null;
  outcome: Record<string, unknown> | null;
}

export interface Attention {
  /** Workflow time the step failed for good (ISO instant). */
  since: string;
  /** Why, as storable text (never the data itself). */
  reason: string;
  /** Which step: e.g. "commit: task_opened", "deadline", "store agreement". */
  step: string;
}
