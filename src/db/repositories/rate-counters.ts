import { sql } from 'drizzle-orm';
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
  const [row] = await db
    .insert(rateCounters)
    .values({ scope, key, windowStart: windowStart(windowSeconds), count: 1 })
    .onConflictDoUpdate({
      target: [rateCounters.scope, rateCounters.key],
      set: {
        count: sql`CASE WHEN ${rateCounters.windowStart} = excluded.window_start THEN least(${rateCounters.count} + 1, ${cap}::int) ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: rateCounters.count, resetInMs: resetInMs(windowSeconds) });
  return row!;
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
