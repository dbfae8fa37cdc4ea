import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { accessGrants, datasets, type AccessGrant } from '../schema';

/**
 * The grants of a dataset for one grantee, newest first, and whether the dataset exists and is
 * withdrawn — in one query (datasets by primary key, grants by access_grants_check_*_idx). The
 * caller judges them at its instant.
 */
export async function grantsFor(
  db: DbOrTx,
  datasetId: string,
  grantee: { agencyId: string } | { principalId: string },
): Promise<{ dataset: { withdrawn: boolean; withdrawnCitation: string | null } | null; grants: AccessGrant[] }> {
  const who = 'agencyId' in grantee ? eq(accessGrants.granteeAgencyId, grantee.agencyId) : eq(accessGrants.granteePrincipalId, grantee.principalId);
  const rows = await db
    .select({ withdrawn: datasets.withdrawn, withdrawnCitation: datasets.withdrawnCitation, grant: getTableColumns(accessGrants) })
    .from(datasets)
    .leftJoin(accessGrants, and(eq(accessGrants.datasetId, datasets.id), who))
    .where(eq(datasets.id, datasetId))
    .orderBy(desc(accessGrants.validFrom), desc(accessGrants.id))
    .limit(50);
  const first = rows[0];
  if (!first) return { dataset: null, grants: [] };
  return { dataset: { withdrawn: first.withdrawn, withdrawnCitation: first.withdrawnCitation }, grants: rows.flatMap((r) => (r.grant ? [r.grant] : [])) };
}
