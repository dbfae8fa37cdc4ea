// One cursor codec for every list. A cursor is the keyset position after a page (the sort key and
// id of its last row) and the list it belongs to, signed with an HMAC whose key is kept in
// PostgreSQL, so any replica accepts what another issued and a cursor this API did not issue (or
// issued for another list) is refused before it can reach a query.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client';
import { signingKey } from '../db/repositories/signing-keys';
import { badRequest } from './errors';

/** The paginated lists; a cursor of one is refused by the others. */
export type CursorList = 'cases' | 'datasets' | 'inbox' | 'principals';

/** A keyset position: `at` an ISO instant (null only in the inbox: tasks without a deadline), `id` the row's id. */
export interface Cursor {
  at: string | null;
  id: string;
}

const NULLABLE_AT: ReadonlySet<CursorList> = new Set(['inbox']);
// What toISOString() writes for an instant PostgreSQL can hold, and the ids the API gives rows.
const AT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,299}$/;
const PART = /^[A-Za-z0-9_-]+$/;
const SIG_BYTES = 16;

const keys = new WeakMap<Db, Promise<Buffer>>();
function keyOf(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = signingKey(db, 'cursor');
    keys.set(db, key);
    key.catch(() => keys.delete(db)); // a database that was down is asked again next time
  }
  return key;
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, SIG_BYTES);

/** The opaque cursor (`<base64url payload>.<base64url signature>`) for the position `c` in `list`. */
export async function encodeCursor(db: Db, list: CursorList, c: Cursor): Promise<string> {
  const payload = Buffer.from(JSON.stringify([list, c.at, c.id])).toString('base64url');
  return `${payload}.${sign(await keyOf(db), payload).toString('base64url')}`;
}

const invalid = () => badRequest('invalid_cursor', 'cursor is not one this API returned for this list; start again without it');

/**
 * The position a cursor of `list` names; undefined when there is none (the first page).
 * @throws 400 invalid_cursor for anything encodeCursor did not write for this list.
 */
export async function decodeCursor(db: Db, list: CursorList, raw: string | undefined): Promise<Cursor | undefined> {
  if (!raw) return undefined;
  const parts = raw.split('.');
  if (parts.length !== 2 || !PART.test(parts[0]!) || !PART.test(parts[1]!)) throw invalid();
  const [payload, signature] = parts as [string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== SIG_BYTES || !timingSafeEqual(given, sign(await keyOf(db), payload))) throw invalid();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Signed by us, and still checked: a leaked key must not turn into malformed queries.
  if (!Array.isArray(v) || v.length !== 3 || v[0] !== list) throw invalid();
  const [, at, id] = v as [string, unknown, unknown];
  const atOk = (at === null && NULLABLE_AT.has(list)) || (typeof at === 'string' && AT.test(at) && !Number.isNaN(Date.parse(at)));
  if (!atOk || typeof id !== 'string' || !ID.test(id)) throw invalid();
  return { at: at as string | null, id };
}

/** Given limit+1 rows, returns the page and the cursor of the next one (null on the last page). */
export async function page<T>(db: Db, list: CursorList, rows: T[], limit: number, key: (row: T) => Cursor): Promise<{ items: T[]; nextCursor: string | null }> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? await encodeCursor(db, list, key(last)) : null };
}
