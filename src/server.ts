// API entry against external services (DATABASE_URL, TEMPORAL_ADDRESS); `npm start` uses main.ts.
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from './api/app';
import { loadConfig, type Config } from './config';
import { createDb, migrateDb, type Db } from './db/client';

/** Starts the API on cfg.host:cfg.port; `temporalMetricsAddress`: this process's Temporal core metrics (GET /metrics). */
export async function startApi(cfg: Config, db: Db, temporalAddress: string, temporalMetricsAddress?: string) {
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection, namespace: cfg.temporalNamespace });
  const app = await buildApp({ db, temporal, taskQueue: cfg.taskQueue, adminToken: cfg.adminToken, limits: cfg.limits, webhooks: cfg.webhooks, metricsToken: cfg.metricsToken, temporalMetricsAddress, logger: { level: 'warn' } });
  await app.listen({ port: cfg.port, host: cfg.host });
  return {
    app,
    async close() {
      await app.close();
      await connection.close();
    },
  };
}

async function main() {
  const cfg = loadConfig();
  if (!cfg.databaseUrl || !cfg.temporalAddress) {
    throw new Error('src/server.ts needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything embedded');
  }
  const db = createDb(cfg.databaseUrl);
  await migrateDb(db);
  const api = await startApi(cfg, db, cfg.temporalAddress);
  console.log(`API on http://${cfg.host}:${cfg.port} (docs at /docs)`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void api.close().then(() => process.exit(0)));
  }
}

// Run as a program (`tsx src/server.ts`, `node dist/server.js`), not when imported — nor when bundled into dist/main.js.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && /[\\/]server\.[jt]s$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
