// P3 有条件开放申请 (sz-open-2023:7, 19–24, 34; js-2020:25–27, 34–35, 50): the pure part of the
// process — what an application must hold, which datasets need one, the steps the case's policy
// gives it, and the articles each step cites. No I/O, no clock: workflows import it.
import { isIsoDate } from './calendar/dates';
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { missingClauses } from './data-use-agreement';
import type { DataClass } from './catalog';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { Refusal } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';
import { textField } from './json-schema';
import { DELIVERY_TYPES, type DeliveryType, type UsagePeriod } from './open-data-terms';

/** sz-open-2023:20 — title, reason, type, usage period, form of results, scenario, commitment. */
/** Statuses an open-data case ends in: nothing it does afterwards opens or holds access. */
export const OPEN_DATA_FINAL_STATUSES = ['withdrawn', 'rejected', 'expired', 'revoked', 'closed', 'failed'] as const;

export interface ApplicationFields {
  title: string;
  reason: string;
  deliveryType: DeliveryType;
  usagePeriod: UsagePeriod;
  resultForm: string;
  scenario: string;
  commitment: true;
}
export const APPLICATION_FIELDS = ['title', 'reason', 'deliveryType', 'usagePeriod', 'resultForm', 'scenario', 'commitment'] as const;

export interface OpenDataApplicationBody extends ApplicationFields {
  datasetId: string;
}

export interface OpenDatasetSnapshot {
  id: string;
  name: string;
  providerAgencyId: string;
  providerName: string;
  jurisdiction: string;
  openClass: DataClass;
  legalBasis: string | null;
}

export interface OpenDataApplicationInput extends CaseStart {
  applicant: { principalId: string; name: string };
  dataset: OpenDatasetSnapshot;
  application: OpenDataApplicationBody;
}

export interface Violation {
  field: string;
  code: string;
  message: string;
  citation?: string;
}

/** Does sz-open-2023 (city, open data only) take part in this case's rules? Else js-2020 alone. */
export function underSzOpen(rules: ResolvedRules): boolean {
  return rules.policies.some((p) => p.id === 'sz-open-2023');
}

/** The article each step cites, from the texts that govern the case. */
export function citationsOf(rules: ResolvedRules) {
  const sz = underSzOpen(rules);
  return {
    application: rules.rules.application?.citation ?? (sz ? 'sz-open-2023:20' : 'js-2020:27'),
    unconditional: sz ? 'sz-open-2023:19' : 'js-2020:26',
    notOpen: sz ? 'sz-open-2023:7' : 'js-2020:25',
    delivery: sz ? 'sz-open-2023:22' : 'js-2020:26',
    results: sz ? 'sz-open-2023:24' : 'js-2020:34',
    breach: sz ? 'sz-open-2023:34' : 'js-2020:50',
  };
}

const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/**
 * Every defect of an application at once (一次性告知): the fields of sz-open-2023:20, a usage
 * period that is a real span not already over, and the applicant's commitment. `receivedDate` is
 * the Shanghai day of (re)submission.
 */
export function applicationViolations(a: Partial<Record<keyof ApplicationFields, unknown>>, receivedDate: string, citation: string): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, code: string, message: string) => out.push({ field, code, message, citation });
  if (!text(a.title, 200)) add('title', 'missing_field', 'title (申请标题) is required, at most 200 characters');
  if (!text(a.reason, 4000)) add('reason', 'missing_field', 'reason (事由) is required');
  if (!(DELIVERY_TYPES as readonly unknown[]).includes(a.deliveryType)) {
    add('deliveryType', 'invalid_delivery_type', `deliveryType (申请类型) must be one of ${DELIVERY_TYPES.join(', ')}`);
  }
  if (!text(a.resultForm, 2000)) add('resultForm', 'missing_field', 'resultForm (成果形式) is required');
  if (!text(a.scenario, 4000)) add('scenario', 'missing_field', 'scenario (应用场景) is required');
  if (a.commitment !== true) {
    add('commitment', 'commitment_required', 'the applicant must commit that the scenario is true, compliant and secure (commitment: true)');
  }
  const p = a.usagePeriod as Partial<UsagePeriod> | undefined;
  if (!p || typeof p !== 'object' || !isIsoDate(p.start) || !isIsoDate(p.end)) {
    add('usagePeriod', 'invalid_usage_period', 'usagePeriod (使用期限) needs start and end as YYYY-MM-DD');
  } else if (p.start > p.end) {
    add('usagePeriod', 'invalid_usage_period', `usagePeriod starts (${p.start}) after it ends (${p.end})`);
  } else if (p.start < receivedDate) {
    add('usagePeriod.start', 'usage_period_in_past', `usagePeriod cannot start before the day of application (${receivedDate})`);
  }
  return out;
}

export interface OpenClassRefusal {
  code: 'no_application_needed' | 'not_open';
  message: string;
  citation: string;
  details: Record<string, unknown>;
}

/**
 * Only conditional-open data is applied for (sz-open-2023:7, 20): unconditional data is taken
 * directly from the platform (sz-open-2023:19), non-open data is refused with its class and basis.
 */
export function openClassRefusal(ds: OpenDatasetSnapshot, rules: ResolvedRules): OpenClassRefusal | null {
  const c = citationsOf(rules);
  if (ds.openClass === 'unconditional') {
    return {
      code: 'no_application_needed',
      citation: c.unconditional,
      message:
        `dataset "${ds.id}" is open unconditionally (无条件开放): no application is needed — download it or call its API ` +
        `directly on the public data open platform (公共数据开放平台) (${c.unconditional})`,
      details: { datasetId: ds.id, openClass: ds.openClass, citation: c.unconditional, obtainVia: 'public data open platform: download or API' },
    };
  }
  if (ds.openClass === 'none') {
    const basis = ds.legalBasis ?? 'not stated in the catalog';
    return {
      code: 'not_open',
      citation: c.notOpen,
      message:
        `dataset "${ds.id}" is classed not open (不予开放, ${c.notOpen}); legal basis: ${basis}. ` +
        'It can be opened only after lawful processing or with the consent of the rights holders, when the provider reclassifies it.',
      details: { datasetId: ds.id, openClass: ds.openClass, legalBasis: ds.legalBasis, citation: c.notOpen },
    };
  }
  return null;
}

/** One step of the plan: the rule that sets its period and the task its decider answers. */
export interface ApplicationStep {
  rule: ResolvedRule;
  workingDays: number;
  actions: string[];
  requiredFields: Record<string, string[]>;
  /** Open data deems nothing: whatever a policy says, a missed deadline only escalates. */
  onMissed: 'escalate';
}

export interface ApplicationPlan {
  /** sz-open-2023:20 受理 by the competent department; null where the policy has no such step (js-2020:27). */
  acceptance: ApplicationStep | null;
  review: ApplicationStep;
  agreement: ResolvedRule;
}

export class ApplicationPlanError extends PlanError {}

export function planStep(rules: ResolvedRules, key: string, actions: string[], required: Record<string, string[]>): ApplicationStep {
  const rule = rules.rules[key];
  if (!rule) throw new ApplicationPlanError(`no policy in force defines "${key}" for open-data applications here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new ApplicationPlanError(`rule "${key}" (${rule.citation}) has no period`);
  const offered = rule.actions?.length ? [...rule.actions] : actions;
  const lacking = actions.filter((a) => !offered.includes(a));
  if (lacking.length) throw new ApplicationPlanError(`rule "${key}" (${rule.citation}) does not offer ${lacking.join(', ')}`);
  const requiredFields: Record<string, string[]> = { ...(rule.requiredFields ?? {}) };
  for (const [action, fields] of Object.entries(required)) {
    requiredFields[action] = [...new Set([...(requiredFields[action] ?? []), ...fields])];
  }
  return { rule, workingDays: rule.workingDays, actions: offered, requiredFields, onMissed: 'escalate' };
}

/**
 * The steps of the case under its policy. What the workflow branches on is law and cannot be
 * taken away by a policy: a not-accepted application lists its missing items (一次性告知), an
 * approval states purpose and scope, a refusal its reasons and legal basis (sz-open-2023:20).
 */
export function applicationPlan(rules: ResolvedRules): ApplicationPlan {
  const acceptance = rules.rules.acceptance ? planStep(rules, 'acceptance', ['accept', 'not_accept'], { not_accept: ['missingItems'] }) : null;
  const review = planStep(rules, 'provider_review', ['approve', 'refuse'], { approve: ['purpose', 'scope'], refuse: ['reason', 'legalBasis'] });
  const agreement = rules.rules.agreement;
  if (!agreement) throw new ApplicationPlanError('no policy in force defines the data-use agreement (sz-open-2023:21, js-2020:26)');
  const lacking = missingClauses(agreement.clauses ?? []);
  if (lacking.length) throw new ApplicationPlanError(`the agreement template lacks clauses required by ${agreement.citation}: ${lacking.join(', ')}`);
  return { acceptance, review, agreement };
}

/**
 * 一次性告知: a refusal to accept must list every missing item, each a non-blank text. Used by the
 * acceptance task's validator, so a malformed list is refused (422) before anything is recorded.
 */
export function missingItemsRefusal(d: { action: string; fields: Record<string, unknown> }, citation: string): Refusal | null {
  if (d.action !== 'not_accept') return null;
  const v = d.fields.missingItems;
  const items = Array.isArray(v) ? v : [v];
  if (items.length && items.every((x) => typeof x === 'string' && x.trim())) return null;
  return {
    status: 422,
    code: 'missing_items_required',
    message: `list every missing item at once (一次性告知, ${citation}): missingItems must be a list of non-blank texts`,
    details: { field: 'missingItems', citation },
  };
}

/** The items a not-accepted application lacks, as a clean list (the validator saw a non-empty value). */
export function missingItemsOf(v: unknown): string[] {
  const items = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x.trim() : String(x ?? '').trim())).filter(Boolean);
  return items.length ? items : ['(not stated)'];
}

export function openDataApplicationView(input: OpenDataApplicationInput): CaseView {
  return newCaseView(input, {
    type: 'open-data-application',
    parties: { requesterAgencyId: null, providerAgencyId: input.dataset.providerAgencyId, applicantPrincipalId: input.applicant.principalId },
    datasetId: input.dataset.id,
    request: { kind: 'catalog', ...input.application },
    summary: `开放申请 ${input.dataset.name}: ${input.applicant.name} → ${input.dataset.providerName}`,
  });
}

/** P3, with out-of-catalog requests (open-data-request.ts), as the platform knows it (domain/process.ts). */
export const OPEN_DATA_APPLICATION: ProcessDescriptor<'open-data-application'> = {
  id: 'open-data-application',
  code: 'P3',
  tag: { name: 'Open data', description: 'P3 有条件开放申请, out-of-catalog requests and data-use agreements (sz-open-2023:19–24, 34)' },
  workflows: ['open-data-application', 'open-data-request'],
  routes: ['open-data-applications', 'open-data-requests'],
  activities: ['open-data-application'],
  caseActions: ['withdraw', 'supplement', 'sign-agreement', 'request-results', 'submit-results', 'report-breach', 'lift-restriction'],
  ruleKeys: {
    required: ['provider_review', 'agreement'],
    optional: ['application', 'acceptance', 'out_of_catalog_evaluation'],
  },
  settings: [
    {
      id: 'open-data-application.acceptance.workingDays',
      defaultValue: 2,
      unit: 'working_days',
      citations: ['sz-open-2023:20'],
      reason:
        'sz-open-2023:20 sets no period for acceptance (受理) and only says the accepted application is ' +
        'passed on promptly (及时移交); 2 working days keep the 10-day review meaningful.',
    },
  ],
  decisionFields: {
    privacyReview: textField(4000, '隐私审查意见', 'privacy review'),
    legalityReview: textField(4000, '合法性审查意见', 'legality review'),
    question: textField(4000, '提请专家委员会的问题', 'question put to the expert committee'),
    opinion: textField(4000, '专家意见', 'expert opinion'),
    missingItems: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: textField(500, '需补正的事项', 'an item to supplement'),
      description: '需补正的全部事项（一次性告知） — every item to supplement, all at once',
    },
  },
};
