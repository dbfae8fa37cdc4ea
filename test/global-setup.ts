// Starts real servers once per test run: a Temporal dev server (in memory, headless) and an
// embedded PostgreSQL in a temporary directory, and bundles the workflows once for all workers.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../src/embedded/postgres';
import { startEmbeddedTemporal } from '../src/embedded/temporal';
import { createDb, migrateDb, closeDb } from '../src/db/client';
import { WORKFLOWS_PATH } from '../src/worker';
import { workflowBundlerOptions } from '../src/temporal/workflow-bundle.mjs';
import { freePort } from '../src/embedded/processes';

/** History length at which the test server suggests continue-as-new (the server's default: 4,096). */
export const SUGGEST_CONTINUE_AS_NEW_AFTER = 250;

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

/**
 * Starts a server on a fresh ephemeral port, again on another one if the port was taken between
 * choosing and binding it (other test runs on this machine pick ports too).
 */
async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if (i >= attempts || !/listen socket|address already in use|bind|did not answer/i.test(String((err as Error).message))) throw err;
    }
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pdg-test-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  const started = await Promise.allSettled([
    onFreePort((port) => startEmbeddedPostgres({ dir: join(dir, 'postgres'), port })),
    // Temporal suggests continue-as-new after 250 events instead of 4,096, so that long-lived cases
    // continue as new within a test (test/api/continue-as-new.test.ts) — and any that grows does.
    onFreePort((port) => startEmbeddedTemporal({ port, logFile: join(dir, 'temporal.log'), dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AFTER } })),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...workflowBundlerOptions(), logger: new DefaultLogger('WARN') }),
  ] as const);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    // Stop whatever did start, so a failed setup leaves no server behind.
    for (const r of started.slice(0, 2)) if (r.status === 'fulfilled') await (r.value as { stop(): Promise<void> }).stop();
    rmSync(dir, { recursive: true, force: true });
    throw (failed as PromiseRejectedResult).reason;
  }
  const [pg, temporal, bundle] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<typeof startEmbeddedPostgres>>,
    Awaited<ReturnType<typeof startEmbeddedTemporal>>,
    Awaited<ReturnType<typeof bundleWorkflowCode>>,
  ];
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
