// The dispatcher of one webhook subscription (workflow id from the subscription's, see
// domain/webhooks.ts): delivers the subscription's outbox rows one at a time, in outbox order, each
// with an activity retried with exponential backoff for at least 24 hours (the same row, so the
// same `webhook-id`, on every attempt). Told of new rows by a signal from the transition activity;
// polls too, so a signal lost in a crash only delays. Ends when the subscription is deleted;
// continues as new when its history grows. Why a workflow and not a database loop: see
// activities/webhooks.ts.
import { ActivityFailure, condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DispatcherInput, WebhookActivities } from '../../activities/webhooks';
import { WEBHOOK_PENDING_SIGNAL } from '../../domain/webhooks';

export const webhookPendingSignal = defineSignal(WEBHOOK_PENDING_SIGNAL);

const BATCH = 20;
/** Rounds before continuing as new even if the server has not suggested it yet. */
const ROUNDS = 500;

const store = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function webhookDispatcher(input: DispatcherInput): Promise<void> {
  const { subscriptionId, tuning } = input;
  let woken = false;
  setHandler(webhookPendingSignal, () => {
    woken = true;
  });
  const sender = proxyActivities<WebhookActivities>({
    // An attempt that hangs (a worker killed mid-delivery) is given up after this and tried again.
    startToCloseTimeout: tuning.attemptTimeoutMs + 5_000,
    scheduleToCloseTimeout: tuning.retryForMs,
    retry: {
      initialInterval: tuning.initialIntervalMs,
      backoffCoefficient: tuning.backoffCoefficient,
      maximumInterval: tuning.maximumIntervalMs,
      nonRetryableErrorTypes: ['WebhookTargetRefused'],
    },
  });
  for (let round = 0; round < ROUNDS; round++) {
    woken = false;
    const next = await store.pendingWebhookDeliveries({ subscriptionId, limit: BATCH });
    if (next.gone) return;
    for (const deliveryId of next.ids) {
      try {
        await sender.deliverWebhook({ deliveryId, attemptTimeoutMs: tuning.attemptTimeoutMs });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        // The retries ran out (or the target is refused): logged as failed, replayable; the next row goes on.
        await store.failWebhookDelivery({ deliveryId, reason: err.cause?.message ?? err.message });
      }
      if (workflowInfo().continueAsNewSuggested) break;
    }
    if (workflowInfo().continueAsNewSuggested) break;
    if (!next.ids.length) await condition(() => woken, tuning.pollMs);
  }
  await continueAsNew<typeof webhookDispatcher>(input);
}
