// What the parties of an open-data application may do on the case itself (POST
// /v1/cases/:id/<action>), and when: withdraw, supplement a not-accepted application (补正,
// sz-open-2023:20), sign the data-use agreement (sz-open-2023:21), request and submit result
// materials (sz-open-2023:24), report a breach and restrict or close access (sz-open-2023:34).
// Pure: called by the workflow's synchronous update validator.
import { applicationViolations, APPLICATION_FIELDS, type ApplicationFields } from './open-data-application';
import { isDocumentRef, type DocumentRef } from './documents';
import type { Caller, Refusal } from './tasks';

export type Party = 'applicant' | 'provider' | 'operations' | 'competent';

export const OPEN_DATA_ACTIONS: Record<string, { by: Party[]; in: string[]; summary: string }> = {
  withdraw: { by: ['applicant'], in: ['pending_acceptance', 'not_accepted', 'pending_review', 'pending_agreement'], summary: 'withdraw the application' },
  supplement: { by: ['applicant'], in: ['not_accepted'], summary: 'supplement and resubmit a not-accepted application (补正)' },
  'sign-agreement': { by: ['applicant', 'provider'], in: ['pending_agreement'], summary: 'sign the data-use agreement' },
  'request-results': { by: ['operations'], in: ['active', 'restricted'], summary: 'request result materials' },
  'submit-results': { by: ['applicant'], in: ['active', 'restricted'], summary: 'submit result materials' },
  'report-breach': { by: ['provider', 'operations', 'competent'], in: ['active', 'restricted'], summary: 'report a breach and restrict or close access' },
  'lift-restriction': { by: ['provider', 'operations', 'competent'], in: ['restricted'], summary: 'lift a restriction of access' },
};

export const BREACH_MEASURES = ['restrict', 'close'] as const;

export interface Signature {
  party: 'applicant' | 'provider';
  principalId: string;
  at: string;
  /** The sha256 of the text signed: the stored agreement's. */
  sha256: string;
}

export interface AgreementRef {
  agreementId: string;
  sha256: string;
  templateVersion: string;
  citation: string;
  clauses: string[];
  signatures: Signature[];
  status: 'pending_signatures' | 'signed';
}

export interface ResultRequest {
  id: number;
  requestedAt: string;
  requestedBy: string;
  materials: string;
  status: 'open' | 'answered';
}

export interface ResultSubmission {
  id: number;
  submittedAt: string;
  submittedBy: string;
  description: string;
  /** By reference to the document store (GET /v1/cases/:caseId/documents/:sha256); inline in earlier histories. */
  materials: string[] | DocumentRef;
  requestId: number | null;
}

export interface BreachReport {
  id: number;
  reportedAt: string;
  reportedBy: string;
  role: Party;
  measure: 'restrict' | 'close';
  description: string;
  basis: string;
  published: boolean;
  notice: string | null;
}

export interface OpenDataUse {
  resultRequests: ResultRequest[];
  results: ResultSubmission[];
  breaches: BreachReport[];
  /** A rights claim withdrew the data from open use (sz-open-2023:38, js-2020:36): access stays suspended. */
  withdrawnBy?: { claimCaseId: string; at: string; citation: string };
}

export interface ActionState {
  status: string;
  applicantId: string;
  providerAgencyId: string;
  jurisdiction: string;
  receivedDate: string;
  applicationCitation: string;
  application: ApplicationFields;
  agreement: AgreementRef | null;
  use: OpenDataUse;
  /**
   * Actions accepted and not yet recorded. One at a time, so each is validated against a settled
   * case — except signatures of the two parties, which may arrive together.
   */
  queued: { action: string; party: Party }[];
}

/** The parties the caller acts as on this case. */
export function partiesOf(c: Caller, s: Pick<ActionState, 'applicantId' | 'providerAgencyId' | 'jurisdiction'>): Party[] {
  const out: Party[] = [];
  if (c.principalId === s.applicantId) out.push('applicant');
  if (c.roles.includes('provider') && c.agencyId === s.providerAgencyId) out.push('provider');
  // Departments act in the case's own jurisdiction (API.md: those above read, not decide).
  if (c.roles.includes('operations') && c.jurisdiction === s.jurisdiction) out.push('operations');
  if (c.roles.includes('competent') && c.jurisdiction === s.jurisdiction) out.push('competent');
  return out;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const unprocessable = (code: string, message: string, details?: unknown): Refusal => ({ status: 422, code, message, details });

/**
 * Why the action must be refused, or null. Same order as decisionRefusal: an action not offered,
 * then a stranger, then the state, then the fields.
 */
export function openDataActionRefusal(a: { action: string; caller: Caller; fields: Record<string, unknown> }, s: ActionState): Refusal | null {
  const spec = OPEN_DATA_ACTIONS[a.action];
  if (!spec) {
    return unprocessable('action_not_offered', `"${a.action}" is not an action on an open-data application (offered: ${Object.keys(OPEN_DATA_ACTIONS).join(', ')})`);
  }
  const as = partiesOf(a.caller, s).filter((p) => spec.by.includes(p));
  if (!as.length) return { status: 403, code: 'not_party', message: `only the ${spec.by.join(' or ')} may ${spec.summary} on this case` };
  const busy = s.queued.length > 0 && !(a.action === 'sign-agreement' && s.queued.every((q) => q.action === 'sign-agreement'));
  if (busy || !spec.in.includes(s.status)) {
    return {
      status: 409,
      code: busy ? 'action_in_progress' : 'invalid_state',
      message: busy ? 'another action on this case is being recorded; retry' : `cannot ${spec.summary} while the case is ${s.status}`,
    };
  }
  const f = a.fields ?? {};
  switch (a.action) {
    case 'supplement': {
      const unknown = Object.keys(f).filter((k) => k !== 'note' && !(APPLICATION_FIELDS as readonly string[]).includes(k));
      if (unknown.length) return unprocessable('unknown_fields', `not fields of an application: ${unknown.join(', ')}`, { fields: unknown });
      const v = applicationViolations({ ...s.application, ...f }, s.receivedDate, s.applicationCitation);
      return v.length ? unprocessable('invalid_application', v.map((x) => x.message).join('; '), v) : null;
    }
    case 'sign-agreement': {
      if (!s.agreement) return { status: 409, code: 'agreement_not_ready', message: 'the agreement is being drafted; retry in a moment' };
      const party = signingParty(as);
      if (s.agreement.signatures.some((x) => x.party === party) || s.queued.some((q) => q.party === party)) {
        return { status: 409, code: 'already_signed', message: `the ${party} has already signed this agreement` };
      }
      if (f.sha256 !== undefined && f.sha256 !== s.agreement.sha256) {
        return unprocessable('agreement_mismatch', 'sha256 is not the digest of the agreement text: read the current text (GET …/agreement) and sign that', {
          expected: s.agreement.sha256,
        });
      }
      return null;
    }
    case 'request-results':
      return blank(f.materials) ? unprocessable('missing_fields', '"request-results" needs materials: what result materials are asked for', { missing: ['materials'] }) : null;
    case 'submit-results': {
      if (blank(f.description)) return unprocessable('missing_fields', '"submit-results" needs description', { missing: ['description'] });
      if (f.materials !== undefined && !isDocumentRef(f.materials) && !(Array.isArray(f.materials) && f.materials.every((m) => typeof m === 'string'))) {
        return unprocessable('invalid_materials', 'materials must be a list of texts (references or descriptions)');
      }
      if (f.requestId !== undefined && !s.use.resultRequests.some((r) => r.id === f.requestId && r.status === 'open')) {
        return unprocessable('unknown_request', `no open result request ${String(f.requestId)} on this case`);
      }
      return null;
    }
    case 'report-breach': {
      const missing = ['description', 'basis'].filter((k) => blank(f[k]));
      if (!(BREACH_MEASURES as readonly unknown[]).includes(f.measure)) missing.unshift('measure');
      if (missing.length) {
        return unprocessable('missing_fields', `"report-breach" needs ${missing.join(', ')} (measure: restrict or close; basis: the provision or agreement clause breached)`, { missing });
      }
      if (f.publish !== undefined && typeof f.publish !== 'boolean') return unprocessable('invalid_publish', 'publish must be true or false');
      if (f.measure === 'restrict' && s.status === 'restricted') return { status: 409, code: 'already_restricted', message: 'access is already restricted' };
      return null;
    }
    case 'lift-restriction':
      if (s.use.withdrawnBy) {
        return {
          status: 409,
          code: 'data_withdrawn',
          message: `the data was withdrawn from open use by rights claim ${s.use.withdrawnBy.claimCaseId} (${s.use.withdrawnBy.citation}): access stays suspended`,
          details: s.use.withdrawnBy,
        };
      }
      return blank(f.reason) ? unprocessable('missing_fields', '"lift-restriction" needs reason', { missing: ['reason'] }) : null;
    default:
      return null;
  }
}

/** Who signs: the applicant, else the provider agency (no principal is both). */
export function signingParty(parties: Party[]): 'applicant' | 'provider' {
  return parties.includes('applicant') ? 'applicant' : 'provider';
}

/** The party an accepted action is recorded for. */
export function actingParty(action: string, parties: Party[]): Party {
  const by = OPEN_DATA_ACTIONS[action]?.by ?? [];
  return parties.find((p) => by.includes(p)) ?? parties[0] ?? 'applicant';
}

/** The corrected application: the fields carried by a supplement over the previous ones. */
export function supplemented(prev: ApplicationFields, fields: Record<string, unknown>): { application: ApplicationFields; changed: string[] } {
  const changed = (APPLICATION_FIELDS as readonly string[]).filter((k) => k in fields && JSON.stringify(fields[k]) !== JSON.stringify((prev as unknown as Record<string, unknown>)[k]));
  const application = { ...prev } as unknown as Record<string, unknown>;
  for (const k of APPLICATION_FIELDS) if (k in fields) application[k] = fields[k];
  return { application: application as unknown as ApplicationFields, changed };
}
