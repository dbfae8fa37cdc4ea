// P5 quality rectification 质量整改 (sz-open-2023:16 last paragraph, js-2020:17): the competent
// department (or the operations agency) audits a dataset and issues a rectification task naming
// its findings; the provider verifies and corrects within 10 working days of receiving it,
// reporting on each finding; the auditor re-checks and closes the task or reopens it, which starts
// a new period. A missed period escalates. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { DatasetRef } from './objection';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import type { Assignee } from './tasks';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';
import { textField } from './json-schema';
import { deepFreeze } from './policies/plain';

export const MAX_FINDINGS = 50;

export interface QualityRectificationBody {
  datasetId: string;
  findings: string[];
}

export interface QualityRectificationInput extends CaseStart {
  /** Who issued the task: a competent department or operations agency (or an administrator). */
  auditor: { principalId: string; agencyId: string | null; role: 'competent' | 'operations' | null };
  dataset: DatasetRef;
  rectification: QualityRectificationBody;
}

/** API.md: open → submitted → closed, or back to open. */
export const RECTIFICATION_STATUSES = ['open', 'submitted', 'closed'] as const;

export interface RectificationPlan {
  rule: ResolvedRule;
  workingDays: number;
  citation: string;
}

export class RectificationPlanError extends PlanError {}

export function rectificationPlan(rules: ResolvedRules): RectificationPlan {
  const rule = rules.rules['rectification'];
  if (!rule) throw new RectificationPlanError(`no policy in force defines "rectification" here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new RectificationPlanError(`rule "rectification" (${rule.citation}) has no period`);
  return { rule, workingDays: rule.workingDays, citation: rule.citation };
}

/**
 * The provider reports on every finding: one decision field per finding (`finding1`, `finding2`,
 * …), so a submission that skips one is refused before anything is recorded (422 missing_fields).
 */
export function findingFields(findings: string[]): string[] {
  return findings.map((_, i) => `finding${i + 1}`);
}

export function rectificationTask(findings: string[]) {
  return { actions: ['submit'], requiredFields: { submit: findingFields(findings) } };
}

/** The re-check: close, or reopen saying what is still wrong. */
export const RECHECK_TASK = deepFreeze({ actions: ['close', 'reopen'], requiredFields: { reopen: ['reason'] } });

/** Each finding with the provider's report on it. */
export function findingReports(findings: string[], fields: Record<string, unknown>): { finding: string; report: string }[] {
  return findings.map((finding, i) => ({ finding, report: String(fields[`finding${i + 1}`] ?? '') }));
}

/**
 * The re-check goes back to whoever issued the task: its own agency and role. An administrator's
 * task is re-checked by the role the policy names as issuer, in the case's jurisdiction.
 */
export function auditorAssignee(input: QualityRectificationInput, plan: RectificationPlan): Assignee {
  const a = input.auditor;
  if (a.agencyId && a.role) return { agencyId: a.agencyId, role: a.role, jurisdiction: input.jurisdiction };
  const role = plan.rule.initiatedBy === 'operations' ? 'operations' : 'competent';
  return { agencyId: null, role, jurisdiction: input.jurisdiction };
}

export function qualityRectificationView(input: QualityRectificationInput): CaseView {
  return newCaseView(input, {
    type: 'quality-rectification',
    parties: { auditorAgencyId: input.auditor.agencyId, providerAgencyId: input.dataset.providerAgencyId },
    datasetId: input.dataset.id,
    request: { ...input.rectification, findings: [...input.rectification.findings], reportFields: findingFields(input.rectification.findings) },
    summary: `质量整改 ${input.dataset.name}: ${input.rectification.findings.length} 项问题 → ${input.dataset.providerAgencyId}`,
  });
}

/** P5 as the platform knows it (domain/process.ts). */
export const QUALITY_RECTIFICATION: ProcessDescriptor<'quality-rectification'> = {
  id: 'quality-rectification',
  code: 'P5',
  tag: { name: 'Quality rectifications', description: 'P5 数据质量整改 (sz-open-2023:16, js-2020:17)' },
  workflows: ['quality-rectification'],
  routes: ['quality-rectifications'],
  caseActions: [],
  ruleKeys: { required: ['rectification'], optional: [] },
  settings: [
    {
      id: 'quality-rectification.rectification.workingDays',
      defaultValue: 10,
      unit: 'working_days',
      citations: ['js-2020:17'],
      reason:
        'js-2020:17 says "在规定的期限内" (within the prescribed period) without prescribing one; ' +
        'the default is the 10 working days of sz-open-2023:16.',
    },
  ],
  // `finding<n>`: the provider's report on the n-th finding of the audit.
  decisionFields: Object.fromEntries(
    Array.from({ length: MAX_FINDINGS }, (_, i) => [`finding${i + 1}`, textField(4000, `对第${i + 1}项问题的整改情况`, `report on finding ${i + 1}`)]),
  ),
};
