// POST /v1/rights-claims (P6: sz-open-2023:38, js-2020:36, sip-2021:35): anyone who holds that
// open data infringes its privacy or commercial secrets tells the provider, with materials.
import { rightsClaimView, verificationPlan, type RightsClaimBody, type RightsClaimInput } from '../../domain/rights-claim';
import { caseStart, datasetRef, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';
import { withDocuments } from './case-actions';

export async function createRightsClaim(ctx: CreateContext, body: RightsClaimBody) {
  const p = ctx.principal;
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const { materials } = await withDocuments(ctx.db, { materials: body.materials });
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, dataset.jurisdiction, 'rights-claim', receivedAt, verificationPlan);
  return startCase<RightsClaimInput>(
    { ...ctx, route: 'POST /v1/rights-claims', body, caseType: 'rights-claim' },
    {
      workflowType: 'rightsClaim',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: dataset.jurisdiction, policy }),
        claimant: { principalId: p.id, agencyId: p.agencyId },
        dataset,
        claim: { ...body, materials: (materials as RightsClaimInput['claim']['materials']) ?? [] },
      }),
      view: rightsClaimView,
    },
  );
}
