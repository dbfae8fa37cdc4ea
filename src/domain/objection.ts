// P4 objection and correction 异议与纠错 (sz-open-2023:10, js-2020:45, sip-2021:15, 21, jy-2023:20):
// anyone using the data, or the person it is about, reports an error or omission; the data is
// marked as disputed at once and the provider answers within 5 working days — 30 at most in a
// complex case, and only once the competent department approves. Then the closed loop: feedback,
// confirmation or dispute. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { Role } from './roles';
import type { Caller, Refusal } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';
import { textField } from './json-schema';
import { deepFreeze } from './policies/plain';

export const OBJECTION_KINDS = ['error', 'omission'] as const;
export type ObjectionKind = (typeof OBJECTION_KINDS)[number];

export interface ObjectionBody {
  datasetId: string;
  kind: ObjectionKind;
  description: string;
  recordRef?: string;
}

/** The catalog entry as the case received it. */
export interface DatasetRef {
  id: string;
  name: string;
  providerAgencyId: string;
  jurisdiction: string;
}

export interface ObjectionInput extends CaseStart {
  reporter: { principalId: string; agencyId: string | null };
  dataset: DatasetRef;
  objection: ObjectionBody;
}

/**
 * API.md: open → resolved → confirmed, open ↔ extension_requested. Two more, for the end of the
 * closed loop: `disputed` (the reporter disputed the second answer too; the competent department
 * determines) and `closed` (ended by that determination).
 */
export const OBJECTION_STATUSES = ['open', 'extension_requested', 'resolved', 'confirmed', 'disputed', 'closed'] as const;
/** Statuses of a finished case: the dispute mark is cleared. */
export const OBJECTION_FINAL_STATUSES: readonly string[] = ['confirmed', 'closed'];

/** Where the competent department settles what the parties could not (js-2020:45¶1 协调解决). */
export const DISPUTE_CITATION = 'js-2020:45';
/** An ordered correction is a 责令限期改正 (js-2020:49). */
export const ORDER_CITATION = 'js-2020:49';

export interface ObjectionPlan {
  correction: ResolvedRule;
  workingDays: number;
  /** The longest total period an approved extension may reach (sz-open-2023:10: 30). */
  maxWorkingDays: number;
  extensionApprovedBy: Role;
  /** 标注 — the mark on the data while the objection is open. */
  markCitation: string;
  /** 闭环管理 — feedback and confirmation by the reporter. */
  loopCitation: string;
}

export class ObjectionPlanError extends PlanError {}

export function objectionPlan(rules: ResolvedRules): ObjectionPlan {
  const correction = rules.rules['correction'];
  if (!correction) throw new ObjectionPlanError(`no policy in force defines "correction" for objections here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!correction.workingDays) throw new ObjectionPlanError(`rule "correction" (${correction.citation}) has no period`);
  const max = correction.maxWorkingDays ?? correction.workingDays;
  return {
    correction,
    workingDays: correction.workingDays,
    maxWorkingDays: Math.max(max, correction.workingDays),
    extensionApprovedBy: correction.extensionApprovedBy ?? 'competent',
    markCitation: rules.rules['dispute_mark']?.citation ?? correction.citation,
    loopCitation: rules.rules['closed_loop']?.citation ?? correction.citation,
  };
}

/** The provider's answer: correct (saying what changed) or reject (saying why). */
export const CORRECTION_TASK = deepFreeze({ actions: ['correct', 'reject'], requiredFields: { correct: ['correction'], reject: ['reason'] } });
/** The competent department's review of a request for more time (sz-open-2023:10 审核同意). */
/** The competent department may approve another total than asked (sz-open-2023:10): `workingDays` on approve. */
export const EXTENSION_REVIEW_TASK = deepFreeze({ actions: ['approve', 'refuse'], requiredFields: { refuse: ['reason'] }, optionalFields: { approve: ['workingDays'] } });
/** The competent department's determination of a dispute that went round the loop twice. */
export const DETERMINATION_TASK = deepFreeze({ actions: ['uphold', 'order_correction'], requiredFields: { uphold: ['reason'], order_correction: ['instruction'] } });
export const ORDERED_CORRECTION_TASK = deepFreeze({ actions: ['correct'], requiredFields: { correct: ['correction'] } });

export const OBJECTION_CASE_ACTIONS = ['request-extension', 'confirm', 'dispute'] as const;

export interface Answer {
  answer: 'corrected' | 'rejected';
  correction?: string;
  reason?: string;
}

export function answerOf(action: string, fields: Record<string, unknown>): Answer {
  return action === 'correct' ? { answer: 'corrected', correction: String(fields.correction ?? '') } : { answer: 'rejected', reason: String(fields.reason ?? '') };
}

/** What the case-action validator needs to know about the running case. */
export interface ObjectionState {
  status: string;
  reporterPrincipalId: string;
  providerAgencyId: string;
  /** The provider's running handling period, when there is one. */
  period: { workingDays: number; escalated: boolean } | null;
  maxWorkingDays: number;
  citation: string;
  /** A request for more time is waiting to be taken up or reviewed. */
  extensionPending: boolean;
  /** The reporter's confirmation or dispute is being recorded. */
  answerPending: boolean;
}

const missing = (fields: Record<string, unknown>, names: string[]) =>
  names.filter((n) => typeof fields[n] !== 'string' || !(fields[n] as string).trim());

/**
 * Why a case action must be refused, or null. Same order as decisionRefusal: what the action is,
 * who asks, the state of the case, then the fields — above all the 30-day cap of sz-open-2023:10.
 */
export function objectionActionRefusal(a: { action: string; caller: Caller; fields: Record<string, unknown> }, s: ObjectionState): Refusal | null {
  if (!(OBJECTION_CASE_ACTIONS as readonly string[]).includes(a.action)) {
    return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on an objection (${OBJECTION_CASE_ACTIONS.join(', ')})` };
  }
  if (a.action === 'request-extension') {
    if (a.caller.agencyId !== s.providerAgencyId || !a.caller.roles.includes('provider')) {
      return { status: 403, code: 'not_party', message: `only the provider agency ${s.providerAgencyId} may ask for more time` };
    }
    if (s.status !== 'open' || !s.period || s.extensionPending) {
      const why = s.extensionPending || s.status === 'extension_requested' ? 'a request for more time is already with the competent department' : `the case is ${s.status}`;
      return { status: 409, code: 'invalid_state', message: `cannot ask for more time: ${why}` };
    }
    if (s.period.escalated) {
      return { status: 409, code: 'deadline_missed', message: `the handling period has already passed; the competent department supervises (${ORDER_CITATION})` };
    }
    const gaps = missing(a.fields, ['reason']);
    if (a.fields.workingDays === undefined || a.fields.workingDays === null) gaps.push('workingDays');
    if (gaps.length) return { status: 422, code: 'missing_fields', message: `"request-extension" needs: ${gaps.join(', ')}`, details: { missing: gaps, citation: s.citation } };
    return extensionTotalRefusal(a.fields.workingDays, s.period.workingDays, s.maxWorkingDays, s.citation);
  }
  if (a.caller.principalId !== s.reporterPrincipalId) {
    return { status: 403, code: 'not_party', message: `only the person who reported the objection may ${a.action} the answer` };
  }
  if (s.status !== 'resolved' || s.answerPending) {
    return { status: 409, code: 'invalid_state', message: `cannot ${a.action} an objection that is ${s.status}: there is no answer waiting for the reporter` };
  }
  if (a.action === 'dispute') {
    const gaps = missing(a.fields, ['reason']);
    if (gaps.length) return { status: 422, code: 'missing_fields', message: '"dispute" needs: reason (why the answer is wrong)', details: { missing: gaps } };
  }
  return null;
}

/**
 * A new total period, counted like the first from the day the period began: longer than the
 * current one and at most the cap (sz-open-2023:10 "原则上最多不超过30个工作日").
 */
export function extensionTotalRefusal(total: unknown, current: number, max: number, citation: string): Refusal | null {
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) {
    return { status: 422, code: 'invalid_working_days', message: 'workingDays is the new total period in whole working days', details: { field: 'workingDays' } };
  }
  if (total > max) {
    return {
      status: 422,
      code: 'extension_above_cap',
      message: `an extended period may total at most ${max} working days from receipt (${citation}); ${total} asked`,
      details: { field: 'workingDays', maxWorkingDays: max, citation },
    };
  }
  if (total <= current) {
    return { status: 422, code: 'extension_not_longer', message: `the period is already ${current} working days: a new total must be longer`, details: { field: 'workingDays', currentWorkingDays: current } };
  }
  return null;
}

export function objectionView(input: ObjectionInput): CaseView {
  return newCaseView(input, {
    type: 'objection',
    parties: { reporterPrincipalId: input.reporter.principalId, providerAgencyId: input.dataset.providerAgencyId },
    datasetId: input.dataset.id,
    request: { ...input.objection },
    summary: `异议 ${input.dataset.name}（${input.objection.kind === 'error' ? '错误' : '遗漏'}）→ ${input.dataset.providerAgencyId}`,
  });
}

/** P4 as the platform knows it (domain/process.ts). */
export const OBJECTION: ProcessDescriptor<'objection'> = {
  id: 'objection',
  code: 'P4',
  tag: { name: 'Objections', description: 'P4 数据异议 (sz-open-2023:10, js-2020:45)' },
  workflows: ['objection'],
  routes: ['objections'],
  caseActions: OBJECTION_CASE_ACTIONS,
  ruleKeys: { required: ['correction'], optional: ['dispute_mark', 'closed_loop'] },
  settings: [
    {
      id: 'objection.correction.workingDays',
      defaultValue: 5,
      unit: 'working_days',
      citations: ['js-2020:45'],
      reason: 'js-2020:45 says "及时" (promptly); the default is the 5 working days of sz-open-2023:10.',
    },
    {
      id: 'objection.correction.maxWorkingDays',
      defaultValue: 30,
      unit: 'working_days',
      citations: ['js-2020:45'],
      reason: 'js-2020:45 sets no limit for complex cases; the default is the 30 working days of sz-open-2023:10.',
    },
  ],
  decisionFields: {
    instruction: textField(4000, '整改要求', 'what must be corrected'),
    correction: textField(4000, '更正内容', 'the correction made'),
  },
};
