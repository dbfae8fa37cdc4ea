import type { Db } from '../../db/client';
import { insertAgency } from '../../db/repositories/agencies';
import { appendAuditTx } from '../../db/repositories/audit';
import { conflict } from '../errors';
import type { Principal } from '../plugins/auth';

/** POST /v1/agencies, its body checked by the route's schema (the jurisdiction is a known one). */
export async function createAgency(db: Db, body: { id: string; name: string; jurisdiction: string }, actor: Principal) {
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
