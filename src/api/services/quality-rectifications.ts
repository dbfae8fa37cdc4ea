// POST /v1/quality-rectifications (P5: sz-open-2023:16, js-2020:17): a competent department or
// operations agency issues a rectification task on a dataset of its jurisdiction (or below).
import { shanghaiDate } from '../../domain/calendar/dates';
import { isWithin } from '../../domain/jurisdictions';
import {
  qualityRectificationView,
  rectificationPlan,
  RectificationPlanError,
  type QualityRectificationBody,
  type QualityRectificationInput,
} from '../../domain/quality-rectification';
import { forbidden, unprocessable } from '../errors';
import { hasRole } from '../plugins/auth';
import { startCase } from './case-start';
import { datasetRef, type Ctx } from './objections';
import { resolveForCase } from './policies';

export async function createQualityRectification(ctx: Ctx, body: QualityRectificationBody) {
  const p = ctx.principal;
  const findings = body.findings.map((f) => f.trim());
  if (findings.some((f) => !f)) throw unprocessable('empty_finding', 'every finding must say what is wrong', { field: 'findings' });
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const role = p.roles.includes('competent') ? 'competent' : p.roles.includes('operations') ? 'operations' : null;
  if (!hasRole(p, 'admin')) {
    // Quality audits are the department's own duty: its jurisdiction and the ones below it.
    if (!role || !p.agencyId || !p.jurisdiction || !isWithin(dataset.jurisdiction, p.jurisdiction)) {
      throw forbidden(`only the competent department or operations agency of ${dataset.jurisdiction} (or above) audits this dataset`);
    }
  }
  const receivedAt = new Date().toISOString();
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'quality-rectification', shanghaiDate(receivedAt));
  try {
    rectificationPlan(policy);
  } catch (err) {
    if (err instanceof RectificationPlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }
  return startCase<QualityRectificationInput>(
    { ...ctx, route: 'POST /v1/quality-rectifications', body, caseType: 'quality-rectification' },
    {
      workflowType: 'qualityRectification',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        receivedVia: 'api',
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        auditor: role && p.agencyId ? { principalId: p.id, agencyId: p.agencyId, role } : { principalId: p.id, agencyId: null, role: null },
        dataset,
        rectification: { datasetId: body.datasetId, findings },
      }),
      view: qualityRectificationView,
    },
  );
}
