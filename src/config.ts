// Environment settings of API.md "Running", read once at start.
import { resolve } from 'node:path';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

/** ADMIN_TOKEN acts for the whole platform: a short one could be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

/** @throws Error with a message saying how to make one, when the token is shorter than 24 characters. */
export function checkAdminToken(token: string | undefined): void {
  if (token !== undefined && token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long (it has ${token.length}); ` +
        'make one with `openssl rand -hex 24` or leave it unset (no admin access)',
    );
  }
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
  checkAdminToken(env.ADMIN_TOKEN || undefined);
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
