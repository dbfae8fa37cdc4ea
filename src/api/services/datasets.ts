import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { findDataset, insertDataset, listDatasets } from '../../db/repositories/datasets';
import { appendAuditTx } from '../../db/repositories/audit';
import { datasetVersionsOf, entryOfDataset, publishVersionTx, verifyDatasetChain } from '../../db/repositories/dataset-versions';
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
    content: d.content,
    source: d.source,
    format: d.format,
    dataItems: d.dataItems ?? [],
    version: d.version,
    withdrawn: d.withdrawn,
    withdrawnCitation: d.withdrawnCitation,
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
      // Its first version on the dataset's chain (cm-draft:9), registered directly (no case).
      await publishVersionTx(tx, { datasetId: id, caseId: null, publishedAt: created.createdAt, createdBy: actor.id, entry: () => entryOfDataset(created) });
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
  // A new entry, version 1: nothing open on it yet.
  return { ...datasetView({ ...row, version: 1 }), disputed: false, openObjections: [] };
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

/** GET /v1/datasets/:id/versions — the dataset's hash chain, oldest first (404 for an unknown dataset). */
export async function getDatasetVersions(db: Db, id: string) {
  if (!(await findDataset(db, id))) throw notFound(`dataset "${id}"`);
  const rows = await datasetVersionsOf(db, id);
  return {
    datasetId: id,
    versions: rows.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString(), caseId: v.caseId, entry: v.entry, prevHash: v.prevHash, hash: v.hash })),
  };
}

/** GET /v1/datasets/:id/versions/verify — walks the chain (cm-draft:9); 404 for an unknown dataset. */
export async function verifyDatasetVersions(db: Db, id: string) {
  if (!(await findDataset(db, id))) throw notFound(`dataset "${id}"`);
  return verifyDatasetChain(db, id);
}
