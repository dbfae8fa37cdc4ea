// Catalog rules for a dataset entry (js-2020:19, PROCESSES.md P7).
export const DATA_CLASSES = ['unconditional', 'conditional', 'none'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** A data item of a catalog entry with its standard code (一数一源, sip-2021:8). */
export interface DataItem {
  code: string;
  name: string;
  /** The agency holds this item as its source: another agency listing the code must name one source. */
  authoritative?: boolean;
}

/** What a dataset version records besides the entry's elements: whether it is withdrawn from open use. */
export interface VersionFacts {
  /** Withdrawn by a rights claim (sz-open-2023:38, js-2020:36): no new application or grant. */
  withdrawn: boolean;
  /** The article a withdrawal or reopening rests on. */
  withdrawnCitation?: string;
}

/** sz-open-2023:38 — the provider withdraws data that infringes privacy or commercial secrets. */
export const WITHDRAWAL_CITATION = 'sz-open-2023:38';

/** The elements of a catalog entry (sip-2021:8, cm-draft:6): what a dataset version publishes. */
export interface CatalogEntryFields {
  name: string;
  content: string;
  source: string;
  providerAgencyId: string;
  shareClass: DataClass;
  openClass: DataClass;
  /** Needed for any class but unconditional (js-2020:19). */
  legalBasis?: string | null;
  updateCycle: string;
  format: string;
  dataItems: DataItem[];
}

export interface Violation {
  field: string;
  message: string;
  citation?: string;
}

export interface DatasetDraft {
  shareClass: DataClass;
  openClass: DataClass;
  legalBasis?: string | null;
}

/**
 * js-2020:19 — data classed as conditional or not shared must state its legal basis; the same
 * holds for open classes (js-2020:25). Returns every violation at once.
 */
export function datasetViolations(d: DatasetDraft): Violation[] {
  const out: Violation[] = [];
  const needsBasis = d.shareClass !== 'unconditional' || d.openClass !== 'unconditional';
  if (needsBasis && !d.legalBasis?.trim()) {
    const classes = [
      d.shareClass !== 'unconditional' ? `shareClass "${d.shareClass}"` : null,
      d.openClass !== 'unconditional' ? `openClass "${d.openClass}"` : null,
    ].filter(Boolean);
    out.push({
      field: 'legalBasis',
      message: `${classes.join(' and ')} needs a legal basis (the law, regulation or rule that restricts the data)`,
      citation: 'js-2020:19',
    });
  }
  return out;
}
