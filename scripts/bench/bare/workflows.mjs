// The floor's workflow for scripts/bench/memory.ts: one activity, then a timer of a day — a case
// waiting for a person, with nothing of the product's in it.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { opened } = proxyActivities({ startToCloseTimeout: '1 minute' });

/** Reports that it is running, then waits a day. */
export async function bareWaiting() {
  await opened();
  await sleep('1 day');
}
