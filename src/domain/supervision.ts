// Supervision and assessment 监督考核 (API-2.md): the competent department assesses how agencies
// keep their deadlines (js-2020:46; sz-open-2023:37 with users' evaluations; cm-draft:32), orders a
// late agency to correct within a period and criticises it publicly if it does not (js-2020:49).
// Pure: the API, the activities and the workflows share it.
import { shanghaiDate, toDayNumber, fromDayNumber } from './calendar/dates';
import { deepFreeze } from './policies/plain';

/** js-2020:49 责令限期改正 … 逾期不改正的，给予通报批评. */
export const CORRECTION_CITATION = 'js-2020:49';
/** sz-open-2023:37 用户评价 (好差评). */
export const EVALUATION_CITATION = 'sz-open-2023:37';

/** The supervision task's order (patched 'supervision-correction-orders'): a period and its reason. */
export const CORRECTION_ORDER_FIELDS = deepFreeze(['workingDays', 'reason']);
/** The late agency's task: it reports what it corrected (or decides its overdue task, which also ends it). */
export const CORRECTION_TASK = deepFreeze({ kind: 'correction', actions: ['report_correction'], requiredFields: { report_correction: ['note'] } });

/** Outcome bases the report counts apart (domain/*: the processes' own outcome bases). */
export const DEEMED_BASIS = 'deemed_consent';
export const REFUSED_BASIS = 'refused';

/**
 * Working days from `fromInstant` to `toInstant` as deadlines count them (PROCESSES.md): the
 * Shanghai day of receipt is not counted, the day of decision is. 0 when decided the day received.
 */
export function workingDaysBetween(isWorkingDay: (date: string) => boolean, fromInstant: string, toInstant: string): number {
  const from = toDayNumber(shanghaiDate(fromInstant));
  const to = toDayNumber(shanghaiDate(toInstant));
  let n = 0;
  for (let d = from + 1; d <= to; d++) if (isWorkingDay(fromDayNumber(d))) n++;
  return n;
}

/** One row of the timeliness report (API-2.md). */
export interface TimelinessRow {
  agencyId: string | null;
  caseType: string;
  received: number;
  decided: number;
  onTime: number;
  late: number;
  deemed: number;
  overdueOpen: number;
  medianWorkingDays: number | null;
  refusals: number;
  evaluations: { count: number; average: number | null };
}

export const TIMELINESS_COLUMNS = [
  'agencyId',
  'caseType',
  'received',
  'decided',
  'onTime',
  'late',
  'deemed',
  'overdueOpen',
  'medianWorkingDays',
  'refusals',
  'evaluationCount',
  'evaluationAverage',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: UTF-8 with a BOM so spreadsheet programs read Chinese right, CRLF lines (RFC 4180). */
export function timelinessCsv(rows: readonly TimelinessRow[]): string {
  const lines = [TIMELINESS_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.agencyId, r.caseType, r.received, r.decided, r.onTime, r.late, r.deemed, r.overdueOpen, r.medianWorkingDays, r.refusals, r.evaluations.count, r.evaluations.average]
        .map(csvCell)
        .join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The period of a report: Shanghai calendar days `from`..`to` inclusive, as instants [start, end). */
export function periodInstants(from: string, to: string): { start: Date; end: Date } {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(`${fromDayNumber(toDayNumber(to) + 1)}T00:00:00+08:00`);
  return { start, end };
}

/**
 * Who rates a case (sz-open-2023:37): its applicant — the person named as applicant, reporter or
 * claimant — or a requester of the requesting agency. Not whoever registered it for them.
 */
export function mayEvaluate(parties: Record<string, unknown>, caller: { principalId: string; agencyId: string | null; roles: readonly string[] }): boolean {
  const persons = ['applicantPrincipalId', 'reporterPrincipalId', 'claimantPrincipalId'].map((k) => parties[k]);
  if (persons.includes(caller.principalId)) return true;
  return !!caller.agencyId && parties.requesterAgencyId === caller.agencyId && caller.roles.includes('requester');
}
