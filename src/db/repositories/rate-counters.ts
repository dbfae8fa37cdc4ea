import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { rateCounters } from '../schema';

/** A key's count in its current window, and the milliseconds until that window ends. */
export interface WindowCount {
  count: number;
  resetInMs: number;
}

// Windows are aligned on the database's clock, so replicas with skewed clocks agree on them.
const windowStart = (seconds: number) => sql`to_timestamp(floor(extract(epoch from clock_timestamp()) / ${seconds}::int) * ${seconds}::int)`;
const resetInMs = (seconds: number) =>
  sql<number>`ceil(extract(epoch from ${rateCounters.windowStart} + make_interval(secs => ${seconds}::int) - clock_timestamp()) * 1000)::int`;

/**
 * Counts one more event of `key` in the current fixed window of `windowSeconds`, atomically in one
 * statement (concurrent counts on any replica serialise on the row). The count stops at `cap`, so
 * a flood cannot grow it without bound. Returns the count including this event.
 */
export async function countInWindow(db: DbOrTx, scope: string, key: string, windowSeconds: number, cap: number): Promise<WindowCount> {
  const { rows } = await db.execute<{ count: number; reset_in_ms: number }>(countKeysSql({ scope, windowSeconds, cap }, sql`SELECT ${key}::text`));
  return { count: rows[0]!.count, resetInMs: rows[0]!.reset_in_ms };
}

/** Which counter a statement counts one more event in: the current window of `windowSeconds`, counted up to `cap`. */
export interface WindowCounting {
  scope: string;
  windowSeconds: number;
  cap: number;
}

/**
 * The `INSERT … ON CONFLICT` of countInWindow for keys a query computes (`keys`: a SELECT of one
 * text column, e.g. from a CTE), returning `count` and `reset_in_ms`: to count an event in the
 * same statement (one round trip) as the read that finds its key.
 */
export function countKeysSql(c: WindowCounting, keys: SQL): SQL {
  return sql`INSERT INTO ${rateCounters} (scope, key, window_start, count)
    SELECT ${c.scope}, k.key, ${windowStart(c.windowSeconds)}, 1 FROM (${keys}) AS k(key)
    ON CONFLICT (scope, key) DO UPDATE SET
      count = CASE WHEN ${rateCounters}.window_start = excluded.window_start THEN least(${rateCounters}.count + 1, ${c.cap}::int) ELSE 1 END,
      window_start = excluded.window_start
    RETURNING ${rateCounters}.count, ${resetInMs(c.windowSeconds)} AS reset_in_ms`;
}

/** The count of `key` in the current window without counting (0 when it has none yet). */
export async function readWindow(db: DbOrTx, scope: string, key: string, windowSeconds: number): Promise<WindowCount> {
  const start = windowStart(windowSeconds);
  const { rows } = await db.execute(sql`
    SELECT coalesce((SELECT ${rateCounters.count} FROM ${rateCounters}
                     WHERE ${rateCounters.scope} = ${scope} AND ${rateCounters.key} = ${key} AND ${rateCounters.windowStart} = ${start}), 0) AS count,
           ceil(extract(epoch from ${start} + make_interval(secs => ${windowSeconds}::int) - clock_timestamp()) * 1000)::int AS "resetInMs"`);
  return rows[0] as unknown as WindowCount;
}
