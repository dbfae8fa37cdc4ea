// POST /v1/quality-rectifications (P5: sz-open-2023:16, js-2020:17): a competent department or
// operations agency issues a rectification task on a dataset of its jurisdiction (or below).
import { isWithin } from '../../domain/jurisdictions';
import {
  qualityRectificationView,
  rectificationPlan,
  type QualityRectificationBody,
  type QualityRectificationInput,
} from '../../domain/quality-rectification';
import { forbidden } from '../errors';
import { hasRole } from '../plugins/auth';
import { caseStart, datasetRef, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

export async function createQualityRectification(ctx: CreateContext, body: QualityRectificationBody) {
  const p = ctx.principal;
  // Each says something (the route's schema: 422 empty_finding); kept without the spaces around it.
  const findings = body.findings.map((f) => f.trim());
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const role = p.roles.includes('competent') ? 'competent' : p.roles.includes('operations') ? 'operations' : null;
  if (!hasRole(p, 'admin')) {
    // Quality audits are the department's own duty: its jurisdiction and the ones below it.
    if (!role || !p.agencyId || !p.jurisdiction || !isWithin(dataset.jurisdiction, p.jurisdiction)) {
      throw forbidden(`only the competent department or operations agency of ${dataset.jurisdiction} (or above) audits this dataset`);
    }
  }
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, dataset.jurisdiction, 'quality-rectification', receivedAt, rectificationPlan);
  return startCase<QualityRectificationInput>(
    { ...ctx, route: 'POST /v1/quality-rectifications', body, caseType: 'quality-rectification' },
    {
      workflowType: 'qualityRectification',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: dataset.jurisdiction, policy }),
        auditor: role && p.agencyId ? { principalId: p.id, agencyId: p.agencyId, role } : { principalId: p.id, agencyId: null, role: null },
        dataset,
        rectification: { datasetId: body.datasetId, findings },
      }),
      view: qualityRectificationView,
    },
  );
}
