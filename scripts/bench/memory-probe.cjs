// Where a worker's memory goes (scripts/bench/memory.ts with BENCH_MEMORY_BREAKDOWN=1): preloaded with
// `node --require` into the worker, it runs in every thread (the main one and the SDK's workflow
// thread) and writes, once a second, that thread's V8 heap figures to PDG_MEMORY_PROBE_DIR/<pid>-<thread>.json
// (the main thread adds process.memoryUsage(), /proc/self/smaps_rollup and /proc/self/status).
const v8 = require('node:v8'); const fs = require('node:fs'); const wt = require('node:worker_threads');
const dir = process.env.PDG_MEMORY_PROBE_DIR;
if (dir) {
  const write = () => {
    const h = v8.getHeapStatistics();
    const mb = (b) => Math.round(b / 104857.6) / 10;
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { used: mb(s.space_used_size), committed: mb(s.space_size) }]));
    const out = { thread: wt.threadId, main: wt.isMainThread, heap: h, spaces };
    if (wt.isMainThread) {
      out.mu = process.memoryUsage();
      try { out.smaps = fs.readFileSync('/proc/self/smaps_rollup', 'utf8'); } catch {}
      try { out.status = fs.readFileSync('/proc/self/status', 'utf8'); } catch {}
    }
    try { fs.writeFileSync(`${dir}/${process.pid}-${wt.threadId}.json`, JSON.stringify(out)); } catch {}
  };
  setInterval(write, 1000).unref();
}
