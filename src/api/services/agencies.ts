import type { Db } from '../../db/client';
import { insertAgency } from '../../db/repositories/agencies';
import { appendAuditTx } from '../../db/repositories/audit';
import { isJurisdiction } from '../../domain/jurisdictions';
import { conflict, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';

export async function createAgency(db: Db, body: { id: string; name: string; jurisdiction: string }, actor: Principal) {
  if (!isJurisdiction(body.jurisdiction)) {
    throw unprocessable('unknown_jurisdiction', `jurisdiction "${body.jurisdiction}" is not one of GET /v1/jurisdictions`);
  }
  const row = await db.transaction(async (tx) => {
    const created = await insertAgency(tx, { ...body });
    if (created) {
      await appendAuditTx(tx, {
        eventKey: `agency:${created.id}:created`,
        caseId: null,
        at: created.createdAt,
        actor: actor.id,
        event: 'agency_registered',
        detail: { agencyId: created.id, name: created.name, jurisdiction: created.jurisdiction },
      });
    }
    return created;
  });
  if (!row) throw conflict('agency_exists', `agency "${body.id}" already exists`);
  return { id: row.id, name: row.name, jurisdiction: row.jurisdiction, createdAt: row.createdAt.toISOString() };
}
