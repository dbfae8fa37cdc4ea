import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { agreements, type AgreementRow } from '../schema';

export type AgreementInsert = typeof agreements.$inferInsert;

/** Insert-only: a retried activity finds the row it wrote and never changes it. */
export async function insertAgreement(db: DbOrTx, a: AgreementInsert): Promise<AgreementRow> {
  await db.insert(agreements).values(a).onConflictDoNothing();
  const [row] = await db.select().from(agreements).where(eq(agreements.id, a.id));
  return row!;
}

export async function agreementOfCase(db: DbOrTx, caseId: string): Promise<AgreementRow | undefined> {
  const [row] = await db.select().from(agreements).where(eq(agreements.caseId, caseId));
  return row;
}
