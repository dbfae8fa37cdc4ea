// P2 share demand 需求响应 (js-2020:22): data an agency needs that is not yet on the platform. The
// provider answers within 5 working days — a refusal states its legal basis — and, if it agrees,
// aggregates and shares the data within 10 working days of its reply. Nothing is deemed here: a
// missed deadline only escalates to the competent department (js-2020:49). Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { Caller, Refusal } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';

export const DEMAND_CITATION = 'js-2020:22';

export interface ShareDemandBody {
  providerAgencyId: string;
  description: string;
  purpose: string;
  legalDuty: string;
}

export interface ShareDemandInput extends CaseStart {
  /** For demands registered by the operations agency: who registered it, and how it arrived. */
  registeredBy?: string;
  channel?: 'api' | 'paper' | 'email' | 'other';
  requester: { principalId: string; agencyId: string };
  provider: { agencyId: string; name: string };
  demand: ShareDemandBody;
}

/** One step of the demand: the rule that sets its period, and the task the provider answers. */
export interface DemandStep {
  rule: ResolvedRule;
  workingDays: number;
  actions: string[];
  requiredFields: Record<string, string[]>;
  /** js-2020:22 deems nothing: whatever a policy says, a missed deadline only escalates. */
  onMissed: 'escalate';
}

export interface DemandPlan {
  response: DemandStep;
  delivery: DemandStep;
}

export class DemandPlanError extends PlanError {}

function demandStep(rules: ResolvedRules, key: string, fallback: string[], required: Record<string, string[]>): DemandStep {
  const rule = rules.rules[key];
  if (!rule) throw new DemandPlanError(`no policy in force defines "${key}" for share demands here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new DemandPlanError(`rule "${key}" (${rule.citation}) has no period`);
  const actions = rule.actions?.length ? [...rule.actions] : fallback;
  const missing = fallback.filter((a) => !actions.includes(a));
  if (missing.length) throw new DemandPlanError(`rule "${key}" (${rule.citation}) does not offer ${missing.join(', ')}`);
  const requiredFields: Record<string, string[]> = { ...(rule.requiredFields ?? {}) };
  for (const [action, fields] of Object.entries(required)) {
    requiredFields[action] = [...new Set([...(requiredFields[action] ?? []), ...fields])];
  }
  return { rule, workingDays: rule.workingDays, actions, requiredFields, onMissed: 'escalate' };
}

/**
 * The two steps of js-2020:22 under the case's policy. The law fixes what the workflow branches
 * on — agree or refuse (a refusal with its legal basis), then deliver naming the catalog dataset
 * that now holds the data — so a policy may add requirements but not take these away.
 */
export function demandPlan(rules: ResolvedRules): DemandPlan {
  return {
    response: demandStep(rules, 'provider_response', ['agree', 'refuse'], { refuse: ['legalBasis'] }),
    delivery: demandStep(rules, 'delivery', ['deliver'], { deliver: ['datasetId'] }),
  };
}

/** The provider's reply (a decision the kernel has already validated). */
export function responseOutcome(action: string, fields: Record<string, unknown>): { agreed: true } | { agreed: false; legalBasis: string; reason?: string } {
  if (action === 'agree') return { agreed: true };
  return {
    agreed: false,
    legalBasis: String(fields.legalBasis ?? ''),
    reason: fields.reason === undefined ? undefined : String(fields.reason),
  };
}

/** Why the requester may not act on the demand now, or null (same order as decisionRefusal). */
export function demandActionRefusal(
  a: { action: string; caller: Caller },
  state: { status: string; requesterAgencyId: string; actionPending: boolean },
): Refusal | null {
  const withdrawable = ['pending_response', 'pending_delivery'];
  if (a.action !== 'withdraw') return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a share demand` };
  if (a.caller.agencyId !== state.requesterAgencyId || !a.caller.roles.includes('requester')) {
    return { status: 403, code: 'not_party', message: `only the requester agency ${state.requesterAgencyId} may withdraw this demand` };
  }
  if (state.actionPending || !withdrawable.includes(state.status)) {
    return { status: 409, code: 'invalid_state', message: `cannot withdraw a demand that is ${state.status}` };
  }
  return null;
}

/** A demand goes to another agency: what is wrong with the parties, or null. */
export function demandPartiesViolation(requesterAgencyId: string, providerAgencyId: string): string | null {
  return requesterAgencyId === providerAgencyId
    ? `a share demand asks another agency for data: ${providerAgencyId} cannot be both requester and provider (${DEMAND_CITATION})`
    : null;
}

export function shareDemandView(input: ShareDemandInput): CaseView {
  return newCaseView(input, {
    type: 'share-demand',
    parties: { requesterAgencyId: input.requester.agencyId, providerAgencyId: input.provider.agencyId },
    datasetId: null,
    request: { ...input.demand },
    summary: `需求响应 ${input.requester.agencyId} → ${input.provider.name}: ${input.demand.description.slice(0, 80)}`,
  });
}

/** P2 as the platform knows it (domain/process.ts). */
export const SHARE_DEMAND: ProcessDescriptor<'share-demand'> = {
  id: 'share-demand',
  code: 'P2',
  tag: { name: 'Share demands', description: 'P2 共享需求 (js-2020:22)' },
  workflows: ['share-demand'],
  routes: ['share-demands'],
  caseActions: ['withdraw'],
  ruleKeys: { required: ['provider_response', 'delivery'], optional: [] },
  settings: [],
  // js-2020:22 — what is delivered must be a catalog dataset of the provider itself.
  decisionChecks: { delivery: { kind: 'providers-dataset', field: 'datasetId', citation: DEMAND_CITATION } },
};
