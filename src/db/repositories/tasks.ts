import { and, asc, eq, getTableColumns, gt, gte, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client';
import { shaped } from '../shaped-queries';
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

/**
 * A task as the API reads it: `forms` as PostgreSQL's text of the jsonb (`formsText`), not parsed
 * per row — answers write it once per content (api/task-json.ts); null for tasks opened before
 * forms were recorded.
 */
export type TaskRead = Omit<TaskRow, 'forms'> & { formsText: string | null };

const { forms: _forms, ...otherColumns } = getTableColumns(tasks);
/** The columns of a TaskRead (the same output column names in every branch of a UNION). */
const taskRead = { ...otherColumns, formsText: sql<string | null>`${tasks.forms}::text`.as('forms_text') };

/** The task `taskId` (open or closed), or undefined. */
export async function findTask(db: DbOrTx, taskId: string): Promise<TaskRead | undefined> {
  const [row] = await db.select(taskRead).from(tasks).where(eq(tasks.taskId, taskId));
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
export async function inbox(db: DbOrTx, c: InboxCaller, q: InboxQuery): Promise<TaskRead[]> {
  const roles = c.agencyId ? [...new Set(c.roles)] : [];
  const departmentRoles = c.jurisdiction ? [...new Set(c.departmentRoles)] : [];
  if (!roles.length && !departmentRoles.length) return [];
  const after: InboxShape['after'] = q.after ? (q.after.dueAt === null ? 'undated' : 'dated') : 'none';
  if (after === 'undated' && q.overdue === true) return []; // overdue tasks are all dated
  const values: Record<string, unknown> = { limit: q.limit, agency: c.agencyId, jurisdiction: c.jurisdiction, caseType: q.caseType, me: c.principalId, now: q.now };
  roles.forEach((r, i) => (values[`r${i}`] = r));
  departmentRoles.forEach((r, i) => (values[`d${i}`] = r));
  if (q.after) Object.assign(values, { afterId: q.after.taskId, afterDue: q.after.dueAt === null ? null : new Date(q.after.dueAt) });
  const shape: InboxShape = { roles: roles.length, departmentRoles: departmentRoles.length, caseType: !!q.caseType, claim: q.claim ?? null, overdue: q.overdue ?? null, after };
  return shaped(db, `inbox ${JSON.stringify(shape)}`, () => inboxQuery(db, shape)).execute(values) as Promise<TaskRead[]>;
}

/** What the inbox's SQL depends on: how many branches of each kind, which filters, which keyset part. */
interface InboxShape {
  roles: number;
  departmentRoles: number;
  caseType: boolean;
  claim: 'mine' | 'unclaimed' | null;
  overdue: boolean | null;
  after: 'none' | 'undated' | 'dated';
}

/** The inbox's SQL for one shape, with placeholders for the values inbox() passes. */
function inboxQuery(db: DbOrTx, s: InboxShape) {
  const p = sql.placeholder;
  const whose: SQL[] = [];
  for (let i = 0; i < s.roles; i++) whose.push(and(eq(tasks.assigneeAgencyId, p('agency')), eq(tasks.assigneeRole, p(`r${i}`)))!);
  for (let i = 0; i < s.departmentRoles; i++) {
    whose.push(and(isNull(tasks.assigneeAgencyId), eq(tasks.assigneeJurisdiction, p('jurisdiction')), eq(tasks.assigneeRole, p(`d${i}`)))!);
  }
  // 'open' written into the SQL, not a parameter: the planner then knows the partial index on open tasks applies.
  const common: (SQL | undefined)[] = [sql`${tasks.status} = 'open'`];
  if (s.caseType) common.push(eq(tasks.caseType, p('caseType')));
  if (s.claim === 'mine') common.push(eq(tasks.claimedBy, p('me')));
  if (s.claim === 'unclaimed') common.push(isNull(tasks.claimedBy));
  // The dated part (due_at set) and the undated one (NULLS LAST: after every dated task).
  let dated: SQL | null = isNotNull(tasks.dueAt);
  let undated: SQL | null = isNull(tasks.dueAt);
  if (s.overdue === true) {
    dated = lt(tasks.dueAt, p('now'));
    undated = null;
  }
  if (s.overdue === false) dated = gte(tasks.dueAt, p('now'));
  if (s.after === 'undated') {
    dated = null;
    if (undated) undated = and(undated, gt(tasks.taskId, p('afterId')))!;
  }
  if (s.after === 'dated') dated = and(dated!, sql`(${tasks.dueAt}, ${tasks.taskId}) > (${p('afterDue')}, ${p('afterId')})`)!;
  const order = [sql`${tasks.dueAt} ASC NULLS LAST`, asc(tasks.taskId)];
  const parts = whose.flatMap((w) => [dated, undated].filter((x): x is SQL => x !== null).map((range) => and(...common, w, range)));
  if (parts.length === 1) return db.select(taskRead).from(tasks).where(parts[0]).orderBy(...order).limit(p('limit'));
  // Each branch ordered and limited itself (PostgreSQL sorts an Append rather than merging it).
  const [first, second, ...rest] = parts.map((where) => db.select(taskRead).from(tasks).where(where).orderBy(...order).limit(p('limit')));
  return unionAll(first!, second!, ...rest)
    .orderBy(sql`"due_at" ASC NULLS LAST`, sql`"task_id" ASC`)
    .limit(p('limit'));
}
