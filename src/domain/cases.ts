// The shape every case shares (API.md "Cases"), used by workflows, activities and the API.
import type { ResolvedRules } from './policies/types';
import type { ProcessId } from './process';
import type { PeriodOf } from './tasks';

/** A case's type: the id of its process in the registry (domain/processes.ts). */
export type CaseType = ProcessId;

export type DeadlineStateName = 'running' | 'met' | 'missed' | 'cancelled';

/** A deadline as the case shows it: N working days or N hours (`unit`; absent before hours: working days). */
export type DeadlineView = PeriodOf & {
  key: string;
  /** The instant the period counts from (in working days, its Shanghai day is not counted). */
  from: string;
  receivedDate?: string;
  dueDate: string;
  dueAt: string;
  provisional: boolean;
  citation: string;
  state: DeadlineStateName;
};

export interface Outcome {
  basis: string;
  citation: string;
  [k: string]: unknown;
}

export interface CaseView {
  caseId: string;
  type: CaseType;
  status: string;
  jurisdiction: string;
  receivedAt: string;
  receivedVia: 'api' | 'registered';
  policy: { id: string; version: string };
  parties: Record<string, string | null>;
  datasetId: string | null;
  request: Record<string, unknown>;
  outcome: Outcome | null;
  deadlines: DeadlineView[];
  /** A deadline was missed and the competent department supervises (js-2020:49). */
  overdue: boolean;
  summary: string;
}

/** Who and what a case starts with; every workflow input carries it (and a version). */
export interface CaseStart {
  version: 1;
  caseId: string;
  receivedAt: string;
  receivedVia: 'api' | 'registered';
  createdBy: string;
  jurisdiction: string;
  policy: ResolvedRules;
}

export function policyLabel(rules: ResolvedRules): { id: string; version: string } {
  const g = rules.governingPolicy;
  return g ? { id: g.id, version: String(g.version) } : { id: 'none', version: '0' };
}

/** An actor written into the audit chain: a principal, or the platform acting under a rule. */
export const SYSTEM_ACTOR = 'system';

/** A new case's view: what every process starts with, plus its own parties, request and summary. */
export function newCaseView(
  input: CaseStart,
  own: Pick<CaseView, 'type' | 'parties' | 'datasetId' | 'request' | 'summary'>,
): CaseView {
  return {
    caseId: input.caseId,
    status: 'received',
    jurisdiction: input.jurisdiction,
    receivedAt: input.receivedAt,
    receivedVia: input.receivedVia,
    policy: policyLabel(input.policy),
    outcome: null,
    deadlines: [],
    overdue: false,
    ...own,
  };
}
