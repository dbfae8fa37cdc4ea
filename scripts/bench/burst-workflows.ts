// The floor of the burst (scripts/bench/burst.ts): a bare workflow whose one timer is already due,
// then one no-op activity — the least a deadline's consequence can cost on the same server.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/** Sleeps until `dueAt` (ISO instant, already past: the shortest timer), then runs `noop` once. */
export async function bareDeadline(dueAt: string): Promise<void> {
  await sleep(Math.max(1, Date.parse(dueAt) - Date.now()));
  await noop();
}
