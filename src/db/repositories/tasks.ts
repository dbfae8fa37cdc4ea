import { and, asc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
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

/** Open tasks of the caller's agency and roles (and its jurisdiction's departments), soonest due first. */
export async function inbox(db: DbOrTx, c: InboxCaller, q: InboxQuery): Promise<TaskRow[]> {
  const whose: SQL[] = [];
  if (c.agencyId && c.roles.length) whose.push(and(eq(tasks.assigneeAgencyId, c.agencyId), inArray(tasks.assigneeRole, c.roles))!);
  if (c.jurisdiction && c.departmentRoles.length) {
    whose.push(and(isNull(tasks.assigneeAgencyId), eq(tasks.assigneeJurisdiction, c.jurisdiction), inArray(tasks.assigneeRole, c.departmentRoles))!);
  }
  if (!whose.length) return [];
  const where: (SQL | undefined)[] = [eq(tasks.status, 'open'), or(...whose)];
  if (q.caseType) where.push(eq(tasks.caseType, q.caseType));
  if (q.overdue === true) where.push(lt(tasks.dueAt, q.now));
  if (q.overdue === false) where.push(or(isNull(tasks.dueAt), sql`${tasks.dueAt} >= ${q.now}`));
  if (q.claim === 'mine') where.push(eq(tasks.claimedBy, c.principalId));
  if (q.claim === 'unclaimed') where.push(isNull(tasks.claimedBy));
  if (q.after) {
    // Keyset on (due_at NULLS LAST, task_id).
    const id = q.after.taskId;
    if (q.after.dueAt === null) where.push(and(isNull(tasks.dueAt), gt(tasks.taskId, id)));
    else {
      const at = new Date(q.after.dueAt);
      where.push(or(gt(tasks.dueAt, at), and(eq(tasks.dueAt, at), gt(tasks.taskId, id)), isNull(tasks.dueAt)));
    }
  }
  return db
    .select()
    .from(tasks)
    .where(and(...where))
    .orderBy(sql`${tasks.dueAt} ASC NULLS LAST`, asc(tasks.taskId))
    .limit(q.limit);
}
