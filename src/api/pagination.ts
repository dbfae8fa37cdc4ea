import { badRequest } from './errors';

export interface Cursor {
  at: string;
  id: string;
}

/** Opaque keyset cursors: base64url of {at, id} of the last row of the previous page. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    // Only what encodeCursor writes: a toISOString() instant PostgreSQL can hold and an id
    // without NUL (PostgreSQL text cannot store it), so a forged cursor is a 400, never a 500.
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v[0]) &&
      !Number.isNaN(Date.parse(v[0])) &&
      !v[1].includes('\u0000')
    ) {
      return { at: v[0], id: v[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid_cursor', 'cursor is not one this API returned');
}

/** Given limit+1 rows, returns the page and the cursor of the next one. */
export function page<T>(rows: T[], limit: number, key: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
