// A run that was killed hard (kill -9, a closed terminal) can leave its dev servers behind; the next
// start with the same DATA_DIR stops them first, so the ports and state files are free again.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Stops the process named in `file` if it is still running and its command line mentions `name` (one of them). */
export function killStale(file: string, name: string | string[], signal: NodeJS.Signals = 'SIGTERM'): void {
  const pid = readPid(file);
  const names = Array.isArray(name) ? name : [name];
  if (pid && alive(pid) && names.some((n) => commandLine(pid).includes(n))) {
    process.kill(pid, signal);
    const until = Date.now() + 15_000;
    while (alive(pid) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (name !== 'postgres') rmSync(file, { force: true });
}

export function writePidFile(file: string, pid: number): void {
  writeFileSync(file, `${pid}\n`);
}

/** A TCP port free on 127.0.0.1 right now (for servers started on ephemeral ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
