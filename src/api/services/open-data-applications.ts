// POST /v1/open-data-applications (P3): who may apply, for which data, with what — checked against
// the catalog and the case's policy before the case starts, so nothing half-made is left behind.
import { findAgency } from '../../db/repositories/agencies';
import { shanghaiDate } from '../../domain/calendar/dates';
import type { DataClass } from '../../domain/catalog';
import {
  applicationPlan,
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
import { accessibleEntry, caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

/** sz-open-2023:5 — data users are natural persons, legal persons and other organisations; agencies share (P1). */
export function assertDataUser(p: Principal): void {
  if (!p.roles.includes('data_user')) throw forbidden('an open-data application is made by a data user (数据利用主体)');
  if (p.agencyId) {
    throw forbidden('a principal acting for a public agency obtains data by a share request (POST /v1/share-requests), not an open-data application');
  }
}

export async function createOpenDataApplication(ctx: CreateContext, body: OpenDataApplicationBody) {
  const p = ctx.principal;
  assertDataUser(p);
  const ds = await accessibleEntry(ctx.db, body.datasetId);
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
  // The dataset's class and the application itself are checked against the policy before its plan.
  const { policy } = await resolvePolicy(
    ctx.db,
    dataset.jurisdiction,
    'open-data-application',
    receivedAt,
    (rules) => {
      const refusal = openClassRefusal(dataset, rules);
      if (refusal) throw unprocessable(refusal.code, refusal.message, refusal.details);
      const violations = applicationViolations(body, shanghaiDate(receivedAt), citationsOf(rules).application);
      if (violations.length) {
        const code = violations.length === 1 ? violations[0]!.code : 'invalid_application';
        throw unprocessable(code, violations.map((v) => v.message).join('; '), violations);
      }
      return applicationPlan(rules);
    },
  );

  return startCase<OpenDataApplicationInput>(
    { ...ctx, route: 'POST /v1/open-data-applications', body, caseType: 'open-data-application' },
    {
      workflowType: 'openDataApplication',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: dataset.jurisdiction, policy }),
        applicant: { principalId: p.id, name: p.name },
        dataset,
        application: body,
      }),
      view: openDataApplicationView,
    },
  );
}
