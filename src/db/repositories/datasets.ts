import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { DbOrTx as Db } from '../client';
import { datasets, type Dataset } from '../schema';

export async function findDataset(db: Db, id: string): Promise<Dataset | undefined> {
  const [row] = await db.select().from(datasets).where(eq(datasets.id, id));
  return row;
}

export async function insertDataset(db: Db, d: typeof datasets.$inferInsert): Promise<Dataset | undefined> {
  const [row] = await db.insert(datasets).values(d).onConflictDoNothing().returning();
  return row;
}

export interface PageCursor {
  at: string;
  id: string;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listDatasets(
  db: Db,
  q: { providerAgencyId?: string; limit: number; after?: PageCursor },
): Promise<Dataset[]> {
  const where: SQL[] = [];
  if (q.providerAgencyId) where.push(eq(datasets.providerAgencyId, q.providerAgencyId));
  if (q.after) {
    const at = new Date(q.after.at);
    where.push(or(lt(datasets.createdAt, at), and(eq(datasets.createdAt, at), lt(datasets.id, q.after.id)))!);
  }
  return db
    .select()
    .from(datasets)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(datasets.createdAt), desc(datasets.id))
    .limit(q.limit);
}
