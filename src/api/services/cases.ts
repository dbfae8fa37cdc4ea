import type { Db } from '../../db/client';
import { findCase, listCases, type CaseVisibility } from '../../db/repositories/cases';
import { caseHistory } from '../../db/repositories/audit';
import { caseDocument as caseDocumentOf } from '../../db/repositories/documents';
import { grantsOfCase } from '../../db/repositories/grants';
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

export function canSee(p: Principal, row: CaseRow): boolean {
  const v = visibilityOf(p);
  return (
    v.all ||
    row.createdBy === p.id ||
    (!!p.agencyId && (row.requesterAgencyId === p.agencyId || row.providerAgencyId === p.agencyId)) ||
    v.jurisdictions.includes(row.jurisdiction)
  );
}

export async function caseDocument(db: Db, row: CaseRow) {
  const [history, grants] = await Promise.all([caseHistory(db, row.caseId), grantsOfCase(db, row.caseId)]);
  return {
    ...row.view,
    status: row.status,
    needsAttention: row.needsAttention ?? null,
    grants: grants.map((g) => ({
      id: g.id,
      datasetId: g.datasetId,
      granteeAgencyId: g.granteeAgencyId,
      granteePrincipalId: g.granteePrincipalId,
      mode: g.mode,
      scope: g.scope,
      basis: g.basis,
      citation: g.citation,
      status: g.status,
      validFrom: g.validFrom.toISOString(),
      validTo: g.validTo ? g.validTo.toISOString() : null,
    })),
    history: history.map((h) => ({ at: h.at.toISOString(), actor: h.actor, event: h.event, detail: h.detail, citation: h.citation })),
  };
}

export async function getVisibleCase(db: Db, caseId: string, p: Principal) {
  const row = await findCase(db, caseId);
  // Invisible and missing look the same, so case ids cannot be probed (API.md: 404).
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  return caseDocument(db, row);
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
