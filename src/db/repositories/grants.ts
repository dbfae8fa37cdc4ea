import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accessGrants, type AccessGrant } from '../schema';

export type GrantInput = typeof accessGrants.$inferInsert;

/** Grant ids are deterministic per case step, so a retried activity writes the grant once. */
export async function upsertGrant(db: DbOrTx, g: GrantInput): Promise<void> {
  await db
    .insert(accessGrants)
    .values(g)
    .onConflictDoUpdate({ target: accessGrants.id, set: { status: g.status, validTo: g.validTo ?? null } });
}

export async function grantsOfCase(db: DbOrTx, caseId: string): Promise<AccessGrant[]> {
  return db.select().from(accessGrants).where(eq(accessGrants.caseId, caseId)).orderBy(asc(accessGrants.createdAt));
}
