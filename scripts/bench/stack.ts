// The product as `npm start` runs it, for the benchmarks: embedded PostgreSQL and Temporal dev
// server, the worker and the API in this process, an admin token and a fetch helper.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { buildApp } from '../../src/api/app';
import { createDb, migrateDb, closeDb, type Db } from '../../src/db/client';
import { DEFAULT_WORKER_TUNING } from '../../src/config';
import { createWorker } from '../../src/worker';
import { startEmbeddedPostgres } from '../../src/embedded/postgres';
import { startEmbeddedTemporal } from '../../src/embedded/temporal';
import { freePort } from '../../src/embedded/processes';
import { ensureSearchAttributes } from '../../src/temporal/ensure-search-attributes';

/** A running product for one benchmark run. */
export interface Stack {
  db: Db;
  /** postgres:// URL of the embedded PostgreSQL. */
  pgUrl: string;
  /** host:port of the Temporal dev server. */
  temporalAddress: string;
  client: Client;
  taskQueue: string;
  adminToken: string;
  /** http://127.0.0.1:port of the API. */
  base: string;
  /** Calls the API as `token`; throws on a status ≥ 300 with the body in the message. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, token: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

/** Starts PostgreSQL, Temporal, the worker and the API (limits lifted: throughput is measured). */
export async function startStack(): Promise<Stack> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const dir = mkdtempSync(join(tmpdir(), 'pdg-bench-'));
  chmodSync(dir, 0o755);
  const [pgPort, tPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: pgPort });
  const temporal = await startEmbeddedTemporal({ port: tPort, logFile: join(dir, 'temporal.log') });
  await ensureSearchAttributes(temporal.address, 'default');
  const db = createDb(pg.url, 20);
  await migrateDb(db);
  const native = await NativeConnection.connect({ address: temporal.address });
  const taskQueue = 'bench';
  const worker = await createWorker({ connection: native, taskQueue, db, tuning: DEFAULT_WORKER_TUNING });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const adminToken = randomUUID();
  const app = await buildApp({ db, temporal: client, taskQueue, adminToken, limits: { requestsPerSecond: 1_000_000, caseCreationsPerHour: 1_000_000 } });
  await app.listen({ port: apiPort, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${apiPort}`;
  return {
    db,
    pgUrl: pg.url,
    temporalAddress: temporal.address,
    client,
    taskQueue,
    adminToken,
    base,
    async call(method, path, token, body) {
      const res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await closeDb(db);
      await temporal.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
