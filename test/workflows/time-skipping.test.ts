// Proves the time-skipping test server: timers of days fire in milliseconds of wall time, exactly
// when due (never early), and server time can be moved to a chosen calendar date.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { startTimeSkippingEnv, type TimeSkippingEnv } from '../fixtures/time-skipping';
import {
  replyOrDeadline,
  replyQuery,
  replySignal,
  replyUpdate,
  sleepUntilInstant,
} from './fixtures/timer-workflows';

const SECOND = 1_000;
const DAY = 86_400_000;
/** Real time a workflow task may take (the timer starts when the task completes, not when it starts). */
const TASK_LATENCY = 5 * SECOND;

// Registered at start (see startTimeSkippingEnv): the test server rejects undeclared attributes.
const nextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let env: TimeSkippingEnv;
const taskQueue = `time-skipping-${randomUUID()}`;
let stopWorker: () => void = () => {};
let workerDone: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  env = await startTimeSkippingEnv({ searchAttributes: { CaseStatus: 'Keyword', NextDeadline: 'Datetime' } });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/timer-workflows.ts', import.meta.url)),
  });
  // One worker for the whole file: it runs until afterAll releases it.
  workerDone = worker.runUntil(new Promise<void>((resolve) => (stopWorker = resolve)));
});

afterAll(async () => {
  stopWorker();
  try {
    await workerDone;
  } finally {
    await env?.teardown();
  }
});

function workflowId(name: string): string {
  return `${name}-${randomUUID()}`;
}

async function history(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** Waits (in real time; server time is locked meanwhile) until the workflow has started a timer. */
async function timerStarted(handle: WorkflowHandle): Promise<HistoryEvent> {
  const until = Date.now() + 10 * SECOND;
  for (;;) {
    const started = (await history(handle)).find((e) => e.timerStartedEventAttributes);
    if (started) return started;
    if (Date.now() > until) throw new Error(`workflow ${handle.workflowId} started no timer`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('time-skipping test server', () => {
  it('fires a 5-day timer at its instant, not a second before, in little wall time', async () => {
    const wallStart = Date.now();
    const dueAt = (await env.currentTime()).getTime() + 5 * DAY;
    const handle = await env.client.workflow.start(sleepUntilInstant, {
      taskQueue,
      workflowId: workflowId('sleep-until'),
      args: [{ until: new Date(dueAt).toISOString() }],
    });
    await timerStarted(handle);

    await env.sleepUntil(dueAt - SECOND);
    const justBefore = (await env.currentTime()).getTime();
    expect(justBefore).toBeGreaterThanOrEqual(dueAt - SECOND);
    expect(justBefore).toBeLessThan(dueAt);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await history(handle)).some((e) => e.timerFiredEventAttributes)).toBe(false);

    // Awaiting the result unlocks time skipping: the server jumps to the timer.
    const { startedAt, wokeAt } = await handle.result();
    const fired = (await history(handle)).find((e) => e.timerFiredEventAttributes);
    const firedAt = tsToMs(fired?.eventTime);
    expect(firedAt).toBeGreaterThanOrEqual(dueAt);
    expect(firedAt - dueAt).toBeLessThan(TASK_LATENCY);
    expect(wokeAt).toBeGreaterThanOrEqual(dueAt);
    expect(wokeAt - startedAt).toBeGreaterThan(5 * DAY - TASK_LATENCY);
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(dueAt);
    expect(Date.now() - wallStart).toBeLessThan(15 * SECOND);
  });

  it('runs the deadline to its end when no reply comes (condition loses the race)', async () => {
    const deadline = (await env.currentTime()).getTime() + 5 * DAY;
    const result = await env.client.workflow.execute(replyOrDeadline, {
      taskQueue,
      workflowId: workflowId('deadline'),
      args: [{ deadline: new Date(deadline).toISOString() }],
    });
    expect(result.outcome).toBe('deadline');
    expect(result.at).toBeGreaterThanOrEqual(deadline);
    expect(result.at - deadline).toBeLessThan(TASK_LATENCY);
  });

  it('lets a signal on day 2 win the race against the 5-day deadline', async () => {
    const start = (await env.currentTime()).getTime();
    const handle = await env.client.workflow.start(replyOrDeadline, {
      taskQueue,
      workflowId: workflowId('signal'),
      args: [{ deadline: new Date(start + 5 * DAY).toISOString() }],
    });
    await timerStarted(handle);
    await env.sleep('2 days');
    await handle.signal(replySignal, 'agree');
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'replied', reply: 'agree' });
    expect(result.at - start).toBeGreaterThanOrEqual(2 * DAY);
    expect(result.at - start).toBeLessThan(2 * DAY + TASK_LATENCY);
  });

  it('accepts a Workflow Update (executeUpdate) on the test server', async () => {
    const start = (await env.currentTime()).getTime();
    const handle = await env.client.workflow.start(replyOrDeadline, {
      taskQueue,
      workflowId: workflowId('update'),
      args: [{ deadline: new Date(start + 5 * DAY).toISOString() }],
    });
    await timerStarted(handle);
    await env.sleep('1 day');
    const { acceptedAt } = await handle.executeUpdate(replyUpdate, { args: ['object'] });
    expect(acceptedAt - start).toBeGreaterThanOrEqual(DAY);
    expect(acceptedAt - start).toBeLessThan(DAY + TASK_LATENCY);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'replied', reply: 'object' });
    expect(result.at).toBeGreaterThanOrEqual(acceptedAt);
    expect(await handle.query(replyQuery)).toBe('object');
  });

  it('moves server time to a chosen calendar date, where new workflows then start', async () => {
    // 30 September of next year, 02:00 UTC (a fixed year would become the past one day; the
    // server clock starts at the real time and only moves forward).
    const now = (await env.currentTime()).getTime();
    const year = new Date(now).getUTCFullYear() + 1;
    const target = Date.UTC(year, 8, 30, 2);
    const wakeAt = Date.UTC(year, 9, 8);

    await env.sleepUntil(target);
    const arrived = (await env.currentTime()).getTime();
    expect(arrived).toBeGreaterThanOrEqual(target);
    expect(arrived - target).toBeLessThan(SECOND);

    const handle = await env.client.workflow.start(sleepUntilInstant, {
      taskQueue,
      workflowId: workflowId('calendar'),
      args: [{ until: new Date(wakeAt).toISOString() }],
      typedSearchAttributes: [{ key: nextDeadline, value: new Date(wakeAt) }],
    });
    const { startedAt, wokeAt } = await handle.result();
    expect(new Date(startedAt).toISOString().slice(0, 10)).toBe(`${year}-09-30`);
    const described = await handle.describe();
    expect(described.startTime.toISOString().slice(0, 10)).toBe(`${year}-09-30`);
    expect(described.typedSearchAttributes.get(nextDeadline)?.getTime()).toBe(wakeAt);
    expect(wokeAt).toBeGreaterThanOrEqual(wakeAt);
  });
});
