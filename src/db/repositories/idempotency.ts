import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { idempotencyKeys } from '../schema';

export interface IdempotencyRecord {
  route: string;
  bodyHash: string;
  caseId: string;
}

export async function findIdempotencyKey(db: DbOrTx, principalId: string, key: string): Promise<IdempotencyRecord | undefined> {
  const [row] = await db
    .select({ route: idempotencyKeys.route, bodyHash: idempotencyKeys.bodyHash, caseId: idempotencyKeys.caseId })
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
): Promise<{ claimed: boolean; record: IdempotencyRecord }> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ principalId, key, ...rec })
    .onConflictDoNothing()
    .returning({ caseId: idempotencyKeys.caseId });
  if (inserted.length) return { claimed: true, record: rec };
  return { claimed: false, record: (await findIdempotencyKey(db, principalId, key))! };
}
