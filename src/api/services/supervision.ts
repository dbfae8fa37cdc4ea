// Supervision and assessment (API-2.md): who may read the timeliness report and for which
// jurisdictions, the public notices, and a user's evaluation of an ended case.
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { insertEvaluation, listNotices, openTaskCount, timelinessReport } from '../../db/repositories/supervision';
import { isIsoDate } from '../../domain/calendar/dates';
import { JURISDICTIONS, isWithin } from '../../domain/jurisdictions';
import { mayEvaluate, periodInstants, type TimelinessRow } from '../../domain/supervision';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { hasRole, type Principal } from '../plugins/auth';
import { canSee } from './cases';

/** The roles that assess agencies (js-2020:46: the competent department; the government above it). */
export const REPORT_ROLES = ['competent', 'government'] as const;

/** `jurisdiction` and every level below it, once the caller may see it (their own level or below; admin: any). */
function scope(p: Principal, jurisdiction: string): string[] {
  if (!hasRole(p, 'admin') && !(p.jurisdiction && isWithin(jurisdiction, p.jurisdiction))) {
    throw forbidden(`the report of ${jurisdiction} is not within the caller's jurisdiction ${p.jurisdiction ?? '(none)'}`);
  }
  return JURISDICTIONS.filter((j) => isWithin(j.id, jurisdiction)).map((j) => j.id);
}

export async function timeliness(db: Db, p: Principal, q: { jurisdiction: string; from: string; to: string; caseType?: string }): Promise<TimelinessRow[]> {
  if (!isIsoDate(q.from) || !isIsoDate(q.to)) throw unprocessable('invalid_period', 'from and to must be dates of the calendar (YYYY-MM-DD)');
  if (q.from > q.to) throw unprocessable('invalid_period', `the period ends (${q.to}) before it starts (${q.from})`);
  const jurisdictions = scope(p, q.jurisdiction);
  const { start, end } = periodInstants(q.from, q.to);
  return timelinessReport(db, { jurisdictions, start, end, caseType: q.caseType, now: new Date() });
}

/** Public notices are public (通报): anyone authenticated lists those of a jurisdiction and below. */
export async function notices(db: Db, jurisdiction: string) {
  const rows = await listNotices(db, JURISDICTIONS.filter((j) => isWithin(j.id, jurisdiction)).map((j) => j.id));
  return rows.map((n) => ({ ...n, dueAt: n.dueAt.toISOString(), issuedAt: n.issuedAt.toISOString() }));
}

/**
 * One rating of a case that has ended (an outcome, no open task), by its applicant or requester:
 * 404 when the caller cannot see the case, 403 when they are not its applicant, 409 before it has
 * ended or once it is rated.
 */
export async function evaluate(db: Db, p: Principal, caseId: string, body: { rating: number; comment?: string }) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  if (!mayEvaluate((row.view.parties as Record<string, unknown>) ?? {}, { principalId: p.id, agencyId: p.agencyId, roles: p.roles })) {
    throw forbidden('only the case applicant or a requester of the requesting agency rates it (sz-open-2023:37)');
  }
  if (!row.decidedAt || (await openTaskCount(db, caseId)) > 0) throw conflict('case_not_ended', `case ${caseId} has not ended: it is rated once it has`);
  const at = new Date();
  const stored = await insertEvaluation(db, { caseId, rating: body.rating, comment: body.comment ?? null, principalId: p.id, createdAt: at });
  if (!stored) throw conflict('already_evaluated', `case ${caseId} has already been rated`);
  return { caseId, rating: body.rating, comment: body.comment ?? null, principalId: p.id, createdAt: at.toISOString() };
}
