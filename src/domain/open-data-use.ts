// Use of opened data (P3 steps 6–7): the operations agency may ask for result materials and the
// data user submits them (sz-open-2023:24, js-2020:34); a breach leads the competent department
// or the provider to restrict or close access, optionally published on the platform
// (sz-open-2023:34, js-2020:50). Pure: the workflow commits what this returns.
import { isDocumentRef } from './documents';
import type { BreachReport, OpenDataUse, Party } from './open-data-actions';
import type { citationsOf } from './open-data-application';

export interface UseEvent {
  actor: string;
  event: string;
  detail: Record<string, unknown>;
  citation: string;
}

export interface UseContext {
  use: OpenDataUse;
  status: string;
  cite: ReturnType<typeof citationsOf>;
  /** The parties the caller acts as (already checked by the validator). */
  parties: Party[];
  grantId: string;
  now: string;
}

export interface UseStep {
  use: OpenDataUse;
  status?: string;
  /** Merged into the case outcome. */
  outcome?: Record<string, unknown>;
  events: UseEvent[];
  /** The grant's new status, if it changes. */
  grant?: 'active' | 'suspended' | 'revoked';
  /** Access is closed for good: the case ends. */
  ended: boolean;
  /** Stored documents the step makes part of the case (submitted materials). */
  documents?: string[];
}

/** The queue entry a rights claim's withdrawal becomes in an open-data case (see dataWithdrawnSignal). */
export const DATA_WITHDRAWN = 'data-withdrawn';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** What a validated use-phase action changes. */
export function useAction(a: { action: string; caller: { principalId: string }; fields: Record<string, unknown> }, ctx: UseContext): UseStep {
  const { use, cite, now, grantId } = ctx;
  const actor = a.caller.principalId;
  const f = a.fields ?? {};
  switch (a.action) {
    case 'request-results': {
      const id = use.resultRequests.length + 1;
      const materials = str(f.materials);
      return {
        use: { ...use, resultRequests: [...use.resultRequests, { id, requestedAt: now, requestedBy: actor, materials, status: 'open' }] },
        events: [{ actor, event: 'result_materials_requested', detail: { requestId: id, materials }, citation: cite.results }],
        ended: false,
      };
    }
    case 'submit-results': {
      // Answers the request named, else the oldest open one; with none open it is voluntary feedback.
      const open = use.resultRequests.filter((r) => r.status === 'open');
      const requestId = typeof f.requestId === 'number' ? f.requestId : (open[0]?.id ?? null);
      const id = use.results.length + 1;
      const materials = isDocumentRef(f.materials) ? f.materials : Array.isArray(f.materials) ? f.materials.map(String) : [];
      const description = str(f.description);
      return {
        use: {
          ...use,
          resultRequests: use.resultRequests.map((r) => (r.id === requestId ? { ...r, status: 'answered' as const } : r)),
          results: [...use.results, { id, submittedAt: now, submittedBy: actor, description, materials, requestId }],
        },
        events: [{ actor, event: 'result_materials_submitted', detail: { resultId: id, requestId, description, materials }, citation: cite.results }],
        ended: false,
        documents: isDocumentRef(materials) ? [materials.document] : undefined,
      };
    }
    case 'report-breach': {
      const measure = f.measure === 'close' ? 'close' : 'restrict';
      const role = ctx.parties.find((p) => p !== 'applicant') ?? 'provider';
      const published = f.publish === true;
      const description = str(f.description);
      const basis = str(f.basis);
      const notice = published ? str(f.notice) || `数据利用主体违反${basis}，已${measure === 'close' ? '关闭' : '限制'}其数据获取权限。` : null;
      const breach: BreachReport = { id: use.breaches.length + 1, reportedAt: now, reportedBy: actor, role, measure, description, basis, published, notice };
      const events: UseEvent[] = [
        { actor, event: 'breach_reported', detail: { breachId: breach.id, role, description, basis, measure }, citation: cite.breach },
        {
          actor,
          event: measure === 'close' ? 'access_closed' : 'access_restricted',
          detail: { breachId: breach.id, grantId, grant: measure === 'close' ? 'revoked' : 'suspended' },
          citation: cite.breach,
        },
      ];
      if (published) events.push({ actor, event: 'breach_published', detail: { breachId: breach.id, notice }, citation: cite.breach });
      return {
        use: { ...use, breaches: [...use.breaches, breach] },
        status: measure === 'close' ? 'revoked' : 'restricted',
        outcome: measure === 'close' ? { basis: 'revoked', citation: cite.breach, breachId: breach.id } : undefined,
        events,
        grant: measure === 'close' ? 'revoked' : 'suspended',
        ended: measure === 'close',
      };
    }
    case 'lift-restriction':
      return {
        use,
        status: 'active',
        events: [{ actor, event: 'access_restriction_lifted', detail: { grantId, reason: str(f.reason) }, citation: cite.breach }],
        grant: 'active',
        ended: false,
      };
    case DATA_WITHDRAWN: {
      // Not a party's action: a rights claim on the dataset withdrew it from open use.
      const withdrawnBy = { claimCaseId: str(f.claimCaseId), at: now, citation: str(f.citation) };
      return {
        use: { ...use, withdrawnBy },
        status: 'restricted',
        events: [{ actor, event: 'grant_suspended', detail: { grantId, byCase: withdrawnBy.claimCaseId }, citation: withdrawnBy.citation }],
        grant: 'suspended',
        ended: false,
      };
    }
    default:
      throw new RangeError(`not a use-phase action: ${a.action}`);
  }
}
