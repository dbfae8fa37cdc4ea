// POST /v1/share-demands (P2, js-2020:22): check the parties and the policy, then start the case.
import { findAgency } from '../../db/repositories/agencies';
import {
  demandPartiesViolation,
  demandPlan,
  shareDemandView,
  type ShareDemandBody,
  type ShareDemandInput,
} from '../../domain/share-demand';
import { unprocessable } from '../errors';
import { caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';
import { assertMayFile, receiptOf, type Registration } from './registration';

export type DemandRegistration = Registration;

export async function createShareDemand(ctx: CreateContext, fullBody: ShareDemandBody & { registration?: DemandRegistration }) {
  const p = ctx.principal;
  const { registration, ...body } = fullBody;
  assertMayFile(p, registration, 'share demand');
  const provider = await findAgency(ctx.db, body.providerAgencyId);
  if (!provider) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });

  const { receivedAt, receivedVia, requesterAgencyId, ...via } = await receiptOf(ctx.db, p, registration, provider.jurisdiction, 'share demand');
  const parties = demandPartiesViolation(requesterAgencyId, provider.id);
  if (parties) throw unprocessable('provider_is_requester', parties, { field: 'providerAgencyId' });

  const { policy } = await resolvePolicy(ctx.db, provider.jurisdiction, 'share-demand', receivedAt, demandPlan);

  return startCase<ShareDemandInput>(
    { ...ctx, route: 'POST /v1/share-demands', body: fullBody, caseType: 'share-demand' },
    {
      workflowType: 'shareDemand',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, receivedVia, createdBy: p.id, jurisdiction: provider.jurisdiction, policy }),
        ...via,
        requester: { principalId: p.id, agencyId: requesterAgencyId },
        provider: { agencyId: provider.id, name: provider.name },
        demand: body,
      }),
      view: shareDemandView,
    },
  );
}
