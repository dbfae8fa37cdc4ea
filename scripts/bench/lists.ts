// Inbox and case lists at scale: 1,000,000 open tasks and 1,000,000 cases written straight into
// PostgreSQL (the projections the lists read), then each list the API offers, with its common
// filters, timed at c=4 beside the floor: the same SQL (captured from the repository) run raw
// through pg. `EXPLAIN (ANALYZE, BUFFERS)` of each query goes to .tmp/lists-explain.txt.
// Then where one request's time goes (lists-trace.ts: each statement timed from the request's
// start, c=1) to .tmp/lists-trace.txt. `LISTS_ROWS=200000` fills fewer rows for a quick look,
// `LISTS_ONLY=inbox` times only the lists whose name contains `inbox`.
import { execFile } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../src/db/schema';
import type { Db } from '../../src/db/client';
import { inbox, type InboxQuery } from '../../src/db/repositories/tasks';
import { listCases } from '../../src/db/repositories/cases';
import { findPrincipalById } from '../../src/db/repositories/principals';
import { visibilityOf } from '../../src/api/services/cases';
import { DEPARTMENT_ROLES } from '../../src/domain/roles';
import { processIds } from '../../src/domain/process';
import { formsFor } from '../../src/domain/decision-forms';
import type { Principal } from '../../src/api/plugins/auth';
import type { Stack } from './stack';
import { pct, pool, rate, type BenchRow } from './table';
import { formatTrace, traceRequests } from './lists-trace';

const run = promisify(execFile);
/** `n` GETs of `url` with `c` in flight from a process of its own (http-load.mjs): latencies (ms) and wall time. */
async function httpLoad(url: string, token: string, n: number, c: number): Promise<{ lat: number[]; wallMs: number }> {
  const script = fileURLToPath(new URL('./http-load.mjs', import.meta.url));
  const { stdout } = await run(process.execPath, [script, JSON.stringify({ url, token, n, c })], { maxBuffer: 16 << 20 });
  const r = JSON.parse(stdout) as { lat: number[]; wallMs: number; failed: number };
  if (r.failed) throw new Error(`GET ${url}: ${r.failed} of ${n} answers were not 200`);
  return r;
}

/** One answer of `url`: its JSON's bytes, and the bytes on the wire to a client that accepts gzip (as fetch does). */
async function answerBytes(url: string, token: string): Promise<{ json: number; wire: number }> {
  const json = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer()).byteLength;
  const wire = await new Promise<number>((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate' } }, (res) => {
      let n = 0;
      res.on('data', (b: Buffer) => (n += b.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
  return { json, wire };
}

const JURISDICTIONS = ['jiangsu', 'suzhou', 'suzhou-sip', 'taizhou', 'taizhou-jiangyan', 'shanghai', 'shanghai-chongming'];

/**
 * Open tasks: 70 % for an agency (1,000 agencies; `prov` one of them) as provider or requester,
 * 30 % for a jurisdiction's department (competent, operations, expert committee); 10 % claimed
 * (some by the bench's principals), 5 % without a deadline, a fifth overdue. Their forms stored as
 * the workflows store them: three forms of approve/refuse (one task in 50 with none, as tasks
 * opened before forms were recorded).
 * Cases: 1,000,000 over the 1,000 agencies as requester and provider, 7 jurisdictions, every case
 * type and six statuses, received over two years.
 */
async function fill(db: Db, n: { tasks: number; cases: number }, who: { prov: string; dept: string }): Promise<void> {
  const types = processIds();
  const forms = ([{}, { approve: ['purpose', 'scope'] }, { refuse: ['answer'] }] as Record<string, string[]>[]).map((optional) => JSON.stringify(formsFor(['approve', 'refuse'], { refuse: ['legalBasis'] }, optional)));
  await db.execute(sql`
    INSERT INTO agencies (id, name, jurisdiction)
    SELECT 'agency-' || g, '机构 ' || g, (${sql.param(JURISDICTIONS)}::text[])[1 + g % 7] FROM generate_series(1, 999) AS g
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`
    INSERT INTO tasks (task_id, case_id, case_type, kind, assignee_agency_id, assignee_role, assignee_jurisdiction, status,
                       actions, required_fields, forms, citation, due_date, due_at, remind_at, revision, opened_at, claimed_by)
    SELECT 'bulk-' || g, 'bulk-case-' || (g % ${n.cases}), (${sql.param(types)}::text[])[1 + g % ${types.length}], 'review',
           CASE WHEN g % 10 < 3 THEN NULL WHEN g % 1000 IN (7, 8) THEN 'prov' ELSE 'agency-' || (g % 999 + 1) END,
           CASE WHEN g % 10 < 3 THEN (ARRAY['competent','operations','expert_committee'])[1 + g % 3] WHEN g % 2 = 0 THEN 'provider' ELSE 'requester' END,
           (${sql.param(JURISDICTIONS)}::text[])[1 + (g / 10) % 7], 'open',
           ARRAY['approve','refuse'], '{"refuse":["legalBasis"]}'::jsonb,
           CASE WHEN g % 50 = 1 THEN NULL ELSE (${sql.param(forms)}::jsonb[])[1 + g % 3] END, 'js-2020:21', '2026-12-01',
           CASE WHEN g % 20 = 0 THEN NULL ELSE now() + ((g * 37) % 1800 - 360) * interval '1 hour' END,
           CASE WHEN g % 20 = 0 THEN NULL ELSE now() + ((g * 37) % 1800 - 384) * interval '1 hour' END,
           1, now() - (g % 1000) * interval '1 minute',
           CASE WHEN g % 7000 = 8 THEN ${who.prov} WHEN g % 10 < 3 AND g % 17 = 0 THEN ${who.dept} WHEN g % 10 = 9 THEN 'p-' || (g % 5000) END
    FROM generate_series(1, ${n.tasks}) AS g`);
  await db.execute(sql`
    INSERT INTO cases (case_id, type, status, jurisdiction, requester_agency_id, provider_agency_id, dataset_id, created_by, revision, view, received_at)
    SELECT 'bulk-case-' || g, (${sql.param(types)}::text[])[1 + g % ${types.length}],
           (ARRAY['received','under_review','approved','refused','withdrawn','closed'])[1 + (g / 7) % 6],
           (${sql.param(JURISDICTIONS)}::text[])[1 + (g / 3) % 7],
           CASE WHEN g % 1000 = 3 THEN 'prov' ELSE 'agency-' || (g % 999 + 1) END,
           CASE WHEN g % 1000 = 500 THEN 'prov' ELSE 'agency-' || ((g * 7) % 999 + 1) END,
           'ds-' || (g % 20000), 'p-' || (g % 5000), 1, '{}'::jsonb,
           now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second'
    FROM generate_series(1, ${n.cases}) AS g`);
  await db.execute(sql`VACUUM ANALYZE tasks`);
  await db.execute(sql`VACUUM ANALYZE cases`);
  // The load's dirty pages written now, not by the checkpointer while the lists are timed.
  await db.execute(sql`CHECKPOINT`);
}

interface Captured {
  text: string;
  params: unknown[];
}

/** A Db on its own pool that records the last query it ran (to run it raw and EXPLAIN it). */
function capturing(url: string): { db: Db; last: () => Captured; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let last: Captured = { text: '', params: [] };
  const db = drizzle(pool, { schema, logger: { logQuery: (text, params) => (last = { text, params }) } }) as unknown as Db;
  return { db, last: () => last, pool };
}

/** `tasks` open tasks and `cases` cases; each list timed `requests` times at c=4. */
export async function lists(s: Stack, { tasks = Number(process.env.LISTS_ROWS ?? 1_000_000), cases = Number(process.env.LISTS_ROWS ?? 1_000_000), requests = 200 }: { tasks?: number; cases?: number; requests?: number } = {}): Promise<BenchRow[]> {
  const { call, adminToken, db } = s;
  await db.execute(sql`INSERT INTO agencies (id, name, jurisdiction) VALUES ('prov', '提供方', 'suzhou'), ('dept-suzhou', '苏州市数据局', 'suzhou') ON CONFLICT DO NOTHING`);
  const provider = await call('POST', '/v1/principals', adminToken, { name: 'lists', agencyId: 'prov', roles: ['provider'] });
  const dept = await call('POST', '/v1/principals', adminToken, { name: 'lists-dept', agencyId: 'dept-suzhou', roles: ['competent'] });
  const t0 = performance.now();
  await fill(db, { tasks, cases }, { prov: provider.id, dept: dept.id });
  console.error(`  lists: ${tasks.toLocaleString('en-US')} tasks and ${cases.toLocaleString('en-US')} cases written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const cap = capturing(s.pgUrl);
  const principal = async (id: string): Promise<Principal> => (await findPrincipalById(db, id)) as Principal;
  const prov = await principal(provider.id);
  const dep = await principal(dept.id);
  const admin: Principal = { id: 'admin', name: 'admin', agencyId: null, roles: ['admin'], jurisdiction: null };
  const caller = (p: Principal) => ({ principalId: p.id, agencyId: p.agencyId, roles: p.roles, departmentRoles: p.roles.filter((r) => (DEPARTMENT_ROLES as readonly string[]).includes(r)), jurisdiction: p.jurisdiction });
  const type = processIds()[0]!;
  const firstPage = async (path: string, token: string) => (await call('GET', path, token)).nextCursor as string;

  type Case = { name: string; path: string; token: string; run: (d: Db) => Promise<unknown> };
  const inboxOf = (p: Principal, q: Partial<InboxQuery>) => (d: Db) => inbox(d, caller(p), { now: new Date(), limit: 51, ...q });
  const casesOf = (p: Principal, q: { type?: string; status?: string; after?: { at: string; id: string } }) => (d: Db) => listCases(d, { visibility: visibilityOf(p), limit: 51, ...q });
  // The second pages' keys, as the cursors carry them.
  const provPage1 = (await inboxOf(prov, {})(db)) as { dueAt: Date | null; taskId: string }[];
  const depPage1 = (await inboxOf(dep, {})(db)) as { dueAt: Date | null; taskId: string }[];
  const depCases1 = (await casesOf(dep, {})(db)) as { receivedAt: Date; caseId: string }[];
  const key = (r: { dueAt: Date | null; taskId: string }) => ({ dueAt: r.dueAt?.toISOString() ?? null, taskId: r.taskId });
  const list: Case[] = [
    { name: 'inbox, agency provider', path: '/v1/inbox?limit=50', token: provider.token, run: inboxOf(prov, {}) },
    { name: 'inbox, agency provider, 10 items', path: '/v1/inbox?limit=10', token: provider.token, run: inboxOf(prov, { limit: 11 }) },
    { name: 'inbox, agency provider, overdue', path: '/v1/inbox?limit=50&overdue=true', token: provider.token, run: inboxOf(prov, { overdue: true }) },
    { name: 'inbox, agency provider, caseType', path: `/v1/inbox?limit=50&caseType=${type}`, token: provider.token, run: inboxOf(prov, { caseType: type }) },
    { name: 'inbox, agency provider, claimed by me', path: '/v1/inbox?limit=50&claim=mine', token: provider.token, run: inboxOf(prov, { claim: 'mine' }) },
    { name: 'inbox, agency provider, page 2', path: `/v1/inbox?limit=50&cursor=${await firstPage('/v1/inbox?limit=50', provider.token)}`, token: provider.token, run: inboxOf(prov, { after: key(provPage1[49]!) }) },
    { name: 'inbox, department (suzhou competent)', path: '/v1/inbox?limit=50', token: dept.token, run: inboxOf(dep, {}) },
    { name: 'inbox, department, not overdue', path: '/v1/inbox?limit=50&overdue=false', token: dept.token, run: inboxOf(dep, { overdue: false }) },
    { name: 'inbox, department, unclaimed', path: '/v1/inbox?limit=50&claim=unclaimed', token: dept.token, run: inboxOf(dep, { claim: 'unclaimed' }) },
    { name: 'inbox, department, claimed by me', path: '/v1/inbox?limit=50&claim=mine', token: dept.token, run: inboxOf(dep, { claim: 'mine' }) },
    { name: 'inbox, department, page 2', path: `/v1/inbox?limit=50&cursor=${await firstPage('/v1/inbox?limit=50', dept.token)}`, token: dept.token, run: inboxOf(dep, { after: key(depPage1[49]!) }) },
    { name: 'cases, admin', path: '/v1/cases?limit=50', token: adminToken, run: casesOf(admin, {}) },
    { name: 'cases, admin, type and status', path: `/v1/cases?limit=50&type=${type}&status=approved`, token: adminToken, run: casesOf(admin, { type, status: 'approved' }) },
    { name: 'cases, agency provider', path: '/v1/cases?limit=50', token: provider.token, run: casesOf(prov, {}) },
    { name: 'cases, agency provider, type', path: `/v1/cases?limit=50&type=${type}`, token: provider.token, run: casesOf(prov, { type }) },
    { name: 'cases, department (suzhou and below)', path: '/v1/cases?limit=50', token: dept.token, run: casesOf(dep, {}) },
    { name: 'cases, department, status', path: '/v1/cases?limit=50&status=received', token: dept.token, run: casesOf(dep, { status: 'received' }) },
    {
      name: 'cases, department, page 2',
      path: `/v1/cases?limit=50&cursor=${await firstPage('/v1/cases?limit=50', dept.token)}`,
      token: dept.token,
      run: casesOf(dep, { after: { at: depCases1[49]!.receivedAt.toISOString(), id: depCases1[49]!.caseId } }),
    },
  ];

  const rows: BenchRow[] = [];
  const plans: string[] = [];
  // LISTS_ONLY=inbox times only the lists whose name contains it (a quick look at one kind).
  for (const c of list.filter((l) => l.name.includes(process.env.LISTS_ONLY ?? ''))) {
    await c.run(cap.db);
    const q = cap.last();
    const plan = await cap.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.params);
    plans.push(`## ${c.name} (${c.path})\n${q.text}\n${JSON.stringify(q.params)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    const floor = await pool(requests, 4, async () => void (await cap.pool.query(q.text, q.params)));
    // The API driven from a process of its own (http-load.mjs); the CPU this process (API and an
    // idle worker) spends per request: steadier than latency on a busy machine.
    const cpu0 = process.cpuUsage();
    const api = await httpLoad(s.base + c.path, c.token, requests, 4);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
    const bytes = await answerBytes(s.base + c.path, c.token);
    rows.push({ measure: `GET ${c.path.replace(/cursor=[^&]+/, 'cursor=…')} — ${c.name}, c=4`, figure: `${rate(api)}, CPU ${cpuMs.toFixed(1)} ms/req, ${(bytes.json / 1024).toFixed(1)} kB JSON/answer, ${(bytes.wire / 1024).toFixed(1)} kB on the wire`, floor: `raw SQL ${rate(floor)}`, target: 'p99 ≤ 20 ms', met: pct(api.lat, 99) <= 20 });
  }
  // What any request costs before its list: token lookup, the rate-limit counter, HTTP (an inbox with no branch runs no query).
  const nobody = await call('POST', '/v1/principals', adminToken, { name: 'lists-none', roles: ['data_user'] });
  const bare = await httpLoad(`${s.base}/v1/inbox?limit=50`, nobody.token, requests, 4);
  rows.push({ measure: 'GET /v1/inbox for a principal with no inbox (no list query), c=4', figure: rate(bare), floor: '—', target: '—' });
  // Where one request's time goes (c=1): its statements, timed from the request's start.
  const traced: [string, string, string][] = [
    ['inbox, agency provider', '/v1/inbox?limit=50', provider.token],
    ['inbox, department (suzhou competent)', '/v1/inbox?limit=50', dept.token],
    ['cases, department (suzhou and below)', '/v1/cases?limit=50', dept.token],
    ['inbox of a principal with no inbox', '/v1/inbox?limit=50', nobody.token],
  ];
  const traces: string[] = [];
  for (const [name, path, token] of traced) {
    const t = await traceRequests(50, async () => void (await call('GET', path, token)));
    traces.push(formatTrace(`${name} (${path})`, t));
    rows.push({ measure: `statements per request, ${name} (c=1, median)`, figure: `${t.statements.length}; ${t.totalMs.toFixed(1)} ms, of it ${t.outsideMs.toFixed(1)} ms outside PostgreSQL`, floor: '—', target: '—' });
  }
  const planning = plans.map((p) => /Planning Time: ([\d.]+) ms/.exec(p)?.[1]).map(Number);
  const execution = plans.map((p) => /Execution Time: ([\d.]+) ms/.exec(p)?.[1]).map(Number);
  rows.push({ measure: `list queries: planning / execution time (EXPLAIN ANALYZE, min–max of the ${plans.length})`, figure: `planning ${Math.min(...planning)}–${Math.max(...planning)} ms, execution ${Math.min(...execution)}–${Math.max(...execution)} ms`, floor: '—', target: '—' });
  mkdirSync('.tmp', { recursive: true });
  writeFileSync('.tmp/lists-trace.txt', `${traces.join('\n\n')}\n`);
  writeFileSync('.tmp/lists-explain.txt', `# ${tasks} open tasks, ${cases} cases\n\n${plans.join('\n')}`);
  console.error('  lists: EXPLAIN (ANALYZE, BUFFERS) of each query in .tmp/lists-explain.txt');
  await cap.pool.end();
  rows.unshift({ measure: `(lists at ${tasks.toLocaleString('en-US')} open tasks, ${cases.toLocaleString('en-US')} cases)`, figure: '', floor: '', target: '' });
  return rows;
}
