// P11's catalog read: the datasets a reassessment schedule's run reassesses. No table of its own —
// a schedule is a Temporal Schedule, its definition kept in the schedule's memo.
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx as Db } from '../client';
import { datasets, type Dataset } from '../schema';

/** Published datasets in `jurisdictions` of `openClass` (of one provider when given), not withdrawn, by id. */
export async function datasetsToReassess(db: Db, q: { jurisdictions: string[]; openClass: string; providerAgencyId: string | null }): Promise<Dataset[]> {
  const where: SQL[] = [inArray(datasets.jurisdiction, q.jurisdictions), eq(datasets.openClass, q.openClass), eq(datasets.withdrawn, false)];
  if (q.providerAgencyId) where.push(eq(datasets.providerAgencyId, q.providerAgencyId));
  return db.select().from(datasets).where(and(...where)).orderBy(asc(datasets.id));
}
