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

/**
 * The worker's memory and concurrency (README "Operating"). Temporal's SDK derives its workflow cache
 * from the V8 heap limit (about 2,300 workflows on a 4 GB heap), each cached workflow holding its
 * state in the workflow isolate; a case waits days for a person, so a smaller cache costs one
 * replay of its history when it next moves, and keeps the worker's memory flat however many cases run.
 */
export interface WorkerTuning {
  /** Workflows kept in memory between activations (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
  /** Workflow activations run at once (WORKER_MAX_CONCURRENT_WORKFLOW_TASKS); ≤ maxCachedWorkflows. */
  maxConcurrentWorkflowTaskExecutions: number;
  /** Activities run at once (WORKER_MAX_CONCURRENT_ACTIVITIES); each holds at most one PostgreSQL connection. */
  maxConcurrentActivityTaskExecutions: number;
  /**
   * Old-generation heap limit (MB) of the workflow isolate's thread (WORKER_WORKFLOW_HEAP_MB): V8
   * collects evicted workflows' garbage before the heap grows past it, instead of growing to the
   * process default (a quarter of the machine's memory up to 4 GB).
   */
  workflowHeapMb: number;
  /**
   * Semi-space size (MB) of the workflow isolate's young generation (WORKER_WORKFLOW_SEMI_SPACE_MB,
   * V8's --max-semi-space-size): V8 commits up to 2 × 16 MB by default and keeps it resident
   * however little the workflows allocate between scavenges; a smaller one costs more, shorter scavenges.
   */
  workflowSemiSpaceMb: number;
}

/** The product's worker defaults (measured by scripts/bench/memory.ts: 10,000 running cases). */
export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  maxCachedWorkflows: 100,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 40,
  workflowHeapMb: 96,
  workflowSemiSpaceMb: 4,
};

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
  worker: WorkerTuning;
  /** A scrape-only bearer for GET /metrics (METRICS_TOKEN, ≥ 24 characters); ADMIN_TOKEN opens it too. */
  metricsToken?: string;
  /**
   * host:port where the Temporal core of a process running a worker serves its Prometheus metrics
   * (TEMPORAL_METRICS_ADDRESS, default 127.0.0.1:9464; `off`: none). GET /metrics appends them.
   */
  temporalMetricsAddress?: string;
  /** host:port of a standalone worker's own /metrics (WORKER_METRICS_ADDRESS, node dist/worker.js; unset: none). */
  workerMetricsAddress?: string;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function address(env: NodeJS.ProcessEnv, name: string, fallback: string | undefined): string | undefined {
  const raw = env[name] || fallback;
  if (raw === undefined || raw === 'off') return undefined;
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`${name} must be host:port or off, got "${raw}"`);
  return raw;
}

export function loadConfig(env = process.env): Config {
  checkAdminToken(env.ADMIN_TOKEN || undefined);
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`METRICS_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long; make one with \`openssl rand -hex 24\``);
  }
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
    worker: {
      maxCachedWorkflows: integer(env, 'WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_WORKER_TUNING.maxCachedWorkflows, 1_000_000, 'a whole number of workflows'),
      maxConcurrentWorkflowTaskExecutions: integer(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', DEFAULT_WORKER_TUNING.maxConcurrentWorkflowTaskExecutions, 10_000, 'a whole number of workflow tasks'),
      maxConcurrentActivityTaskExecutions: integer(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', DEFAULT_WORKER_TUNING.maxConcurrentActivityTaskExecutions, 10_000, 'a whole number of activities'),
      workflowHeapMb: integer(env, 'WORKER_WORKFLOW_HEAP_MB', DEFAULT_WORKER_TUNING.workflowHeapMb, 1_000_000, 'a whole number of MB'),
      workflowSemiSpaceMb: integer(env, 'WORKER_WORKFLOW_SEMI_SPACE_MB', DEFAULT_WORKER_TUNING.workflowSemiSpaceMb, 1024, 'a whole number of MB'),
    },
    metricsToken: env.METRICS_TOKEN || undefined,
    temporalMetricsAddress: address(env, 'TEMPORAL_METRICS_ADDRESS', '127.0.0.1:9464'),
    workerMetricsAddress: address(env, 'WORKER_METRICS_ADDRESS', undefined),
  };
}
