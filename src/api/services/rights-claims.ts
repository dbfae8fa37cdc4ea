// POST /v1/rights-claims (P6: sz-open-2023:38, js-2020:36, sip-2021:35): anyone who holds that
// open data infringes its privacy or commercial secrets tells the provider, with materials.
import { shanghaiDate } from '../../domain/calendar/dates';
import { rightsClaimView, verificationPlan, VerificationPlanError, type RightsClaimBody, type RightsClaimInput } from '../../domain/rights-claim';
import { unprocessable } from '../errors';
import { startCase } from './case-start';
import { datasetRef, type Ctx } from './objections';
import { resolveForCase } from './policies';

export async function createRightsClaim(ctx: Ctx, body: RightsClaimBody) {
  const p = ctx.principal;
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const receivedAt = new Date().toISOString();
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'rights-claim', shanghaiDate(receivedAt));
  try {
    verificationPlan(policy);
  } catch (err) {
    if (err instanceof VerificationPlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }
  return startCase<RightsClaimInput>(
    { ...ctx, route: 'POST /v1/rights-claims', body, caseType: 'rights-claim' },
    {
      workflowType: 'rightsClaim',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        receivedVia: 'api',
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        claimant: { principalId: p.id, agencyId: p.agencyId },
        dataset,
        claim: { ...body, materials: body.materials ?? [] },
      }),
      view: rightsClaimView,
    },
  );
}
