// What a task request and its result are, and the small pure helpers the kernel uses to show a
// task and its deadline (split from task-kernel.ts, which holds the waiting itself).
import { ApplicationFailure } from '@temporalio/workflow';
import type { TaskState } from '../../domain/transition';
import type { DeadlineView } from '../../domain/cases';
import type { Assignee, Caller, DecisionInput, Refusal } from '../../domain/tasks';
import type { AuditEvent } from './case-record';

export interface TaskRequest {
  /** Deadline key on the case (e.g. provider_review) and the task's kind. */
  kind: string;
  assignee: Assignee;
  actions: string[];
  requiredFields: Record<string, string[]>;
  /** Fields an action also takes besides its required ones and the common ones (domain/decision-forms.ts). */
  optionalFields?: Record<string, string[]>;
  citation: string;
  /** Case status while the task is open. */
  status: string;
  /** Events recorded with the opening (e.g. the submission that led to the task). */
  events?: AuditEvent[];
  /** Stored documents the opening makes part of the case (e.g. the materials of the submission). */
  documents?: string[];
  /** A process's own pure check of a decision (e.g. the form of a field), after the kernel's. */
  check?: (d: DecisionInput) => Refusal | null;
  /** What the assignee needs to see on the task beside the case (e.g. a review's conflicts); shown as the task's own fields. */
  context?: Record<string, unknown>;
  /**
   * The period: N working days of the official calendar (read by an activity) or N hours on the
   * clock (computed here: it needs no calendar). Either way a durable timer waits for `dueAt`.
   */
  deadline?: {
    from: string;
    onMissed: 'deem_consent' | 'escalate';
    citation: string;
    /** The case's deadline key when not the task's kind: two tasks of one kind running at once (a report to two departments). */
    key?: string;
  } & (
    | { workingDays: number; hours?: undefined }
    | { hours: number; workingDays?: undefined }
  );
}

export type TaskResult =
  | { kind: 'decided'; action: string; fields: Record<string, unknown>; by: Caller }
  | { kind: 'deemed' };

/** Thrown from validators and handlers: the API turns `details[0].status` into the HTTP status. */
export function refuse(r: Refusal): never {
  throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

/**
 * A copy of a task's field lists (`requiredFields`, `optionalFields`: action → field names), so
 * that a task's state never shares the lists of a domain template (e.g. RECHECK_TASK): preloaded
 * modules' exports are frozen (src/temporal/workflow-bundle.mjs) and stay the same for every case.
 * Same keys, order and names: what the task publishes and records does not change.
 */
export function copyFieldLists(lists: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(lists).map(([action, names]) => [action, [...names]]));
}

/** The key of a task's deadline on the case: its own when given, else the task's kind. */
export function deadlineKey(t: TaskState): string {
  return t.deadline?.key ?? t.kind;
}

export function deadlineView(t: TaskState): DeadlineView {
  const d = t.deadline!;
  const shown = { receivedDate: d.receivedDate, dueDate: d.dueDate, dueAt: d.dueAt, provisional: d.provisional, citation: d.citation, state: 'running' as const };
  return d.unit === 'hours'
    ? { key: deadlineKey(t), from: d.from, unit: 'hours', hours: d.hours, ...shown }
    : { key: deadlineKey(t), from: d.from, unit: 'working_days', workingDays: d.workingDays, ...shown };
}

export function taskDetail(t: TaskState) {
  return { taskId: t.taskId, kind: t.kind, assignee: t.assignee, actions: t.actions, dueDate: t.deadline?.dueDate ?? null, dueAt: t.deadline?.dueAt ?? null, provisional: t.deadline?.provisional ?? false };
}
