// The case-creation quota of API-2.md "Abuse and identity": every case starts a workflow, so one
// principal may create at most `limits.caseCreationsPerHour` per hour, counted in PostgreSQL so
// that every replica sees one count.
import type { DbOrTx } from '../../db/client';
import { countInWindow, readWindow } from '../../db/repositories/rate-counters';
import { rateLimited } from '../errors';
import type { Principal } from '../plugins/auth';

const SCOPE = 'case_creations';
const HOUR = 3600;

/**
 * Counts one case creation of the principal (inside the caller's transaction, when it has one).
 * @throws 429 rate_limited with Retry-After once the hour's quota is used up.
 */
export async function countCaseCreation(db: DbOrTx, p: Principal, perHour: number): Promise<void> {
  const { count, resetInMs } = await countInWindow(db, SCOPE, p.id, HOUR, perHour + 1);
  if (count > perHour) {
    const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
    throw rateLimited(`the quota of ${perHour} new cases per hour is used up; retry after ${retryAfter} s`, retryAfter, { limit: perHour, windowSeconds: HOUR });
  }
}

/** How much of the quota the principal has used this hour, and when the hour ends (ISO instant). */
export async function caseCreationUse(db: DbOrTx, p: Principal, perHour: number) {
  const { count, resetInMs } = await readWindow(db, SCOPE, p.id, HOUR);
  return { used: Math.min(count, perHour), remaining: Math.max(0, perHour - count), resetsAt: new Date(Date.now() + resetInMs).toISOString() };
}
