// Benchmark (not a test): the timeliness report (GET /v1/reports/timeliness, API-2.md) over
// 1,000,000 cases and their tasks in the embedded PostgreSQL, beside a raw floor — a count of the
// same rows. Only PostgreSQL runs: the report reads the projections, never Temporal.
//   npm run bench:report -- [cases=1000000] [runs=30]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/api/app';
import { timelinessReport, timelinessSql } from '../src/db/repositories/supervision';
import { closeDb, createDb, migrateDb } from '../src/db/client';
import { startEmbeddedPostgres } from '../src/embedded/postgres';
import { freePort } from '../src/embedded/processes';

const CASES = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 30);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function time(name: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm the cache and the plan
  const lat: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    lat.push(performance.now() - t);
  }
  console.log(`${name.padEnd(62)} p50 ${pct(lat, 50).toFixed(1).padStart(8)} ms  p99 ${pct(lat, 99).toFixed(1).padStart(8)} ms`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pdg-bench-report-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort() });
  const db = createDb(pg.url, 4);
  try {
    await migrateDb(db);
    const t0 = performance.now();
    // 1,000,000 cases over 2026–2027 in the seven jurisdictions, 2,000 provider agencies, four
    // case types; 80 % decided (on time, late, deemed, refused), the rest open, some overdue.
    await db.execute(sql`
      INSERT INTO cases (case_id, type, status, jurisdiction, provider_agency_id, created_by, revision, view, received_at,
                         decided_at, outcome_basis, working_days_to_decision, overdue, next_due_at)
      SELECT 'bench-' || g,
             (ARRAY['share-request','share-demand','open-data-application','objection'])[1 + g % 4],
             CASE WHEN g % 5 = 0 THEN 'pending_review' ELSE 'closed' END,
             (ARRAY['jiangsu','suzhou','suzhou-sip','taizhou','taizhou-jiangyan','shanghai','shanghai-chongming'])[1 + g % 7],
             'agency-' || (g % 2000), 'bench', 1, '{}'::jsonb,
             timestamptz '2026-01-01 00:00+08' + (g % 730) * interval '1 day' + (g % 86400) * interval '1 second',
             CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2026-01-01 00:00+08' + (g % 730 + g % 9) * interval '1 day' END,
             CASE WHEN g % 5 = 0 THEN NULL WHEN g % 11 = 0 THEN 'deemed_consent' WHEN g % 7 = 0 THEN 'refused' ELSE 'approved' END,
             CASE WHEN g % 5 = 0 THEN NULL ELSE g % 9 END,
             g % 13 = 0,
             CASE WHEN g % 5 = 0 THEN timestamptz '2026-01-08 00:00+08' + (g % 730) * interval '1 day' END
      FROM generate_series(1, ${CASES}) AS g`);
    // One task per case: closed for decided cases, open (due in the past or the future) for the rest.
    await db.execute(sql`
      INSERT INTO tasks (task_id, case_id, case_type, kind, assignee_agency_id, assignee_role, assignee_jurisdiction, status,
                         actions, required_fields, citation, due_at, revision, opened_at, closed_at)
      SELECT c.case_id || '.review.1', c.case_id, c.type, 'review', c.provider_agency_id, 'provider', c.jurisdiction,
             CASE WHEN c.decided_at IS NULL THEN 'open' ELSE 'closed' END, ARRAY['approve','refuse'], '{}'::jsonb, 'js-2020:21',
             c.received_at + interval '7 days', 1, c.received_at, c.decided_at
      FROM cases c WHERE c.case_id LIKE 'bench-%'`);
    // 好差评 on one decided case in ten.
    await db.execute(sql`
      INSERT INTO case_evaluations (case_id, rating, principal_id)
      SELECT case_id, 1 + (hashtext(case_id) & 3) + (hashtext(case_id) >> 30 & 1), 'bench' FROM cases
      WHERE decided_at IS NOT NULL AND case_id LIKE 'bench-%' AND hashtext(case_id) % 10 = 0`);
    await db.execute(sql`VACUUM ANALYZE cases`);
    await db.execute(sql`VACUUM ANALYZE tasks`);
    await db.execute(sql`VACUUM ANALYZE case_evaluations`);
    const counts = (await db.execute(sql`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM case_evaluations)::int AS evaluations`)).rows[0];
    console.log(`loaded ${JSON.stringify(counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    // The API as deployed, without Temporal: the report never calls it (a lazy client that never connects).
    const adminToken = randomUUID();
    const app = await buildApp({ db, temporal: new Client(), taskQueue: 'bench', adminToken, limits: { requestsPerSecond: 1_000_000, caseCreationsPerHour: 1_000_000 } });
    const report = (q: string, accept = 'application/json') => async () => {
      const res = await app.inject({ method: 'GET', url: `/v1/reports/timeliness?${q}`, headers: { authorization: `Bearer ${adminToken}`, accept } });
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    };
    const floor = (jurisdictions: string[], from: string, to: string) => async () =>
      db.execute(sql`SELECT count(*) FROM cases WHERE jurisdiction IN (${sql.join(jurisdictions.map((j) => sql`${j}`), sql`, `)})
                     AND received_at >= ${new Date(`${from}T00:00:00+08:00`)} AND received_at < ${new Date(`${to}T00:00:00+08:00`)}`);

    const province = ['jiangsu', 'suzhou', 'suzhou-sip', 'taizhou', 'taizhou-jiangyan'];
    const repo = (jurisdictions: string[], from: string, to: string) => async () =>
      timelinessReport(db, { jurisdictions, start: new Date(`${from}T00:00:00+08:00`), end: new Date(`${to}T00:00:00+08:00`), now: new Date() });
    if (process.env.BENCH_EXPLAIN) {
      for (const [js, from, to] of [[province, '2026-01-01', '2027-01-01'], [['suzhou-sip'], '2026-03-01', '2026-04-01']] as const) {
        const q = timelinessSql({ jurisdictions: [...js], start: new Date(`${from}T00:00:00+08:00`), end: new Date(`${to}T00:00:00+08:00`), now: new Date() });
        const plan = await db.execute(sql`EXPLAIN (ANALYZE, BUFFERS) ${q}`);
        console.log(plan.rows.map((r) => Object.values(r)[0]).join('\n'), '\n');
      }
    }
    await time('SQL only: Jiangsu and below, 2026', repo(province, '2026-01-01', '2027-01-01'));
    await time('SQL only: Suzhou Industrial Park, one month', repo(['suzhou-sip'], '2026-03-01', '2026-04-01'));
    await time('floor: SELECT count(*) Jiangsu and below, 2026 (~357k rows)', floor(province, '2026-01-01', '2027-01-01'));
    await time('report: Jiangsu and below, 2026, JSON', report('jurisdiction=jiangsu&from=2026-01-01&to=2026-12-31'));
    await time('report: Jiangsu and below, 2026, CSV', report('jurisdiction=jiangsu&from=2026-01-01&to=2026-12-31', 'text/csv'));
    await time('floor: SELECT count(*) Suzhou Industrial Park, one month (~6k)', floor(['suzhou-sip'], '2026-03-01', '2026-04-01'));
    await time('report: Suzhou Industrial Park, one month', report('jurisdiction=suzhou-sip&from=2026-03-01&to=2026-03-31'));
    await time('report: Suzhou Industrial Park, one month, share-request', report('jurisdiction=suzhou-sip&from=2026-03-01&to=2026-03-31&caseType=share-request'));
    await app.close();
  } finally {
    await closeDb(db);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
