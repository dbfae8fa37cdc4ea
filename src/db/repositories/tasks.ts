import { and, asc, eq, gt, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client';
import { tasks, type TaskRow } from '../schema';

export type TaskProjection = Omit<TaskRow, 'claimedBy'> & { claimedBy?: string | null };

/**
 * Revision-guarded like the case projection. `claimed_by` is written when the workflow holds the
 * claim (tasks of histories recorded before claims went through the workflow leave it alone).
 */
export async function upsertTask(db: DbOrTx, t: TaskProjection): Promise<void> {
  const { taskId, ...rest } = t;
  await db
    .insert(tasks)
    .values(t)
    .onConflictDoUpdate({ target: tasks.taskId, set: rest, setWhere: lt(tasks.revision, t.revision) });
}

export async function findTask(db: DbOrTx, taskId: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.taskId, taskId));
  return row;
}

export interface InboxCaller {
  principalId: string;
  agencyId: string | null;
  roles: string[];
  /** Roles that receive department tasks of the caller's jurisdiction. */
  departmentRoles: string[];
  jurisdiction: string | null;
}

export interface InboxQuery {
  caseType?: string;
  overdue?: boolean;
  claim?: 'mine' | 'unclaimed';
  now: Date;
  limit: number;
  after?: { dueAt: string | null; taskId: string };
}

/**
 * Open tasks of the caller's agency and roles (and its jurisdiction's departments), soonest due
 * first (due_at NULLS LAST, task_id), at most `q.limit`.
 *
 * Shaped for the inbox indexes at millions of open tasks: one branch per (assignee kind, role),
 * each split into its dated and undated part, so that every branch is a range scan of
 * tasks_agency_inbox_idx or tasks_department_inbox_idx already in the list's order (the keyset and
 * `overdue` become range conditions on due_at) that stops at the limit; the UNION ALL of these
 * few short lists is sorted and cut to the limit. The branches are disjoint, so nothing appears twice.
 */
export async function inbox(db: DbOrTx, c: InboxCaller, q: InboxQuery): Promise<TaskRow[]> {
  const whose: SQL[] = [];
  if (c.agencyId) for (const role of new Set(c.roles)) whose.push(and(eq(tasks.assigneeAgencyId, c.agencyId), eq(tasks.assigneeRole, role))!);
  if (c.jurisdiction) {
    for (const role of new Set(c.departmentRoles)) whose.push(and(isNull(tasks.assigneeAgencyId), eq(tasks.assigneeJurisdiction, c.jurisdiction), eq(tasks.assigneeRole, role))!);
  }
  if (!whose.length) return [];
  const common: (SQL | undefined)[] = [eq(tasks.status, 'open')];
  if (q.caseType) common.push(eq(tasks.caseType, q.caseType));
  if (q.claim === 'mine') common.push(eq(tasks.claimedBy, c.principalId));
  if (q.claim === 'unclaimed') common.push(isNull(tasks.claimedBy));
  // The dated part (due_at set) and the undated one (NULLS LAST: after every dated task).
  let dated: SQL | null = isNotNull(tasks.dueAt);
  let undated: SQL | null = isNull(tasks.dueAt);
  if (q.overdue === true) {
    dated = lt(tasks.dueAt, q.now);
    undated = null;
  }
  if (q.overdue === false) dated = gte(tasks.dueAt, q.now);
  if (q.after) {
    const id = q.after.taskId;
    if (q.after.dueAt === null) {
      dated = null;
      if (undated) undated = and(undated, gt(tasks.taskId, id))!;
    } else {
      dated = and(dated!, sql`(${tasks.dueAt}, ${tasks.taskId}) > (${new Date(q.after.dueAt)}, ${id})`)!;
    }
  }
  const order = [sql`${tasks.dueAt} ASC NULLS LAST`, asc(tasks.taskId)];
  const parts = whose.flatMap((w) => [dated, undated].filter((x): x is SQL => x !== null).map((range) => and(...common, w, range)));
  if (!parts.length) return [];
  if (parts.length === 1) return db.select().from(tasks).where(parts[0]).orderBy(...order).limit(q.limit);
  // Each branch ordered and limited itself (PostgreSQL sorts an Append rather than merging it).
  const [first, second, ...rest] = parts.map((where) => db.select().from(tasks).where(where).orderBy(...order).limit(q.limit));
  return unionAll(first!, second!, ...rest)
    .orderBy(sql`"due_at" ASC NULLS LAST`, sql`"task_id" ASC`)
    .limit(q.limit);
}
