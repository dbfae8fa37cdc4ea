import type { Db } from '../db/client';
import { upsertCase } from '../db/repositories/cases';
import { upsertGrant } from '../db/repositories/grants';
import { appendAuditTx } from '../db/repositories/audit';
import type { CaseView } from '../domain/cases';

export interface GrantDraft {
  id: string;
  datasetId: string;
  granteeAgencyId: string | null;
  granteePrincipalId: string | null;
  mode: string;
  scope: Record<string, unknown>;
  basis: string;
  citation: string;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  validFrom: string;
  validTo: string | null;
}

export interface TransitionInput {
  revision: number;
  projection: {
    caseId: string;
    type: string;
    status: string;
    jurisdiction: string;
    requesterAgencyId: string | null;
    providerAgencyId: string | null;
    datasetId: string | null;
    createdBy: string;
    receivedAt: string;
    view: CaseView;
  };
  audit: { eventKey: string; caseId: string; at: string; actor: string; event: string; detail: Record<string, unknown>; citation: string | null }[];
  grants: GrantDraft[];
}

export function transitionActivities({ db }: { db: Db }) {
  return {
    /**
     * One transaction per case transition: the audit entries, the grants and the projection commit
     * together or not at all. Idempotent under retry (event keys, grant ids, revision guard).
     */
    async commitTransition(t: TransitionInput): Promise<void> {
      await db.transaction(async (tx) => {
        for (const e of t.audit) await appendAuditTx(tx, { ...e, at: new Date(e.at) });
        for (const g of t.grants) {
          await upsertGrant(tx, {
            ...g,
            caseId: t.projection.caseId,
            validFrom: new Date(g.validFrom),
            validTo: g.validTo ? new Date(g.validTo) : null,
          });
        }
        await upsertCase(tx, {
          ...t.projection,
          receivedAt: new Date(t.projection.receivedAt),
          revision: t.revision,
          view: t.projection.view as unknown as Record<string, unknown>,
        });
      });
    },
  };
}
