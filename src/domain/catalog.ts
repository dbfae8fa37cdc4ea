// Catalog rules for a dataset entry (js-2020:19, PROCESSES.md P7).
export const DATA_CLASSES = ['unconditional', 'conditional', 'none'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

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
