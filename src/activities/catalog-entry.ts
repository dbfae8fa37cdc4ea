// The catalog's side effects (P7): publishing a dataset version on its hash chain (cm-draft:9) —
// for a catalog entry, and for a rights claim's withdrawal or reopening (sz-open-2023:38), which is
// a catalog fact too — and the catalog reads a workflow cannot make itself (一数一源 conflicts,
// whether data is withdrawn).
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { findAgency } from '../db/repositories/agencies';
import { policyStatesOf } from '../db/repositories/policy-states';
import { shanghaiDate } from '../domain/calendar/dates';
import { catalogEntryPlan, type CatalogEntryInput, type CatalogEntryReason } from '../domain/catalog-entry';
import { resolveRules } from '../domain/policies';
import { findDataset } from '../db/repositories/datasets';
import { entryOfDataset, publishVersionTx, sourceConflictsOf } from '../db/repositories/dataset-versions';
import type { CatalogEntryFields, DataItem } from '../domain/catalog';
import type { SourceConflict } from '../domain/catalog-entry';

export interface PublishedVersion {
  datasetId: string;
  version: number;
  hash: string;
  publishedAt: string;
}

export function activities({ db }: { db: Db }) {
  return {
    /**
     * Publishes the entry a catalog-entry case approved as the dataset's next version (a new
     * dataset's first). Whether the data is withdrawn carries over from the current version.
     * Idempotent per case. `at`: workflow time of the publication (ISO instant).
     */
    async publishCatalogEntry(p: { caseId: string; datasetId: string; at: string; createdBy: string; jurisdiction: string; entry: CatalogEntryFields; sourceOf?: Record<string, string> }): Promise<PublishedVersion> {
      const v = await db.transaction((tx) =>
        publishVersionTx(tx, {
          datasetId: p.datasetId,
          caseId: p.caseId,
          publishedAt: new Date(p.at),
          createdBy: p.createdBy,
          entry: (current) => ({
            ...pickEntry(p.entry),
            jurisdiction: p.jurisdiction,
            withdrawn: current?.withdrawn ?? false,
            ...(current?.withdrawn ? { withdrawnCitation: entryOfDataset(current).withdrawnCitation } : {}),
            ...(p.sourceOf ? { sourceOf: p.sourceOf } : {}),
          }),
        }),
      );
      return { datasetId: v.datasetId, version: v.version, hash: v.hash, publishedAt: v.publishedAt.toISOString() };
    },

    /**
     * Publishes a version of the dataset as it is, withdrawn from open use or open again (a rights
     * claim's measure, sz-open-2023:38, js-2020:36), citing the article. Idempotent per case.
     * @throws Error when the dataset is not in the catalog.
     */
    async publishWithdrawal(p: { caseId: string; datasetId: string; at: string; withdrawn: boolean; citation: string }): Promise<PublishedVersion> {
      const v = await db.transaction((tx) =>
        publishVersionTx(tx, {
          datasetId: p.datasetId,
          caseId: p.caseId,
          publishedAt: new Date(p.at),
          createdBy: 'system',
          entry: (current) => {
            if (!current) throw new Error(`dataset ${p.datasetId} is not in the catalog`);
            return { ...entryOfDataset(current), withdrawn: p.withdrawn, withdrawnCitation: p.citation };
          },
        }),
      );
      return { datasetId: v.datasetId, version: v.version, hash: v.hash, publishedAt: v.publishedAt.toISOString() };
    },

    /** 一数一源 (sip-2021:8): the entry's data items whose code another agency's published dataset holds as authoritative. */
    async sourceConflicts(q: { datasetId: string; providerAgencyId: string; dataItems: DataItem[] }): Promise<SourceConflict[]> {
      return sourceConflictsOf(db, { datasetId: q.datasetId, providerAgencyId: q.providerAgencyId, codes: q.dataItems.map((i) => i.code) });
    },

    /**
     * The input of a catalog-entry case another case opens (a reassessment's reclassification, a
     * dispute's determination): the dataset's current entry with `changes`, compiled for its
     * responsible agency (or `changes.providerAgencyId`), under the policy in force on the day.
     * Read once (its result is in history); the opening case starts it (kernel/related-case.ts).
     * @throws ApplicationFailure (non-retryable) when the dataset is not in the catalog or no rule
     * governs catalog entries there: the opening case then needs attention.
     */
    async catalogEntryInput(p: {
      caseId: string;
      datasetId: string;
      changes: Partial<CatalogEntryFields>;
      reason: CatalogEntryReason;
      receivedAt: string;
      compiler: { principalId: string };
    }): Promise<CatalogEntryInput> {
      const d = await findDataset(db, p.datasetId);
      if (!d) throw ApplicationFailure.nonRetryable(`dataset ${p.datasetId} is not in the catalog`, 'unknown_dataset');
      const { withdrawn: _w, withdrawnCitation: _c, jurisdiction: _j, ...current } = entryOfDataset(d);
      const entry = { ...current, ...p.changes, datasetId: p.datasetId, reason: p.reason };
      const agency = p.changes.providerAgencyId ? await findAgency(db, p.changes.providerAgencyId) : undefined;
      const jurisdiction = agency?.jurisdiction ?? d.jurisdiction;
      const policy = resolveRules(await policyStatesOf(db), jurisdiction, 'catalog-entry', shanghaiDate(p.receivedAt));
      try {
        catalogEntryPlan(policy);
      } catch (err) {
        throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'no_rule_in_force');
      }
      return {
        version: 1,
        caseId: p.caseId,
        receivedAt: p.receivedAt,
        receivedVia: 'api',
        createdBy: p.compiler.principalId,
        jurisdiction,
        policy,
        compiler: { principalId: p.compiler.principalId, agencyId: entry.providerAgencyId },
        datasetId: p.datasetId,
        isNew: false,
        entry,
      };
    },

    /** Whether a dataset is withdrawn from open use now, and its current version; null when not in the catalog. */
    async catalogState(datasetId: string): Promise<{ withdrawn: boolean; version: number; citation: string | null } | null> {
      const d = await findDataset(db, datasetId);
      return d ? { withdrawn: d.withdrawn, version: d.version, citation: d.withdrawnCitation } : null;
    },
  };
}

/** Only the entry's elements (a body may carry more, e.g. the reason of the change). */
function pickEntry(e: CatalogEntryFields): CatalogEntryFields {
  return {
    name: e.name,
    content: e.content,
    source: e.source,
    providerAgencyId: e.providerAgencyId,
    shareClass: e.shareClass,
    openClass: e.openClass,
    legalBasis: e.legalBasis ?? null,
    updateCycle: e.updateCycle,
    format: e.format,
    dataItems: e.dataItems.map((i) => ({ code: i.code, name: i.name, ...(i.authoritative ? { authoritative: true } : {}) })),
  };
}
