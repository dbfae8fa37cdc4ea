// POST /v1/catalog-entries (P7: sip-2021:8, js-2020:10, 19, cm-draft:6–9): a provider compiles a
// catalog entry — a new dataset or a new version of one of its own — and the case takes it through
// review to publication. POST /v1/catalog-update-duties (cm-draft:8): the competent department
// tells an agency of its jurisdiction to update its catalog.
import { randomUUID } from 'node:crypto';
import { findAgency } from '../../db/repositories/agencies';
import { findCase } from '../../db/repositories/cases';
import { findDataset } from '../../db/repositories/datasets';
import { datasetViolations } from '../../domain/catalog';
import { catalogEntryPlan, catalogEntryView, type CatalogEntryBody, type CatalogEntryInput } from '../../domain/catalog-entry';
import { catalogUpdatePlan, catalogUpdateView, type CatalogUpdateBody, type CatalogUpdateInput } from '../../domain/catalog-update';
import { isWithin } from '../../domain/jurisdictions';
import { forbidden, unprocessable } from '../errors';
import { hasRole } from '../plugins/auth';
import { caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

/**
 * Compiles a catalog entry and starts its case (201, status pending_review — or published at once
 * where no text requires a review, cm-draft:9).
 * @throws 403 not a provider of the agency; 422 legal_basis_required (js-2020:19), unknown_agency,
 * unknown_dataset, not_provider_dataset, duplicate_code, invalid_duty_case, no_rule_in_force
 */
export async function createCatalogEntry(ctx: CreateContext, body: CatalogEntryBody) {
  const p = ctx.principal;
  if (!hasRole(p, 'admin') && !(p.roles.includes('provider') && p.agencyId === body.providerAgencyId)) {
    throw forbidden(`a catalog entry is compiled by a provider of ${body.providerAgencyId}, the agency responsible for the data`);
  }
  const violations = datasetViolations(body);
  if (violations.length) throw unprocessable('legal_basis_required', violations[0]!.message, violations);
  const codes = body.dataItems.map((i) => i.code);
  const twice = codes.find((c, i) => codes.indexOf(c) !== i);
  if (twice) throw unprocessable('duplicate_code', `data item code ${twice} is listed twice: one item per standard code`, { field: 'dataItems' });
  const agency = await findAgency(ctx.db, body.providerAgencyId);
  if (!agency) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });
  if (body.datasetId) {
    const ds = await findDataset(ctx.db, body.datasetId);
    if (!ds) throw unprocessable('unknown_dataset', `dataset "${body.datasetId}" is not in the catalog (leave datasetId out for a new dataset)`, { field: 'datasetId' });
    if (ds.providerAgencyId !== body.providerAgencyId) {
      throw unprocessable('not_provider_dataset', `dataset "${body.datasetId}" belongs to ${ds.providerAgencyId}: only its responsible agency changes its entry`, { field: 'datasetId' });
    }
  }
  if (body.dutyCaseId) {
    const duty = await findCase(ctx.db, body.dutyCaseId);
    if (!duty || duty.type !== 'catalog-update' || duty.providerAgencyId !== body.providerAgencyId || duty.status !== 'pending_update') {
      throw unprocessable('invalid_duty_case', `"${body.dutyCaseId}" is not an open catalog-update duty of ${body.providerAgencyId}`, { field: 'dutyCaseId' });
    }
  }
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, agency.jurisdiction, 'catalog-entry', receivedAt, catalogEntryPlan);
  const datasetId = body.datasetId ?? `ds-${randomUUID()}`;
  return startCase<CatalogEntryInput>(
    { ...ctx, route: 'POST /v1/catalog-entries', body, caseType: 'catalog-entry' },
    {
      workflowType: 'catalogEntry',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: agency.jurisdiction, policy }),
        compiler: { principalId: p.id, agencyId: body.providerAgencyId },
        datasetId,
        isNew: !body.datasetId,
        entry: { ...body, legalBasis: body.legalBasis?.trim() || null },
      }),
      view: catalogEntryView,
    },
  );
}

/**
 * Opens an agency's update duty (cm-draft:8: 15 working days) after a change of law or duties.
 * @throws 403 not the competent department of the agency's jurisdiction (or above); 422 unknown_agency, no_rule_in_force
 */
export async function createCatalogUpdateDuty(ctx: CreateContext, body: CatalogUpdateBody) {
  const p = ctx.principal;
  const agency = await findAgency(ctx.db, body.agencyId);
  if (!agency) throw unprocessable('unknown_agency', `agency "${body.agencyId}" does not exist`, { field: 'agencyId' });
  if (!hasRole(p, 'admin') && !(p.roles.includes('competent') && p.jurisdiction && isWithin(agency.jurisdiction, p.jurisdiction))) {
    throw forbidden(`only the competent department of ${agency.jurisdiction} (or above) sets an update duty on ${agency.id}`);
  }
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, agency.jurisdiction, 'catalog-update', receivedAt, catalogUpdatePlan);
  return startCase<CatalogUpdateInput>(
    { ...ctx, route: 'POST /v1/catalog-update-duties', body, caseType: 'catalog-update' },
    {
      workflowType: 'catalogUpdate',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: agency.jurisdiction, policy }),
        issuer: { principalId: p.id },
        agency: { id: agency.id, name: agency.name },
        duty: body,
      }),
      view: catalogUpdateView,
    },
  );
}
