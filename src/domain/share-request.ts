// P1 share request 共享申请 (js-2020:18–21, sip-2021:22–24, jy-2023:21–23, cm-draft:16–19): the
// pure part of the process — which path a request takes, and the grant it leads to.
import type { DataClass } from './catalog';
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { Role } from './roles';
import type { Refusal } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';

export interface ShareRequestBody {
  datasetId: string;
  purpose: string;
  scenario: string;
  legalDuty: string;
  fields?: string[];
  accessMode: 'api' | 'copy';
  /** Last day of access (Asia/Shanghai), inclusive; absent = until the purpose is met. */
  accessUntil?: string;
  commitment: true;
}

export interface DatasetSnapshot {
  id: string;
  name: string;
  providerAgencyId: string;
  jurisdiction: string;
  shareClass: DataClass;
  legalBasis: string | null;
  fields: string[];
}

/** A review step of the plan: which rule, who decides, and what the deadline does. */
export interface ReviewStep {
  rule: ResolvedRule;
  /** 'provider' = the dataset's provider agency; a department role = that role in the jurisdiction. */
  decidedBy: Role;
}

export interface SharePlan {
  /** js-2020:20 — copying needs the competent department's consent first. */
  copyConsent: ReviewStep | null;
  /** null for unconditional data (js-2020:21¶1). */
  review: ReviewStep | null;
  /** sip-2021:24 / jy-2023:23 — the operations agency records the request before access opens. */
  recordFirst: boolean;
  grantCitation: string;
}

export { PlanError };

function step(rules: ResolvedRules, key: string): ReviewStep {
  const rule = rules.rules[key];
  if (!rule) throw new PlanError(`no policy in force defines "${key}" for this case (${rules.unresolved.join(', ') || 'none resolved'})`);
  if (!rule.workingDays) throw new PlanError(`rule "${key}" (${rule.citation}) has no period`);
  return { rule, decidedBy: (rule.decidedBy ?? 'provider') as Role };
}

/**
 * The path a request takes, from the dataset's share class (js-2020:19) and the case's policy:
 * unconditional — opened at once (js-2020:21¶1); conditional — the provider reviews within 5
 * working days and is deemed to consent when it has not decided (js-2020:21¶2), or under
 * sip-2021:24 / jy-2023:23 the competent department reviews with the provider; not shared —
 * provided desensitised or refused with its legal basis (js-2020:19¶3).
 */
export function sharePlan(dataset: DatasetSnapshot, body: ShareRequestBody, rules: ResolvedRules): SharePlan {
  const grant = rules.rules['unconditional_grant'];
  const copyConsent = body.accessMode === 'copy' ? step(rules, 'copy_consent') : null;
  let review: ReviewStep | null = null;
  if (dataset.shareClass === 'conditional') review = step(rules, rules.rules['joint_review'] ? 'joint_review' : 'provider_review');
  if (dataset.shareClass === 'none') review = step(rules, 'not_shared_review');
  return {
    copyConsent,
    review,
    recordFirst: (grant?.steps ?? []).includes('record'),
    grantCitation: grant?.citation ?? 'js-2020:21',
  };
}

/** What a review's decision means for the request. */
export function reviewOutcome(
  r: ReviewStep,
  result: { kind: 'decided'; action: string; fields: Record<string, unknown> } | { kind: 'deemed' },
): { granted: boolean; basis: string; citation: string; legalBasis?: string; reason?: string } {
  const citation = r.rule.citation;
  if (result.kind === 'deemed') return { granted: true, basis: 'deemed_consent', citation };
  if (result.action === 'approve' || result.action === 'consent') return { granted: true, basis: 'approved', citation };
  if (result.action === 'provide_desensitised') return { granted: true, basis: 'desensitised', citation };
  return {
    granted: false,
    basis: 'refused',
    citation,
    legalBasis: String(result.fields.legalBasis ?? ''),
    reason: result.fields.reason === undefined ? undefined : String(result.fields.reason),
  };
}

/** cm-draft:18 最少、够用 — fields asked for must exist in the catalog entry. */
export function unknownFields(dataset: DatasetSnapshot, body: ShareRequestBody): string[] {
  if (!body.fields?.length || !dataset.fields.length) return [];
  return body.fields.filter((f) => !dataset.fields.includes(f));
}

export interface ShareRequestInput extends CaseStart {
  /** For cases registered by the operations agency: who registered it, and how it arrived. */
  registeredBy?: string;
  channel?: 'api' | 'paper' | 'email' | 'other';
  requester: { principalId: string; agencyId: string };
  dataset: DatasetSnapshot;
  request: ShareRequestBody;
}

export function shareRequestView(input: ShareRequestInput): CaseView {
  return newCaseView(input, {
    type: 'share-request',
    parties: { requesterAgencyId: input.requester.agencyId, providerAgencyId: input.dataset.providerAgencyId },
    datasetId: input.dataset.id,
    request: { ...input.request },
    summary: `共享申请 ${input.dataset.name}: ${input.requester.agencyId} → ${input.dataset.providerAgencyId}`,
  });
}

const PENDING = ['pending_consent', 'pending_review'];

/** A party's action on a share request: withdraw while pending, confirm disposal once granted. */
export function shareActionRefusal(
  a: { action: string; caller: { agencyId: string | null; roles: string[] } },
  c: { status: string; requesterAgencyId: string; pending: boolean },
): Refusal | null {
  const allowed = a.action === 'withdraw' ? PENDING : a.action === 'dispose' ? ['granted'] : null;
  if (!allowed) return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a share request` };
  if (a.caller.agencyId !== c.requesterAgencyId || !a.caller.roles.includes('requester')) {
    return { status: 403, code: 'not_party', message: `only the requester agency ${c.requesterAgencyId} may ${a.action} this request` };
  }
  if (c.pending || !allowed.includes(c.status)) return { status: 409, code: 'invalid_state', message: `cannot ${a.action} a request that is ${c.status}` };
  return null;
}

/** P1 as the platform knows it (domain/process.ts). */
export const SHARE_REQUEST: ProcessDescriptor<'share-request'> = {
  id: 'share-request',
  code: 'P1',
  tag: { name: 'Share requests', description: 'P1 数据共享申请 (js-2020:18–21)' },
  workflows: ['share-request'],
  routes: ['share-requests'],
  caseActions: ['withdraw', 'dispose'],
  ruleKeys: {
    required: ['unconditional_grant', 'provider_review', 'not_shared_review', 'copy_consent'],
    // joint_review (sip-2021:24, jy-2023:23) supersedes provider_review where it applies.
    optional: ['joint_review', 'request', 'disposal'],
  },
  settings: [
    {
      id: 'share-request.copy_consent.workingDays',
      defaultValue: 5,
      unit: 'working_days',
      citations: ['js-2020:20'],
      reason:
        'js-2020:20 requires the competent department to consent to copying data but sets no period; ' +
        'the default is the 5 working days js-2020:21 gives a conditional review.',
    },
    {
      id: 'share-request.joint_review.workingDays',
      defaultValue: 5,
      unit: 'working_days',
      citations: ['sip-2021:24', 'jy-2023:23'],
      reason:
        'The competent department reviews together with the responsible department, but the texts set ' +
        'no period; the default is the 5 working days of the provincial js-2020:21.',
    },
    {
      id: 'share-request.not_shared_review.workingDays',
      defaultValue: 5,
      unit: 'working_days',
      citations: ['js-2020:19'],
      reason:
        'js-2020:19 lets non-shared data be provided after desensitisation but sets no period for the ' +
        "provider's answer; the default is the 5 working days of js-2020:21.",
    },
  ],
};
