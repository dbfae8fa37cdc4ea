// GET /v1/grants/check (API-2.md "Agency systems"): what the data platform asks at access time —
// may this agency or principal use this dataset now, under which grant and case, until when.
import type { Db } from '../../db/client';
import { grantsFor } from '../../db/repositories/grant-check';
import type { AccessGrant } from '../../db/schema';

export interface GrantCheck {
  allowed: boolean;
  grantId?: string;
  scope?: Record<string, unknown>;
  until?: string | null;
  caseId?: string;
  citation?: string;
  reason?: 'unknown_dataset' | 'data_withdrawn' | 'no_grant' | 'not_yet_valid' | 'expired' | 'suspended' | 'revoked';
}

const inForce = (g: AccessGrant, now: Date) => g.status === 'active' && g.validFrom <= now && (!g.validTo || g.validTo > now);

/** Why a grant does not allow access now (the most telling of them when there are several). */
function why(g: AccessGrant, now: Date): NonNullable<GrantCheck['reason']> {
  if (g.status === 'suspended') return 'suspended';
  if (g.status === 'revoked') return 'revoked';
  if (g.status === 'expired' || (g.validTo && g.validTo <= now)) return 'expired';
  return 'not_yet_valid';
}

export async function checkGrant(db: Db, q: { datasetId: string; agencyId?: string; principalId?: string }, now = new Date()): Promise<GrantCheck> {
  const grantee = q.agencyId !== undefined ? { agencyId: q.agencyId } : { principalId: q.principalId! };
  const { dataset, grants } = await grantsFor(db, q.datasetId, grantee);
  if (!dataset) return { allowed: false, reason: 'unknown_dataset' };
  // Withdrawn data is never allowed, whatever grant was opened on it (sz-open-2023:38, js-2020:36).
  if (dataset.withdrawn) return { allowed: false, reason: 'data_withdrawn', ...(dataset.withdrawnCitation ? { citation: dataset.withdrawnCitation } : {}) };
  const ok = grants.find((g) => inForce(g, now));
  if (ok) return { allowed: true, grantId: ok.id, scope: ok.scope, until: ok.validTo?.toISOString() ?? null, caseId: ok.caseId, citation: ok.citation };
  const latest = grants[0];
  if (!latest) return { allowed: false, reason: 'no_grant' };
  return { allowed: false, reason: why(latest, now), grantId: latest.id, caseId: latest.caseId, until: latest.validTo?.toISOString() ?? null };
}
