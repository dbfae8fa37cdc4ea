import type { Db } from '../../db/client';
import { findCase, findCaseRecord, listCases, type CaseRecord, type CaseVisibility } from '../../db/repositories/cases';
import { caseDocument as caseDocumentOf } from '../../db/repositories/documents';
import type { CaseRow } from '../../db/schema';
import { JURISDICTIONS, isWithin } from '../../domain/jurisdictions';
import { DEPARTMENT_ROLES } from '../../domain/roles';
import { notFound } from '../errors';
import { hasRole, type Principal } from '../plugins/auth';
import { decodeCursor, page } from '../pagination';

/** API.md: parties, departments of the case's jurisdiction and those above it, admins. */
export function visibilityOf(p: Principal): CaseVisibility {
  const departmental = p.jurisdiction && hasRole(p, ...DEPARTMENT_ROLES);
  return {
    all: hasRole(p, 'admin'),
    principalId: p.id,
    agencyId: p.agencyId,
    jurisdictions: departmental ? JURISDICTIONS.filter((j) => isWithin(j.id, p.jurisdiction!)).map((j) => j.id) : [],
  };
}

/** Whether `p` may see the case (API.md): the case's creator and parties, departments of its jurisdiction or above, admins. */
export function canSee(p: Principal, row: Pick<CaseRow, 'createdBy' | 'requesterAgencyId' | 'providerAgencyId' | 'jurisdiction'>): boolean {
  const v = visibilityOf(p);
  return (
    v.all ||
    row.createdBy === p.id ||
    (!!p.agencyId && (row.requesterAgencyId === p.agencyId || row.providerAgencyId === p.agencyId)) ||
    v.jurisdictions.includes(row.jurisdiction)
  );
}

/** The case document (API.md "Cases"): its view with status, needsAttention, grants and history. */
export function documentOf(r: CaseRecord) {
  return { ...r.view, status: r.status, needsAttention: r.needsAttention ?? null, grants: r.grants, history: r.history };
}

/**
 * The document of the case `caseId` as it is now (one statement), or undefined when there is no
 * such case. Anyone may be answered with it: check canSee first when the caller is not its creator.
 */
export async function readCaseDocument(db: Db, caseId: string): Promise<ReturnType<typeof documentOf> | undefined> {
  const r = await findCaseRecord(db, caseId);
  return r && documentOf(r);
}

/** GET /v1/cases/:caseId. @throws 404 when there is no such case or the caller may not see it. */
export async function getVisibleCase(db: Db, caseId: string, p: Principal) {
  const r = await findCaseRecord(db, caseId);
  // Invisible and missing look the same, so case ids cannot be probed (API.md: 404).
  if (!r || !canSee(p, r)) throw notFound(`case "${caseId}"`);
  return documentOf(r);
}

export async function listVisibleCases(
  db: Db,
  p: Principal,
  q: { type?: string; status?: string; limit: number; cursor?: string },
) {
  const after = await decodeCursor(db, 'cases', q.cursor);
  const rows = await listCases(db, { visibility: visibilityOf(p), type: q.type, status: q.status, limit: q.limit + 1, after: after && { at: after.at!, id: after.id } });
  const { items, nextCursor } = await page(db, 'cases', rows, q.limit, (r) => ({ at: r.receivedAt.toISOString(), id: r.caseId }));
  return {
    items: items.map((r) => ({ ...r.view, status: r.status })),
    nextCursor,
  };
}

/** A document of a case (result materials, evidence), for whoever may read the case; 404 otherwise. */
export async function getCaseDocument(db: Db, caseId: string, sha256: string, p: Principal) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  const doc = await caseDocumentOf(db, caseId, sha256);
  if (!doc) throw notFound(`document ${sha256} of case "${caseId}"`);
  const content = doc.content as unknown[];
  return { document: doc.sha256, count: Array.isArray(content) ? content.length : 1, bytes: doc.bytes, content, storedAt: doc.createdAt.toISOString() };
}
