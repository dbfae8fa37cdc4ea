// Worker entry: runs the case workflows and their activities on the task queue.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import type { Db } from './db/client';
import type { WebhookSettings, WorkerTuning } from './config';
import { workflowBundlerOptions } from './temporal/workflow-bundle.mjs';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
/** The workflows prebuilt by scripts/ensure-build.mjs, next to the compiled worker (dist/); absent under src/. */
export const PREBUILT_WORKFLOW_BUNDLE = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));

/**
 * What the worker runs: the given bundle, else the prebuilt one (compiled start), else bundled now
 * from src/workflows with the options of the prebuilt one (temporal/workflow-bundle.mjs).
 */
function workflowSource(given: WorkerOptions['workflowBundle']): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  if (given) return { workflowBundle: given };
  if (existsSync(PREBUILT_WORKFLOW_BUNDLE)) return { workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE } };
  return { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions() };
}

export interface WorkerDeps {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  db: Db;
  /** Webhook targets and dispatch timing (config.ts); loopback refused when absent. */
  webhooks?: WebhookSettings;
  /** Cache and concurrency (config.ts WORKER_*); the SDK's own defaults when absent (tests). */
  tuning?: WorkerTuning;
  /** Tests pass a prebuilt bundle so that each file does not bundle again. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Errors that fail a workflow instead of its task (WorkerOptions.workflowFailureErrorTypes); tests only. */
  workflowFailureErrorTypes?: WorkerOptions['workflowFailureErrorTypes'];
}

/**
 * The worker of the case workflows and their activities on `deps.taskQueue`.
 * With `deps.tuning`, the workflow thread's heap limit and semi-space size are set before the SDK
 * starts that thread (V8 flags for isolates created from then on; the process's own heap keeps its own).
 */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const { workflowHeapMb, workflowSemiSpaceMb, ...tuning } = deps.tuning ?? {};
  if (workflowHeapMb) setFlagsFromString(`--max-old-space-size=${workflowHeapMb}`);
  if (workflowSemiSpaceMb) setFlagsFromString(`--max-semi-space-size=${workflowSemiSpaceMb}`);
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    ...workflowSource(deps.workflowBundle),
    ...tuning,
    ...(deps.workflowFailureErrorTypes ? { workflowFailureErrorTypes: deps.workflowFailureErrorTypes } : {}),
    activities: await createActivities({ db: deps.db, webhooks: deps.webhooks }),
  });
}

async function main() {
  const { loadConfig } = await import('./config');
  const { createDb, migrateDb } = await import('./db/client');
  const { ensureSearchAttributes } = await import('./temporal/ensure-search-attributes');
  const cfg = loadConfig();
  Runtime.install({
    logger: new DefaultLogger((process.env.LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    ...(cfg.temporalMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: cfg.temporalMetricsAddress } } } } : {}),
  });
  if (cfg.workerMetricsAddress) {
    const { serveWorkerMetrics } = await import('./metrics');
    await serveWorkerMetrics(cfg.workerMetricsAddress, cfg.metricsToken ?? cfg.adminToken, cfg.temporalMetricsAddress);
  }
  if (!cfg.databaseUrl || !cfg.temporalAddress) {
    throw new Error('src/worker.ts needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything embedded');
  }
  const db = createDb(cfg.databaseUrl);
  await migrateDb(db);
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  await ensureSearchAttributes(cfg.temporalAddress, cfg.temporalNamespace);
  const worker = await createWorker({ connection, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue, db, webhooks: cfg.webhooks, tuning: cfg.worker });
  await worker.run();
}

// Run as a program (`tsx src/worker.ts`, `node dist/worker.js`), not when imported — nor when bundled into dist/main.js.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && /[\\/]worker\.[jt]s$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
