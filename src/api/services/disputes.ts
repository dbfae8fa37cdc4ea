// POST /v1/disputes (P8: js-2020:45, sz-open-2023:11): an agency files a dispute with other
// agencies; the competent department of the jurisdiction they share settles it if they cannot.
import { findAgency } from '../../db/repositories/agencies';
import { bodyViolations, commonJurisdiction, disputePlan, disputeView, type DisputeBody, type DisputeInput } from '../../domain/dispute';
import { forbidden, unprocessable } from '../errors';
import { hasRole } from '../plugins/auth';
import { caseStart, catalogEntry, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

export async function createDispute(ctx: CreateContext, body: DisputeBody) {
  const p = ctx.principal;
  // Disputes are between agencies (公共管理和服务机构之间): an administrator acts for none.
  if (!hasRole(p, 'requester', 'provider', 'competent', 'operations') || !p.agencyId || !p.jurisdiction) {
    throw forbidden('a dispute is filed by an agency in it (js-2020:45, sz-open-2023:11)');
  }
  const filer = { agencyId: p.agencyId, jurisdiction: p.jurisdiction };
  const violations = bodyViolations(body, filer.agencyId);
  const counterparts = await Promise.all(body.counterpartAgencyIds.map((id) => findAgency(ctx.db, id)));
  counterparts.forEach((a, i) => {
    if (!a) violations.push({ field: `counterpartAgencyIds[${i}]`, code: 'unknown_agency', message: `counterpartAgencyIds[${i}]: agency "${body.counterpartAgencyIds[i]}" is not registered` });
  });
  if (violations.length) {
    const codes = new Set(violations.map((v) => v.code));
    throw unprocessable(codes.size === 1 ? violations[0]!.code : 'invalid_request_body', violations.map((v) => v.message).join('; '), violations);
  }
  const ds = body.datasetId ? await catalogEntry(ctx.db, body.datasetId) : null;
  const parties = [filer, ...counterparts.map((a) => ({ agencyId: a!.id, jurisdiction: a!.jurisdiction }))];
  // The department (and government) of the level the agencies share settles it (同级, sz-open-2023:11).
  const jurisdiction = commonJurisdiction(parties.map((a) => a.jurisdiction));
  if (!jurisdiction) throw unprocessable('no_common_jurisdiction', 'the agencies share no jurisdiction whose competent department could coordinate (js-2020:45)', { field: 'counterpartAgencyIds' });
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, jurisdiction, 'dispute', receivedAt, (rules) => disputePlan(rules, body.subject));
  return startCase<DisputeInput>(
    { ...ctx, route: 'POST /v1/disputes', body, caseType: 'dispute' },
    {
      workflowType: 'dispute',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction, policy }),
        filer: { principalId: p.id, agencyId: filer.agencyId },
        parties,
        subject: body.subject,
        dataset: ds ? { id: ds.id, name: ds.name, providerAgencyId: ds.providerAgencyId } : null,
        description: body.description.trim(),
      }),
      view: disputeView,
    },
  );
}
