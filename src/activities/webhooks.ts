// Delivery of the webhook outbox (API-2.md "Agency systems"), run by each subscription's
// dispatcher workflow (workflows/platform/webhook-dispatcher.ts).
//
// Why a Temporal workflow per subscription rather than a loop polling the database: the retry
// policy (≥ 24 h, exponential backoff) is Temporal's, durable across kill -9 of the worker, the
// API or PostgreSQL; the dispatcher awaits one delivery at a time, so rows go out in outbox order
// (per subscription, hence per case and subscription); and no process needs a lease or a lock to
// be the one that delivers. The database stays the truth: the outbox row is written with the
// transition, marked delivered by the attempt that got a 2xx, and a dispatcher that was never told
// (a signal lost in a crash) finds the row on its next poll.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../db/client';
import type { WebhookSettings } from '../config';
import { findDelivery, findSubscription, markFailed, pendingDeliveries, recordAttempt, startAttempt } from '../db/repositories/webhooks';
import { DEFAULT_DISPATCH, DISPATCHER_WORKFLOW_TYPE, dispatcherWorkflowId, WEBHOOK_PENDING_SIGNAL, type DispatchTuning } from '../domain/webhooks';
import { postWebhook, RESPONSE_KEPT_BYTES } from '../webhooks/post';
import { TargetRefused } from '../webhooks/targets';

export interface WebhookDeps {
  db: Db;
  webhooks?: WebhookSettings;
}

export const dispatchTuning = (s?: WebhookSettings): DispatchTuning => ({ ...DEFAULT_DISPATCH, ...s?.dispatch });

/** The input of a subscription's dispatcher. */
export interface DispatcherInput {
  subscriptionId: string;
  tuning: DispatchTuning;
}

interface Signaller {
  workflow: {
    signalWithStart(type: string, opts: { workflowId: string; taskQueue: string; args: unknown[]; signal: string; signalArgs: unknown[] }): Promise<unknown>;
  };
}

/**
 * Tells the dispatchers of `subscriptionIds` that rows wait (starting any that does not run).
 * Best effort: the rows are committed already, and a dispatcher not told finds them when it polls.
 */
export async function wakeDispatchers(client: Signaller, taskQueue: string, subscriptionIds: string[], s?: WebhookSettings): Promise<void> {
  await Promise.all(
    subscriptionIds.map((id) =>
      client.workflow
        .signalWithStart(DISPATCHER_WORKFLOW_TYPE, {
          workflowId: dispatcherWorkflowId(id),
          taskQueue,
          args: [{ subscriptionId: id, tuning: dispatchTuning(s) } satisfies DispatcherInput],
          signal: WEBHOOK_PENDING_SIGNAL,
          signalArgs: [],
        })
        .catch(() => undefined),
    ),
  );
}

/** From inside an activity: the worker's own client and task queue. */
export async function wakeDispatchersFromActivity(subscriptionIds: string[], s?: WebhookSettings): Promise<void> {
  if (!subscriptionIds.length) return;
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return; // called outside an activity (a test of the transaction alone): the dispatchers poll
  }
  await wakeDispatchers(ctx.client as unknown as Signaller, ctx.info.taskQueue, subscriptionIds, s);
}

export function webhookActivities({ db, webhooks }: WebhookDeps) {
  const settings: WebhookSettings = webhooks ?? { allowLoopback: false };
  return {
    async pendingWebhookDeliveries(q: { subscriptionId: string; limit: number }): Promise<{ gone: boolean; ids: string[] }> {
      return pendingDeliveries(db, q.subscriptionId, q.limit);
    },

    /**
     * One attempt at a delivery: signed now (a fresh `webhook-timestamp`) under the row's id (the
     * same `webhook-id` on every attempt). A 2xx marks the row delivered; any other answer or a
     * network error is thrown for Temporal to retry with backoff; a refused target is not retried.
     */
    async deliverWebhook(q: { deliveryId: string; attemptTimeoutMs: number }): Promise<'delivered' | 'skipped'> {
      const row = await findDelivery(db, q.deliveryId);
      if (!row || row.status === 'delivered') return 'skipped';
      const sub = await findSubscription(db, row.subscriptionId);
      if (!sub || sub.deletedAt) return 'skipped';
      const body = JSON.stringify({ type: row.type, timestamp: row.occurredAt.toISOString(), data: row.data });
      const at = new Date();
      if (!(await startAttempt(db, row.id, at))) return 'skipped';
      const signature = new Webhook(sub.secret).sign(row.id, at, body);
      const headers = { 'webhook-id': row.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
      let answer: { status: number; body: string };
      try {
        answer = await postWebhook(sub.url, headers, body, { timeoutMs: q.attemptTimeoutMs, settings });
      } catch (err) {
        const message = String((err as Error).message ?? err).slice(0, RESPONSE_KEPT_BYTES);
        await recordAttempt(db, row.id, { status: null, error: message, response: null, delivered: false, at });
        if (err instanceof TargetRefused || (err as Error).name === 'TargetRefused') throw ApplicationFailure.nonRetryable(message, 'WebhookTargetRefused');
        throw ApplicationFailure.retryable(message, 'WebhookAttemptFailed');
      }
      const ok = answer.status >= 200 && answer.status < 300;
      await recordAttempt(db, row.id, { status: answer.status, error: ok ? null : `the receiver answered ${answer.status}`, response: answer.body, delivered: ok, at });
      if (!ok) throw ApplicationFailure.retryable(`the receiver answered ${answer.status}`, 'WebhookNotAccepted');
      return 'delivered';
    },

    /** The retries of a delivery ran out: it is logged as failed, for a replay. */
    async failWebhookDelivery(q: { deliveryId: string; reason: string }): Promise<void> {
      await markFailed(db, q.deliveryId, q.reason);
    },
  };
}

export type WebhookActivities = ReturnType<typeof webhookActivities>;
