import { and, asc, desc, eq, inArray, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DeadlineView } from '../../domain/cases';
import { applyDelta, type ViewOp } from '../../domain/view-delta';
import type { CaseProjection, GrantDraft } from '../../domain/transition';
import type { Db, DbOrTx, Tx } from '../client';
import { cases, type CaseRow } from '../schema';
import { shaped } from '../shaped-queries';

/** Writes the projection unless a newer revision is already there (activity retries, reordering). */
export async function upsertCase(db: Db, p: CaseProjection): Promise<void> {
  await db.transaction((tx) => upsertCaseDelta(tx, { ...p, ops: [{ path: [], set: p.view }] }));
}

/**
 * Writes a case transition: the row's columns and the view changed by `ops` (see
 * domain/view-delta.ts), unless the stored revision is already `revision` or newer — so a slow,
 * retried attempt of an older transition changes nothing. The row is locked while the view is
 * patched, so two writers never interleave. Throws when there is no row and `ops` do not carry a
 * whole view (a case's first commit always does).
 *
 * The columns the timeliness report reads follow the view: the outcome's basis, the overdue mark,
 * the earliest running deadline, and — the first time the view has an outcome — its instant `at` (workflow time) and the working
 * days from receipt to it (`workingDaysTo`, the calendar's; domain/supervision.ts).
 */
export async function upsertCaseDelta(
  tx: Tx,
  p: Omit<CaseProjection, 'view'> & {
    ops: ViewOp[];
    needsAttention?: CaseRow['needsAttention'];
    at?: Date;
    workingDaysTo?: (receivedAt: Date, decidedAt: Date) => Promise<number | null>;
  },
): Promise<void> {
  const { ops, at, workingDaysTo, ...row } = p;
  const only = ops.length === 1 ? ops[0]! : undefined;
  if (only && only.path.length === 0 && 'set' in only) return upsertWholeView(tx, { ...row, view: only.set as Record<string, unknown>, at, workingDaysTo });
  const [current] = await tx
    .select({ revision: cases.revision, view: cases.view, decidedAt: cases.decidedAt })
    .from(cases)
    .where(eq(cases.caseId, p.caseId))
    .for('update');
  if (current && current.revision >= p.revision) return;
  const whole = ops.some((o) => o.path.length === 0 && 'set' in o);
  if (!current && !whole) throw new Error(`case ${p.caseId} has no projection to apply revision ${p.revision} to`);
  const view = applyDelta(current?.view ?? {}, ops);
  const report: Partial<CaseRow> = reportOf(view);
  if (view.outcome && !current?.decidedAt) Object.assign(report, await decisionColumns(row.receivedAt, at, workingDaysTo));
  await tx
    .insert(cases)
    .values({ ...row, ...report, view, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: cases.caseId,
      set: { status: p.status, revision: p.revision, view, updatedAt: new Date(), ...report, ...(p.needsAttention ? { needsAttention: p.needsAttention } : {}) },
    });
}

/**
 * The columns of a decision just recorded: its instant (`at`, or now) and the working days from
 * receipt to it (`workingDaysTo`, the calendar's count; null when not given or not countable).
 */
async function decisionColumns(
  receivedAt: Date,
  at: Date | undefined,
  workingDaysTo: ((receivedAt: Date, decidedAt: Date) => Promise<number | null>) | undefined,
): Promise<Pick<CaseRow, 'decidedAt' | 'workingDaysToDecision'>> {
  const decidedAt = at ?? new Date();
  return { decidedAt, workingDaysToDecision: workingDaysTo ? await workingDaysTo(receivedAt, decidedAt) : null };
}

/** The columns the timeliness report reads, as `view` sets them (all but the decision's). */
function reportOf(view: Record<string, unknown>): Pick<CaseRow, 'outcomeBasis' | 'overdue' | 'nextDueAt'> {
  const outcome = view.outcome as { basis?: unknown } | null | undefined;
  const running = Array.isArray(view.deadlines) ? (view.deadlines as DeadlineView[]).filter((d) => d.state === 'running').map((d) => d.dueAt).sort() : [];
  return {
    outcomeBasis: typeof outcome?.basis === 'string' ? outcome.basis : null,
    overdue: view.overdue === true,
    nextDueAt: running[0] ? new Date(running[0]) : null,
  };
}

/**
 * upsertCaseDelta of a whole view (a case's first commit, or a change too large for a delta): the
 * stored view is not needed, so the revision guard and the decision's columns are left to the
 * upsert itself — one statement instead of a locking read and a write, the same row lock. A case
 * decided before keeps its decision's instant and working days.
 */
async function upsertWholeView(
  tx: Tx,
  p: Omit<CaseProjection, 'view'> & {
    view: Record<string, unknown>;
    needsAttention?: CaseRow['needsAttention'];
    at?: Date;
    workingDaysTo?: (receivedAt: Date, decidedAt: Date) => Promise<number | null>;
  },
): Promise<void> {
  const { at, workingDaysTo, view, ...row } = p;
  const report: Partial<CaseRow> = reportOf(view);
  if (view.outcome) Object.assign(report, await decisionColumns(row.receivedAt, at, workingDaysTo));
  await tx
    .insert(cases)
    .values({ ...row, ...report, view, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: cases.caseId,
      set: {
        status: p.status,
        revision: p.revision,
        view,
        updatedAt: new Date(),
        ...reportOf(view),
        // SET reads the stored row: its decision, once made, stays.
        decidedAt: sql`coalesce(${cases.decidedAt}, excluded.decided_at)`,
        workingDaysToDecision: sql`CASE WHEN ${cases.decidedAt} IS NULL THEN excluded.working_days_to_decision ELSE ${cases.workingDaysToDecision} END`,
        ...(p.needsAttention ? { needsAttention: p.needsAttention } : {}),
      },
      setWhere: lt(cases.revision, p.revision),
    });
}

export async function findCase(db: DbOrTx, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseId, caseId));
  return row;
}

/** Who may see a case (API.md): its parties, departments of its jurisdiction or above, admins. */
export interface CaseVisibility {
  all: boolean;
  principalId: string;
  agencyId: string | null;
  /** Jurisdictions whose cases the caller's departmental roles may read. */
  jurisdictions: string[];
}

export function visibleWhere(v: CaseVisibility): SQL | undefined {
  if (v.all) return undefined;
  const ors: SQL[] = [eq(cases.createdBy, v.principalId)];
  if (v.agencyId) ors.push(eq(cases.requesterAgencyId, v.agencyId), eq(cases.providerAgencyId, v.agencyId));
  if (v.jurisdictions.length) ors.push(inArray(cases.jurisdiction, v.jurisdictions));
  return or(...ors);
}

/**
 * Cases `q.visibility` may see, newest received first (received_at DESC, case_id DESC), at most
 * `q.limit`, after the keyset `q.after` (received at, case id) when given.
 *
 * Shaped for the indexes at millions of cases: one branch per way of seeing a case (requester,
 * provider, creator, each jurisdiction), each made disjoint from the ones before it, each a range
 * scan of its (column, received_at, case_id) index already in the list's order that stops at the
 * limit; the UNION ALL of these few short lists is sorted and cut to the limit.
 */
export async function listCases(
  db: DbOrTx,
  q: { visibility: CaseVisibility; type?: string; status?: string; limit: number; after?: { at: string; id: string } },
): Promise<CaseRow[]> {
  const v = q.visibility;
  const jurisdictions = [...new Set(v.jurisdictions)];
  const shape: CasesShape = { all: v.all, agency: !v.all && !!v.agencyId, jurisdictions: v.all ? 0 : jurisdictions.length, type: !!q.type, status: !!q.status, after: !!q.after };
  const values: Record<string, unknown> = { limit: q.limit, agency: v.agencyId, me: v.principalId, type: q.type, status: q.status };
  jurisdictions.forEach((j, i) => (values[`j${i}`] = j));
  if (q.after) Object.assign(values, { afterAt: new Date(q.after.at), afterId: q.after.id });
  return shaped(db, `cases ${JSON.stringify(shape)}`, () => casesQuery(db, shape)).execute(values) as Promise<CaseRow[]>;
}

/** What the case list's SQL depends on: whether it is everything, which ways of seeing a case, which filters. */
interface CasesShape {
  all: boolean;
  agency: boolean;
  jurisdictions: number;
  type: boolean;
  status: boolean;
  after: boolean;
}

/** The case list's SQL for one shape, with placeholders for the values listCases() passes. */
function casesQuery(db: DbOrTx, s: CasesShape) {
  const p = sql.placeholder;
  const common: SQL[] = [];
  if (s.type) common.push(eq(cases.type, p('type')));
  if (s.status) common.push(eq(cases.status, p('status')));
  if (s.after) common.push(sql`(${cases.receivedAt}, ${cases.caseId}) < (${p('afterAt')}, ${p('afterId')})`);
  const order = [desc(cases.receivedAt), desc(cases.caseId)];
  if (s.all) return db.select().from(cases).where(and(...common)).orderBy(...order).limit(p('limit'));
  // Each way of seeing a case, and "not by any before it" (so no case comes twice).
  const ways: SQL[] = [];
  if (s.agency) ways.push(eq(cases.requesterAgencyId, p('agency')), eq(cases.providerAgencyId, p('agency')));
  ways.push(eq(cases.createdBy, p('me')));
  for (let i = 0; i < s.jurisdictions; i++) ways.push(eq(cases.jurisdiction, p(`j${i}`)));
  const notBefore = (i: number) => ways.slice(0, i).map((w) => sql`(${w}) IS NOT TRUE`);
  // Each branch ordered and limited itself (PostgreSQL sorts an Append rather than merging it).
  const branches = ways.map((w, i) => db.select().from(cases).where(and(w, ...notBefore(i), ...common)).orderBy(...order).limit(p('limit')));
  const [first, second, ...rest] = branches;
  if (branches.length === 1) return first!;
  return unionAll(first!, second!, ...rest)
    .orderBy(sql`"received_at" DESC`, sql`"case_id" DESC`)
    .limit(p('limit'));
}

/** Cases holding a running provisional deadline: those a newly loaded calendar year may move. */
export async function casesWithProvisionalDeadlines(db: DbOrTx): Promise<{ caseId: string; deadlines: DeadlineView[] }[]> {
  const rows = await db
    .select({ caseId: cases.caseId, view: cases.view })
    .from(cases)
    .where(sql`${cases.view}->'deadlines' @> '[{"state":"running","provisional":true}]'::jsonb`);
  return rows.map((r) => ({ caseId: r.caseId, deadlines: (r.view.deadlines as DeadlineView[]) ?? [] }));
}

/** Cases of `type` on a dataset whose status is not one of `finished`, oldest first. */
export async function unfinishedCasesOnDataset(db: DbOrTx, type: string, datasetId: string, finished: readonly string[], limit = 100): Promise<CaseRow[]> {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.type, type), eq(cases.datasetId, datasetId), notInArray(cases.status, [...finished])))
    .orderBy(asc(cases.receivedAt), asc(cases.caseId))
    .limit(limit);
}

/** An audit entry of a case as its document shows it (`at`: ISO instant, milliseconds, as a Date prints it). */
export interface CaseHistoryItem {
  at: string;
  actor: string;
  event: string;
  detail: Record<string, unknown>;
  citation: string | null;
}

/** A grant of a case as its document shows it (instants: ISO, milliseconds, as a Date prints them). */
export type CaseGrantItem = Omit<GrantDraft, 'status'> & { status: string };

/** What the case document is made of: who may see the case, its projection, its history and grants. */
export type CaseRecord = Pick<CaseRow, 'caseId' | 'createdBy' | 'requesterAgencyId' | 'providerAgencyId' | 'jurisdiction' | 'view' | 'status' | 'needsAttention'> & {
  /** Its audit entries, oldest first (seq). */
  history: CaseHistoryItem[];
  /** Its grants, oldest first (created_at). */
  grants: CaseGrantItem[];
};

// An instant as Date.prototype.toISOString prints what pg reads (microseconds cut to milliseconds).
const iso = (col: SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The case `caseId` with its history and grants, in one statement (one round trip, SQL built once),
 * or undefined when there is no such case. What the API answers with after a create, an action or a
 * decision, and on GET /v1/cases/:caseId.
 */
export async function findCaseRecord(db: Db, caseId: string): Promise<CaseRecord | undefined> {
  const [row] = (await shaped(db, 'case record', () =>
    db
      .select({
        caseId: cases.caseId,
        createdBy: cases.createdBy,
        requesterAgencyId: cases.requesterAgencyId,
        providerAgencyId: cases.providerAgencyId,
        jurisdiction: cases.jurisdiction,
        view: cases.view,
        status: cases.status,
        needsAttention: cases.needsAttention,
        history: sql<CaseHistoryItem[]>`coalesce((
          SELECT json_agg(json_build_object('at', ${iso(sql`a.at`)}, 'actor', a.actor, 'event', a.event, 'detail', a.detail, 'citation', a.citation) ORDER BY a.seq)
          FROM audit_log a WHERE a.case_id = "cases"."case_id"), '[]'::json)`,
        grants: sql<CaseGrantItem[]>`coalesce((
          SELECT json_agg(json_build_object('id', g.id, 'datasetId', g.dataset_id, 'granteeAgencyId', g.grantee_agency_id,
            'granteePrincipalId', g.grantee_principal_id, 'mode', g.mode, 'scope', g.scope, 'basis', g.basis, 'citation', g.citation,
            'status', g.status, 'validFrom', ${iso(sql`g.valid_from`)}, 'validTo', ${iso(sql`g.valid_to`)}) ORDER BY g.created_at)
          FROM access_grants g WHERE g.case_id = "cases"."case_id"), '[]'::json)`,
      })
      .from(cases)
      .where(eq(cases.caseId, sql.placeholder('caseId'))),
  ).execute({ caseId })) as CaseRecord[];
  return row;
}
