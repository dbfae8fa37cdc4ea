// The one side effect of P6 outside its own case: withdrawing data from open use suspends the
// open-data grants other cases hold on the dataset (sz-open-2023:38 撤回数据, js-2020:36 中止、撤回).
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { appendAuditTx } from '../db/repositories/audit';
import { accessGrants, auditLog, cases } from '../db/schema';
import { OPEN_DATA_CASE_TYPE } from '../domain/rights-claim';
import { OPEN_DATA_FINAL_STATUSES } from '../domain/open-data-application';

export interface GrantSuspension {
  /** The rights claim that withdraws the data. */
  claimCaseId: string;
  datasetId: string;
  actor: string;
  citation: string;
  /** Workflow time of the decision, so every attempt writes the same entries. */
  at: string;
}

const keyPrefix = (claimCaseId: string) => `${claimCaseId}:grant-suspended:`;

export function activities({ db }: { db: Db }) {
  return {
    /** The open-data cases holding an active (or breach-restricted) grant on the dataset. */
    async openDataGrantHolders(datasetId: string): Promise<{ caseId: string; grantId: string }[]> {
      return db
        .select({ caseId: accessGrants.caseId, grantId: accessGrants.id })
        .from(accessGrants)
        .innerJoin(cases, eq(cases.caseId, accessGrants.caseId))
        .where(and(eq(accessGrants.datasetId, datasetId), inArray(accessGrants.status, ['active', 'suspended']), eq(cases.type, OPEN_DATA_CASE_TYPE)))
        .orderBy(asc(accessGrants.id));
    },

    /**
     * The open-data cases on the dataset that have not ended, each with its grant when it holds one
     * (active or breach-restricted): a withdrawal reaches the applications still in review too, so
     * none of them opens access on withdrawn data.
     */
    async openDataCasesOn(datasetId: string): Promise<{ caseId: string; grantId: string | null }[]> {
      const rows = await db
        .select({ caseId: cases.caseId, grantId: accessGrants.id })
        .from(cases)
        .leftJoin(accessGrants, and(eq(accessGrants.caseId, cases.caseId), inArray(accessGrants.status, ['active', 'suspended'])))
        .where(and(eq(cases.datasetId, datasetId), eq(cases.type, OPEN_DATA_CASE_TYPE), notInArray(cases.status, [...OPEN_DATA_FINAL_STATUSES])))
        .orderBy(asc(cases.caseId));
      return rows.map((r) => ({ caseId: r.caseId, grantId: r.grantId ?? null }));
    },

    /**
     * Earlier histories' way (before `patched('withdrawal-through-cases')`): writes the other cases'
     * grants directly. Kept so those histories replay.
     * Suspends every active (or breach-restricted) grant on the dataset held by an open-data application, each with an
     * audit entry in that grant's own case — in one transaction. Idempotent under retry: the
     * entries are keyed by claim and grant, and the answer (every grant this claim suspended) is
     * read back from them, so a retry after a lost reply returns the same list.
     */
    async suspendOpenDataGrants(s: GrantSuspension): Promise<string[]> {
      return db.transaction(async (tx) => {
        const active = await tx
          .select({ id: accessGrants.id, caseId: accessGrants.caseId, mode: accessGrants.mode })
          .from(accessGrants)
          .innerJoin(cases, eq(cases.caseId, accessGrants.caseId))
          .where(and(eq(accessGrants.datasetId, s.datasetId), inArray(accessGrants.status, ['active', 'suspended']), eq(cases.type, OPEN_DATA_CASE_TYPE)))
          .orderBy(asc(accessGrants.id))
          .for('update', { of: accessGrants });
        for (const g of active) {
          // A grant already restricted for a breach is recorded too: the withdrawal must outlast that restriction.
          await tx.update(accessGrants).set({ status: 'suspended' }).where(and(eq(accessGrants.id, g.id), eq(accessGrants.status, 'active')));
          await appendAuditTx(tx, {
            eventKey: `${keyPrefix(s.claimCaseId)}${g.id}`,
            caseId: g.caseId,
            at: new Date(s.at),
            actor: s.actor,
            event: 'grant_suspended',
            detail: { grantId: g.id, datasetId: s.datasetId, mode: g.mode, byCase: s.claimCaseId },
            citation: s.citation,
          });
        }
        const done = await tx
          .select({ key: auditLog.eventKey })
          .from(auditLog)
          .where(
            and(
              // by the grants' cases first, so the case index of the audit chain does the work
              inArray(auditLog.caseId, tx.select({ caseId: accessGrants.caseId }).from(accessGrants).where(eq(accessGrants.datasetId, s.datasetId))),
              eq(auditLog.event, 'grant_suspended'),
              sql`starts_with(${auditLog.eventKey}, ${keyPrefix(s.claimCaseId)})`,
            ),
          )
          .orderBy(asc(auditLog.eventKey));
        return done.map((d) => d.key.slice(keyPrefix(s.claimCaseId).length));
      });
    },
  };
}
