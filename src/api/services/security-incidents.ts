// POST /v1/security-incidents (P9: sip-2021:33, 35; js-2020:39; cm-draft:30): the agency an incident
// happened to (a provider, or the operations agency) reports it; the case starts its emergency
// plan at once and runs remediation, the reports and, for personal information, the notification.
import { findDataset } from '../../db/repositories/datasets';
import { normaliseInstant } from '../../domain/calendar/dates';
import { isWithin } from '../../domain/jurisdictions';
import { incidentPlan, securityIncidentView, type SecurityIncidentBody, type SecurityIncidentInput } from '../../domain/security-incident';
import { forbidden, unprocessable } from '../errors';
import { caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

/** A clock a little ahead of ours is not a detection in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function createSecurityIncident(ctx: CreateContext, body: SecurityIncidentBody) {
  const p = ctx.principal;
  const role = p.roles.includes('provider') ? 'provider' : p.roles.includes('operations') ? 'operations' : null;
  // The agency the incident happened to reports it and takes the measures (js-2020:39): an
  // administrator acts for no agency.
  if (!role || !p.agencyId || !p.jurisdiction) throw forbidden('a security incident is reported by the provider or operations agency it happened to');
  const receivedAt = new Date().toISOString();
  const detectedAt = normaliseInstant(body.detectedAt);
  if (Date.parse(detectedAt) > Date.parse(receivedAt) + CLOCK_SKEW_MS) {
    throw unprocessable('detected_in_future', 'detectedAt is in the future: report an incident once it has been found', { field: 'detectedAt' });
  }
  for (const id of body.datasetIds ?? []) {
    const ds = await findDataset(ctx.db, id);
    if (!ds) throw unprocessable('unknown_dataset', `dataset "${id}" is not in the catalog`, { field: 'datasetIds', datasetId: id });
    // A provider reports on its own data; the operations agency on the data of its jurisdiction.
    const own = role === 'provider' ? ds.providerAgencyId === p.agencyId : isWithin(ds.jurisdiction, p.jurisdiction);
    if (!own) throw unprocessable('not_own_dataset', `dataset "${id}" is not the reporting agency's to answer for`, { field: 'datasetIds', datasetId: id });
  }
  const jurisdiction = p.jurisdiction;
  const { policy } = await resolvePolicy(ctx.db, jurisdiction, 'security-incident', receivedAt, incidentPlan);
  return startCase<SecurityIncidentInput>(
    { ...ctx, route: 'POST /v1/security-incidents', body, caseType: 'security-incident' },
    {
      workflowType: 'securityIncident',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction, policy }),
        reporter: { principalId: p.id, agencyId: p.agencyId!, role },
        incident: { ...body, description: body.description.trim(), detectedAt },
      }),
      view: securityIncidentView,
    },
  );
}
