// P6 rights claim 权益保护 (sz-open-2023:38, js-2020:36, sip-2021:35): a person or organisation
// claims that open data infringes its privacy or commercial secrets and submits materials; the
// provider verifies at once ("立即": a setting with a visible default) and withdraws the data,
// reopens it after processing, or keeps it open with reasons. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import type { DocumentRef } from './documents';
import type { DatasetRef } from './objection';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import { PlanError } from './plan-error';
import type { ProcessDescriptor } from './process';
import { textField } from './json-schema';
import { deepFreeze } from './policies/plain';

export const CLAIM_KINDS = ['privacy', 'commercial_secret'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface RightsClaimBody {
  datasetId: string;
  claim: ClaimKind;
  description: string;
  materials?: string[];
}

export interface RightsClaimInput extends CaseStart {
  claimant: { principalId: string; agencyId: string | null };
  dataset: DatasetRef;
  /** The claim as received; its materials by reference to the document store (inline in earlier histories). */
  claim: Omit<RightsClaimBody, 'materials'> & { materials?: string[] | DocumentRef };
}

/** API.md: open → withdrawn_data, reopened_processed, kept_open. */
export const RIGHTS_CLAIM_STATUSES = ['open', 'withdrawn_data', 'reopened_processed', 'kept_open'] as const;

/** The case type whose grants open data to the public: a withdrawal suspends them. */
export const OPEN_DATA_CASE_TYPE = 'open-data-application';

export interface Measure {
  status: (typeof RIGHTS_CLAIM_STATUSES)[number];
  basis: string;
  /** The data leaves open use: every active open-data grant on the dataset is suspended. */
  suspendsGrants: boolean;
  requiredFields: string[];
}

/**
 * The measures the texts name. js-2020:36 has 中止 (suspend) where sz-open-2023:38 has none: the
 * data leaves open use just as on withdrawal, so it ends in `withdrawn_data` with basis
 * `suspended` — the outcome says which, and a later reopening is a new decision of the provider.
 */
export const MEASURES: Readonly<Record<string, Measure>> = deepFreeze({
  withdraw: { status: 'withdrawn_data', basis: 'withdrawn', suspendsGrants: true, requiredFields: [] },
  suspend: { status: 'withdrawn_data', basis: 'suspended', suspendsGrants: true, requiredFields: [] },
  // 依法处理后开放: say what was done (e.g. which fields were desensitised).
  reopen_processed: { status: 'reopened_processed', basis: 'reopened_after_processing', suspendsGrants: false, requiredFields: ['processing'] },
  // 继续开放 — "keep it open with reasons".
  keep_open: { status: 'kept_open', basis: 'kept_open', suspendsGrants: false, requiredFields: ['reason'] },
});

export interface VerificationPlan {
  rule: ResolvedRule;
  workingDays: number;
  citation: string;
  actions: string[];
  requiredFields: Record<string, string[]>;
}

export class VerificationPlanError extends PlanError {}

export function verificationPlan(rules: ResolvedRules): VerificationPlan {
  const rule = rules.rules['verification'];
  if (!rule) throw new VerificationPlanError(`no policy in force defines "verification" for rights claims here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new VerificationPlanError(`rule "verification" (${rule.citation}) has no period`);
  const actions = rule.actions?.length ? [...rule.actions] : ['withdraw', 'reopen_processed', 'keep_open'];
  const unknown = actions.filter((a) => !MEASURES[a]);
  if (unknown.length) throw new VerificationPlanError(`rule "verification" (${rule.citation}) names measures this product does not know: ${unknown.join(', ')}`);
  const requiredFields: Record<string, string[]> = {};
  for (const a of actions) {
    const fields = [...new Set([...MEASURES[a]!.requiredFields, ...(rule.requiredFields?.[a] ?? [])])];
    if (fields.length) requiredFields[a] = fields;
  }
  return { rule, workingDays: rule.workingDays, citation: rule.citation, actions, requiredFields };
}

export function rightsClaimView(input: RightsClaimInput): CaseView {
  return newCaseView(input, {
    type: 'rights-claim',
    parties: { claimantPrincipalId: input.claimant.principalId, providerAgencyId: input.dataset.providerAgencyId },
    datasetId: input.dataset.id,
    request: { ...input.claim, materials: Array.isArray(input.claim.materials) ? [...input.claim.materials] : (input.claim.materials ?? []) },
    summary: `权益保护 ${input.dataset.name}（${input.claim.claim === 'privacy' ? '个人隐私' : '商业秘密'}）→ ${input.dataset.providerAgencyId}`,
  });
}

/** P6 as the platform knows it (domain/process.ts). */
export const RIGHTS_CLAIM: ProcessDescriptor<'rights-claim'> = {
  id: 'rights-claim',
  code: 'P6',
  tag: { name: 'Rights claims', description: 'P6 权益主张 (sz-open-2023:38, js-2020:36)' },
  workflows: ['rights-claim'],
  routes: ['rights-claims'],
  activities: ['rights-claim'],
  caseActions: [],
  ruleKeys: { required: ['verification'], optional: [] },
  settings: [
    {
      id: 'rights-claim.verification.workingDays',
      defaultValue: 1,
      unit: 'working_days',
      citations: ['sz-open-2023:38', 'js-2020:36'],
      reason:
        'sz-open-2023:38 says "立即核实" (verify immediately) and js-2020:36 sets no period for a claim; ' +
        'immediately is read as within 1 working day, never as no deadline.',
    },
  ],
  decisionFields: {
    processing: textField(4000, '处理情况', 'how the data was processed before reopening'),
    // PROCESSES.md P6: a leak starts remediation and notification (P9).
    leak: { type: 'boolean', description: '核实发现数据已泄露：启动安全事件处置（P9） — the data has leaked: a security incident is opened' },
  },
};
