// Where a create's core time goes (issue 17): POST /v1/share-requests at c=16, with the CPU time of
// every process of the stack (this process — API, worker, bench client — by thread; the Temporal
// dev server; PostgreSQL's backends) divided by the creates, and the SQL statements one create
// sends, traced one create at a time (who sent each: the API or the worker's activities).
// A profile, not a target: the rows carry no floor. Findings: scripts/bench/create-findings.md.
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Stack } from './stack';
import { shareRequestFixture } from './share-request';
import { pct, pool, type BenchRow } from './table';

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** utime+stime (ms) of one /proc stat line, and its comm. */
function statOf(path: string): { comm: string; ppid: number; cpuMs: number } | undefined {
  try {
    const s = readFileSync(path, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // fields after comm: state(0) ppid(1) … utime(11) stime(12)
    return { comm, ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** CPU ms per group: this process's threads (by name), and every descendant process (by name). */
function cpuSnapshot(): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v);
  for (const tid of readdirSync('/proc/self/task')) {
    const st = statOf(`/proc/self/task/${tid}/stat`);
    if (!st) continue;
    add(Number(tid) === process.pid ? 'node: main thread (API, activities, client)' : `node thread: ${st.comm}`, st.cpuMs);
  }
  const procs = new Map<number, { comm: string; ppid: number; cpuMs: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = statOf(`/proc/${d}/stat`);
    if (st) procs.set(Number(d), st);
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, st] of procs) {
      if (!mine.has(pid) && mine.has(st.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of mine) {
    if (pid === process.pid) continue;
    const st = procs.get(pid)!;
    add(`process: ${st.comm.startsWith('postgres') ? 'postgres' : st.comm}`, st.cpuMs);
  }
  return out;
}

/** The statements one create sends, by sender, in order: `api` or `worker` (an activity). */
interface Traced {
  who: 'api' | 'worker';
  sql: string;
}

let tracing: Traced[] | undefined;
function installTrace(): void {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown; __traced?: boolean };
  if (proto.__traced) return;
  const orig = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (tracing) {
      const q = args[0] as string | { text?: string };
      const text = typeof q === 'string' ? q : (q?.text ?? '');
      tracing.push({ who: activityContext.getStore() ? 'worker' : 'api', sql: text.replace(/\s+/g, ' ').slice(0, 110) });
    }
    return orig.apply(this, args);
  };
  proto.__traced = true;
}

/** Total CPU ms between two snapshots. */
function sum(after: Map<string, number>, before: Map<string, number>): number {
  return [...after].reduce((a, [k, v]) => a + v - (before.get(k) ?? 0), 0);
}

/** Options: `n` creates at `c` in flight for the CPU split; `traced` creates one at a time for the statements. */
export async function createProfile(s: Stack, { n = 200, c = 16, traced = 10 } = {}): Promise<BenchRow[]> {
  installTrace();
  const f = await shareRequestFixture(s, 'cp');
  const post = () => s.call('POST', '/v1/share-requests', f.requester.token, f.request);
  for (let i = 0; i < 10; i++) await post();

  // Statements of one create, c=1: everything the stack sends to PostgreSQL while it runs.
  const perCreate: Traced[][] = [];
  for (let i = 0; i < traced; i++) {
    tracing = [];
    await post();
    await new Promise((r) => setTimeout(r, 300)); // the second workflow task, any late activity
    perCreate.push(tracing);
    tracing = undefined;
  }
  const last = perCreate.at(-1)!;
  const avg = (who?: Traced['who']) => perCreate.reduce((a, t) => a + t.filter((x) => !who || x.who === who).length, 0) / perCreate.length;
  console.error('\nstatements of one create (the last traced):');
  for (const t of last) console.error(`  ${t.who.padEnd(6)} ${t.sql}`);

  // CPU per create at c=16.
  // BENCH_CPU_PROFILE=<file>: a V8 CPU profile of this process's main thread over the c=16 run.
  const profileTo = process.env.BENCH_CPU_PROFILE;
  const session = profileTo ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const before = cpuSnapshot();
  const wall0 = performance.now();
  const creates = await pool(n, c, async () => void (await post()));
  await new Promise((r) => setTimeout(r, 500));
  const after = cpuSnapshot();
  const wallMs = performance.now() - wall0;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileTo!, JSON.stringify(profile));
    session.disconnect();
  }
  const rows: BenchRow[] = [];
  let total = 0;
  const split = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / n] as const).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of split) {
    total += v;
    rows.push({ measure: `create CPU: ${k}`, figure: `${v.toFixed(1)} ms/create`, floor: '—', target: '—' });
  }
  rows.push({ measure: `create CPU: all processes, c=${c}, n=${n}`, figure: `${total.toFixed(1)} ms/create (wall ${(wallMs / n).toFixed(1)} ms/create, p50 ${pct(creates.lat, 50).toFixed(0)} ms)`, floor: '—', target: '—' });
  // The floor for comparison: raw client.workflow.start of the same workflow, its CPU counted until
  // every raw case's first state is committed (its tasks are open), so the workflow's own work is in.
  const raw0 = cpuSnapshot();
  const rawIds: string[] = [];
  const starts = await pool(n, c, async () => {
    const caseId = `share-request-cpraw-${randomUUID()}`;
    rawIds.push(caseId);
    await s.client.workflow.start('shareRequest', { taskQueue: s.taskQueue, workflowId: caseId, args: [f.input(caseId, new Date().toISOString())] });
  });
  const startsCpu = sum(cpuSnapshot(), raw0);
  for (let i = 0; i < 600; i++) {
    const [{ n: open }] = (await s.db.execute(sql`SELECT count(*)::int AS n FROM tasks WHERE case_id LIKE 'share-request-cpraw-%' AND status = 'open'`)).rows as { n: number }[];
    if (open >= rawIds.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rawAll = [...cpuSnapshot()].map(([k, v]) => [k, (v - (raw0.get(k) ?? 0)) / n] as const).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]);
  rows.push({
    measure: `raw start CPU: client.workflow.start, c=${c}, n=${n}`,
    figure: `${(startsCpu / n).toFixed(1)} ms/start while starting (p50 ${pct(starts.lat, 50).toFixed(0)} ms); ${rawAll.reduce((a, [, v]) => a + v, 0).toFixed(1)} ms/start until committed: ${rawAll.map(([k, v]) => `${k.replace(/ \(.*\)/, '')} ${v.toFixed(1)}`).join(', ')}`,
    floor: '—',
    target: '—',
  });
  rows.push({ measure: `create SQL statements (c=1, mean of ${traced})`, figure: `${avg().toFixed(1)}: API ${avg('api').toFixed(1)}, activities ${avg('worker').toFixed(1)}`, floor: '—', target: '—' });
  return rows;
}
