// POST /v1/third-party-authorisations (P10: sip-2021:34, jy-2023:33, cm-draft:31): a provider agency
// files its authorisation of a third party with the competent department of its jurisdiction.
import { findDataset } from '../../db/repositories/datasets';
import { shanghaiDate } from '../../domain/calendar/dates';
import {
  datasetViolations,
  filingPlan,
  termsViolations,
  thirdPartyAuthorisationView,
  violationsCode,
  type AuthorisationTerms,
  type ThirdPartyAuthorisationInput,
} from '../../domain/third-party-authorisation';
import { forbidden, unprocessable } from '../errors';
import { hasRole } from '../plugins/auth';
import { caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

export async function createThirdPartyAuthorisation(ctx: CreateContext, body: AuthorisationTerms) {
  const p = ctx.principal;
  // The authorising agency files its own authorisation: an administrator holds no data to authorise.
  if (!hasRole(p, 'provider') || !p.agencyId || !p.jurisdiction) {
    throw forbidden('only a provider agency files its own authorisation of a third party (sip-2021:34, jy-2023:33)');
  }
  const providerAgencyId = p.agencyId;
  const receivedAt = new Date().toISOString();
  const { policy, plan } = await resolvePolicy(ctx.db, p.jurisdiction, 'third-party-authorisation', receivedAt, filingPlan);
  const found = (await Promise.all(body.datasetIds.map((id) => findDataset(ctx.db, id)))).filter((d) => d !== undefined);
  // Every defect at once: the terms, then least scope (each dataset in the catalog and the provider's own).
  const violations = [...termsViolations(body, shanghaiDate(receivedAt), plan), ...datasetViolations(body.datasetIds, found, providerAgencyId, plan.leastScopeCitation)];
  if (violations.length) throw unprocessable(violationsCode(violations), violations.map((v) => v.message).join('; '), violations);
  return startCase<ThirdPartyAuthorisationInput>(
    { ...ctx, route: 'POST /v1/third-party-authorisations', body, caseType: 'third-party-authorisation' },
    {
      workflowType: 'thirdPartyAuthorisation',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: p.jurisdiction!, policy }),
        provider: { principalId: p.id, agencyId: providerAgencyId },
        datasets: body.datasetIds.map((id) => ({ id, name: found.find((d) => d.id === id)!.name })),
        authorisation: { ...body, datasetIds: [...body.datasetIds] },
      }),
      view: thirdPartyAuthorisationView,
    },
  );
}
