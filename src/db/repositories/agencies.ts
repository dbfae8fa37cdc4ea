import { eq } from 'drizzle-orm';
import type { DbOrTx as Db } from '../client';
import { agencies, type Agency } from '../schema';

export async function findAgency(db: Db, id: string): Promise<Agency | undefined> {
  const [row] = await db.select().from(agencies).where(eq(agencies.id, id));
  return row;
}

/** Inserts the agency; returns undefined when the id is taken. */
export async function insertAgency(db: Db, a: { id: string; name: string; jurisdiction: string }): Promise<Agency | undefined> {
  const [row] = await db.insert(agencies).values(a).onConflictDoNothing().returning();
  return row;
}

export async function listAgencies(db: Db): Promise<Agency[]> {
  return db.select().from(agencies).orderBy(agencies.id);
}
