// Worker entry: runs the case workflows and their activities on the task queue.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import type { Db } from './db/client';
import type { WebhookSettings } from './config';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface WorkerDeps {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  db: Db;
  /** Webhook targets and dispatch timing (config.ts); loopback refused when absent. */
  webhooks?: WebhookSettings;
  /** Tests pass a prebuilt bundle so that each file does not bundle again. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: await createActivities({ db: deps.db, webhooks: deps.webhooks }),
  });
}

async function main() {
  const { loadConfig } = await import('./config');
  const { createDb, migrateDb } = await import('./db/client');
  const { ensureSearchAttributes } = await import('./temporal/ensure-search-attributes');
  const cfg = loadConfig();
  if (!cfg.databaseUrl || !cfg.temporalAddress) {
    throw new Error('src/worker.ts needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything embedded');
  }
  const db = createDb(cfg.databaseUrl);
  await migrateDb(db);
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  await ensureSearchAttributes(cfg.temporalAddress, cfg.temporalNamespace);
  const worker = await createWorker({ connection, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue, db, webhooks: cfg.webhooks });
  await worker.run();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
