#!/usr/bin/env node
// The floor's worker for scripts/bench/memory.ts: the same SDK with its defaults (or WORKER_* of the
// product's config, to compare like with like), bareWaiting only. Forked with an IPC channel: sends
// {opened: n} as workflows report, and stops on 'stop'.
// Env: TEMPORAL_ADDRESS, TASK_QUEUE, BARE_BUNDLE (a prebuilt workflow bundle), WORKER_MAX_CACHED_WORKFLOWS (optional).
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
let opened = 0;
let reported = 0;
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
const cached = process.env.WORKER_MAX_CACHED_WORKFLOWS;
const worker = await Worker.create({
  connection,
  taskQueue: process.env.TASK_QUEUE ?? 'bench-bare',
  ...(process.env.BARE_BUNDLE
    ? { workflowBundle: { codePath: process.env.BARE_BUNDLE } }
    : { workflowsPath: fileURLToPath(new URL('./workflows.mjs', import.meta.url)) }),
  activities: { opened: async () => void opened++ },
  ...(cached ? { maxCachedWorkflows: Number(cached) } : {}),
});
const timer = setInterval(() => {
  if (opened !== reported) process.send?.({ opened: (reported = opened) });
}, 200);
process.on('message', (m) => {
  if (m === 'stop') worker.shutdown();
});
process.send?.({ ready: true });
await worker.run();
clearInterval(timer);
await connection.close();
