// The catalog's hash chain, one per dataset (上链存证, cm-draft:9): each published version of a
// dataset's catalog entry, chained by sha256 over its canonical JSON. Publishing writes the
// version and the dataset's current row in the caller's transaction.
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../client';
import { datasets, datasetVersions, type Dataset, type DatasetVersion } from '../schema';
import { canonicalJson } from '../../domain/canonical-json';
import type { CatalogEntryFields, VersionFacts } from '../../domain/catalog';

/** The prevHash of a dataset's first version. */
export const FIRST_PREV_HASH = '0'.repeat(64);

/** What a version records: the entry's elements, where it is, and whether it is withdrawn. */
export type VersionEntry = CatalogEntryFields & VersionFacts & { jurisdiction: string; sourceOf?: Record<string, string> };

/**
 * sha256 (hex) of a version: its predecessor's hash, a newline, then the canonical JSON (keys
 * sorted at every depth) of {datasetId, version, publishedAt (ISO instant), caseId, entry}. An
 * auditor recomputes it from GET /v1/datasets/:id/versions alone.
 */
export function versionHash(prevHash: string, v: { datasetId: string; version: number; publishedAt: Date; caseId: string | null; entry: Record<string, unknown> }): string {
  const body = canonicalJson({ datasetId: v.datasetId, version: v.version, publishedAt: v.publishedAt.toISOString(), caseId: v.caseId, entry: v.entry });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** The version a case published of a dataset, if it did (a retried publication finds it). */
export async function versionOfCase(db: DbOrTx, datasetId: string, caseId: string): Promise<DatasetVersion | undefined> {
  const [row] = await db.select().from(datasetVersions).where(and(eq(datasetVersions.datasetId, datasetId), eq(datasetVersions.caseId, caseId)));
  return row;
}

/** The entry a dataset's current row holds, as a version records it. */
export function entryOfDataset(d: Dataset): VersionEntry {
  return {
    name: d.name,
    content: d.content ?? '',
    source: d.source ?? '',
    providerAgencyId: d.providerAgencyId,
    shareClass: d.shareClass as VersionEntry['shareClass'],
    openClass: d.openClass as VersionEntry['openClass'],
    legalBasis: d.legalBasis,
    updateCycle: d.updateCycle ?? '',
    format: d.format ?? '',
    dataItems: d.dataItems ?? [],
    jurisdiction: d.jurisdiction,
    withdrawn: d.withdrawn,
    ...(d.withdrawnCitation ? { withdrawnCitation: d.withdrawnCitation } : {}),
  };
}

/**
 * Publishes the next version of a dataset in the caller's transaction: locks the dataset's row
 * (so publications of one dataset chain in turn), appends the version with its hash, and makes the
 * dataset's row show it. Idempotent per (dataset, case): a case that published already gets its
 * version back. `createdBy` is used when the dataset is new.
 */
export async function publishVersionTx(
  tx: Tx,
  p: { datasetId: string; caseId: string | null; publishedAt: Date; createdBy: string; entry: (current: Dataset | undefined) => VersionEntry },
): Promise<DatasetVersion> {
  if (p.caseId) {
    const done = await versionOfCase(tx, p.datasetId, p.caseId);
    if (done) return done;
  }
  const [current] = await tx.select().from(datasets).where(eq(datasets.id, p.datasetId)).for('update');
  const entry = p.entry(current);
  const stored: Record<string, unknown> = { ...entry };
  const [last] = await tx.select().from(datasetVersions).where(eq(datasetVersions.datasetId, p.datasetId)).orderBy(desc(datasetVersions.version)).limit(1);
  const version = (last?.version ?? 0) + 1;
  const prevHash = last?.hash ?? FIRST_PREV_HASH;
  const hash = versionHash(prevHash, { datasetId: p.datasetId, version, publishedAt: p.publishedAt, caseId: p.caseId, entry: stored });
  const [row] = await tx.insert(datasetVersions).values({ datasetId: p.datasetId, version, publishedAt: p.publishedAt, caseId: p.caseId, entry: stored, prevHash, hash }).returning();
  const values = {
    name: entry.name,
    providerAgencyId: entry.providerAgencyId,
    jurisdiction: entry.jurisdiction,
    shareClass: entry.shareClass,
    openClass: entry.openClass,
    legalBasis: entry.legalBasis?.trim() || null,
    updateCycle: entry.updateCycle || null,
    content: entry.content || null,
    source: entry.source || null,
    format: entry.format || null,
    dataItems: entry.dataItems,
    version,
    withdrawn: entry.withdrawn,
    withdrawnCitation: entry.withdrawnCitation ?? null,
  };
  if (current) await tx.update(datasets).set(values).where(eq(datasets.id, p.datasetId));
  else await tx.insert(datasets).values({ id: p.datasetId, ...values, fields: entry.dataItems.map((i) => i.name), createdBy: p.createdBy });
  return row!;
}

/** Every version of a dataset, oldest first. */
export async function datasetVersionsOf(db: DbOrTx, datasetId: string): Promise<DatasetVersion[]> {
  return db.select().from(datasetVersions).where(eq(datasetVersions.datasetId, datasetId)).orderBy(asc(datasetVersions.version));
}

/**
 * Walks a dataset's chain: `ok` when every version's prevHash is its predecessor's hash and its hash
 * follows from its content; else the first version that does not.
 */
export async function verifyDatasetChain(db: DbOrTx, datasetId: string): Promise<{ ok: boolean; versions: number; firstBroken?: number }> {
  const rows = await datasetVersionsOf(db, datasetId);
  let prev = FIRST_PREV_HASH;
  for (const [i, r] of rows.entries()) {
    if (r.version !== i + 1 || r.prevHash !== prev || r.hash !== versionHash(prev, r)) return { ok: false, versions: rows.length, firstBroken: r.version };
    prev = r.hash;
  }
  return { ok: true, versions: rows.length };
}

/**
 * 一数一源 (sip-2021:8): the data items of `dataItems` whose code another agency's published
 * dataset holds as authoritative (index datasets_data_items_idx).
 */
export async function sourceConflictsOf(
  db: DbOrTx,
  q: { datasetId: string; providerAgencyId: string; codes: string[] },
): Promise<{ code: string; datasetId: string; providerAgencyId: string }[]> {
  const out: { code: string; datasetId: string; providerAgencyId: string }[] = [];
  for (const code of [...new Set(q.codes)].sort()) {
    const rows = await db
      .select({ id: datasets.id, providerAgencyId: datasets.providerAgencyId })
      .from(datasets)
      .where(
        and(
          sql`${datasets.dataItems} @> ${JSON.stringify([{ code, authoritative: true }])}::jsonb`,
          sql`${datasets.providerAgencyId} <> ${q.providerAgencyId}`,
          sql`${datasets.id} <> ${q.datasetId}`,
        ),
      )
      .orderBy(asc(datasets.id));
    for (const r of rows) out.push({ code, datasetId: r.id, providerAgencyId: r.providerAgencyId });
  }
  return out;
}
