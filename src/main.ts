// `npm start`: the whole product on embedded defaults — Temporal dev server (with its Web UI),
// PostgreSQL, the worker and the API in one command. DATABASE_URL / TEMPORAL_ADDRESS switch the
// embedded services off.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from './config';
import { createDb, migrateDb, closeDb } from './db/client';
import { ensureSearchAttributes } from './temporal/ensure-search-attributes';
import { createWorker } from './worker';
import { startApi } from './server';
import { startEmbeddedPostgres } from './embedded/postgres';
import { startEmbeddedTemporal } from './embedded/temporal';
import { killStale, writePidFile } from './embedded/processes';
import { startCheckpoints } from './db/repositories/audit';

async function main() {
  const started = Date.now();
  // Our own signal handlers stop things in order (API, worker, connections, servers).
  const cfg = loadConfig();
  Runtime.install({
    logger: new DefaultLogger((process.env.LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    shutdownSignals: [],
    // The SDK's runtime metrics (workflow/activity task latencies, cache, pollers), appended to GET /metrics.
    ...(cfg.temporalMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: cfg.temporalMetricsAddress } } } } : {}),
  });
  mkdirSync(cfg.dataDir, { recursive: true });
  // A previous `npm start` on this DATA_DIR whose terminal or npm was killed may still run (npm
  // does not pass SIGTERM on): stop it in order first, so its ports and state are free again.
  const pidFile = join(cfg.dataDir, 'main.pid');
  killStale(pidFile, ['dist/main.js', 'src/main.ts']);
  writePidFile(pidFile, process.pid);
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('while stopping:', err));
  };
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${sig}: stopping API, worker, Temporal and PostgreSQL…`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    let databaseUrl = cfg.databaseUrl;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dir: join(cfg.dataDir, 'postgres'), port: cfg.postgresPort });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    let temporalAddress = cfg.temporalAddress;
    let uiUrl: string | undefined;
    if (!temporalAddress) {
      const t = await startEmbeddedTemporal({
        port: cfg.temporalPort,
        uiPort: cfg.temporalUiPort,
        dataDir: join(cfg.dataDir, 'temporal'),
        logFile: join(cfg.dataDir, 'temporal.log'),
      });
      stops.push(() => t.stop());
      temporalAddress = t.address;
      uiUrl = t.uiUrl;
    }
    const db = createDb(databaseUrl);
    stops.push(() => closeDb(db));
    await migrateDb(db);
    await ensureSearchAttributes(temporalAddress, cfg.temporalNamespace);

    const connection = await NativeConnection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    const worker = await createWorker({ connection, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue, db, webhooks: cfg.webhooks, tuning: cfg.worker });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    running.catch((err) => {
      console.error('worker stopped:', err);
      if (!stopping) process.kill(process.pid, 'SIGTERM');
    });

    stops.push(startCheckpoints(db)); // audit chain checkpoints, once a minute
    const api = await startApi(cfg, db, temporalAddress, cfg.temporalMetricsAddress);
    stops.push(() => api.close());

    const base = `http://${cfg.host}:${cfg.port}`;
    console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  API           ${base}`);
    console.log(`  OpenAPI docs  ${base}/docs  (JSON: ${base}/docs/json)`);
    console.log(`  Console       ${base}/console/`);
    console.log(`  Temporal UI   ${uiUrl ?? '(external Temporal at ' + temporalAddress + ')'}`);
    console.log(`  Data          ${cfg.dataDir}${cfg.adminToken ? '' : '  (ADMIN_TOKEN unset: no admin access)'}`);
  } catch (err) {
    console.error('start failed:', err instanceof Error ? err.message : err);
    await stopAll();
    process.exit(1);
  }
}

main().catch((err) => {
  // A refused setting (e.g. a short ADMIN_TOKEN) is said in one line, before anything starts.
  console.error('start refused:', err instanceof Error ? err.message : err);
  process.exit(1);
});
