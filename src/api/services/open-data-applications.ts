// POST /v1/open-data-applications (P3): who may apply, for which data, with what — checked against
// the catalog and the case's policy before the case starts, so nothing half-made is left behind.
import { findAgency } from '../../db/repositories/agencies';
import { findDataset } from '../../db/repositories/datasets';
import { shanghaiDate } from '../../domain/calendar/dates';
import type { DataClass } from '../../domain/catalog';
import {
  applicationPlan,
  ApplicationPlanError,
  applicationViolations,
  citationsOf,
  openClassRefusal,
  openDataApplicationView,
  type OpenDataApplicationBody,
  type OpenDataApplicationInput,
  type OpenDatasetSnapshot,
} from '../../domain/open-data-application';
import { forbidden, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';
import { startCase, type StartContext } from './case-start';
import { resolveForCase } from './policies';

type Ctx = Omit<StartContext, 'route' | 'body' | 'caseType'>;

/** sz-open-2023:5 — data users are natural persons, legal persons and other organisations; agencies share (P1). */
export function assertDataUser(p: Principal): void {
  if (!p.roles.includes('data_user')) throw forbidden('an open-data application is made by a data user (数据利用主体)');
  if (p.agencyId) {
    throw forbidden('a principal acting for a public agency obtains data by a share request (POST /v1/share-requests), not an open-data application');
  }
}

export async function createOpenDataApplication(ctx: Ctx, body: OpenDataApplicationBody) {
  const p = ctx.principal;
  assertDataUser(p);
  const ds = await findDataset(ctx.db, body.datasetId);
  if (!ds) throw unprocessable('unknown_dataset', `dataset "${body.datasetId}" is not in the catalog`, { field: 'datasetId' });
  const providerAgency = await findAgency(ctx.db, ds.providerAgencyId);
  const dataset: OpenDatasetSnapshot = {
    id: ds.id,
    name: ds.name,
    providerAgencyId: ds.providerAgencyId,
    providerName: providerAgency?.name ?? ds.providerAgencyId,
    jurisdiction: ds.jurisdiction,
    openClass: ds.openClass as DataClass,
    legalBasis: ds.legalBasis,
  };

  const receivedAt = new Date().toISOString();
  const receivedDate = shanghaiDate(receivedAt);
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'open-data-application', receivedDate);
  const refusal = openClassRefusal(dataset, policy);
  if (refusal) throw unprocessable(refusal.code, refusal.message, refusal.details);
  const violations = applicationViolations(body, receivedDate, citationsOf(policy).application);
  if (violations.length) {
    const code = violations.length === 1 ? violations[0]!.code : 'invalid_application';
    throw unprocessable(code, violations.map((v) => v.message).join('; '), violations);
  }
  try {
    applicationPlan(policy); // the workflow follows the same plan; refuse here what it could not
  } catch (err) {
    if (err instanceof ApplicationPlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }

  return startCase<OpenDataApplicationInput>(
    { ...ctx, route: 'POST /v1/open-data-applications', body, caseType: 'open-data-application' },
    {
      workflowType: 'openDataApplication',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        receivedVia: 'api',
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        applicant: { principalId: p.id, name: p.name },
        dataset,
        application: body,
      }),
      view: openDataApplicationView,
    },
  );
}
