// P8 disputes between agencies 争议处理. What the texts say, article by article:
// - js-2020:45¶1: agencies (公共管理和服务机构) in a dispute over the sharing, opening, use or
//   management of public data negotiate; when negotiation fails, the competent department (公共数据
//   主管部门) may coordinate and settle it (协调解决). Every subject; no period anywhere.
// - sz-open-2023:11: a dispute between agencies over who is the open provider (开放主体) of specific
//   data is negotiated by the parties; when that fails, the competent department of the same level
//   asks the expert committee's opinion (征求专家委员会意见) and reports to the government of that
//   level, which determines (确定). Open-provider disputes only; no period either.
// So the expert route is sz-open-2023's and only for `open_provider`: where it governs, the
// department does not determine such a dispute itself — it refers it (the text's "后,报…确定");
// everywhere else (and for every other subject) the department determines under js-2020:45.
// Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { textField } from './json-schema';
import { jurisdictionChain } from './jurisdictions';
import { PlanError } from './plan-error';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { ProcessDescriptor } from './process';
import type { DecisionInput, Refusal } from './tasks';

export const DISPUTE_SUBJECTS = ['open_provider', 'sharing', 'catalog_source', 'other'] as const;
export type DisputeSubject = (typeof DISPUTE_SUBJECTS)[number];
/** Subjects whose determination names the data's provider, recorded by a catalog entry. */
export const PROVIDER_SUBJECTS: readonly DisputeSubject[] = ['open_provider', 'catalog_source'];
/** The subject sz-open-2023:11 governs (具体公共数据的开放主体). */
export const EXPERT_ROUTE_SUBJECT: DisputeSubject = 'open_provider';
export const MAX_COUNTERPARTS = 20;

export const DISPUTE_STATUSES = ['negotiating', 'resolved', 'coordinating', 'determined'] as const;

export interface DisputeBody {
  subject: DisputeSubject;
  datasetId?: string;
  counterpartAgencyIds: string[];
  description: string;
}

/** An agency party to the dispute: the filing one first, then each counterpart. */
export interface DisputeParty {
  agencyId: string;
  jurisdiction: string;
}

export interface DisputeInput extends CaseStart {
  filer: { principalId: string; agencyId: string };
  /** Every agency involved, the filing one first; each negotiates. */
  parties: DisputeParty[];
  subject: DisputeSubject;
  dataset: { id: string; name: string; providerAgencyId: string } | null;
  description: string;
}

interface Step {
  rule: ResolvedRule;
  workingDays: number;
  citation: string;
}

export interface DisputePlan {
  negotiation: Step;
  /** The competent department's step: determine (js-2020:45) or refer to the experts (sz-open-2023:11). */
  coordination: Step & { actions: string[] };
  /** sz-open-2023:11, for an open-provider dispute where it governs: the experts' opinion, then the government. */
  experts: { opinion: Step; government: Step } | null;
}

export class DisputePlanError extends PlanError {}

function step(rules: ResolvedRules, key: string): Step {
  const rule = rules.rules[key];
  if (!rule) throw new DisputePlanError(`no policy in force defines "${key}" of disputes here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new DisputePlanError(`rule "${key}" (${rule.citation}) has no period`);
  return { rule, workingDays: rule.workingDays, citation: rule.citation };
}

/** The dispute's steps under the case's policy, for its subject. */
export function disputePlan(rules: ResolvedRules, subject: DisputeSubject): DisputePlan {
  const negotiation = step(rules, 'negotiation');
  const coordination = step(rules, 'coordination');
  const route = subject === EXPERT_ROUTE_SUBJECT && rules.rules['expert_consultation'] ? step(rules, 'expert_consultation') : null;
  if (!route) return { negotiation, coordination: { ...coordination, actions: ['determine'] }, experts: null };
  return {
    // The parties negotiate under the text that governs their subject.
    negotiation: { ...negotiation, citation: route.citation },
    coordination: { ...route, actions: ['refer_to_experts'] },
    experts: { opinion: step(rules, 'expert_opinion'), government: step(rules, 'government_determination') },
  };
}

/** The fields a determination requires: the one that names the provider where the subject is who provides. */
export function determinationFields(subject: DisputeSubject): string[] {
  return PROVIDER_SUBJECTS.includes(subject) ? ['determination', 'providerAgencyId'] : ['determination'];
}

/**
 * The department (and government) that settles a dispute between these agencies: the most specific
 * jurisdiction they all lie within ("同级", sz-open-2023:11), or null when they share none.
 */
export function commonJurisdiction(jurisdictions: readonly string[]): string | null {
  const [first, ...rest] = jurisdictions;
  if (!first) return null;
  return jurisdictionChain(first).find((j) => rest.every((o) => jurisdictionChain(o).includes(j))) ?? null;
}

export interface BodyViolation {
  field: string;
  code: string;
  message: string;
}

/** What the body says wrong beside the catalog and the agency list (every defect at once). */
export function bodyViolations(b: DisputeBody, filerAgencyId: string): BodyViolation[] {
  const out: BodyViolation[] = [];
  if (PROVIDER_SUBJECTS.includes(b.subject) && !b.datasetId) {
    out.push({ field: 'datasetId', code: 'dataset_required', message: `datasetId: a dispute about ${b.subject} is about specific data, whose provider the determination names (sz-open-2023:11, js-2020:45)` });
  }
  if (b.counterpartAgencyIds.includes(filerAgencyId)) {
    out.push({ field: 'counterpartAgencyIds', code: 'own_agency', message: 'counterpartAgencyIds: an agency does not dispute with itself' });
  }
  if (new Set(b.counterpartAgencyIds).size !== b.counterpartAgencyIds.length) {
    out.push({ field: 'counterpartAgencyIds', code: 'duplicate_agency', message: 'counterpartAgencyIds: names an agency twice' });
  }
  return out;
}

/** A determination that names the provider names one of the agencies in dispute. */
export function providerRefusal(d: DecisionInput, parties: readonly DisputeParty[], citation: string): Refusal | null {
  const named = d.fields.providerAgencyId;
  if (d.action !== 'determine' || named === undefined) return null;
  if (parties.some((p) => p.agencyId === named)) return null;
  return {
    status: 422,
    code: 'not_party',
    message: `providerAgencyId: "${String(named)}" is not an agency in this dispute (${parties.map((p) => p.agencyId).join(', ')}) (${citation})`,
    details: { field: 'providerAgencyId' },
  };
}

export function disputeView(input: DisputeInput): CaseView {
  const [filer, ...counterparts] = input.parties;
  return newCaseView(input, {
    type: 'dispute',
    // The filing agency and the first counterpart are the parties the case table knows (each
    // counterpart sees its own task in its inbox); `request` names them all.
    parties: { requesterAgencyId: filer!.agencyId, providerAgencyId: counterparts[0]?.agencyId ?? null },
    datasetId: input.dataset?.id ?? null,
    request: {
      subject: input.subject,
      datasetId: input.dataset?.id ?? null,
      dataset: input.dataset ? { ...input.dataset } : null,
      filingAgencyId: filer!.agencyId,
      counterpartAgencyIds: counterparts.map((c) => c.agencyId),
      description: input.description,
    },
    summary: `争议处理 ${filer!.agencyId} ↔ ${counterparts.map((c) => c.agencyId).join(', ')}: ${input.subject}${input.dataset ? ` (${input.dataset.id})` : ''}`,
  });
}

const workingDaysSetting = (rule: string, defaultValue: number, citations: string[], reason: string) =>
  ({ id: `dispute.${rule}.workingDays`, defaultValue, unit: 'working_days', citations, reason }) as const;

/** P8 as the platform knows it (domain/process.ts). */
export const DISPUTE: ProcessDescriptor<'dispute'> = {
  id: 'dispute',
  code: 'P8',
  tag: { name: 'Disputes', description: 'P8 争议处理 (sz-open-2023:11, js-2020:45¶1)' },
  workflows: ['dispute'],
  routes: ['disputes'],
  caseActions: [],
  ruleKeys: { required: ['negotiation', 'coordination'], optional: ['expert_consultation', 'expert_opinion', 'government_determination'] },
  // No text gives any stage of a dispute a period: each is a setting, missed → escalates (js-2020:49).
  settings: [
    workingDaysSetting(
      'negotiation',
      10,
      ['js-2020:45', 'sz-open-2023:11'],
      'js-2020:45 and sz-open-2023:11 have the parties negotiate (协商) and go on "协商不成的" but set no period after which ' +
        'negotiation has failed; the default (API-2.md) is twice the 5 working days sz-open-2023:10 gives a provider to answer an objection: here every party must agree.',
    ),
    workingDaysSetting(
      'coordination',
      10,
      ['js-2020:45', 'sz-open-2023:11'],
      'js-2020:45 lets the competent department coordinate (协调解决) and sz-open-2023:11 has it consult the experts and report, ' +
        'neither within a period; the default is the negotiation’s.',
    ),
    workingDaysSetting('expert_opinion', 10, ['sz-open-2023:11'], 'sz-open-2023:11 asks the expert committee’s opinion (征求专家委员会意见) and sets no period for it.'),
    workingDaysSetting(
      'government_determination',
      15,
      ['sz-open-2023:11'],
      'sz-open-2023:11 has the government of the level determine (报本级人民政府确定) and sets no period; the default leaves it half as long again as a department’s step.',
    ),
  ],
  decisionFields: {
    resolution: textField(4000, '协商一致的解决方案', 'the resolution the parties agreed'),
    determination: textField(4000, '确定（协调）结果', 'the determination'),
    providerAgencyId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: '确定的数据提供（开放）主体，争议机构之一 — the agency determined to provide the data, one of those in dispute' },
  },
};
