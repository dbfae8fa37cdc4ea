import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { findDataset, insertDataset, listDatasets } from '../../db/repositories/datasets';
import { appendAuditTx } from '../../db/repositories/audit';
import type { Dataset } from '../../db/schema';
import { datasetViolations, type DataClass } from '../../domain/catalog';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { hasRole, type Principal } from '../plugins/auth';
import { decodeCursor, page } from '../pagination';
import { disputeMarkOf } from './objections';

export interface DatasetBody {
  id?: string;
  name: string;
  providerAgencyId: string;
  shareClass: DataClass;
  openClass: DataClass;
  legalBasis?: string;
  updateCycle?: string;
  fields?: string[];
}

export function datasetView(d: Dataset) {
  return {
    id: d.id,
    name: d.name,
    providerAgencyId: d.providerAgencyId,
    jurisdiction: d.jurisdiction,
    shareClass: d.shareClass,
    openClass: d.openClass,
    legalBasis: d.legalBasis,
    updateCycle: d.updateCycle,
    fields: d.fields ?? [],
    createdAt: d.createdAt.toISOString(),
  };
}

export async function createDataset(db: Db, body: DatasetBody, actor: Principal) {
  if (!hasRole(actor, 'admin') && !(hasRole(actor, 'provider') && actor.agencyId === body.providerAgencyId)) {
    throw forbidden('only an administrator or a provider of the providing agency may register its datasets');
  }
  // The route's schema refuses the same (422 legal_basis_required); the rule of js-2020:19 stays here too.
  const violations = datasetViolations(body);
  if (violations.length) throw unprocessable('legal_basis_required', violations[0]!.message, violations);
  const agency = await findAgency(db, body.providerAgencyId);
  if (!agency) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });
  const id = body.id ?? `ds-${randomUUID()}`;
  const row = await db.transaction(async (tx) => {
    const created = await insertDataset(tx, {
      id,
      name: body.name,
      providerAgencyId: body.providerAgencyId,
      jurisdiction: agency.jurisdiction,
      shareClass: body.shareClass,
      openClass: body.openClass,
      legalBasis: body.legalBasis?.trim() || null,
      updateCycle: body.updateCycle ?? null,
      fields: body.fields ?? [],
      createdBy: actor.id,
      createdAt: new Date(),
    });
    if (created) {
      await appendAuditTx(tx, {
        eventKey: `dataset:${id}:created`,
        caseId: null,
        at: created.createdAt,
        actor: actor.id,
        event: 'dataset_registered',
        detail: datasetView(created),
        citation: 'js-2020:19',
      });
    }
    return created;
  });
  if (!row) throw conflict('dataset_exists', `dataset "${id}" already exists`);
  return { ...datasetView(row), disputed: false, openObjections: [] }; // a new entry: nothing open on it yet
}

export async function getDataset(db: Db, id: string) {
  const row = await findDataset(db, id);
  if (!row) throw notFound(`dataset "${id}"`);
  // js-2020:45 标注: the open objections on the data, visible with the data itself.
  return { ...datasetView(row), ...(await disputeMarkOf(db, id)) };
}

export async function searchDatasets(db: Db, q: { providerAgencyId?: string; limit: number; cursor?: string }) {
  const after = await decodeCursor(db, 'datasets', q.cursor);
  const rows = await listDatasets(db, { providerAgencyId: q.providerAgencyId, limit: q.limit + 1, after: after && { at: after.at!, id: after.id } });
  const { items, nextCursor } = await page(db, 'datasets', rows, q.limit, (d) => ({ at: d.createdAt.toISOString(), id: d.id }));
  return { items: items.map(datasetView), nextCursor };
}
