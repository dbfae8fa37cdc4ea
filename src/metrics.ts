// Metrics for operators (issue 17, README "Operating"): one prom-client registry per process.
// The API serves it at GET /metrics (api/routes/metrics.ts), with the
// Temporal SDK's runtime metrics of the same process appended (the core serves them on its own
// address, TEMPORAL_METRICS_ADDRESS). A standalone worker (node dist/worker.js) serves its registry
// and the core's on WORKER_METRICS_ADDRESS (serveWorkerMetrics).
import { createServer, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DbOrTx } from './db/client';

/** The process's registry: Node's own metrics (memory, event loop, GC) and the product's below. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds each HTTP request took, by route pattern (not the raw URL), method and status. */
export const httpDuration = new Histogram({
  name: 'pdg_http_request_duration_seconds',
  help: 'HTTP requests of the API, by route pattern, method and status code (seconds)',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Seconds a POST /v1/tasks/:taskId/decision took (the decision latency), by status code. */
export const decisionLatency = new Histogram({
  name: 'pdg_decision_duration_seconds',
  help: 'POST /v1/tasks/:taskId/decision, from request to response, by status code (seconds)',
  labelNames: ['status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5],
  registers: [registry],
});

/**
 * Deadlines whose consequence the worker committed (a task closed past its due time: deemed
 * consent, escalation, a correction's public notice), by case type and audit event
 * (`deadline_passed`, `deadline_missed`). Counted after the transaction commits, in the worker's
 * process; a commit retried after it succeeded is counted again (at least once).
 */
export const deadlinesFired = new Counter({
  name: 'pdg_deadlines_fired_total',
  help: 'Deadline consequences committed by the worker, by case type and audit event',
  labelNames: ['case_type', 'event'] as const,
  registers: [registry],
});

/** Open tasks by case type, read from PostgreSQL at scrape time. */
export const openTasks = new Gauge({
  name: 'pdg_tasks_open',
  help: 'Open tasks, by case type (read from PostgreSQL at scrape time)',
  labelNames: ['case_type'] as const,
  registers: [registry],
});

/** Open tasks past their due time, by case type, read from PostgreSQL at scrape time. */
export const overdueTasks = new Gauge({
  name: 'pdg_tasks_overdue',
  help: 'Open tasks whose due time has passed, by case type (read from PostgreSQL at scrape time)',
  labelNames: ['case_type'] as const,
  registers: [registry],
});

/** The route of a decision (api/routes/tasks.ts) as Fastify names it. */
const DECISION_ROUTE = '/v1/tasks/:taskId/decision';

/**
 * Records one answered HTTP request: its duration (ms, Fastify's `reply.elapsedTime`) under its route
 * pattern (`undefined` when no route matched: "unmatched"), and under decision latency for a decision.
 */
export function observeRequest(method: string, route: string | undefined, status: number, elapsedMs: number): void {
  const seconds = elapsedMs / 1000;
  httpDuration.observe({ method, route: route ?? 'unmatched', status: String(status) }, seconds);
  if (method === 'POST' && route === DECISION_ROUTE) decisionLatency.observe({ status: String(status) }, seconds);
}

/** The audit events of a deadline's consequence (workflows/kernel/task-kernel.ts). */
const DEADLINE_EVENTS = new Set(['deadline_passed', 'deadline_missed']);

/** Counts the deadline consequences among a committed transition's audit entries. */
export function countDeadlines(caseType: string, audit: readonly { event: string }[]): void {
  for (const e of audit) if (DEADLINE_EVENTS.has(e.event)) deadlinesFired.inc({ case_type: caseType, event: e.event });
}

/**
 * Sets the task gauges from PostgreSQL: one grouped count over the open tasks (the inbox indexes
 * lead with `status`).
 */
export async function refreshTaskGauges(db: DbOrTx): Promise<void> {
  const { rows } = await db.execute(
    sql`SELECT case_type, count(*)::int AS open, (count(*) FILTER (WHERE due_at < now()))::int AS overdue FROM tasks WHERE status = 'open' GROUP BY case_type`,
  );
  openTasks.reset();
  overdueTasks.reset();
  for (const r of rows as { case_type: string; open: number; overdue: number }[]) {
    openTasks.set({ case_type: r.case_type }, r.open);
    overdueTasks.set({ case_type: r.case_type }, r.overdue);
  }
}

/**
 * The Temporal core's Prometheus text from `address` (host:port, TEMPORAL_METRICS_ADDRESS), or a
 * comment saying why there is none; never throws (a scrape must not fail on it).
 */
export async function temporalRuntimeMetrics(address: string | undefined): Promise<string> {
  if (!address) return '# Temporal SDK runtime metrics: none in this process (no worker, or TEMPORAL_METRICS_ADDRESS=off)\n';
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return `# Temporal SDK runtime metrics: ${address} answered ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal SDK runtime metrics: ${address} did not answer (${err instanceof Error ? err.message : String(err)})\n`;
  }
}

/** This process's registry, then the Temporal core's text: one Prometheus exposition. */
export async function exposition(temporalMetricsAddress: string | undefined): Promise<string> {
  return `${await registry.metrics()}\n${await temporalRuntimeMetrics(temporalMetricsAddress)}`;
}

/**
 * A standalone worker's metrics (deadlines fired, Node's, the core's) on `host:port` at /metrics,
 * bearer `token` required. Resolves once listening.
 */
export async function serveWorkerMetrics(address: string, token: string | undefined, temporalMetricsAddress: string | undefined): Promise<Server> {
  const [host, port] = splitAddress(address);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    if (!token || req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
    void exposition(temporalMetricsAddress).then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

/** "host:port" → [host, port]. @throws Error when it is not one. */
export function splitAddress(address: string): [string, number] {
  const m = /^(.+):(\d{1,5})$/.exec(address);
  if (!m || Number(m[2]) > 65535) throw new Error(`expected host:port, got "${address}"`);
  return [m[1]!, Number(m[2])];
}
