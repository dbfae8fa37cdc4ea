// P7 update duty 目录动态更新 (cm-draft:8; js-2020:10): after a change of law or of an agency's
// duties, the agency updates its catalog within 15 working days — by publishing an entry that names
// the duty (a catalog-entry case), or by stating with reasons that nothing changes. A missed period
// escalates like every other deadline. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { PlanError } from './plan-error';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { ProcessDescriptor } from './process';
import { deepFreeze } from './policies/plain';

export const UPDATE_TRIGGERS = ['law_change', 'duty_change'] as const;
export type UpdateTrigger = (typeof UPDATE_TRIGGERS)[number];

/** POST /v1/catalog-update-duties (the competent department). */
export interface CatalogUpdateBody {
  agencyId: string;
  trigger: UpdateTrigger;
  /** The law or decision that changed. */
  basis: string;
  description: string;
}

export interface CatalogUpdateInput extends CaseStart {
  issuer: { principalId: string };
  agency: { id: string; name: string };
  duty: CatalogUpdateBody;
}

export interface CatalogUpdatePlan {
  rule: ResolvedRule;
  workingDays: number;
}

export class CatalogUpdatePlanError extends PlanError {}

/**
 * The period of the update duty under the case's policy.
 * @throws CatalogUpdatePlanError when no policy in force defines it.
 */
export function catalogUpdatePlan(rules: ResolvedRules): CatalogUpdatePlan {
  const rule = rules.rules.update;
  if (!rule?.workingDays) throw new CatalogUpdatePlanError(`no policy in force sets the period of a catalog update here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  return { rule, workingDays: rule.workingDays };
}

/** The agency's task: met by a published entry naming the duty, or `no_change` with reasons. */
export const UPDATE_TASK = deepFreeze({ actions: ['no_change'], requiredFields: { no_change: ['reason'] } });

/** Statuses: pending_update → updated (an entry published) | unchanged (no_change). */
export const CATALOG_UPDATE_FINAL_STATUSES: readonly string[] = ['updated', 'unchanged'];

export function catalogUpdateView(input: CatalogUpdateInput): CaseView {
  return newCaseView(input, {
    type: 'catalog-update',
    parties: { providerAgencyId: input.agency.id },
    datasetId: null,
    request: { ...input.duty },
    summary: `目录更新义务 ${input.agency.name}: ${input.duty.trigger} — ${input.duty.basis.slice(0, 60)}`,
  });
}

/** The update duty, a process of its own beside P7's entries (domain/process.ts). */
export const CATALOG_UPDATE: ProcessDescriptor<'catalog-update'> = {
  id: 'catalog-update',
  code: 'P7',
  tag: { name: 'Catalog entries', description: 'P7 目录编制、审核、发布、更新 (sip-2021:8, js-2020:10, 19, cm-draft:6–9)' },
  workflows: ['catalog-update'],
  routes: ['catalog-update-duties'],
  caseActions: [],
  ruleKeys: { required: ['update'], optional: [] },
  settings: [
    {
      id: 'catalog-update.update.workingDays',
      defaultValue: 15,
      unit: 'working_days',
      citations: ['js-2020:10'],
      reason:
        'js-2020:10 requires the catalog to be updated (更新维护) without a period; the default is the 15 working days ' +
        'cm-draft:8 sets after a change of law or of duties.',
    },
  ],
};
