import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { idempotencyKeys } from '../schema';

export interface IdempotencyRecord {
  route: string;
  bodyHash: string;
  caseId: string;
}

export async function findIdempotencyKey(db: DbOrTx, principalId: string, key: string): Promise<(IdempotencyRecord & { createdAt: Date }) | undefined> {
  const [row] = await db
    .select({ route: idempotencyKeys.route, bodyHash: idempotencyKeys.bodyHash, caseId: idempotencyKeys.caseId, createdAt: idempotencyKeys.createdAt })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key)));
  return row;
}

/** Claims the key; when another request claimed it first, returns that request's record. */
export async function claimIdempotencyKey(
  db: DbOrTx,
  principalId: string,
  key: string,
  rec: IdempotencyRecord,
): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord & { createdAt: Date } }> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ principalId, key, ...rec })
    .onConflictDoNothing()
    .returning({ caseId: idempotencyKeys.caseId });
  if (inserted.length) return { claimed: true };
  return { claimed: false, record: (await findIdempotencyKey(db, principalId, key))! };
}

/**
 * Takes over a key claimed before `staleBefore` whose attempt died before starting its case: the
 * claim time moves to now, so exactly one of several concurrent retries gets true.
 */
export async function takeOverIdempotencyKey(db: DbOrTx, principalId: string, key: string, staleBefore: Date): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ createdAt: new Date() })
    .where(and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, staleBefore)))
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}
