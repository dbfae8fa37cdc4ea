// The 16:00 burst (issue 17): every statutory deadline of a day falls due at 24:00 Shanghai, so
// thousands of consequences are due in the same second. `n` conditional share requests whose
// provider review (js-2020:21, 5 working days, then deemed consent) is long past are started while
// no worker polls their task queue; at T0 a worker starts polling and we time until every deemed
// consent's grant is committed in PostgreSQL, and GET /v1/inbox meanwhile (c=2). The floor: the
// same number of bare workflows (a timer already due + a no-op activity) on the same server.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DEFAULT_WORKER_TUNING } from '../../src/config';
import { createWorker } from '../../src/worker';
import type { Stack } from './stack';
import { shareRequestFixture } from './share-request';
import { ms, pct, pool, type BenchRow } from './table';

const RECEIVED = '2026-11-02T02:00:00.000Z'; // a Monday, long enough ago for 5 working days to have passed
const TARGET_S = 10;

/** Polls `count()` every 50 ms until it reaches `n`; resolves with the seconds since `t0` (ms, performance.now()). */
async function until(n: number, count: () => Promise<number>, t0: number, limitS = 600): Promise<number> {
  for (;;) {
    if ((await count()) >= n) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > limitS * 1000) throw new Error(`burst: not done after ${limitS} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Options: `n` cases (the issue's 2,000); `c` concurrent starts before T0. */
export async function burst(s: Stack, { n = 2000, c = 16 }: { n?: number; c?: number } = {}): Promise<BenchRow[]> {
  const { call, db, client } = s;
  const f = await shareRequestFixture(s, 'burst', RECEIVED);
  const native = await NativeConnection.connect({ address: s.temporalAddress });
  const run = randomUUID().slice(0, 8);

  try {
    // Floor: bare workflows on their own queue, started while nothing polls it.
    const floorQueue = `burst-floor-${run}`;
    let done = 0;
    const floorWorker = await Worker.create({
      connection: native,
      taskQueue: floorQueue,
      workflowsPath: fileURLToPath(new URL('./burst-workflows.ts', import.meta.url)),
      activities: { noop: async () => void done++ },
    });
    await pool(n, c, async (i) => {
      await client.workflow.start('bareDeadline', { taskQueue: floorQueue, workflowId: `burst-floor-${run}-${i}`, args: [RECEIVED] });
    });
    let t0 = performance.now();
    const floorRun = floorWorker.run();
    const floorS = await until(n, async () => done, t0);
    floorWorker.shutdown();
    await floorRun;

    // The product: the same number of share requests, their deemed consent due at T0.
    const queue = `burst-${run}`;
    const worker = await createWorker({ connection: native, taskQueue: queue, db, tuning: DEFAULT_WORKER_TUNING });
    await pool(n, c, async (i) => {
      const caseId = `share-request-burst-${run}-${i}`;
      await client.workflow.start('shareRequest', { taskQueue: queue, workflowId: caseId, args: [f.input(caseId, RECEIVED)] });
    });
    const granted = async () => {
      const [{ k }] = (await db.execute(sql`SELECT count(*)::int AS k FROM access_grants WHERE case_id LIKE ${`share-request-burst-${run}-%`} AND basis = 'deemed_consent'`)).rows as { k: number }[];
      return k;
    };
    t0 = performance.now();
    const running = worker.run();
    let over = false;
    const inbox: number[] = [];
    const reading = Promise.all(
      [0, 1].map(async () => {
        while (!over) {
          const t = performance.now();
          await call('GET', '/v1/inbox?limit=50', f.provider.token);
          inbox.push(performance.now() - t);
        }
      }),
    );
    const productS = await until(n, granted, t0);
    over = true;
    await reading;
    worker.shutdown();
    await running;

    return [
      {
        measure: `burst: ${n.toLocaleString('en-US')} deemed consents due at one instant, worker starts at T0`,
        figure: `${productS.toFixed(1)} s (${(productS / floorS).toFixed(1)} × floor)`,
        floor: `bare workflow (due timer + no-op activity): ${floorS.toFixed(1)} s`,
        target: `≤ ${TARGET_S} s`,
        met: productS <= TARGET_S,
      },
      {
        measure: `GET /v1/inbox?limit=50 during the burst, c=2`,
        figure: `n=${inbox.length}, p50 ${ms(pct(inbox, 50))}, p99 ${ms(pct(inbox, 99))}`,
        floor: '—',
        target: '—',
      },
    ];
  } finally {
    await native.close();
  }
}
