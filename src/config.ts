// Environment settings of API.md "Running", read once at start.
import { resolve } from 'node:path';
import type { DispatchTuning } from './domain/webhooks';

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number, what: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be ${what}, got "${raw}"`);
  return n;
}
const port = (env: NodeJS.ProcessEnv, name: string, fallback: number) => integer(env, name, fallback, 65535, 'a port number');

/** What one principal may do (API-2.md "Abuse and identity"); both are counted in PostgreSQL. */
export interface Limits {
  /** Requests per second of one principal (of one client address before authentication). */
  requestsPerSecond: number;
  /** Cases one principal may create per hour (an idempotent retry of a case creates none). */
  caseCreationsPerHour: number;
}

/** The defaults, shown with the settings that change them (README, GET /v1/limits). */
export const DEFAULT_LIMITS: Limits = { requestsPerSecond: 20, caseCreationsPerHour: 500 };
export const LIMIT_VARIABLES: Record<keyof Limits, string> = {
  requestsPerSecond: 'RATE_LIMIT_PER_SECOND',
  caseCreationsPerHour: 'CASE_CREATION_QUOTA_PER_HOUR',
};

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

/**
 * Where webhooks may be sent (API-2.md "Agency systems"): `https` only; loopback addresses only when
 * `allowLoopback` (the setting `webhooks_allow_loopback`, WEBHOOKS_ALLOW_LOOPBACK=true: tests,
 * development). `loopbackOnly` is for test stacks that must never reach another host (the fuzzer).
 * `dispatch` overrides the dispatcher's retry timing (tests only; the product uses DEFAULT_DISPATCH).
 */
export interface WebhookSettings {
  allowLoopback: boolean;
  loopbackOnly?: boolean;
  dispatch?: Partial<DispatchTuning>;
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
  limits: Limits;
  webhooks: WebhookSettings;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env = process.env): Config {
  checkAdminToken(env.ADMIN_TOKEN || undefined);
  return {
    port: port(env, 'PORT', 3000),
    host: env.HOST ?? '127.0.0.1',
    adminToken: env.ADMIN_TOKEN || undefined,
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalPort: port(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: port(env, 'TEMPORAL_UI_PORT', 8233),
    postgresPort: port(env, 'POSTGRES_PORT', 5433),
    taskQueue: env.TASK_QUEUE ?? 'public-data-cases',
    limits: {
      requestsPerSecond: integer(env, LIMIT_VARIABLES.requestsPerSecond, DEFAULT_LIMITS.requestsPerSecond, 1_000_000, 'a whole number of requests per second'),
      caseCreationsPerHour: integer(env, LIMIT_VARIABLES.caseCreationsPerHour, DEFAULT_LIMITS.caseCreationsPerHour, 1_000_000, 'a whole number of cases per hour'),
    },
    webhooks: { allowLoopback: flag(env, 'WEBHOOKS_ALLOW_LOOPBACK') },
  };
}
