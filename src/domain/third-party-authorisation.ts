// P10 third-party authorisation filing 第三方授权备案. What the texts say, article by article:
// - sip-2021:34 (and jy-2023:33, the same words with 归集 for 收集): an agency may authorise a
//   third-party professional body to collect and process data; the authorisation changes neither
//   ownership nor the agency's responsibility; it follows legality, necessity and minimisation
//   (最小化, "least scope"), and the agency files it with the competent department (报…备案).
// - cm-draft:31: an agency that commissions a third party (委托) for digital projects or their
//   operation reviews the party's security (安全审查), signs a data security and confidentiality
//   agreement (安全保密协议) and supervises it. It says nothing of filing.
// So the filing is sip-2021's and jy-2023's; the security review and agreement are cm-draft's, a
// rule of their own (`security_review`) that only a Chongming case resolves. Pure: no I/O, no clock
// (callers pass the day).
import { endOfShanghaiDay, isIsoDate } from './calendar/dates';
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { ResolvedRule, ResolvedRules, Violation } from './policies/types';
import { fieldsNotTaken, type Caller, type Refusal } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';

export type { Violation };

export const MAX_DATASETS = 50;
export const MAX_ISSUES = 50;

export interface ThirdParty {
  name: string;
  /** 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character. */
  creditCode: string;
}

export interface SecurityReview {
  conclusion: string;
  /** The day the review concluded (Asia/Shanghai), not after the day of filing. */
  reviewedAt: string;
}

/**
 * The authorisation as filed. `from` and `until` are Asia/Shanghai days (YYYY-MM-DD), both
 * inclusive, like every period of use in API.md (usagePeriod, accessUntil): the authorisation is
 * in force from 00:00 of `from` to 24:00 of `until`, when the case expires.
 */
export interface AuthorisationTerms {
  thirdParty: ThirdParty;
  purpose: string;
  datasetIds: string[];
  scope: string;
  from: string;
  until: string;
  securityReview?: SecurityReview;
  confidentialityAgreementSha256?: string;
}

export interface ThirdPartyAuthorisationInput extends CaseStart {
  provider: { principalId: string; agencyId: string };
  /** The datasets authorised, as the catalog named them when filed (all the provider's own). */
  datasets: { id: string; name: string }[];
  authorisation: AuthorisationTerms;
}

/** pending_filing → filed → expired | revoked; pending_filing → returned → (resubmit) pending_filing. */
export const AUTHORISATION_STATUSES = ['pending_filing', 'returned', 'filed', 'expired', 'revoked'] as const;
/** The statuses in which the authorisation has not ended. */
export const LIVE_STATUSES: readonly string[] = ['pending_filing', 'returned', 'filed'];

export interface FilingPlan {
  filing: { rule: ResolvedRule; workingDays: number; citation: string; actions: string[]; requiredFields: Record<string, string[]> };
  /** cm-draft:31: the fields a filing must carry besides the terms (security review, agreement digest). */
  security: { rule: ResolvedRule; fields: (keyof AuthorisationTerms)[] } | null;
  /** What least scope (every dataset the provider's own) is refused under. */
  leastScopeCitation: string;
}

export class FilingPlanError extends PlanError {}

const SECURITY_FIELDS: readonly (keyof AuthorisationTerms)[] = ['securityReview', 'confidentialityAgreementSha256'];

/** The filing under the case's policy: who files, in how long, and what else the policy requires. */
export function filingPlan(rules: ResolvedRules): FilingPlan {
  const rule = rules.rules['filing'];
  if (!rule) throw new FilingPlanError(`no policy in force defines "filing" of third-party authorisations here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new FilingPlanError(`rule "filing" (${rule.citation}) has no period`);
  const actions = rule.actions?.length ? [...rule.actions] : ['file', 'return'];
  if (!actions.includes('file') || !actions.includes('return')) throw new FilingPlanError(`rule "filing" (${rule.citation}) does not offer file and return`);
  const requiredFields = { ...(rule.requiredFields ?? {}) };
  requiredFields.return = [...new Set([...(requiredFields.return ?? []), 'issues'])];
  const sec = rules.rules['security_review'];
  const fields = (sec?.requiredFields?.submit ?? []).filter((f): f is keyof AuthorisationTerms => (SECURITY_FIELDS as string[]).includes(f));
  return {
    filing: { rule, workingDays: rule.workingDays, citation: rule.citation, actions, requiredFields },
    security: sec ? { rule: sec, fields } : null,
    leastScopeCitation: rule.citation,
  };
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export const CREDIT_CODE_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';

/** The check character of the first 17 characters of a unified social credit code (GB 32100-2015). */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return CREDIT_CHARS[(31 - (sum % 31)) % 31]!;
}

export function isCreditCode(s: unknown): boolean {
  return typeof s === 'string' && new RegExp(CREDIT_CODE_PATTERN).test(s) && creditCodeCheck(s.slice(0, 17)) === s[17];
}

const SHA256 = /^[0-9a-f]{64}$/;
const filled = (v: unknown) => typeof v === 'string' && /\S/.test(v);

/**
 * What is wrong with the terms of an authorisation filed on `today` (Asia/Shanghai), beside what
 * needs the catalog (datasetViolations): the same check for a filing (API) and a resubmission
 * (workflow). Every defect at once.
 */
export function termsViolations(t: Partial<AuthorisationTerms>, today: string, plan: FilingPlan): Violation[] {
  const out: Violation[] = [];
  if (!filled(t.purpose)) out.push({ field: 'purpose', code: 'missing_field', message: 'purpose: must say something' });
  if (!filled(t.scope)) out.push({ field: 'scope', code: 'missing_field', message: 'scope: must say something' });
  if (!filled(t.thirdParty?.name)) out.push({ field: 'thirdParty.name', code: 'missing_field', message: 'thirdParty.name: must say something' });
  if (!isCreditCode(t.thirdParty?.creditCode)) {
    out.push({ field: 'thirdParty.creditCode', code: 'invalid_credit_code', message: 'thirdParty.creditCode: not a unified social credit code (18 characters, GB 32100-2015 check character)' });
  }
  if (!Array.isArray(t.datasetIds) || t.datasetIds.length === 0) {
    out.push({ field: 'datasetIds', code: 'missing_field', message: `datasetIds: at least one dataset is authorised (${plan.leastScopeCitation})` });
  } else if (new Set(t.datasetIds).size !== t.datasetIds.length) {
    out.push({ field: 'datasetIds', code: 'duplicate_dataset', message: 'datasetIds: names a dataset twice' });
  }
  const from = isIsoDate(t.from) ? t.from : null;
  const until = isIsoDate(t.until) ? t.until : null;
  if (!from) out.push({ field: 'from', code: 'invalid_period', message: 'from: must be a real day YYYY-MM-DD (Asia/Shanghai)' });
  if (!until) out.push({ field: 'until', code: 'invalid_period', message: 'until: must be a real day YYYY-MM-DD (Asia/Shanghai)' });
  if (from && until && until < from) out.push({ field: 'until', code: 'invalid_period', message: `until: the last day (${until}) is before the first (${from})` });
  if (until && until < today) out.push({ field: 'until', code: 'invalid_period', message: `until: the authorisation ended on ${until}, before today (${today}): there is nothing left to file` });
  const review = t.securityReview;
  if (review !== undefined) {
    if (!filled(review.conclusion)) out.push({ field: 'securityReview.conclusion', code: 'missing_field', message: 'securityReview.conclusion: must say something' });
    if (!isIsoDate(review.reviewedAt) || review.reviewedAt > today) {
      out.push({ field: 'securityReview.reviewedAt', code: 'invalid_reviewed_at', message: `securityReview.reviewedAt: must be a real day YYYY-MM-DD, not after today (${today})` });
    }
  }
  const digest = t.confidentialityAgreementSha256;
  if (digest !== undefined && !SHA256.test(digest)) {
    out.push({ field: 'confidentialityAgreementSha256', code: 'invalid_digest', message: 'confidentialityAgreementSha256: must be a sha256, 64 lower-case hex digits' });
  }
  for (const field of plan.security?.fields ?? []) {
    if (t[field] !== undefined) continue;
    const what = field === 'securityReview' ? 'a security review of the third party (安全审查)' : 'the sha256 of the signed confidentiality agreement (安全保密协议)';
    const code = field === 'securityReview' ? 'security_review_required' : 'confidentiality_agreement_required';
    out.push({ field, code, message: `${field}: ${plan.security!.rule.citation} requires ${what}` });
  }
  return out;
}

/** A catalog entry as the least-scope check reads it. */
export interface CatalogDataset {
  id: string;
  providerAgencyId: string;
}

/**
 * Least scope (sip-2021:34 最小化原则; jy-2023:33): an agency authorises only data it holds itself —
 * every dataset in the catalog and the provider's own.
 */
export function datasetViolations(datasetIds: readonly string[], found: readonly CatalogDataset[], providerAgencyId: string, citation: string): Violation[] {
  const out: Violation[] = [];
  datasetIds.forEach((id, i) => {
    const ds = found.find((d) => d.id === id);
    if (!ds) out.push({ field: `datasetIds[${i}]`, code: 'unknown_dataset', message: `datasetIds[${i}]: dataset "${id}" is not in the catalog` });
    else if (ds.providerAgencyId !== providerAgencyId) {
      out.push({ field: `datasetIds[${i}]`, code: 'not_provider_dataset', message: `datasetIds[${i}]: dataset "${id}" is ${ds.providerAgencyId}'s, not ${providerAgencyId}'s: an agency authorises only its own data (${citation})` });
    }
  });
  return out;
}

/** One code for the answer: the violations' own when they share it (as api/validation.ts answers several rules). */
export function violationsCode(v: readonly Violation[]): string {
  const codes = new Set(v.map((x) => x.code));
  return codes.size === 1 ? v[0]!.code : 'invalid_request_body';
}

/** What a resubmission may change: the terms, and `datasetIds` only by leaving some out (least scope). */
export const RESUBMIT_FIELDS = ['thirdParty', 'purpose', 'datasetIds', 'scope', 'from', 'until', 'securityReview', 'confidentialityAgreementSha256'] as const;

/** The terms after a resubmission's changes; fields not given stay as filed. */
export function resubmitted(terms: AuthorisationTerms, fields: Record<string, unknown>): { terms: AuthorisationTerms; changed: string[] } {
  const next: Record<string, unknown> = { ...terms };
  const changed: string[] = [];
  for (const k of RESUBMIT_FIELDS) {
    if (fields[k] === undefined) continue;
    next[k] = fields[k];
    changed.push(k);
  }
  return { terms: next as unknown as AuthorisationTerms, changed };
}

export interface ActionState {
  status: string;
  providerAgencyId: string;
  jurisdiction: string;
  actionPending: boolean;
  terms: AuthorisationTerms;
  plan: FilingPlan;
  today: string;
}

const isProvider = (c: Caller, s: ActionState) => c.agencyId === s.providerAgencyId && c.roles.includes('provider');
const isCompetent = (c: Caller, s: ActionState) => c.roles.includes('competent') && c.jurisdiction === s.jurisdiction;

/**
 * Why a party may not take `a` on the authorisation now, or null. `revoke`: the provider, while the
 * authorisation has not ended; the competent department of its jurisdiction once it is filed (until
 * then its instrument is the filing task), with a reason. `resubmit`: the provider, once returned.
 */
export function authorisationActionRefusal(a: { action: string; caller: Caller; fields: Record<string, unknown> }, s: ActionState): Refusal | null {
  if (a.action !== 'revoke' && a.action !== 'resubmit') {
    return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a third-party authorisation` };
  }
  const provider = isProvider(a.caller, s);
  if (a.action === 'resubmit') {
    if (!provider) return { status: 403, code: 'not_party', message: `only the provider agency ${s.providerAgencyId} resubmits its authorisation` };
    if (s.actionPending || s.status !== 'returned') return { status: 409, code: 'invalid_state', message: `only a returned filing is resubmitted; this one is ${s.status}` };
    const extra = fieldsNotTaken(a.action, a.fields, [...RESUBMIT_FIELDS, 'note']);
    if (extra) return extra;
    const next = resubmitted(s.terms, a.fields).terms;
    const added = (next.datasetIds ?? []).filter((id) => !s.terms.datasetIds.includes(id));
    const v = termsViolations(next, s.today, s.plan);
    if (added.length) {
      v.push({ field: 'datasetIds', code: 'datasets_added', message: `datasetIds: a resubmission may leave datasets out, not add ${added.join(', ')}: file a new authorisation (${s.plan.leastScopeCitation})` });
    }
    return v.length ? { status: 422, code: violationsCode(v), message: v.map((x) => x.message).join('; '), details: v } : null;
  }
  const competent = isCompetent(a.caller, s);
  if (!provider && !competent) {
    return { status: 403, code: 'not_party', message: `only the provider agency ${s.providerAgencyId} or the competent department of ${s.jurisdiction} revokes this authorisation` };
  }
  if (s.actionPending || !LIVE_STATUSES.includes(s.status) || (!provider && s.status !== 'filed')) {
    return { status: 409, code: 'invalid_state', message: `cannot revoke an authorisation that is ${s.status}${provider ? '' : ' (before filing, the competent department returns it)'}` };
  }
  if (!provider && !filled(a.fields.reason)) {
    return { status: 422, code: 'missing_fields', message: '"revoke" by the competent department needs reason', details: { missing: ['reason'] } };
  }
  return null;
}

/** The instant the authorisation ends: 24:00 Asia/Shanghai at the end of `until`. */
export function endOfAuthorisation(until: string): string {
  return endOfShanghaiDay(until);
}

export function thirdPartyAuthorisationView(input: ThirdPartyAuthorisationInput): CaseView {
  const t = input.authorisation;
  return newCaseView(input, {
    type: 'third-party-authorisation',
    parties: { providerAgencyId: input.provider.agencyId, thirdParty: t.thirdParty.name, thirdPartyCreditCode: t.thirdParty.creditCode },
    datasetId: t.datasetIds.length === 1 ? t.datasetIds[0]! : null,
    request: { ...t, datasetIds: [...t.datasetIds], datasets: input.datasets.map((d) => ({ ...d })) },
    summary: `第三方授权备案 ${input.provider.agencyId} → ${t.thirdParty.name}: ${t.datasetIds.length} 个数据集, ${t.from}–${t.until}`,
  });
}

/** P10 as the platform knows it (domain/process.ts). */
export const THIRD_PARTY_AUTHORISATION: ProcessDescriptor<'third-party-authorisation'> = {
  id: 'third-party-authorisation',
  code: 'P10',
  tag: { name: 'Third-party authorisations', description: 'P10 第三方授权备案 (sip-2021:34, jy-2023:33, cm-draft:31)' },
  workflows: ['third-party-authorisation'],
  routes: ['third-party-authorisations'],
  caseActions: ['revoke', 'resubmit'],
  ruleKeys: { required: ['filing'], optional: ['security_review'] },
  settings: [
    {
      // sip-2021:34 and jy-2023:33 say only "报公共数据主管部门备案": no text gives the department a
      // period to record (or return) the filing. A filing is a record, not a review, so the default
      // is the shortest period the texts give anyone to answer another agency (js-2020:21, 22: 5
      // working days); missed, it escalates (js-2020:49) and deems nothing — an unfiled
      // authorisation is never deemed filed.
      id: 'third-party-authorisation.filing.workingDays',
      defaultValue: 5,
      unit: 'working_days',
      citations: ['sip-2021:34', 'jy-2023:33'],
      reason:
        'sip-2021:34 and jy-2023:33 require the authorisation to be filed with the competent department (报…备案) ' +
        'but set no period for recording it; the default is the 5 working days js-2020:21–22 give an agency to answer.',
    },
  ],
  // `return` takes `issues` (what the competent department found wrong), a field shared with P7.
};
