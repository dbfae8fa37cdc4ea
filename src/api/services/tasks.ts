import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { findTask, inbox, type TaskRead } from '../../db/repositories/tasks';
import { findPrincipalById } from '../../db/repositories/principals';
import { DEPARTMENT_ROLES, type Role } from '../../domain/roles';
import { decisionRefusal as taskDecisionRefusal, isAssignee, type Assignee, type Caller, type ClaimOp, type Refusal, type TaskSpec } from '../../domain/tasks';
import { formsJson } from '../task-json';
import { claimUpdate, decideUpdate } from '../../workflows/kernel/messages';
import { ApiError, conflict, notFound } from '../errors';
import { callerOf, type Principal } from '../plugins/auth';
import { decodeCursor, page } from '../pagination';
import { canSee, readCaseDocument } from './cases';
import { withinUpdateTimeout } from './workflow-errors';
import { retryCase } from './case-actions';
import { decisionRefusal } from './decision-checks';

const assigneeOf = (t: TaskRead): Assignee => ({ agencyId: t.assigneeAgencyId, role: t.assigneeRole as Role, jurisdiction: t.assigneeJurisdiction });

/**
 * A task as the API shows it (the Task schema): `forms` a RawJson, written into answers as is by
 * the routes' task serialiser (api/task-json.ts); `now` decides overdue and dueSoon.
 */
export function taskView(t: TaskRead, now: Date) {
  const due = t.dueAt;
  return {
    // What the process shows on the task (e.g. a catalog review's conflicts); the fields below win.
    ...(t.context ?? {}),
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
    // Tasks opened before forms were recorded show the forms their required fields imply.
    forms: formsJson(t),
    citation: t.citation,
    claimedBy: t.claimedBy,
    openedAt: t.openedAt.toISOString(),
  };
}

/** The task if the caller may act on it (its assignee); 404 when the caller cannot even see it. */
async function taskFor(db: Db, taskId: string, p: Principal): Promise<TaskRead> {
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

/** POST /v1/tasks/:taskId/decision — a workflow Update: judged in turn, answered once committed. */
export async function decide(db: Db, temporal: Client, taskId: string, p: Principal, body: { action: string } & Record<string, unknown>) {
  const t = await taskFor(db, taskId, p);
  if (t.kind === 'attention') return retryCase(db, temporal, t.caseId, p);
  const refused = earlyRefusal(t, p, new Date());
  if (refused) throw refused;
  const { action, ...fields } = body;
  // The task's own judgment (the action, its required fields, its form), as the case will make it
  // again; then what only the catalog can tell.
  const judged = formOrFieldsRefusal(t, p, action, fields);
  if (judged) throw new ApiError(judged.status, judged.code, judged.message, judged.details);
  const checked = t.actions.includes(action) ? await decisionRefusal(db, t, fields) : null;
  if (checked) throw checked;
  try {
    await withinUpdateTimeout(t.caseId, () =>
      temporal.workflow.getHandle(t.caseId).executeUpdate(decideUpdate, { args: [{ taskId, action, caller: callerOf(p), fields }] }),
    );
  } catch (err) {
    // The case ended (e.g. withdrawn) between our read and the update: the task says why, as it
    // would have had the request come a moment later (409 task_not_open, deadline_passed, …).
    if (err instanceof ApiError && err.code === 'case_closed') {
      const now = await findTask(db, taskId);
      throw (now && earlyRefusal(now, p, new Date())) ?? err;
    }
    throw err;
  }
  return (await readCaseDocument(db, t.caseId))!;
}

/**
 * What the projection already shows must be refused (the workflow judges again, on its own state):
 * a closed task, a colleague's claim, or a deadline that decided (deemed consent, js-2020:21).
 */
function earlyRefusal(t: TaskRead, p: Principal, now: Date): ApiError | null {
  if (t.onMissed === 'deem_consent' && !t.escalated && t.dueAt && t.dueAt <= now && (t.status === 'open' || t.outcome?.deemed === true)) {
    return conflict('deadline_passed', `the deadline of task ${t.taskId} passed at ${t.dueAt.toISOString()}: by ${t.citation} consent has been given, no decision can be taken any more`, {
      dueAt: t.dueAt.toISOString(),
      dueDate: t.dueDate,
      citation: t.citation,
    });
  }
  if (t.status !== 'open') return conflict('task_not_open', `task ${t.taskId} is no longer open`);
  if (t.claimedBy && t.claimedBy !== p.id && isAssignee(assigneeOf(t), callerOf(p))) {
    return conflict('task_claimed', `task ${t.taskId} is taken by ${t.claimedBy}; ask them to release or hand it over`, { claimedBy: t.claimedBy });
  }
  return null;
}

function formOrFieldsRefusal(t: TaskRead, p: Principal, action: string, fields: Record<string, unknown>): Refusal | null {
  const spec: TaskSpec = { taskId: t.taskId, kind: t.kind, assignee: assigneeOf(t), actions: t.actions, requiredFields: t.requiredFields, forms: t.formsText === null ? undefined : (JSON.parse(t.formsText) as TaskSpec['forms']), citation: t.citation, deadline: null };
  return taskDecisionRefusal(spec, { taskId: t.taskId, action, caller: callerOf(p), fields });
}

/** Claim, release or hand over: a workflow Update judged in turn with decisions, so both never succeed. */
async function claimOp(db: Db, temporal: Client, taskId: string, p: Principal, op: ClaimOp, to?: Caller) {
  const t = await taskFor(db, taskId, p);
  if (t.status !== 'open') throw conflict('task_not_open', 'task is no longer open');
  await withinUpdateTimeout(t.caseId, () =>
    temporal.workflow.getHandle(t.caseId).executeUpdate(claimUpdate, { args: [{ taskId, op, caller: callerOf(p), ...(to ? { to } : {}) }] }),
  );
  return taskView((await findTask(db, taskId))!, new Date());
}

export const claim = (db: Db, temporal: Client, taskId: string, p: Principal) => claimOp(db, temporal, taskId, p, 'claim');
export const release = (db: Db, temporal: Client, taskId: string, p: Principal) => claimOp(db, temporal, taskId, p, 'release');

/** Hand a task to a colleague of the same agency who holds the role. */
export async function handOver(db: Db, temporal: Client, taskId: string, p: Principal, toPrincipalId: string) {
  const colleague = await findPrincipalById(db, toPrincipalId);
  const to: Caller = colleague
    ? { principalId: colleague.id, agencyId: colleague.agencyId, roles: colleague.roles, jurisdiction: colleague.jurisdiction }
    : { principalId: toPrincipalId, agencyId: null, roles: [], jurisdiction: null };
  return claimOp(db, temporal, taskId, p, 'assign', to);
}
