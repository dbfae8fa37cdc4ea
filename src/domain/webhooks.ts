// Webhooks of agency systems (API-2.md "Agency systems"): which events exist, which ones a case
// transition causes, and how the subscription's dispatcher retries. Pure: shared by the
// transition activity (the outbox), the dispatcher workflow and the API.
import type { TransitionInput } from './transition';

export const WEBHOOK_EVENTS = ['case.created', 'case.status_changed', 'task.opened', 'task.due_soon', 'task.overdue'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** An event a transition causes, before it is fanned out to the subscriptions that want it. */
export interface OutboxEvent {
  /** Unique per event: with the subscription id it makes the `webhook-id`. */
  key: string;
  type: WebhookEvent;
  caseId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What the projection held before the transition (null: the case's first commit). */
export interface CaseBefore {
  status: string;
  revision: number;
}

/**
 * The events of a transition: `case.created` on the first commit, `case.status_changed` when the
 * status moves, `task.opened` for each open task not yet in the inbox, `task.due_soon` for a
 * deadline reminder and `task.overdue` for a missed deadline (kernel/task-kernel.ts audits both).
 * None when the projection already has this revision (a retried, already committed attempt).
 */
export function transitionEvents(t: TransitionInput, before: CaseBefore | null, knownTaskIds: ReadonlySet<string>, now: string): OutboxEvent[] {
  if (before && before.revision >= t.revision) return [];
  const p = t.projection;
  const at = t.audit[0]?.at ?? now;
  const base = { caseId: p.caseId, caseType: p.type, status: p.status };
  const out: OutboxEvent[] = [];
  if (!before) out.push({ key: `${p.caseId}:case.created`, type: 'case.created', caseId: p.caseId, occurredAt: p.receivedAt, data: { ...base, receivedAt: p.receivedAt } });
  else if (before.status !== p.status) {
    out.push({ key: `${p.caseId}:status:${t.revision}`, type: 'case.status_changed', caseId: p.caseId, occurredAt: at, data: { ...base, previousStatus: before.status } });
  }
  for (const task of t.tasks) {
    if (task.status !== 'open' || knownTaskIds.has(task.taskId)) continue;
    out.push({
      key: `${task.taskId}:opened`,
      type: 'task.opened',
      caseId: p.caseId,
      occurredAt: task.openedAt,
      data: { ...base, taskId: task.taskId, kind: task.kind, assignee: task.assignee, dueAt: task.deadline?.dueAt ?? null, citation: task.citation },
    });
  }
  for (const e of t.audit) {
    const type = e.event === 'deadline_reminder' ? 'task.due_soon' : e.event === 'deadline_missed' ? 'task.overdue' : null;
    if (!type) continue;
    const detail = e.detail as { taskId?: string; dueAt?: string };
    out.push({ key: `${e.eventKey}:${type}`, type, caseId: p.caseId, occurredAt: e.at, data: { ...base, taskId: detail.taskId ?? null, dueAt: detail.dueAt ?? null, citation: e.citation } });
  }
  return out;
}

/**
 * How a subscription's dispatcher delivers (workflows/platform/webhook-dispatcher.ts). Each
 * delivery is one activity whose retry policy runs for `retryForMs` (at least 24 hours in the
 * product) with exponential backoff; an attempt waits `attemptTimeoutMs` for the receiver.
 */
export interface DispatchTuning {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  retryForMs: number;
  attemptTimeoutMs: number;
  /** How often an idle dispatcher looks at the outbox without being told (a lost signal only delays). */
  pollMs: number;
}

export const DEFAULT_DISPATCH: DispatchTuning = {
  initialIntervalMs: 10_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 3_600_000,
  // 25 hours: "at least 24 hours", with room for the last attempt.
  retryForMs: 25 * 3_600_000,
  attemptTimeoutMs: 10_000,
  pollMs: 60_000,
};

/** The dispatcher of a subscription: one workflow per subscription, its id from the subscription's. */
export const dispatcherWorkflowId = (subscriptionId: string) => `webhook-dispatcher:${subscriptionId}`;
export const DISPATCHER_WORKFLOW_TYPE = 'webhookDispatcher';
export const WEBHOOK_PENDING_SIGNAL = 'webhookPending';
