// Environment settings of API.md "Running", read once at start.
import { resolve } from 'node:path';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

export interface Config {
  port: number;
  host: string;
  adminToken?: string;
  dataDir: string;
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  temporalPort: number;
  temporalUiPort: number;
  postgresPort: number;
  taskQueue: string;
}

export function loadConfig(env = process.env): Config {
  return {
    port: port('PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    adminToken: env.ADMIN_TOKEN || undefined,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalPort: port('TEMPORAL_PORT', 7233),
    temporalUiPort: port('TEMPORAL_UI_PORT', 8233),
    postgresPort: port('POSTGRES_PORT', 5433),
    taskQueue: env.TASK_QUEUE ?? 'public-data-cases',
  };
}
