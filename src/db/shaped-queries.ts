// Queries built once per shape. Building a list query with drizzle (a UNION ALL of a few
// branches, every column named in each) takes ~1–3 ms of the API's CPU, more than PostgreSQL
// takes to plan and run it (0.1–0.5 ms each at 1,000,000 rows, scripts/bench/lists.ts): the SQL
// of a list depends only on its shape (which branches, which filters), so it is built once per
// shape with placeholders and run with each request's values.
//
// The statement stays unnamed (`prepare('')`: pg prepares a name only when it is non-empty), so
// PostgreSQL plans it with each request's values as before: no generic plan, which would not know
// the partial index `tasks_claimed_idx` applies nor how selective an agency or jurisdiction is.
import type { DbOrTx } from './client';

/** A built query: runs with the placeholders' values (drizzle's prepared query). */
export interface ShapedQuery<T> {
  execute(values: Record<string, unknown>): Promise<T>;
}

/** Shapes kept per database handle; past this many (a flood of odd shapes) the cache starts again. */
const MAX_SHAPES = 2000;
const caches = new WeakMap<object, Map<string, ShapedQuery<unknown>>>();

/**
 * The query of `shape` on `db`, built by `build` the first time (a drizzle query with
 * `sql.placeholder`s in place of values). `shape` must name everything the SQL text depends on.
 */
export function shaped<T>(db: DbOrTx, shape: string, build: () => { prepare(name: string): ShapedQuery<T> }): ShapedQuery<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let q = cache.get(shape) as ShapedQuery<T> | undefined;
  if (!q) {
    if (cache.size >= MAX_SHAPES) cache.clear();
    q = build().prepare('');
    cache.set(shape, q as ShapedQuery<unknown>);
  }
  return q;
}
