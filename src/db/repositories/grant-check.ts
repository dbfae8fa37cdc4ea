import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accessGrants, datasets, type AccessGrant } from '../schema';

/**
 * The grants of a dataset for one grantee, newest first (index access_grants_check_*_idx), and
 * whether the dataset exists and is withdrawn. The caller judges them at its instant.
 */
export async function grantsFor(
  db: DbOrTx,
  datasetId: string,
  grantee: { agencyId: string } | { principalId: string },
): Promise<{ dataset: { withdrawn: boolean; withdrawnCitation: string | null } | null; grants: AccessGrant[] }> {
  const [dataset] = await db.select({ withdrawn: datasets.withdrawn, withdrawnCitation: datasets.withdrawnCitation }).from(datasets).where(eq(datasets.id, datasetId));
  if (!dataset) return { dataset: null, grants: [] };
  const who = 'agencyId' in grantee ? eq(accessGrants.granteeAgencyId, grantee.agencyId) : eq(accessGrants.granteePrincipalId, grantee.principalId);
  const grants = await db
    .select()
    .from(accessGrants)
    .where(and(eq(accessGrants.datasetId, datasetId), who))
    .orderBy(desc(accessGrants.validFrom), desc(accessGrants.id))
    .limit(50);
  return { dataset, grants };
}
