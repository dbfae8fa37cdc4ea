// Benchmark (not a test): conditional share requests through the API and their decisions, raw
// Temporal client starts of the same workflow for comparison, and inbox latency with 100,000 open
// tasks in PostgreSQL. Prints figures; asserts nothing.
//   npm run bench -- [N=200] [concurrency=16]
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/api/app';
import { createDb, migrateDb, closeDb } from '../src/db/client';
import { createWorker } from '../src/worker';
import { resolveForCase } from '../src/api/services/policies';
import { shanghaiDate } from '../src/domain/calendar';
import { decideUpdate } from '../src/workflows/kernel/messages';
import { startEmbeddedPostgres } from '../src/embedded/postgres';
import { startEmbeddedTemporal } from '../src/embedded/temporal';
import { freePort } from '../src/embedded/processes';

const N = Number(process.argv[2] ?? 200);
const C = Number(process.argv[3] ?? 16);
const INBOX_TASKS = 100_000;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Runs `n` jobs with at most `c` in flight; returns per-job latencies and the wall time. */
async function pool(n: number, c: number, job: (i: number) => Promise<void>): Promise<{ lat: number[]; wallMs: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await job(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  return { lat, wallMs: performance.now() - t0 };
}

function report(name: string, r: { lat: number[]; wallMs: number }) {
  console.log(
    `${name.padEnd(34)} ${String(r.lat.length).padStart(6)} ops  ${(r.lat.length / (r.wallMs / 1000)).toFixed(1).padStart(7)}/s  ` +
      `p50 ${fmt(pct(r.lat, 50)).padStart(9)}  p99 ${fmt(pct(r.lat, 99)).padStart(9)}`,
  );
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const dir = mkdtempSync(join(tmpdir(), 'pdg-bench-'));
  chmodSync(dir, 0o755);
  const [pgPort, tPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: pgPort });
  const temporal = await startEmbeddedTemporal({ port: tPort, logFile: join(dir, 'temporal.log') });
  const db = createDb(pg.url, 20);
  await migrateDb(db);
  const native = await NativeConnection.connect({ address: temporal.address });
  const taskQueue = 'bench';
  const worker = await createWorker({ connection: native, taskQueue, db });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const adminToken = randomUUID();
  // Throughput, not the limits, is measured here.
  const app = await buildApp({ db, temporal: client, taskQueue, adminToken, limits: { requestsPerSecond: 1_000_000, caseCreationsPerHour: 1_000_000 } });
  await app.listen({ port: apiPort, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${apiPort}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<any> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  await call('POST', '/v1/agencies', adminToken, { id: 'req', name: 'requester', jurisdiction: 'suzhou' });
  await call('POST', '/v1/agencies', adminToken, { id: 'prov', name: 'provider', jurisdiction: 'suzhou' });
  const requester = await call('POST', '/v1/principals', adminToken, { name: 'r', agencyId: 'req', roles: ['requester'] });
  const provider = await call('POST', '/v1/principals', adminToken, { name: 'p', agencyId: 'prov', roles: ['provider'] });
  await call('POST', '/v1/datasets', adminToken, {
    id: 'ds',
    name: 'bench data',
    providerAgencyId: 'prov',
    shareClass: 'conditional',
    openClass: 'none',
    legalBasis: 'bench',
    fields: ['a', 'b'],
  });
  const body = { datasetId: 'ds', purpose: 'bench', scenario: 'bench', legalDuty: 'bench', accessMode: 'api', commitment: true };
  // Warm-up: bundle, connections, JIT.
  for (let i = 0; i < 5; i++) await call('POST', '/v1/share-requests', requester.token, body);

  console.log(`\nN=${N}, concurrency ${C}, 2 cores; Temporal dev server (SQLite in memory), embedded PostgreSQL\n`);
  const caseIds: string[] = [];
  report('API: POST /v1/share-requests', await pool(N, C, async () => {
    caseIds.push((await call('POST', '/v1/share-requests', requester.token, body)).caseId);
  }));

  const taskIds: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: { taskId: string; caseId: string }[]; nextCursor: string | null } = await call('GET', `/v1/inbox?limit=200${cursor ? `&cursor=${cursor}` : ''}`, provider.token);
    const mine = new Set(caseIds);
    taskIds.push(...page.items.filter((t) => mine.has(t.caseId)).map((t) => t.taskId));
    cursor = page.nextCursor;
  }
  report('API: POST /v1/tasks/:id/decision', await pool(taskIds.length, C, async (i) => {
    await call('POST', `/v1/tasks/${encodeURIComponent(taskIds[i]!)}/decision`, provider.token, { action: 'approve' });
  }));

  // The same workflow started and decided straight through the Temporal client (no HTTP, no checks).
  const policy = await resolveForCase(db, 'suzhou', 'share-request', shanghaiDate(new Date().toISOString()));
  const raw: string[] = [];
  report('Temporal: client.workflow.start', await pool(N, C, async () => {
    const caseId = `share-request-raw-${randomUUID()}`;
    raw.push(caseId);
    await client.workflow.start('shareRequest', {
      taskQueue,
      workflowId: caseId,
      args: [
        {
          version: 1,
          caseId,
          receivedAt: new Date().toISOString(),
          receivedVia: 'api',
          createdBy: requester.id,
          jurisdiction: 'suzhou',
          policy,
          requester: { principalId: requester.id, agencyId: 'req' },
          dataset: { id: 'ds', name: 'bench data', providerAgencyId: 'prov', jurisdiction: 'suzhou', shareClass: 'conditional', legalBasis: 'bench', fields: ['a', 'b'] },
          request: body,
        },
      ],
    });
  }));
  // Let the raw cases open their tasks before deciding them.
  for (let i = 0; i < 600; i++) {
    const [{ n }] = (await db.execute(sql`SELECT count(*)::int AS n FROM tasks WHERE case_id LIKE 'share-request-raw-%' AND status = 'open'`)).rows as { n: number }[];
    if (n >= raw.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const caller = { principalId: provider.id, agencyId: 'prov', roles: ['provider'], jurisdiction: 'suzhou' };
  report('Temporal: executeUpdate(decide)', await pool(raw.length, C, async (i) => {
    await client.workflow.getHandle(raw[i]!).executeUpdate(decideUpdate, {
      args: [{ taskId: `${raw[i]}.provider_review.1`, action: 'approve', caller, fields: {} }],
    });
  }));

  // Inbox with 100,000 open tasks: 1,000 agencies × 100 tasks, the provider's own agency among them.
  await db.execute(sql`
    INSERT INTO tasks (task_id, case_id, case_type, kind, assignee_agency_id, assignee_role, assignee_jurisdiction, status,
                       actions, required_fields, citation, due_date, due_at, remind_at, revision, opened_at)
    SELECT 'bulk-' || g, 'bulk-case-' || g, 'share-request', 'provider_review',
           CASE WHEN g % 1000 = 0 THEN 'prov' ELSE 'agency-' || (g % 1000) END, 'provider', 'suzhou', 'open',
           ARRAY['approve','refuse'], '{"refuse":["legalBasis"]}'::jsonb, 'js-2020:21', '2026-12-01',
           now() + (g % 720) * interval '1 hour', now() + (g % 720) * interval '1 hour' - interval '1 day', 1, now()
    FROM generate_series(1, ${INBOX_TASKS}) AS g`);
  await db.execute(sql`ANALYZE tasks`);
  const [{ n: total }] = (await db.execute(sql`SELECT count(*)::int AS n FROM tasks WHERE status = 'open'`)).rows as { n: number }[];
  console.log(`\ninbox with ${total} open tasks in PostgreSQL (${INBOX_TASKS / 1000} per agency):`);
  report('API: GET /v1/inbox?limit=50', await pool(300, 4, async () => {
    await call('GET', '/v1/inbox?limit=50', provider.token);
  }));
  report('API: GET /v1/inbox?overdue=false', await pool(300, 4, async () => {
    await call('GET', '/v1/inbox?limit=50&overdue=false', provider.token);
  }));

  await app.close();
  worker.shutdown();
  await running;
  await connection.close();
  await native.close();
  await closeDb(db);
  await temporal.stop();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
