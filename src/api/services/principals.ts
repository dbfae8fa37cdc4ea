import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { insertPrincipal } from '../../db/repositories/principals';
import { appendAuditTx } from '../../db/repositories/audit';
import type { Role } from '../../domain/roles';
import { unprocessable } from '../errors';
import { hashToken, type Principal } from '../plugins/auth';

/** POST /v1/principals, its body checked by the route's schema (agency roles come with agencyId). */
export async function createPrincipal(db: Db, body: { name: string; agencyId?: string; roles: Role[] }, actor: Principal) {
  if (body.agencyId && !(await findAgency(db, body.agencyId))) {
    throw unprocessable('unknown_agency', `agency "${body.agencyId}" does not exist`, { field: 'agencyId' });
  }
  const id = `prn-${randomUUID()}`;
  const token = `pdg_${randomBytes(24).toString('base64url')}`;
  await db.transaction(async (tx) => {
    await insertPrincipal(tx, { id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles, tokenHash: hashToken(token) });
    await appendAuditTx(tx, {
      eventKey: `principal:${id}:created`,
      caseId: null,
      at: new Date(),
      actor: actor.id,
      event: 'principal_created',
      detail: { principalId: id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles },
    });
  });
  return { id, name: body.name, agencyId: body.agencyId ?? null, roles: body.roles, token };
}
