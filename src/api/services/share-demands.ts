// POST /v1/share-demands (P2, js-2020:22): check the parties and the policy, then start the case.
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { findDataset } from '../../db/repositories/datasets';
import {
  DEMAND_CITATION,
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

/**
 * The check a `deliver` decision needs and a workflow validator cannot make (it may do no I/O):
 * the dataset named must be in the catalog and belong to the provider agency. Not wired yet: the
 * generic decision route (services/tasks.ts) has no per-kind hook to call it (see the report).
 */
export async function deliveryRefusal(db: Db, providerAgencyId: string, fields: Record<string, unknown>) {
  const id = fields.datasetId;
  if (typeof id !== 'string' || !id.trim()) return null; // the workflow's required-field check answers
  const ds = await findDataset(db, id);
  if (!ds) return unprocessable('unknown_dataset', `dataset "${id}" is not in the catalog: register the delivered data first (${DEMAND_CITATION})`, { field: 'datasetId' });
  if (ds.providerAgencyId !== providerAgencyId) {
    return unprocessable('not_provider_dataset', `dataset "${id}" belongs to ${ds.providerAgencyId}, not to the provider ${providerAgencyId}`, { field: 'datasetId' });
  }
  return null;
}
