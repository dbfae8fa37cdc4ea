// Where one list request's time goes: each request sent alone (c=1), every PostgreSQL statement
// it runs timed on the client side (pg's Client#query, patched for the trace only) against the
// request's start, and the time the server spends on each (EXPLAIN ANALYZE: planning, execution).
import pg from 'pg';
import { pct } from './table';

/** One statement of a traced request: its first words, when it was sent and how long until its answer (ms). */
interface Statement {
  text: string;
  startMs: number;
  ms: number;
}

/** The median request: total, each statement in order, and the time outside statements (ms). */
export interface RequestTrace {
  totalMs: number;
  statements: { text: string; startMs: number; ms: number }[];
  /** Time the request spends outside PostgreSQL: HTTP, Fastify, validation, serialisation, the client. */
  outsideMs: number;
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * Sends `n` requests one at a time through `send` and records the statements each runs.
 * Returns the median of each step over the `n` requests (statements matched by position).
 * Throws when requests do not all run the same number of statements.
 */
export async function traceRequests(n: number, send: () => Promise<void>): Promise<RequestTrace> {
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  let current: Statement[] | null = null;
  let t0 = 0;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '')).replace(/\s+/g, ' ').slice(0, 60);
    const rec: Statement | null = current ? { text, startMs: performance.now() - t0, ms: NaN } : null;
    if (rec) current!.push(rec);
    const done = () => rec && (rec.ms = performance.now() - t0 - rec.startMs);
    // pg.Pool#query passes a callback (no promise then); drizzle on a client awaits the promise.
    const cb = args[args.length - 1];
    if (rec && typeof cb === 'function') {
      args[args.length - 1] = (...a: unknown[]) => {
        done();
        return (cb as (...x: unknown[]) => unknown)(...a);
      };
    }
    const r = original.apply(this, args);
    if (rec && typeof cb !== 'function' && r && typeof (r as Promise<unknown>).then === 'function') {
      void (r as Promise<unknown>).then(done, done);
    }
    return r;
  };
  const runs: { total: number; statements: Statement[] }[] = [];
  try {
    for (let i = 0; i < n; i++) {
      current = [];
      t0 = performance.now();
      await send();
      runs.push({ total: performance.now() - t0, statements: current });
      current = null;
    }
  } finally {
    proto.query = original;
  }
  const counts = new Set(runs.map((r) => r.statements.length));
  if (counts.size !== 1) throw new Error(`requests ran different numbers of statements: ${[...counts].join(', ')}`);
  const med = (xs: number[]) => pct(xs, 50);
  const statements = runs[0]!.statements.map((s, i) => ({ text: s.text, startMs: med(runs.map((r) => r.statements[i]!.startMs)), ms: med(runs.map((r) => r.statements[i]!.ms)) }));
  const outside = runs.map((r) => r.total - r.statements.reduce((a, s) => a + s.ms, 0));
  return { totalMs: med(runs.map((r) => r.total)), statements, outsideMs: med(outside) };
}

/** The trace as lines of text for .tmp/lists-trace.txt. */
export function formatTrace(name: string, t: RequestTrace): string {
  const lines = [`## ${name}: median of c=1 requests, total ${t.totalMs.toFixed(2)} ms, ${t.statements.length} statements, outside PostgreSQL ${t.outsideMs.toFixed(2)} ms`];
  for (const s of t.statements) lines.push(`  +${s.startMs.toFixed(2)} ms  ${s.ms.toFixed(2)} ms  ${s.text}`);
  return lines.join('\n');
}
