// POST /v1/share-demands (P2, js-2020:22): check the parties and the policy, then start the case.
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { findDataset } from '../../db/repositories/datasets';
import { shanghaiDate } from '../../domain/calendar/dates';
import {
  DEMAND_CITATION,
  DemandPlanError,
  demandPartiesViolation,
  demandPlan,
  shareDemandView,
  type ShareDemandBody,
  type ShareDemandInput,
} from '../../domain/share-demand';
import { unprocessable } from '../errors';
import { startCase, type StartContext } from './case-start';
import { assertMayFile, receiptOf, type Registration } from './registration';
import { resolveForCase } from './policies';

type Ctx = Omit<StartContext, 'route' | 'body' | 'caseType'>;

export type DemandRegistration = Registration;

export async function createShareDemand(ctx: Ctx, fullBody: ShareDemandBody & { registration?: DemandRegistration }) {
  const p = ctx.principal;
  const { registration, ...body } = fullBody;
  assertMayFile(p, registration, 'share demand');
  const provider = await findAgency(ctx.db, body.providerAgencyId);
  if (!provider) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });

  const { receivedAt, requesterAgencyId, ...via } = await receiptOf(ctx.db, p, registration, provider.jurisdiction, 'share demand');
  const parties = demandPartiesViolation(requesterAgencyId, provider.id);
  if (parties) throw unprocessable('provider_is_requester', parties, { field: 'providerAgencyId' });

  const policy = await resolveForCase(ctx.db, provider.jurisdiction, 'share-demand', shanghaiDate(receivedAt));
  try {
    demandPlan(policy); // the workflow follows the same plan; refuse here what it could not
  } catch (err) {
    if (err instanceof DemandPlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }

  return startCase<ShareDemandInput>(
    { ...ctx, route: 'POST /v1/share-demands', body: fullBody, caseType: 'share-demand' },
    {
      workflowType: 'shareDemand',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        ...via,
        createdBy: p.id,
        jurisdiction: provider.jurisdiction,
        policy,
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
