// POST /v1/open-data-requests (P3, sz-open-2023:23): a data user asks for data that is not in the
// open catalog; the provider agency named evaluates it and answers within the policy's period.
import { findAgency } from '../../db/repositories/agencies';
import { evaluationPlan, openDataRequestView, requestViolations, type OpenDataRequestBody, type OpenDataRequestInput } from '../../domain/open-data-request';
import { unprocessable } from '../errors';
import { caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';
import { assertDataUser } from './open-data-applications';

export async function createOpenDataRequest(ctx: CreateContext, body: OpenDataRequestBody) {
  const p = ctx.principal;
  assertDataUser(p);
  const provider = await findAgency(ctx.db, body.providerAgencyId);
  if (!provider) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });
  const receivedAt = new Date().toISOString();
  const { policy, plan } = await resolvePolicy(ctx.db, provider.jurisdiction, 'open-data-application', receivedAt, evaluationPlan);
  const violations = requestViolations(body, plan.evaluation.rule.citation);
  if (violations.length) {
    throw unprocessable(violations.length === 1 ? violations[0]!.code : 'invalid_request_body', violations.map((v) => v.message).join('; '), violations);
  }

  return startCase<OpenDataRequestInput>(
    { ...ctx, route: 'POST /v1/open-data-requests', body, caseType: 'open-data-request' },
    {
      workflowType: 'openDataRequest',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: provider.jurisdiction, policy }),
        applicant: { principalId: p.id, name: p.name },
        provider: { agencyId: provider.id, name: provider.name },
        request: body,
      }),
      view: openDataRequestView,
    },
  );
}
