// A person's decision in a process (ARCHITECTURE.md "How a human decision works"): the task a
// workflow opens, and the pure checks a decision must pass before anything is recorded.
import { formRefusal, type JsonSchema } from './decision-forms';
import type { ResolvedRule } from './policies/types';
import type { Role } from './roles';

export interface Assignee {
  /** The party's agency; null for a department task, which goes to the role in `jurisdiction`. */
  agencyId: string | null;
  role: Role;
  jurisdiction: string;
}

/**
 * A task's period: N working days of the official calendar, or N hours on the clock (rest days
 * included, e.g. a security incident's report, API-2.md P9). One mechanism: both are durable
 * timers at `dueAt`, shown alike. `unit` is absent on tasks of histories recorded before hours.
 */
export type PeriodOf = { unit?: 'working_days'; workingDays: number; hours?: undefined } | { unit: 'hours'; hours: number; workingDays?: undefined };

export type TaskDeadline = PeriodOf & {
  /** Its key on the case when not the task's kind (two tasks of one kind at once); absent: the kind. */
  key?: string;
  from: string;
  receivedDate: string;
  dueDate: string;
  dueAt: string;
  remindAt: string;
  provisional: boolean;
  citation: string;
  onMissed: 'deem_consent' | 'escalate' | 'none';
};

export interface TaskSpec {
  taskId: string;
  /** The rule key (e.g. provider_review) or 'supervision'. */
  kind: string;
  assignee: Assignee;
  actions: string[];
  requiredFields: Record<string, string[]>;
  /**
   * For each action, the JSON Schema of its fields (domain/decision-forms.ts), published on the
   * task and checked before a decision is taken. Absent on tasks of histories recorded before.
   */
  forms?: Record<string, JsonSchema>;
  /** What the assignee needs to see beside the case (e.g. a catalog review's `conflicts`, API-2.md P7). */
  context?: Record<string, unknown>;
  citation: string;
  deadline: TaskDeadline | null;
}

/** Who asks, as the API authenticated them (passed into the Update, checked by its validator). */
export interface Caller {
  principalId: string;
  agencyId: string | null;
  roles: string[];
  jurisdiction: string | null;
}

export interface DecisionInput {
  taskId: string;
  action: string;
  caller: Caller;
  fields: Record<string, unknown>;
}

export interface Refusal {
  status: 403 | 409 | 422;
  code: string;
  message: string;
  details?: unknown;
}

export function isAssignee(a: Assignee, c: Caller): boolean {
  if (!c.roles.includes(a.role)) return false;
  return a.agencyId ? c.agencyId === a.agencyId : c.jurisdiction === a.jurisdiction;
}

/** A required field is given: a non-blank text, a number or yes/no, or a non-empty list of such. */
function present(v: unknown): boolean {
  if (typeof v === 'string') return v.trim().length > 0;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(present);
  // A map (e.g. a catalog review's sourceOf {code: agencyId}) says something when an entry does.
  if (v !== null && typeof v === 'object') return Object.values(v).some(present);
  return false;
}

/**
 * Why a decision must be refused, or null. Order matters: a closed task is a conflict whoever
 * asks; a stranger learns nothing more; then the action and its required fields — above all a
 * refusal without legal basis (js-2020:21: a refusal must cite law, regulation or rule) — then
 * the action's form (422 invalid_decision_fields: a mistyped field, or one it does not take).
 */
export function decisionRefusal(task: TaskSpec | undefined, d: DecisionInput): Refusal | null {
  if (!task) return { status: 409, code: 'task_not_open', message: `task ${d.taskId} is no longer open (decided, deemed, withdrawn or closed)` };
  if (!isAssignee(task.assignee, d.caller)) {
    const who = task.assignee.agencyId ? `agency ${task.assignee.agencyId}` : `jurisdiction ${task.assignee.jurisdiction}`;
    return { status: 403, code: 'not_assignee', message: `this task is for the ${task.assignee.role} of ${who}` };
  }
  if (!task.actions.includes(d.action)) {
    return { status: 422, code: 'action_not_offered', message: `action "${d.action}" is not one of: ${task.actions.join(', ')}`, details: { actions: task.actions } };
  }
  const missing = (task.requiredFields[d.action] ?? []).filter((f) => !present(d.fields[f]));
  if (missing.length) {
    const basis = missing.includes('legalBasis');
    return {
      status: 422,
      code: basis ? 'legal_basis_required' : 'missing_fields',
      message: basis
        ? `"${d.action}" needs legalBasis: the law, regulation or rule it rests on (${task.citation})`
        : `"${d.action}" needs: ${missing.join(', ')}`,
      details: { missing, citation: task.citation },
    };
  }
  return formRefusal(task.forms?.[d.action], d.action, d.fields);
}

/** The task a rule asks for; the deadline is filled in by the calendar activity. */
export function taskFromRule(
  rule: ResolvedRule,
  taskId: string,
  assignee: Assignee,
  fallbackActions: string[],
): Omit<TaskSpec, 'deadline'> {
  return {
    taskId,
    kind: rule.key,
    assignee,
    actions: rule.actions?.length ? [...rule.actions] : fallbackActions,
    requiredFields: { ...(rule.requiredFields ?? {}) },
    citation: rule.citation,
  };
}

/** A task as the workflow holds it when judging messages on it (claim and state included). */
export interface JudgedTask extends TaskSpec {
  status: 'open' | 'closed';
  escalated: boolean;
  claimedBy?: string | null;
  outcome: Record<string, unknown> | null;
}

/**
 * Why a decision that arrived at `arrivedAt` (ms, workflow time) must be refused for its timing or
 * its claim, or null; checked around decisionRefusal. A task whose deadline decides (deemed
 * consent, js-2020:21) refuses any decision from `dueAt` on — consent has then been given by law,
 * even if the timer's consequence is not committed yet. A task a colleague has taken refuses
 * anyone else's decision.
 */
export function timingOrClaimRefusal(task: JudgedTask | undefined, d: DecisionInput, arrivedAt: number): Refusal | null {
  const due = task?.deadline;
  if (task && due?.onMissed === 'deem_consent' && !task.escalated && arrivedAt >= Date.parse(due.dueAt) && (task.status === 'open' || task.outcome?.deemed === true)) {
    return {
      status: 409,
      code: 'deadline_passed',
      message: `the deadline of task ${task.taskId} passed at ${due.dueAt}: by ${due.citation} consent has been given, no decision can be taken any more`,
      details: { dueAt: due.dueAt, dueDate: due.dueDate, citation: due.citation },
    };
  }
  if (task?.status === 'open' && task.claimedBy && task.claimedBy !== d.caller.principalId && isAssignee(task.assignee, d.caller)) {
    return { status: 409, code: 'task_claimed', message: `task ${task.taskId} is taken by ${task.claimedBy}; ask them to release or hand it over`, details: { claimedBy: task.claimedBy } };
  }
  return null;
}

export type ClaimOp = 'claim' | 'release' | 'assign';

/**
 * Why a claim, release or hand-over of `task` by `caller` must be refused, or null (then it
 * applies). Claim: an assignee takes an open task nobody else holds. Release: only its holder.
 * Assign (hand over): an assignee not blocked by a colleague's claim hands it to `to`, who must
 * hold the task's role in the same agency.
 */
export function claimRefusal(task: JudgedTask | undefined, op: ClaimOp, caller: Caller, to?: Caller): Refusal | null {
  if (!task || task.status !== 'open') return { status: 409, code: 'task_not_open', message: 'task is no longer open' };
  if (op === 'release') {
    return task.claimedBy === caller.principalId ? null : { status: 409, code: 'not_claimed_by_you', message: 'only the person who claimed the task may release it' };
  }
  if (!isAssignee(task.assignee, caller)) return { status: 403, code: 'forbidden', message: `only the assignee agency and role may ${op === 'claim' ? 'claim' : 'hand over'} this task` };
  if (task.claimedBy && task.claimedBy !== caller.principalId) {
    return { status: 409, code: 'task_claimed', message: `task is taken by ${task.claimedBy}`, details: { claimedBy: task.claimedBy } };
  }
  if (op === 'assign' && (!to || !isAssignee(task.assignee, to))) {
    return { status: 422, code: 'not_a_colleague', message: 'the task can be handed only to a colleague holding its role in the same agency', details: { principalId: to?.principalId } };
  }
  return null;
}

/**
 * A case action's fields that its process does not take (422 fields_not_taken), or null. An action
 * several processes offer (resubmit) is one route taking every process's fields: each case refuses
 * the others' rather than ignoring them.
 */
export function fieldsNotTaken(action: string, fields: Record<string, unknown>, taken: readonly string[]): Refusal | null {
  const extra = Object.keys(fields).filter((k) => fields[k] !== undefined && !taken.includes(k));
  if (!extra.length) return null;
  return { status: 422, code: 'fields_not_taken', message: `"${action}" on this case takes no field ${extra.join(', ')}`, details: { fields: extra } };
}
