import { eq } from 'drizzle-orm';
import type { DbOrTx as Db } from '../client';
import { agencies, principals } from '../schema';

export interface PrincipalRecord {
  id: string;
  name: string;
  agencyId: string | null;
  roles: string[];
  /** The jurisdiction of the principal's agency, if any. */
  jurisdiction: string | null;
}

export async function findPrincipalByTokenHash(db: Db, tokenHash: string): Promise<PrincipalRecord | undefined> {
  const [row] = await db
    .select({
      id: principals.id,
      name: principals.name,
      agencyId: principals.agencyId,
      roles: principals.roles,
      jurisdiction: agencies.jurisdiction,
    })
    .from(principals)
    .leftJoin(agencies, eq(agencies.id, principals.agencyId))
    .where(eq(principals.tokenHash, tokenHash));
  return row;
}

export async function insertPrincipal(
  db: Db,
  p: { id: string; name: string; agencyId: string | null; roles: string[]; tokenHash: string },
): Promise<void> {
  await db.insert(principals).values(p);
}

export async function findPrincipalById(db: Db, id: string): Promise<PrincipalRecord | undefined> {
  const [row] = await db
    .select({ id: principals.id, name: principals.name, agencyId: principals.agencyId, roles: principals.roles, jurisdiction: agencies.jurisdiction })
    .from(principals)
    .leftJoin(agencies, eq(agencies.id, principals.agencyId))
    .where(eq(principals.id, id));
  return row;
}
