import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { claimTask, findTask, inbox, setClaim } from '../../db/repositories/tasks';
import { appendAudit } from '../../db/repositories/audit';
import { findPrincipalById } from '../../db/repositories/principals';
import type { TaskRow } from '../../db/schema';
import { DEPARTMENT_ROLES, type Role } from '../../domain/roles';
import { isAssignee, type Assignee, type Caller } from '../../domain/tasks';
import { decideUpdate } from '../../workflows/kernel/messages';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';
import { decodeCursor, page } from '../pagination';
import { canSee, caseDocument } from './cases';
import { withinUpdateTimeout } from './workflow-errors';
import { decisionRefusal } from './decision-checks';

export function callerOf(p: Principal): Caller {
  return { principalId: p.id, agencyId: p.agencyId, roles: p.roles, jurisdiction: p.jurisdiction };
}

const assigneeOf = (t: TaskRow): Assignee => ({ agencyId: t.assigneeAgencyId, role: t.assigneeRole as Role, jurisdiction: t.assigneeJurisdiction });

export function taskView(t: TaskRow, now: Date) {
  const due = t.dueAt;
  return {
    taskId: t.taskId,
    caseId: t.caseId,
    caseType: t.caseType,
    kind: t.kind,
    assignee: { agencyId: t.assigneeAgencyId, role: t.assigneeRole, jurisdiction: t.assigneeJurisdiction },
    status: t.status,
    dueAt: due ? due.toISOString() : null,
    dueDate: t.dueDate,
    provisional: t.provisional,
    overdue: !!due && due <= now,
    escalated: t.escalated,
    dueSoon: !!t.remindAt && t.remindAt <= now && (!due || due > now),
    actions: t.actions,
    requiredFields: t.requiredFields,
    citation: t.citation,
    claimedBy: t.claimedBy,
    openedAt: t.openedAt.toISOString(),
  };
}

/** The task if the caller may act on it (its assignee); 404 when the caller cannot even see it. */
async function taskFor(db: Db, taskId: string, p: Principal): Promise<TaskRow> {
  const t = await findTask(db, taskId);
  if (!t) throw notFound(`task "${taskId}"`);
  const assignee = isAssignee(assigneeOf(t), callerOf(p));
  if (!assignee) {
    const c = await findCase(db, t.caseId);
    if (!c || !canSee(p, c)) throw notFound(`task "${taskId}"`);
  }
  return t;
}

export async function listInbox(
  db: Db,
  p: Principal,
  q: { caseType?: string; overdue?: boolean; claim?: 'mine' | 'unclaimed'; limit: number; cursor?: string },
) {
  const now = new Date();
  const at = await decodeCursor(db, 'inbox', q.cursor);
  const after = at && { dueAt: at.at, taskId: at.id };
  const rows = await inbox(
    db,
    { principalId: p.id, agencyId: p.agencyId, roles: p.roles, departmentRoles: p.roles.filter((r) => DEPARTMENT_ROLES.includes(r as never)), jurisdiction: p.jurisdiction },
    { ...q, now, limit: q.limit + 1, after },
  );
  const { items, nextCursor } = await page(db, 'inbox', rows, q.limit, (t) => ({ at: t.dueAt?.toISOString() ?? null, id: t.taskId }));
  return { items: items.map((t) => taskView(t, now)), nextCursor };
}

/** POST /v1/tasks/:taskId/decision — a workflow Update: validated, answered once committed. */
export async function decide(db: Db, temporal: Client, taskId: string, p: Principal, body: { action: string } & Record<string, unknown>) {
  const t = await taskFor(db, taskId, p);
  if (t.status !== 'open') throw conflict('task_not_open', `task ${taskId} is no longer open`);
  if (t.claimedBy && t.claimedBy !== p.id) throw conflict('task_claimed', `task ${taskId} is taken by ${t.claimedBy}; ask them to release or hand it over`);
  const { action, ...fields } = body;
  const refused = t.actions.includes(action) ? await decisionRefusal(db, t, fields) : null;
  if (refused) throw refused;
  await withinUpdateTimeout(t.caseId, () =>
    temporal.workflow.getHandle(t.caseId).executeUpdate(decideUpdate, { args: [{ taskId, action, caller: callerOf(p), fields }] }),
  );
  const c = await findCase(db, t.caseId);
  return caseDocument(db, c!);
}

async function audited(db: Db, t: TaskRow, p: Principal, event: string, detail: Record<string, unknown>) {
  await appendAudit(db, { eventKey: `${t.taskId}:${event}:${Date.now()}:${p.id}`, caseId: t.caseId, at: new Date(), actor: p.id, event, detail: { taskId: t.taskId, ...detail } });
}

export async function claim(db: Db, taskId: string, p: Principal) {
  const t = await taskFor(db, taskId, p);
  if (!isAssignee(assigneeOf(t), callerOf(p))) throw forbidden('only the assignee agency and role may claim this task');
  const row = await claimTask(db, taskId, p.id);
  if (!row) throw conflict(t.status === 'open' ? 'task_claimed' : 'task_not_open', t.status === 'open' ? `task is taken by ${t.claimedBy}` : 'task is no longer open');
  if (t.claimedBy !== p.id) await audited(db, row, p, 'task_claimed', {});
  return taskView(row, new Date());
}

export async function release(db: Db, taskId: string, p: Principal) {
  const t = await taskFor(db, taskId, p);
  if (t.claimedBy !== p.id) throw conflict('not_claimed_by_you', 'only the person who claimed the task may release it');
  const row = await setClaim(db, taskId, p.id, null);
  if (!row) throw conflict('task_not_open', 'task is no longer open');
  await audited(db, row, p, 'task_released', {});
  return taskView(row, new Date());
}

/** Hand a task to a colleague of the same agency who holds the role. */
export async function handOver(db: Db, taskId: string, p: Principal, toPrincipalId: string) {
  const t = await taskFor(db, taskId, p);
  if (!isAssignee(assigneeOf(t), callerOf(p))) throw forbidden('only the assignee agency and role may hand this task over');
  if (t.claimedBy && t.claimedBy !== p.id) throw conflict('task_claimed', `task is taken by ${t.claimedBy}`);
  const colleague = await findPrincipalById(db, toPrincipalId);
  if (!colleague || !isAssignee(assigneeOf(t), { principalId: colleague.id, agencyId: colleague.agencyId, roles: colleague.roles, jurisdiction: colleague.jurisdiction })) {
    throw unprocessable('not_a_colleague', 'the task can be handed only to a colleague holding its role in the same agency', { principalId: toPrincipalId });
  }
  const row = await setClaim(db, taskId, t.claimedBy, colleague.id);
  if (!row) throw conflict('task_claimed', 'the task changed hands meanwhile; reload it');
  await audited(db, row, p, 'task_handed_over', { to: colleague.id });
  return taskView(row, new Date());
}
