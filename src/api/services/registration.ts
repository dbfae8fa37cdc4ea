// Cases received through other channels (paper, e-mail): the operations agency registers them with
// their real day of receipt, from which the statutory periods count (自收到申请之日起).
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { isWithin } from '../../domain/jurisdictions';
import { forbidden, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';

export interface Registration {
  requesterAgencyId: string;
  receivedAt: string;
  channel: 'paper' | 'email' | 'other';
  reference?: string;
}

export interface Receipt {
  receivedAt: string;
  requesterAgencyId: string;
  receivedVia: 'api' | 'registered';
  registeredBy?: string;
  channel: 'api' | Registration['channel'];
}

/** The caller may file this case itself (a requester of an agency) or register it (operations). */
export function assertMayFile(p: Principal, registration: Registration | undefined, what: string): void {
  if (!registration && (!p.agencyId || !p.roles.includes('requester'))) {
    throw forbidden(`a ${what} is made by a requester acting for its agency (or registered by the operations agency)`);
  }
  if (registration && !p.roles.includes('operations')) {
    throw forbidden(`only the operations agency registers a ${what} received through other channels`);
  }
}

/**
 * Who filed the case and when it was received: the caller's own agency now, or — for a
 * registration — the named requester agency at the instant given, which may not lie in the future.
 * `jurisdiction` is where the case will be handled: the registering operations agency must be there
 * or above.
 */
export async function receiptOf(db: Db, p: Principal, registration: Registration | undefined, jurisdiction: string, what: string): Promise<Receipt> {
  assertMayFile(p, registration, what);
  if (!registration) return { receivedAt: new Date().toISOString(), requesterAgencyId: p.agencyId!, receivedVia: 'api', channel: 'api' };
  // The route's schema refuses what is not an instant with its offset (422 invalid_received_at).
  const at = Date.parse(registration.receivedAt);
  if (at > Date.now()) throw unprocessable('received_in_future', 'receivedAt cannot be in the future', { field: 'registration.receivedAt' });
  if (!p.jurisdiction || !isWithin(jurisdiction, p.jurisdiction)) {
    throw forbidden(`only the operations agency of ${jurisdiction} (or above) registers cases handled there`);
  }
  if (!(await findAgency(db, registration.requesterAgencyId))) {
    throw unprocessable('unknown_agency', `agency "${registration.requesterAgencyId}" does not exist`, { field: 'registration.requesterAgencyId' });
  }
  return {
    receivedAt: new Date(at).toISOString(),
    requesterAgencyId: registration.requesterAgencyId,
    receivedVia: 'registered',
    registeredBy: p.id,
    channel: registration.channel,
  };
}
