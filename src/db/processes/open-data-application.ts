// The tables of P3 open-data applications and their queries: a process's own tables live in
// db/processes/<id>.ts (drizzle-kit reads them with db/schema.ts; drizzle.config.ts).
import { eq } from 'drizzle-orm';
import { jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client';
import { createdAt } from '../schema';

/**
 * Data-use agreements (sz-open-2023:21, js-2020:26): the text both parties sign, stored once and
 * never changed, with its sha256. Signatures are case transitions (audit chain + case view), each
 * naming the sha256 it signed. A trigger (migration 0002) refuses UPDATE and DELETE.
 */
export const agreements = pgTable(
  'agreements',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    datasetId: text('dataset_id').notNull(),
    providerAgencyId: text('provider_agency_id').notNull(),
    applicantPrincipalId: text('applicant_principal_id').notNull(),
    templateVersion: text('template_version').notNull(),
    citation: text('citation').notNull(),
    clauses: jsonb('clauses').$type<{ key: string; title: string; citation: string }[]>().notNull(),
    text: text('text').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agreements_case_idx').on(t.caseId)],
);
export type AgreementRow = typeof agreements.$inferSelect;

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
