// Types of the policy registry. A policy is one of the five rule sets of PROCESSES.md; a rule is
// one step of a process as one text defines it, with its citation `<policy>:<article>`.

// The processes are those of the registry (domain/processes.ts).
import type { ProcessId } from '../process';
export type { ProcessId };

// The roles of API.md live in ../roles; re-exported for the registry's users.
import type { Role } from '../roles';
export { ROLES, type Role } from '../roles';

export type PolicyId = 'js-2020' | 'sip-2021' | 'jy-2023' | 'sz-open-2023' | 'cm-draft';
export type PolicyStatus = 'draft' | 'issued';

/** What a missed deadline does: decide the case (js-2020:21 视为同意) or only escalate. */
export type OnMissed = 'deem_consent' | 'escalate';

/**
 * A setting: `<process>.<rule>.<field>` of a process (its descriptor lists it, domain/process.ts),
 * or one of the product's own (policies/settings.ts).
 */
export type SettingId = `${ProcessId}.${string}` | 'reminder.leadWorkingDays';

/** A number the texts leave open ("立即", "及时", "规定的期限", no period): a visible default. */
export interface Setting {
  id: SettingId;
  defaultValue: number;
  /** Working days of the official calendar, or hours on the clock (a period that does not wait for Monday). */
  unit: 'working_days' | 'hours';
  /** The articles that leave the number open; empty for a product setting. */
  citations: string[];
  reason: string;
}

/** Where a rule's period is a setting: which setting fills which number, and why. */
export interface SettingRef {
  reason: string;
  workingDays?: SettingId;
  maxWorkingDays?: SettingId;
  /** A period in hours: the setting's unit is 'hours'. */
  hours?: SettingId;
}

export interface Rule {
  key: string;
  /** Period in working days of the official calendar (the day of receipt not counted). */
  workingDays?: number;
  /** Period in hours on the clock, rest days included (instead of workingDays). */
  hours?: number;
  /** Longest total period, extensions included (sz-open-2023:10). */
  maxWorkingDays?: number;
  /** The event the period counts from, e.g. 'request_received', 'reply', 'task_received'. */
  countFrom?: string;
  onMissed?: OnMissed;
  decidedBy?: Role;
  /** Roles that take part without deciding (joint review, consultation). */
  consults?: Role[];
  /** Role that issues the task (quality audits). */
  initiatedBy?: Role;
  /** Role whose approval an extension needs; a request alone does not move the deadline. */
  extensionApprovedBy?: Role;
  /** The decisions the text allows. */
  actions?: string[];
  /** Fields a decision or submission must carry, by action (refuse → ['legalBasis']). */
  requiredFields?: Record<string, string[]>;
  /** Ordered steps where order is law (sip-2021:24: record, then grant). */
  steps?: string[];
  /** Clauses a signed text must contain (sz-open-2023:21). */
  clauses?: string[];
  /** Keys this rule replaces when it comes from an equal or more specific level. */
  supersedes?: string[];
  citation: string;
  /** Present when a number is not in the text but a visible default (see SETTINGS). */
  setting?: SettingRef;
  note?: string;
}

export type ProcessRules = Record<string, Rule>;

export interface Policy {
  id: PolicyId;
  title: string;
  jurisdiction: string;
  status: PolicyStatus;
  /** null = open-ended (no date in the text). Inclusive YYYY-MM-DD. */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** Where the window comes from, and how its blanks were filled. */
  effectiveCitation: string;
  effectiveNote?: string;
  /** A validity counted from issue (cm-draft:35 两年): applied once the issue date is known. */
  termYears?: number;
  /** 'open_data': the text governs open data only (sz-open-2023). */
  scope: 'all' | 'open_data';
  adopted: boolean;
  version: number;
  processes: Partial<Record<ProcessId, ProcessRules>>;
}

/** The base data merged with admin overrides: what resolution reads. */
export type PolicyState = Policy;

/** What an admin may change (PATCH /v1/policies/:id), and what is stored per policy. */
export interface PolicyPatch {
  adopted?: boolean;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
}

export interface PolicyOverride {
  id: string;
  adopted: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  version: number;
}

export interface Violation {
  field: string;
  code: string;
  message: string;
}

export interface PolicyRef {
  id: PolicyId;
  version: number;
}

export type ResolvedRule = Omit<Rule, 'setting'> & {
  policyId: PolicyId;
  policyVersion: number;
  /** true when a number came from SETTINGS rather than the text. */
  setting?: true;
  settingIds?: SettingId[];
  settingReason?: string;
};

/** What a case snapshots at start and keeps for life. Plain JSON, deep-frozen. */
export interface ResolvedRules {
  process: ProcessId;
  jurisdiction: string;
  receivedDate: string;
  /** The most specific policy that contributed a rule; null when none did. */
  governingPolicy: PolicyRef | null;
  /** Every contributing policy, most specific first. */
  policies: PolicyRef[];
  rules: Record<string, ResolvedRule>;
  /** Needed rules that no adopted policy in force anywhere up the chain defines. */
  unresolved: string[];
  /** Keys left out because a rule of an equal or more specific level replaces them. */
  superseded: Record<string, string>;
  reminderLeadWorkingDays: number;
}
