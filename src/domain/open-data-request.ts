// P3 data outside the open catalog (sz-open-2023:23): the provider evaluates the request as it
// evaluates data for the catalog (sz-open-2023:15 — privacy and commercial-secret review, legality
// review, an expert opinion where the question is specialised) and answers within 10 working
// days of receipt. Data found openable is listed in the catalog (sz-open-2023:15¶1); the data user
// then obtains it like any catalog data. Pure: workflows import it.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { planStep, underSzOpen, type ApplicationStep, type Violation } from './open-data-application';
import { DELIVERY_TYPES, type DeliveryType } from './open-data-terms';
import type { ResolvedRules } from './policies/types';
import type { Caller, Refusal } from './tasks';

export interface OpenDataRequestBody {
  providerAgencyId: string;
  title: string;
  /** The data wanted, which is not in the open catalog. */
  description: string;
  reason: string;
  scenario: string;
  deliveryType?: DeliveryType;
  commitment: true;
}

export interface OpenDataRequestInput extends CaseStart {
  applicant: { principalId: string; name: string };
  provider: { agencyId: string; name: string };
  request: OpenDataRequestBody;
}

export interface EvaluationPlan {
  evaluation: ApplicationStep;
  /** The expert opinion of sz-open-2023:15(三) (js-2020:28's committee where the city text is silent). */
  expertCitation: string;
  /** The evaluation steps' article: sz-open-2023:15, or js-2020:25 for the open type alone. */
  evaluationCitation: string;
  /** No policy in force defines the out-of-catalog step: the provider's review period of js-2020:27 applies. */
  fallback: boolean;
}

/**
 * Under sz-open-2023 the step is its own (art. 23, 10 working days). Where only js-2020 is in
 * force (e.g. Suzhou after 2026-07-31) the request is still an application to open data, which
 * js-2020:27 answers within 15 working days — so its review rule applies, with its requirements.
 */
export function evaluationPlan(rules: ResolvedRules): EvaluationPlan {
  const own = !!rules.rules.out_of_catalog_evaluation;
  const step = planStep(rules, own ? 'out_of_catalog_evaluation' : 'provider_review', ['approve', 'refuse'], {
    approve: ['privacyReview', 'legalityReview', 'answer'],
    refuse: ['reason', 'legalBasis'],
  });
  const sz = underSzOpen(rules);
  return {
    evaluation: {
      ...step,
      actions: [...step.actions, 'request_expert_opinion'],
      requiredFields: { ...step.requiredFields, request_expert_opinion: ['question'] },
    },
    expertCitation: sz ? 'sz-open-2023:15' : 'js-2020:28',
    evaluationCitation: sz ? 'sz-open-2023:15' : 'js-2020:25',
    fallback: !own,
  };
}

const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

export function requestViolations(b: Partial<Record<keyof OpenDataRequestBody, unknown>>, citation: string): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, code: string, message: string) => out.push({ field, code, message, citation });
  if (!text(b.title, 200)) add('title', 'missing_field', 'title is required, at most 200 characters');
  if (!text(b.description, 4000)) add('description', 'missing_field', 'description of the data wanted is required');
  if (!text(b.reason, 4000)) add('reason', 'missing_field', 'reason is required');
  if (!text(b.scenario, 4000)) add('scenario', 'missing_field', 'scenario is required');
  if (b.deliveryType !== undefined && !(DELIVERY_TYPES as readonly unknown[]).includes(b.deliveryType)) {
    add('deliveryType', 'invalid_delivery_type', `deliveryType must be one of ${DELIVERY_TYPES.join(', ')}`);
  }
  if (b.commitment !== true) add('commitment', 'commitment_required', 'the applicant must commit that the scenario is true, compliant and secure (commitment: true)');
  return out;
}

/** Only the applicant acts on the case itself: withdrawal while it is pending. */
export function requestActionRefusal(a: { action: string; caller: Caller }, s: { status: string; applicantId: string; actionPending: boolean }): Refusal | null {
  if (a.action !== 'withdraw') return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on an out-of-catalog request (offered: withdraw)` };
  if (a.caller.principalId !== s.applicantId) return { status: 403, code: 'not_party', message: 'only the applicant may withdraw this request' };
  if (s.actionPending || !['pending_evaluation', 'pending_expert_opinion'].includes(s.status)) {
    return { status: 409, code: 'invalid_state', message: `cannot withdraw a request that is ${s.status}` };
  }
  return null;
}

export function openDataRequestView(input: OpenDataRequestInput): CaseView {
  return newCaseView(input, {
    type: 'open-data-application',
    parties: { requesterAgencyId: null, providerAgencyId: input.provider.agencyId, applicantPrincipalId: input.applicant.principalId },
    datasetId: null,
    request: { kind: 'out_of_catalog', ...input.request },
    summary: `目录外开放需求 ${input.request.title}: ${input.applicant.name} → ${input.provider.name}`,
  });
}
