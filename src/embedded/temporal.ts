// Starts the Temporal dev server (built by ./temporal-cli.mjs) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli.mjs';
import { killStale, writePidFile } from './processes';
import { CASE_SEARCH_ATTRIBUTES } from '../temporal/search-attributes';

export interface EmbeddedTemporalOptions {
  port: number;
  uiPort?: number; // absent: headless (tests)
  /** Directory for the SQLite state file and the log; absent: in memory (tests). */
  dataDir?: string;
  logFile: string;
  /** Extra dynamic configuration of the server (tests lower e.g. `limit.historyCount.suggestContinueAsNew`). */
  dynamicConfig?: Record<string, string | number | boolean>;
}

export interface EmbeddedTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function startEmbeddedTemporal(opts: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  const bin = ensureTemporalCli();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    args.push('--db-filename', join(opts.dataDir, 'temporal.sqlite'));
    killStale(join(opts.dataDir, 'temporal.pid'), 'temporal');
  }
  for (const [name, type] of Object.entries(CASE_SEARCH_ATTRIBUTES)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  // Search attributes readable right after they are written (the UI and list filters).
  args.push('--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true');
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  args.push('--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true');
  // Eager activity dispatch: an activity a workflow task schedules (a transition's commit) comes back
  // to the worker in the answer to that task's completion, instead of through the task queue's
  // matching — one round trip fewer on every create, decision and deadline. History is the same
  // (ActivityTaskScheduled/Started/Completed), so replay and the Web UI are not affected. Off by
  // default in the server; a self-hosted cluster turns it on with the same key.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  if (opts.dataDir && child.pid) writePidFile(join(opts.dataDir, 'temporal.pid'), child.pid);
  let exited = false;
  child.once('exit', () => (exited = true));

  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`Temporal dev server exited at start; see ${opts.logFile}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not answer on ${address} within 60 s; see ${opts.logFile}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => stopChild(child, () => exited),
  };
}

export async function stopChild(child: ChildProcess, hasExited: () => boolean, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (hasExited()) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}
