// Supervision and assessment (API-2.md): the timeliness report over the case and task projections
// (never Temporal's histories), the public notices of missed corrections, and users' evaluations.
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client';
import { caseEvaluations, publicNotices, tasks, type PublicNotice } from '../schema';
import { DEEMED_BASIS, REFUSED_BASIS, type TimelinessRow } from '../../domain/supervision';

/** Written by the transition that records the missed correction (idempotent under retry). */
export async function insertNotice(db: DbOrTx, n: typeof publicNotices.$inferInsert): Promise<void> {
  await db.insert(publicNotices).values(n).onConflictDoNothing();
}

export async function listNotices(db: DbOrTx, jurisdictions: string[], limit = 500): Promise<PublicNotice[]> {
  return db.select().from(publicNotices).where(inArray(publicNotices.jurisdiction, jurisdictions)).orderBy(desc(publicNotices.issuedAt), desc(publicNotices.id)).limit(limit);
}

/** False when the case already has its evaluation (the first one stands). */
export async function insertEvaluation(db: DbOrTx, e: typeof caseEvaluations.$inferInsert): Promise<boolean> {
  const rows = await db.insert(caseEvaluations).values(e).onConflictDoNothing().returning({ caseId: caseEvaluations.caseId });
  return rows.length === 1;
}

export async function openTaskCount(db: DbOrTx, caseId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
  return r?.n ?? 0;
}

export interface TimelinessQuery {
  jurisdictions: string[];
  start: Date;
  end: Date;
  caseType?: string;
  now: Date;
}

/**
 * One row per provider agency and case type, over the cases received in [start, end) in the
 * jurisdictions (cases_report_idx). Decided cases are on time, late (a deadline escalated) or
 * deemed (consent by silence); an undecided case is overdue now when it escalated or a running
 * deadline of it has passed. Read from the cases projection alone (its columns are in the index).
 */
export async function timelinessReport(db: Db, q: TimelinessQuery): Promise<TimelinessRow[]> {
  // The median is an ordered-set aggregate: the rows are sorted by group. Memory enough for a
  // province's year keeps that sort off the disk, for this statement only.
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    return tx.execute<{
    agency_id: string | null;
    case_type: string;
    received: number;
    decided: number;
    on_time: number;
    late: number;
    deemed: number;
    overdue_open: number;
    median: number | null;
    refusals: number;
    eval_count: number;
    eval_avg: number | null;
  }>(timelinessSql(q));
  });
  return result.rows.map((r) => ({
    agencyId: r.agency_id,
    caseType: r.case_type,
    received: r.received,
    decided: r.decided,
    onTime: r.on_time,
    late: r.late,
    deemed: r.deemed,
    overdueOpen: r.overdue_open,
    medianWorkingDays: r.median,
    refusals: r.refusals,
    evaluations: { count: r.eval_count, average: r.eval_avg === null ? null : Math.round(r.eval_avg * 100) / 100 },
  }));
}

/** The report's statement (exported for the benchmark's EXPLAIN). */
export function timelinessSql(q: TimelinessQuery): SQL {
  const type = q.caseType ? sql`AND c.type = ${q.caseType}` : sql``;
  const jurisdictions = sql.join(q.jurisdictions.map((j) => sql`${j}`), sql`, `);
  return sql`
    SELECT c.provider_agency_id AS agency_id, c.type AS case_type,
      count(*)::int AS received,
      count(c.decided_at)::int AS decided,
      count(*) FILTER (WHERE c.decided_at IS NOT NULL AND NOT c.overdue AND c.outcome_basis IS DISTINCT FROM ${DEEMED_BASIS})::int AS on_time,
      count(*) FILTER (WHERE c.decided_at IS NOT NULL AND c.overdue AND c.outcome_basis IS DISTINCT FROM ${DEEMED_BASIS})::int AS late,
      count(*) FILTER (WHERE c.outcome_basis = ${DEEMED_BASIS})::int AS deemed,
      count(*) FILTER (WHERE c.decided_at IS NULL AND (c.overdue OR c.next_due_at < ${q.now}))::int AS overdue_open,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY c.working_days_to_decision)::float8 AS median,
      count(*) FILTER (WHERE c.outcome_basis = ${REFUSED_BASIS})::int AS refusals,
      count(e.rating)::int AS eval_count,
      avg(e.rating)::float8 AS eval_avg
    FROM cases c
    LEFT JOIN case_evaluations e ON e.case_id = c.case_id
    WHERE c.jurisdiction IN (${jurisdictions}) AND c.received_at >= ${q.start} AND c.received_at < ${q.end} ${type}
    GROUP BY c.provider_agency_id, c.type
    ORDER BY c.provider_agency_id NULLS FIRST, c.type`;
}
