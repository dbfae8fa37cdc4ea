// Starts real servers once per test run: a Temporal dev server (in memory, headless) and an
// embedded PostgreSQL in a temporary directory, and bundles the workflows once for all workers.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../scripts/embedded-postgres';
import { startEmbeddedTemporal } from '../scripts/embedded-temporal';
import { createDb, migrateDb, closeDb } from '../src/db/client';
import { WORKFLOWS_PATH } from '../src/worker';
import { freePort } from '../scripts/processes';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pdg-test-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [pg, temporal, bundle] = await Promise.all([
    startEmbeddedPostgres({ dir: join(dir, 'postgres'), port: pgPort }),
    startEmbeddedTemporal({ port: temporalPort, logFile: join(dir, 'temporal.log') }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
  ]);
  const db = createDb(pg.url);
  await migrateDb(db);
  await closeDb(db);
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  project.provide('databaseUrl', pg.url);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
