// Large texts of a case (result materials, evidence) travel as references: the API stores them,
// content-addressed, before it hands the message to the case, so neither the workflow's state nor
// its history carries them (API-2.md "Integrity": state stays small). Pure.

/** A stored document: the sha256 of its canonical JSON, how many items it holds, its size in bytes. */
export interface DocumentRef {
  document: string;
  count: number;
  bytes: number;
}

/** Fields of a message that hold lists of texts large enough to go to the document store. */
export const DOCUMENT_FIELDS = ['materials', 'evidence'] as const;

export function isDocumentRef(v: unknown): v is DocumentRef {
  const r = v as DocumentRef;
  return !!r && typeof r === 'object' && typeof r.document === 'string' && /^[0-9a-f]{64}$/.test(r.document) && Number.isInteger(r.count) && Number.isInteger(r.bytes);
}

/** The sha256 of every document `fields` refers to (to make them part of the case). */
export function documentsOf(fields: Record<string, unknown>): string[] {
  return Object.values(fields).filter(isDocumentRef).map((r) => r.document);
}

/** How many items a list of texts holds, whether it is given inline or by reference. */
export function itemCount(v: unknown): number {
  if (isDocumentRef(v)) return v.count;
  return Array.isArray(v) ? v.length : 0;
}
