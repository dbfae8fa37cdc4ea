import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { caseDocuments, documents, type DocumentRow } from '../schema';
import { canonicalJson } from '../../domain/canonical-json';
import type { DocumentRef } from '../../domain/documents';

/**
 * Stores `content` once under the sha256 of its canonical JSON (content-addressed: storing the
 * same content again is a no-op) and returns the reference a case keeps instead of the content.
 */
export async function storeDocument(db: DbOrTx, content: unknown[]): Promise<DocumentRef> {
  const text = canonicalJson(content);
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const bytes = Buffer.byteLength(text, 'utf8');
  await db.insert(documents).values({ sha256, content, bytes }).onConflictDoNothing();
  return { document: sha256, count: content.length, bytes };
}

/** Makes stored documents part of a case (so whoever may read the case may read them). */
export async function linkCaseDocuments(db: DbOrTx, caseId: string, shas: string[]): Promise<void> {
  await db
    .insert(caseDocuments)
    .values(shas.map((sha256) => ({ caseId, sha256 })))
    .onConflictDoNothing();
}

/** A document of the case, or undefined when the case does not hold it. */
export async function caseDocument(db: DbOrTx, caseId: string, sha256: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select({ sha256: documents.sha256, content: documents.content, bytes: documents.bytes, createdAt: documents.createdAt })
    .from(caseDocuments)
    .innerJoin(documents, eq(documents.sha256, caseDocuments.sha256))
    .where(and(eq(caseDocuments.caseId, caseId), eq(caseDocuments.sha256, sha256)));
  return row;
}
