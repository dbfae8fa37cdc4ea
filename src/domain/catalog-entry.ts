// P7 catalog compilation, review and publication 目录编制、审核、发布 (sip-2021:8, jy-2023:8,
// js-2020:10, 19, 25, cm-draft:6–9): a change of the catalog is a case. The provider compiles the
// entry; the competent department reviews it — one source per data item (一数一源): a code another
// agency's published dataset holds as authoritative must be settled by naming the one source —
// and where the policy says so (sip-2021:8, jy-2023:8) the government approves; then a new version
// of the dataset is published on its hash chain (上链存证, cm-draft:9). Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { DATA_CLASSES, datasetViolations, type CatalogEntryFields } from './catalog';

export type { CatalogEntryFields };
import { PlanError } from './plan-error';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { ProcessDescriptor } from './process';
import { fieldsNotTaken, type Caller, type DecisionInput, type Refusal } from './tasks';
import { deepFreeze } from './policies/plain';

export const CATALOG_ENTRY_REASONS = ['new', 'law_change', 'duty_change', 'correction'] as const;
export type CatalogEntryReason = (typeof CATALOG_ENTRY_REASONS)[number];

/** POST /v1/catalog-entries. `datasetId` absent: a new dataset. */
export interface CatalogEntryBody extends CatalogEntryFields {
  datasetId?: string;
  reason: CatalogEntryReason;
  /** The catalog-update case (cm-draft:8) this entry discharges. */
  dutyCaseId?: string;
}

export interface CatalogEntryInput extends CaseStart {
  compiler: { principalId: string; agencyId: string };
  /** The dataset the entry publishes a version of (a new id for a new dataset). */
  datasetId: string;
  isNew: boolean;
  entry: CatalogEntryBody;
}

/** An authoritative data item of another agency's published dataset that the entry also lists. */
export interface SourceConflict {
  code: string;
  datasetId: string;
  providerAgencyId: string;
}

export interface CatalogEntryPlan {
  /** Who publishes, and the article that records the version (js-2020:10, sip-2021:8, cm-draft:9). */
  publication: ResolvedRule;
  /** The competent department's review, where a text requires one (js-2020:10, sip-2021:8, jy-2023:8). */
  review: { rule: ResolvedRule; workingDays: number } | null;
  /** sip-2021:8 / jy-2023:8: approval by the government (执委会 / 领导小组办公室) after the review. */
  approval: { rule: ResolvedRule; workingDays: number } | null;
}

export class CatalogEntryPlanError extends PlanError {}

function step(rules: ResolvedRules, key: string): { rule: ResolvedRule; workingDays: number } | null {
  const rule = rules.rules[key];
  if (!rule) return null;
  if (!rule.workingDays) throw new CatalogEntryPlanError(`rule "${key}" (${rule.citation}) has no period`);
  return { rule, workingDays: rule.workingDays };
}

/**
 * The steps of a catalog entry under the case's policy: the competent department's review and the
 * government's approval where a text requires them, then publication (under cm-draft alone the
 * agency compiles and records its catalog on the chain itself, cm-draft:7, 9).
 * @throws CatalogEntryPlanError when no policy in force defines publication.
 */
export function catalogEntryPlan(rules: ResolvedRules): CatalogEntryPlan {
  const publication = rules.rules.publication;
  if (!publication) throw new CatalogEntryPlanError(`no policy in force governs the catalog here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  const review = step(rules, 'review');
  const approval = step(rules, 'approval');
  if (approval && !review) throw new CatalogEntryPlanError(`rule "approval" (${approval.rule.citation}) follows a review that no policy in force defines`);
  return { publication, review, approval };
}

/** The review: approve, return with the issues to correct, or refuse with the legal basis. */
export const REVIEW_ACTIONS = deepFreeze(['approve', 'return', 'refuse']);
export const APPROVAL_ACTIONS = deepFreeze(['approve', 'refuse']);

/** Required fields of the review: `sourceOf` only where a data item's source is in conflict. */
export function reviewFields(conflicts: readonly SourceConflict[]): Record<string, string[]> {
  return { refuse: ['legalBasis'], return: ['issues'], ...(conflicts.length ? { approve: ['sourceOf'] } : {}) };
}

/**
 * 一数一源 (sip-2021:8): an approval in conflict names, for each conflicting code, the one agency
 * that is its source — the compiling provider or the one whose published dataset holds it. Null when
 * it does, or there is nothing in conflict.
 */
export function sourceOfRefusal(d: DecisionInput, conflicts: readonly SourceConflict[], compilerAgencyId: string, citation: string): Refusal | null {
  if (d.action !== 'approve' || !conflicts.length) return null;
  const sourceOf = (d.fields.sourceOf ?? {}) as Record<string, unknown>;
  for (const c of conflicts) {
    const named = sourceOf[c.code];
    if (named !== compilerAgencyId && named !== c.providerAgencyId) {
      return {
        status: 422,
        code: 'source_required',
        message: `data item ${c.code} has one source (一数一源, ${citation}): sourceOf.${c.code} must name ${compilerAgencyId} or ${c.providerAgencyId} (who holds it in ${c.datasetId})`,
        details: { field: `sourceOf.${c.code}`, conflict: c },
      };
    }
  }
  return null;
}

/** The fields of a resubmission (after a return): any element of the entry, and a note. */
export const RESUBMIT_FIELDS = ['name', 'content', 'source', 'shareClass', 'openClass', 'legalBasis', 'updateCycle', 'format', 'dataItems'] as const;

/** The entry after a resubmission: the fields given replace those of the entry. */
export function resubmitted(entry: CatalogEntryBody, fields: Record<string, unknown>): CatalogEntryBody {
  const out: Record<string, unknown> = { ...entry };
  for (const k of RESUBMIT_FIELDS) if (fields[k] !== undefined) out[k] = fields[k];
  return out as unknown as CatalogEntryBody;
}

/** Why the compiler may not resubmit now (403 not the compiler, 409 not returned, 422 js-2020:19), or null. */
export function catalogEntryActionRefusal(
  a: { action: string; caller: Caller; fields: Record<string, unknown> },
  s: { status: string; compilerAgencyId: string; entry: CatalogEntryBody; pending: boolean },
): Refusal | null {
  if (a.action !== 'resubmit') return { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a catalog entry (offered: resubmit)` };
  if (a.caller.agencyId !== s.compilerAgencyId || !a.caller.roles.includes('provider')) {
    return { status: 403, code: 'not_party', message: `only a provider of ${s.compilerAgencyId}, which compiled the entry, may resubmit it` };
  }
  if (s.pending || s.status !== 'returned') return { status: 409, code: 'invalid_state', message: `a catalog entry is resubmitted after it was returned; this one is ${s.status}` };
  const extra = fieldsNotTaken(a.action, a.fields, [...RESUBMIT_FIELDS, 'note']);
  if (extra) return extra;
  const blank = RESUBMIT_FIELDS.find((k) => typeof a.fields[k] === 'string' && !(a.fields[k] as string).trim() && k !== 'legalBasis');
  if (blank) return { status: 422, code: 'missing_field', message: `${blank} must say something: more than spaces`, details: { field: blank } };
  const v = datasetViolations(resubmitted(s.entry, a.fields));
  if (v.length) return { status: 422, code: 'legal_basis_required', message: v[0]!.message, details: v };
  return null;
}

export function catalogEntryView(input: CatalogEntryInput): CaseView {
  return newCaseView(input, {
    type: 'catalog-entry',
    parties: { providerAgencyId: input.compiler.agencyId },
    datasetId: input.datasetId,
    request: { ...input.entry, datasetId: input.datasetId, isNew: input.isNew },
    summary: `目录${input.isNew ? '编制' : '更新'} ${input.entry.name} (${input.entry.reason})`,
  });
}

/** Statuses: pending_review → returned ⇄ pending_review → pending_approval → published | refused. */
export const CATALOG_ENTRY_STATUSES = ['pending_review', 'returned', 'pending_approval', 'published', 'refused'] as const;

const dataClassNote = DATA_CLASSES.join(' | ');

/** P7 as the platform knows it (domain/process.ts). */
export const CATALOG_ENTRY: ProcessDescriptor<'catalog-entry'> = {
  id: 'catalog-entry',
  code: 'P7',
  tag: { name: 'Catalog entries', description: 'P7 目录编制、审核、发布、更新 (sip-2021:8, js-2020:10, 19, cm-draft:6–9)' },
  workflows: ['catalog-entry'],
  routes: ['catalog-entries'],
  activities: ['catalog-entry'],
  caseActions: ['resubmit'],
  ruleKeys: { required: ['publication'], optional: ['review', 'approval'] },
  settings: [
    {
      id: 'catalog-entry.review.workingDays',
      defaultValue: 10,
      unit: 'working_days',
      citations: ['js-2020:10', 'sip-2021:8', 'jy-2023:8'],
      reason:
        'The competent department reviews (审核) the catalog but no text sets a period; the default is the 10 working days ' +
        'sz-open-2023:20 gives a provider to review an application, so a review is never silently open-ended.',
    },
    {
      id: 'catalog-entry.approval.workingDays',
      defaultValue: 10,
      unit: 'working_days',
      citations: ['sip-2021:8', 'jy-2023:8'],
      reason: 'The government approves (批准) the reviewed catalog before publication but no text sets a period; the default is that of the review.',
    },
  ],
  decisionFields: {
    sourceOf: {
      type: 'object',
      minProperties: 1,
      maxProperties: 200,
      additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
      description: `一数一源：每个冲突数据项的唯一来源部门 {数据项代码: 部门} — the one source agency of each conflicting data item {code: agencyId} (classes: ${dataClassNote})`,
    },
  },
};
