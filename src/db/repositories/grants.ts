import { asc, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accessGrants, type AccessGrant } from '../schema';

export type GrantInput = typeof accessGrants.$inferInsert;

/**
 * Grant ids are deterministic per case step, so a retried activity writes the grant once; and the
 * row is written only by a newer case revision than the one that last wrote it, so a slow retried
 * attempt can never turn a revoked grant back to active.
 */
export async function upsertGrant(db: DbOrTx, g: GrantInput & { revision: number }): Promise<void> {
  await db
    .insert(accessGrants)
    .values(g)
    .onConflictDoUpdate({
      target: accessGrants.id,
      set: { status: g.status, validTo: g.validTo ?? null, revision: g.revision },
      setWhere: lt(accessGrants.revision, g.revision),
    });
}

export async function grantsOfCase(db: DbOrTx, caseId: string): Promise<AccessGrant[]> {
  return db.select().from(accessGrants).where(eq(accessGrants.caseId, caseId)).orderBy(asc(accessGrants.createdAt));
}
