// The one place a workflow records what happened: every transition is committed atomically by
// one activity (projection delta + audit entries + grants + tasks), then mirrored into search
// attributes and the current-details line of the Temporal UI.
import { proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { KernelActivities } from '../../activities';
import type { CaseStart, CaseView, DeadlineView, Outcome } from '../../domain/cases';
import type { Attention, GrantDraft, NoticeDraft, TaskState, TransitionInput } from '../../domain/transition';
import { viewDelta } from '../../domain/view-delta';
import { SA } from '../../temporal/search-attributes';
import { Steps } from './steps';

const { commitTransition } = proxyActivities<KernelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface AuditEvent {
  actor: string;
  event: string;
  detail?: Record<string, unknown>;
  citation?: string | null;
}

export interface Change {
  status?: string;
  outcome?: Outcome | null;
  deadlines?: DeadlineView[];
  overdue?: boolean;
  /** Process-specific parts of the case view (e.g. an agreement and its signatures). */
  view?: Record<string, unknown>;
  events: AuditEvent[];
  grants?: GrantDraft[];
  tasks?: TaskState[];
  /** Stored documents (sha256) this transition makes part of the case. */
  documents?: string[];
  /** The case ends in failure: shown as needing attention (kernel/case-workflow.ts). */
  attention?: Attention;
  /** Public notices (通报批评) issued with this transition. */
  notices?: NoticeDraft[];
}

/** What a case record carries over a continue-as-new (see CaseRecord.carry). */
export interface RecordState {
  view: CaseView;
  revision: number;
  auditSeq: number;
}

export class CaseRecord {
  /** Revisions committed to PostgreSQL: updates answer only once their change is here. */
  revision = 0;
  private nextRevision = 0;
  private auditSeq = 0;
  /** The view as last committed: a commit sends only what changed since (domain/view-delta.ts). */
  private committed: CaseView | undefined;
  readonly steps: Steps;

  constructor(
    readonly start: CaseStart,
    public view: CaseView,
    carried?: RecordState,
  ) {
    if (carried) {
      this.view = carried.view;
      this.committed = carried.view;
      this.revision = this.nextRevision = carried.revision;
      this.auditSeq = carried.auditSeq;
    }
    this.steps = new Steps({
      caseId: start.caseId,
      jurisdiction: start.jurisdiction,
      nextEventKey: () => this.nextEventKey(),
      projection: () => ({ ...this.projection(), view: this.view }),
      citation: () => this.view.deadlines.find((d) => d.state === 'running')?.citation ?? this.view.outcome?.citation ?? this.view.policy.id,
    });
  }

  /** The state a continued run starts from: nothing is lost, the revision counter goes on. */
  carry(): RecordState {
    return { view: this.view, revision: this.revision, auditSeq: this.auditSeq };
  }

  /** Audit event keys: unique per case across retries and continued runs (first run id + sequence). */
  nextEventKey(): string {
    return `${this.start.caseId}:${workflowInfo().firstExecutionRunId}:${++this.auditSeq}`;
  }

  async commit(change: Change): Promise<void> {
    const at = new Date().toISOString(); // workflow time: deterministic on replay
    this.view = {
      ...this.view,
      ...(change.view ?? {}),
      status: change.status ?? this.view.status,
      outcome: change.outcome === undefined ? this.view.outcome : change.outcome,
      deadlines: change.deadlines ?? this.view.deadlines,
      overdue: change.overdue ?? this.view.overdue,
    };
    const revision = ++this.nextRevision;
    const caseId = this.start.caseId;
    const next = this.view;
    const input: TransitionInput = {
      revision,
      projection: { ...this.projection(), viewOps: viewDelta(this.committed, next) },
      audit: change.events.map((e) => ({
        eventKey: this.nextEventKey(),
        caseId,
        at,
        actor: e.actor,
        event: e.event,
        detail: e.detail ?? {},
        citation: e.citation ?? null,
      })),
      grants: change.grants ?? [],
      tasks: (change.tasks ?? []).map((t) => ({ ...t })),
      ...(change.documents?.length ? { documents: change.documents } : {}),
      ...(change.attention ? { attention: change.attention } : {}),
      ...(change.notices?.length ? { notices: change.notices } : {}),
      at,
    };
    await this.steps.run(`commit: ${change.events[0]?.event ?? 'case view'}`, () => commitTransition(input));
    this.committed = next;
    this.revision = revision;
    this.mirror();
  }

  /** The case row's columns (the view goes as a delta). */
  private projection(): Omit<TransitionInput['projection'], 'view' | 'viewOps'> {
    return {
      caseId: this.start.caseId,
      type: this.view.type,
      status: this.view.status,
      jurisdiction: this.view.jurisdiction,
      requesterAgencyId: this.view.parties.requesterAgencyId ?? null,
      providerAgencyId: this.view.parties.providerAgencyId ?? null,
      datasetId: this.view.datasetId,
      createdBy: this.start.createdBy,
      receivedAt: this.start.receivedAt,
    };
  }

  /** Search attributes and the UI's one-line details follow the committed state. */
  private mirror(): void {
    const next = this.view.deadlines
      .filter((d) => d.state === 'running')
      .map((d) => d.dueAt)
      .sort()[0];
    upsertSearchAttributes([
      { key: SA.caseStatus, value: this.view.status },
      { key: SA.nextDeadline, value: next ? new Date(next) : null },
    ]);
    setCurrentDetails(
      `**${this.view.status}** · ${this.view.summary}` + (next ? ` · next deadline ${next}` : '') + ` · policy ${this.view.policy.id}`,
    );
  }
}
