// The deadline wins at dueAt, and keeps running while a case needs attention (API-2.md
// "Integrity"), on Temporal's time-skipping server with real activities and PostgreSQL: real
// deadlines, the server's clock moved to the instants that matter, workers stopped and started.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { closeDb, createDb, type Db } from '../../src/db/client';
import { findCase } from '../../src/db/repositories/cases';
import type { CaseView } from '../../src/domain/cases';
import type { Caller } from '../../src/domain/tasks';
import { CASE_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { caseQuery, decideUpdate, retryUpdate } from '../../src/workflows/kernel/messages';
import { startTimeSkippingEnv, type TimeSkippingEnv } from '../fixtures/time-skipping';
import { shareRequestInput } from '../fixtures/case-inputs';

const SECOND = 1000;
let env: TimeSkippingEnv;
let db: Db;
const taskQueue = `integrity-${randomUUID()}`;

/** A worker on the test queue, stopped by calling the returned function. */
async function runWorker(): Promise<() => Promise<void>> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: await createActivities({ db }),
    // No sticky cache: a case's next task goes to whichever worker polls (one is stopped below).
    maxCachedWorkflows: 0,
  });
  let stop: () => void = () => {};
  const done = worker.runUntil(new Promise<void>((resolve) => (stop = resolve)));
  return async () => {
    stop();
    await done;
  };
}

let stopWorker: () => Promise<void>;
beforeAll(async () => {
  env = await startTimeSkippingEnv({ searchAttributes: { ...CASE_SEARCH_ATTRIBUTES } });
  db = createDb(inject('databaseUrl'));
  stopWorker = await runWorker();
});
afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
  if (db) await closeDb(db);
});

const provider: Caller = { principalId: 'prn-provider', agencyId: 'agency-prov', roles: ['provider'], jurisdiction: 'suzhou' };
const ops: Caller = { principalId: 'prn-ops', agencyId: 'agency-ops', roles: ['operations'], jurisdiction: 'suzhou' };

async function startRequest(): Promise<WorkflowHandle> {
  const caseId = `share-request-int-${randomUUID()}`;
  const input = shareRequestInput(caseId, (await env.currentTime()).toISOString(), 'conditional');
  return env.client.workflow.start('shareRequest', { taskQueue, workflowId: caseId, args: [input] });
}

async function view(h: WorkflowHandle, until: (v: CaseView) => boolean = () => true): Promise<CaseView> {
  for (let i = 0; ; i++) {
    const v = await h.query(caseQuery);
    if (until(v) || i > 200) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const decide = (h: WorkflowHandle, action: string, fields: Record<string, unknown> = {}) =>
  h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.provider_review.1`, action, caller: provider, fields }] });

/** The refusal an update met: its code (details[0].code, see kernel/task-types.ts `refuse`). */
async function refusalOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return (err.cause.details?.[0] as { code: string }).code;
    throw err;
  }
  throw new Error('the update was not refused');
}

describe('a deadline that decides (deemed consent, js-2020:21) wins at dueAt', () => {
  it('takes a refusal one second before dueAt', async () => {
    // Received Mon 2030-12-02 10:00 Shanghai: Tue 3 = 1 … Fri 6 = 4, Mon 9 = 5 → end of 2030-12-09.
    await env.sleepUntil('2030-12-02T02:00:00Z');
    const h = await startRequest();
    const opened = await view(h, (v) => v.status === 'pending_review');
    expect(opened.deadlines[0]).toMatchObject({ dueDate: '2030-12-09', dueAt: '2030-12-09T16:00:00.000Z' });
    await env.sleepUntil(Date.parse('2030-12-09T16:00:00Z') - SECOND);
    await decide(h, 'refuse', { legalBasis: '《数据安全法》第三十八条' });
    expect(await view(h, (v) => v.status === 'rejected')).toMatchObject({ status: 'rejected', outcome: { basis: 'refused' } });
  });

  it('refuses a decision arriving at dueAt with 409 deadline_passed: consent was given by law', async () => {
    // Received Mon 2030-12-16: Tue 17 … Mon 23 = 5 → end of 2030-12-23.
    await env.sleepUntil('2030-12-16T02:00:00Z');
    const h = await startRequest();
    await view(h, (v) => v.status === 'pending_review');
    await env.sleepUntil('2030-12-23T16:00:00Z');
    expect(await refusalOf(decide(h, 'refuse', { legalBasis: '《数据安全法》第三十八条' }))).toBe('deadline_passed');
    expect(await view(h, (v) => v.status === 'granted')).toMatchObject({ status: 'granted', outcome: { basis: 'deemed_consent', citation: 'js-2020:21' } });
  });

  it('refuses a refusal that arrives after dueAt while no worker ran, before the timer’s consequence was committed (input 5)', async () => {
    // Received Mon 2031-01-06: Tue 7 … Mon 13 = 5 → end of 2031-01-13.
    await env.sleepUntil('2031-01-06T02:00:00Z');
    const h = await startRequest();
    await view(h, (v) => v.status === 'pending_review');
    // The reminder (a working day ahead) is committed while a worker runs; then the worker stops.
    await env.sleepUntil(Date.parse('2031-01-13T16:00:00Z') - 60 * SECOND);
    await stopWorker();
    try {
      // The server's clock passes dueAt: the timer fires, its workflow task waits for a worker
      // (a pending task also stops time skipping: hence only one second past dueAt).
      await env.sleepUntil(Date.parse('2031-01-13T16:00:00Z') + SECOND);
      // The refusal reaches the case together with the timer that fired meanwhile.
      const late = refusalOf(decide(h, 'refuse', { legalBasis: '《数据安全法》第三十八条' }));
      await new Promise((r) => setTimeout(r, 200));
      stopWorker = await runWorker();
      expect(await late).toBe('deadline_passed');
    } finally {
      if (!stopWorker) stopWorker = await runWorker();
    }
    const after = await view(h, (v) => v.status === 'granted');
    expect(after.outcome).toMatchObject({ basis: 'deemed_consent' });
    expect((await findCase(db, h.workflowId))!.status).toBe('granted');
  });
});

describe('a case that needs attention', () => {
  it('keeps its deadlines running: once retried after dueAt, the deemed consent takes effect at once', async () => {
    // Received Mon 2031-02-10: Tue 11 … Mon 17 = 5 → end of 2031-02-17; reminder at the end of Fri 14.
    await env.sleepUntil('2031-02-10T02:00:00Z');
    const h = await startRequest();
    await view(h, (v) => v.status === 'pending_review');
    // The reminder cannot be committed (a constraint holds its audit entry back).
    await db.execute(sql.raw(`ALTER TABLE audit_log ADD CONSTRAINT int_ts_block CHECK (case_id IS DISTINCT FROM '${h.workflowId}' OR event <> 'deadline_reminder')`));
    try {
      await env.sleepUntil('2031-02-15T00:00:00Z');
      let row = await findCase(db, h.workflowId);
      for (let i = 0; i < 100 && !row?.needsAttention; i++) {
        await new Promise((r) => setTimeout(r, 50));
        row = await findCase(db, h.workflowId);
      }
      expect(row!.needsAttention).toMatchObject({ step: 'commit: deadline_reminder' });
      await env.sleepUntil(Date.parse('2031-02-17T16:00:00Z') + 3600 * SECOND);
      expect((await findCase(db, h.workflowId))!.status).toBe('pending_review');
    } finally {
      await db.execute(sql.raw('ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS int_ts_block'));
    }
    await h.executeUpdate(retryUpdate, { args: [{ caller: ops }] });
    const after = await view(h, (v) => v.status === 'granted');
    expect(after.outcome).toMatchObject({ basis: 'deemed_consent', citation: 'js-2020:21' });
    expect(after.deadlines[0]).toMatchObject({ dueAt: '2031-02-17T16:00:00.000Z', state: 'missed' });
    expect((await findCase(db, h.workflowId))!.needsAttention).toBeNull();
  });
});
