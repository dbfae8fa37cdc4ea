// Worker memory with 10,000 running cases (issue 17: ≤ 300 MB). The product's worker runs in a child
// process as `npm start` would run it (compiled: node dist/worker.js, its defaults from config.ts),
// on its own task queue against the stack's PostgreSQL and Temporal; 10,000 share requests are
// started (raw client.workflow.start, the input of throughput.ts) and, once every one has opened its
// first task, the child's resident memory is read from /proc (VmRSS, and the peak VmHWM).
// Floor: a bare worker of the same SDK (scripts/bench/bare/) with 10,000 workflows that ran one
// activity and wait on a timer.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { freePort } from '../../src/embedded/processes';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Stack } from './stack';
import { shareRequestFixture } from './share-request';
import { pool, type BenchRow } from './table';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TARGET_MB = 300;
/**
 * How the worker is launched on its own (README "Operating", temporal/docker-compose.yml): a 128 MB
 * old generation and 4 MB semi-spaces (V8 would commit 2 × 16 MB of young generation) for the main
 * thread (activities, gRPC, pg) and two malloc arenas for the threads of Node and the Temporal
 * core; the workflow thread's heap, semi-spaces and the cache come from config.ts.
 */
const WORKER_NODE_ARGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];
const WORKER_ENV = { MALLOC_ARENA_MAX: '2' };

/** CPU seconds (user + system) a process has used so far: /proc/<pid>/stat utime + stime. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": state is field 3
  const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The probe's last figures (memory-probe.cjs) of `pid`'s threads, as one line of MB. */
function breakdownOf(dir: string, pid: number): string {
  const mb = (b: number) => `${Math.round(b / 1048576)}`;
  const threads = readdirSync(dir)
    .filter((f) => f.startsWith(`${pid}-`))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { main: boolean; heap: Record<string, number>; spaces: Record<string, { used: number; committed: number }>; mu?: NodeJS.MemoryUsage; smaps?: string });
  const parts: string[] = [];
  for (const t of threads.sort((a, b) => Number(b.main) - Number(a.main))) {
    const h = t.heap;
    parts.push(
      `${t.main ? 'main' : 'workflow'} thread V8 heap ${mb(h.used_heap_size!)} used / ${mb(h.total_heap_size!)} committed (old ${Math.round(t.spaces.old_space?.used ?? 0)}/${Math.round(t.spaces.old_space?.committed ?? 0)}, new ${Math.round(t.spaces.new_space?.used ?? 0)}/${Math.round(t.spaces.new_space?.committed ?? 0)}, code ${Math.round(t.spaces.code_space?.committed ?? 0)}, large objects ${Math.round(t.spaces.large_object_space?.committed ?? 0)})`,
    );
    if (t.mu) parts.push(`process external ${mb(t.mu.external)}, array buffers ${mb(t.mu.arrayBuffers)}`);
    if (t.smaps) {
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t.smaps!)?.[1] ?? NaN);
      parts.push(`RSS anonymous ${Math.round(kb('Anonymous') / 1024)}, file-backed ${Math.round((kb('Rss') - kb('Anonymous')) / 1024)}`);
    }
  }
  return parts.join('; ');
}

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function until(what: string, timeoutMs: number, done: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`memory bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function stopChild(child: ChildProcess, how: () => void): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    how();
  });
}

/** Options: `n` running cases (10,000, the issue's), `c` starts in flight. */
export async function memory(s: Stack, { n = Number(process.env.BENCH_MEMORY_CASES ?? 10_000), c = 32 } = {}): Promise<BenchRow[]> {
  const { db, client, pgUrl, temporalAddress } = s;
  // The compiled product, as `npm start` builds it.
  const built = spawnSync(process.execPath, [`${ROOT}scripts/ensure-build.mjs`], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('memory bench: scripts/ensure-build.mjs failed');

  // --- the product's worker, with 10,000 share requests waiting on their provider's review.
  const f = await shareRequestFixture(s, 'mem');

  const taskQueue = 'bench-memory';
  // BENCH_MEMORY_BREAKDOWN=1: where the memory goes, per thread (memory-probe.cjs, preloaded).
  const probeDir = process.env.BENCH_MEMORY_BREAKDOWN === '1' ? mkdtempSync(join(tmpdir(), 'pdg-memprobe-')) : undefined;
  const product = fork(`${ROOT}dist/worker.js`, [], {
    cwd: ROOT,
    execArgv: probeDir ? [...WORKER_NODE_ARGS, '--require', `${ROOT}scripts/bench/memory-probe.cjs`] : WORKER_NODE_ARGS,
    // Its Temporal core serves metrics as in production (on a free port: others may run on this machine).
    env: { ...process.env, ...WORKER_ENV, DATABASE_URL: pgUrl, TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue, LOG_LEVEL: 'ERROR', TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`, ...(probeDir ? { PDG_MEMORY_PROBE_DIR: probeDir } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const prefix = `share-request-mem-${randomUUID().slice(0, 8)}-`;
  const startedAt = performance.now();
  await pool(n, c, async (i) => {
    const caseId = `${prefix}${i}`;
    await client.workflow.start('shareRequest', { taskQueue, workflowId: caseId, args: [f.input(caseId, new Date().toISOString())] });
  });
  let open = 0;
  await until(`${n} open tasks`, 30 * 60_000, async () => {
    if (product.exitCode !== null) throw new Error(`memory bench: the worker exited (${product.exitCode})`);
    const [row] = (await db.execute(sql`SELECT count(*)::int AS n FROM tasks WHERE case_id LIKE ${prefix + '%'} AND status = 'open'`)).rows as { n: number }[];
    open = row!.n;
    return open >= n;
  });
  const productSecs = (performance.now() - startedAt) / 1000;
  await new Promise((r) => setTimeout(r, 3000)); // let the last activations settle
  const productMem = memoryOf(product.pid!);
  const productCpu = cpuSecondsOf(product.pid!);
  const breakdown = probeDir ? breakdownOf(probeDir, product.pid!) : undefined;
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  await stopChild(product, () => product.kill('SIGTERM'));

  // --- the floor: a bare worker, 10,000 workflows that ran one activity and wait on a timer.
  // Prebuilt like the product's (no bundler in the measured process), with the product's cache size and launch.
  const bundleDir = mkdtempSync(join(tmpdir(), 'pdg-bare-'));
  const bundle = join(bundleDir, 'workflow-bundle.js');
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };
  writeFileSync(bundle, (await bundleWorkflowCode({ workflowsPath: `${ROOT}scripts/bench/bare/workflows.mjs`, logger: quiet })).code);
  const bareQueue = 'bench-bare';
  const bare = fork(`${ROOT}scripts/bench/bare/worker.mjs`, [], {
    cwd: ROOT,
    env: { ...process.env, ...WORKER_ENV, TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: bareQueue, BARE_BUNDLE: bundle, WORKER_MAX_CACHED_WORKFLOWS: String(loadConfig().worker.maxCachedWorkflows) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: WORKER_NODE_ARGS, // launched like the product's worker (not with the bench's tsx loader)
  });
  let opened = 0;
  bare.on('message', (m: { opened?: number }) => {
    if (typeof m.opened === 'number') opened = m.opened;
  });
  const bareStarted = performance.now();
  const barePrefix = `bare-${randomUUID().slice(0, 8)}-`;
  await pool(n, c, async (i) => {
    await client.workflow.start('bareWaiting', { taskQueue: bareQueue, workflowId: `${barePrefix}${i}`, args: [] });
  });
  await until(`${n} bare workflows`, 30 * 60_000, () => {
    if (bare.exitCode !== null) throw new Error(`memory bench: the bare worker exited (${bare.exitCode})`);
    return opened >= n;
  });
  const bareSecs = (performance.now() - bareStarted) / 1000;
  await new Promise((r) => setTimeout(r, 3000));
  const bareMem = memoryOf(bare.pid!);
  const bareCpu = cpuSecondsOf(bare.pid!);
  await stopChild(bare, () => bare.send('stop'));
  rmSync(bundleDir, { recursive: true, force: true });

  // Leave nothing running for the sections after this one.
  for (const [q, p] of [[taskQueue, prefix], [bareQueue, barePrefix]] as const) {
    for (let i = 0; i < n; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, (_, k) => client.workflow.getHandle(`${p}${i + k}`).terminate('memory bench done').catch(() => undefined)),
      );
    }
    void q;
  }

  const mb = (x: number) => `${Math.round(x)} MB`;
  return [
    {
      measure: `worker memory, ${n.toLocaleString('en-US')} running cases (MALLOC_ARENA_MAX=2 node ${WORKER_NODE_ARGS.join(' ')} dist/worker.js)`,
      figure: `RSS ${mb(productMem.rss)} (peak ${mb(productMem.peak)}); all opened in ${productSecs.toFixed(0)} s (${(n / productSecs).toFixed(0)}/s), worker CPU ${productCpu.toFixed(0)} s (${((productCpu / n) * 1000).toFixed(1)} ms/case)`,
      floor: `bare SDK worker, timer workflows: RSS ${mb(bareMem.rss)} (peak ${mb(bareMem.peak)}); ${bareSecs.toFixed(0)} s (${(n / bareSecs).toFixed(0)}/s), CPU ${bareCpu.toFixed(0)} s (${((bareCpu / n) * 1000).toFixed(1)} ms/case)`,
      target: `RSS ≤ ${TARGET_MB} MB`,
      met: productMem.rss <= TARGET_MB,
    },
    ...(breakdown ? [{ measure: `where the worker's memory goes (MB), ${n.toLocaleString('en-US')} running cases`, figure: breakdown, floor: '—', target: '—' }] : []),
  ];
}
