// Principals and their bearer tokens (API.md "Principals"; API-2.md "Abuse and identity"). A token
// is shown once, stored as its sha256, and every issue and revocation is audited — never the token.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { findPrincipalById, findToken, insertPrincipal, insertToken, listPrincipals, revokeToken, tokensOf } from '../../db/repositories/principals';
import { appendAuditTx } from '../../db/repositories/audit';
import type { PrincipalToken } from '../../db/schema';
import { normaliseInstant } from '../../domain/calendar';
import { AGENCY_ROLES, type Role } from '../../domain/roles';
import { notFound, unprocessable } from '../errors';
import { decodeCursor, page } from '../pagination';
import { hashToken, type Principal } from '../plugins/auth';

/** A token as shown to administrators: its id and state, never its hash. */
export function tokenView(t: Omit<PrincipalToken, 'tokenHash'>, now = new Date()) {
  return {
    id: t.id,
    status: t.revokedAt ? ('revoked' as const) : t.expiresAt && t.expiresAt <= now ? ('expired' as const) : ('active' as const),
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    revokedBy: t.revokedBy,
  };
}

/** Issues a new token inside `tx` and audits it; returns the token in clear (to be shown once). */
async function issue(tx: Tx, principalId: string, expiresAt: Date | null, actor: Principal) {
  const token = `pdg_${randomBytes(24).toString('base64url')}`;
  const row = await insertToken(tx, { id: `tok-${randomUUID()}`, principalId, tokenHash: hashToken(token), expiresAt, createdBy: actor.id });
  return { token, row };
}

export async function createPrincipal(db: Db, body: { name: string; agencyId?: string; roles: Role[] }, actor: Principal) {
  const agencyRoles = body.roles.filter((r) => AGENCY_ROLES.includes(r));
  if (agencyRoles.length && !body.agencyId) {
    throw unprocessable('agency_required', `roles ${agencyRoles.join(', ')} act for an agency: agencyId is required`, {
      field: 'agencyId',
    });
  }
  if (body.agencyId && !(await findAgency(db, body.agencyId))) {
    throw unprocessable('unknown_agency', `agency "${body.agencyId}" does not exist`, { field: 'agencyId' });
  }
  const id = `prn-${randomUUID()}`;
  const { token, tokenId } = await db.transaction(async (tx) => {
    await insertPrincipal(tx, { id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles });
    const { token, row } = await issue(tx, id, null, actor);
    await appendAuditTx(tx, {
      eventKey: `principal:${id}:created`,
      caseId: null,
      at: new Date(),
      actor: actor.id,
      event: 'principal_created',
      detail: { principalId: id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles, tokenId: row.id },
    });
    return { token, tokenId: row.id };
  });
  return { id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles, token, tokenId };
}

/** GET /v1/principals: newest first, each with its tokens' ids and states. */
export async function searchPrincipals(db: Db, q: { agencyId?: string; limit: number; cursor?: string }) {
  const after = await decodeCursor(db, 'principals', q.cursor);
  const rows = await listPrincipals(db, { agencyId: q.agencyId, limit: q.limit + 1, after: after && { at: after.at!, id: after.id } });
  const { items, nextCursor } = await page(db, 'principals', rows, q.limit, (p) => ({ at: p.createdAt.toISOString(), id: p.id }));
  const tokens = await tokensOf(db, items.map((p) => p.id));
  const now = new Date();
  return {
    items: items.map((p) => ({
      id: p.id,
      name: p.name,
      agencyId: p.agencyId,
      roles: p.roles,
      createdAt: p.createdAt.toISOString(),
      tokens: tokens.filter((t) => t.principalId === p.id).map((t) => tokenView(t, now)),
    })),
    nextCursor,
  };
}

/**
 * POST /v1/principals/:id/tokens: a new token (shown once); the principal's other tokens keep
 * working until revoked. @throws 404 unknown principal, 422 `expiresAt` not a future instant.
 */
export async function issueToken(db: Db, principalId: string, body: { expiresAt?: string }, actor: Principal) {
  if (!(await findPrincipalById(db, principalId))) throw notFound(`principal "${principalId}"`);
  const expiresAt = body.expiresAt === undefined ? null : new Date(instantOrNaN(body.expiresAt));
  if (expiresAt && !(expiresAt > new Date())) {
    throw unprocessable('invalid_expires_at', 'expiresAt must be a future ISO instant with its offset', { field: 'expiresAt' });
  }
  return db.transaction(async (tx) => {
    const { token, row } = await issue(tx, principalId, expiresAt, actor);
    await appendAuditTx(tx, {
      eventKey: `token:${row.id}:issued`,
      caseId: null,
      at: row.createdAt,
      actor: actor.id,
      event: 'token_issued',
      detail: { principalId, tokenId: row.id, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { ...tokenView(row), principalId, token };
  });
}

function instantOrNaN(s: string): string {
  try {
    return normaliseInstant(s);
  } catch {
    return 'invalid';
  }
}

/** DELETE /v1/principals/:id/tokens/:tokenId: 401 for that token from then on; again is a no-op. @throws 404 */
export async function revokePrincipalToken(db: Db, principalId: string, tokenId: string, actor: Principal) {
  const found = await findToken(db, principalId, tokenId);
  if (!found) throw notFound(`token "${tokenId}" of principal "${principalId}"`);
  if (found.revokedAt) return { ...tokenView(found), principalId };
  const revoked = await db.transaction(async (tx) => {
    const row = await revokeToken(tx, tokenId, actor.id, new Date());
    if (!row) return undefined;
    await appendAuditTx(tx, {
      eventKey: `token:${tokenId}:revoked`,
      caseId: null,
      at: row.revokedAt!,
      actor: actor.id,
      event: 'token_revoked',
      detail: { principalId, tokenId },
    });
    return row;
  });
  // undefined: a concurrent revocation committed first; show its result.
  return { ...tokenView(revoked ?? (await findToken(db, principalId, tokenId))!), principalId };
}
