// Which rules govern a case. PROCESSES.md: a case is governed by the most specific policy in
// force on the day it is received; where that policy is silent, the next level up applies.
// Resolution is per rule key, so a district text that defines only the grant step still leaves
// the review period to the province. Expired or not-adopted policies never apply.
import { isJurisdiction, jurisdictionChain } from '../jurisdictions';
import { isIsoDate } from './dates';
import { deepFreeze, plainCopy } from './plain';
import { isProcessId } from '../process';
import { processRuleKeys, ruleKeysOf } from './process-keys';
import { settingValue, type SettingValues } from './settings';
import {
  type PolicyRef,
  type PolicyState,
  type ProcessId,
  type ResolvedRule,
  type ResolvedRules,
  type Rule,
  type SettingId,
} from './types';

export interface ResolveOptions {
  /** Deployment values for the settings (allSettings()); absent ids take their visible default. */
  settings?: SettingValues;
}

/** In force on `date`: effectiveFrom <= date <= effectiveTo, both inclusive, null = open-ended. */
export function isInForce(policy: Pick<PolicyState, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  return (
    (policy.effectiveFrom === null || policy.effectiveFrom <= date) &&
    (policy.effectiveTo === null || date <= policy.effectiveTo)
  );
}

export function isApplicable(policy: PolicyState, date: string): boolean {
  return policy.adopted && isInForce(policy, date);
}

// Two applicable policies of one level (none in the shipped set): the one in force most recently
// wins, then the id, so the answer never depends on the order the states were loaded in.
function byPrecedence(a: PolicyState, b: PolicyState): number {
  const fromA = a.effectiveFrom ?? '';
  const fromB = b.effectiveFrom ?? '';
  if (fromA !== fromB) return fromA < fromB ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The applicable policies of each level of the chain, most specific level first. */
export function applicablePoliciesByLevel(
  policies: readonly PolicyState[],
  jurisdiction: string,
  date: string,
): PolicyState[][] {
  return jurisdictionChain(jurisdiction).map((level) =>
    policies.filter((p) => p.jurisdiction === level && isApplicable(p, date)).sort(byPrecedence),
  );
}

function toResolvedRule(rule: Rule, policy: PolicyState, values: SettingValues): ResolvedRule {
  const { setting, ...rest } = plainCopy(rule);
  const resolved: ResolvedRule = { ...rest, policyId: policy.id, policyVersion: policy.version };
  if (setting) {
    const ids: SettingId[] = [];
    if (setting.workingDays) {
      resolved.workingDays = settingValue(setting.workingDays, values);
      ids.push(setting.workingDays);
    }
    if (setting.maxWorkingDays) {
      resolved.maxWorkingDays = settingValue(setting.maxWorkingDays, values);
      ids.push(setting.maxWorkingDays);
    }
    if (setting.hours) {
      resolved.hours = settingValue(setting.hours, values);
      ids.push(setting.hours);
    }
    resolved.setting = true;
    resolved.settingIds = ids;
    resolved.settingReason = setting.reason;
  }
  return resolved;
}

interface Found {
  rule: Rule;
  policy: PolicyState;
  level: number;
}

/**
 * The rules a case of `process` in `jurisdiction`, received on `receivedDate`, is governed by.
 * The result is plain JSON and deep-frozen: the case snapshots it at start and keeps it for life.
 * Throws a RangeError for an unknown jurisdiction or process or a malformed date (callers
 * validate first; these are programming errors, not user input).
 */
export function resolveRules(
  policies: readonly PolicyState[],
  jurisdiction: string,
  process: ProcessId,
  receivedDate: string,
  options: ResolveOptions = {},
): ResolvedRules {
  if (!isJurisdiction(jurisdiction)) throw new RangeError(`unknown jurisdiction: ${String(jurisdiction)}`);
  if (!isProcessId(process)) throw new RangeError(`unknown process: ${process}`);
  if (!isIsoDate(receivedDate)) throw new RangeError(`receivedDate must be YYYY-MM-DD: ${receivedDate}`);
  const values = options.settings ?? {};
  const levels = applicablePoliciesByLevel(policies, jurisdiction, receivedDate);

  const found = new Map<string, Found>();
  for (const key of processRuleKeys(process)) {
    search: for (const [level, candidates] of levels.entries()) {
      for (const policy of candidates) {
        const rule = policy.processes[process]?.[key];
        if (rule) {
          found.set(key, { rule, policy, level });
          break search;
        }
      }
    }
  }

  // A step that replaces another (sip-2021:24's joint review replaces js-2020:21's provider
  // review) wins unless the replaced step comes from a more specific level.
  const superseded: Record<string, string> = {};
  for (const [key, f] of found) {
    for (const replaced of f.rule.supersedes ?? []) {
      const other = found.get(replaced);
      if (!other || other.level >= f.level) superseded[replaced] = key;
    }
  }
  for (const key of Object.keys(superseded)) found.delete(key);

  const rules: Record<string, ResolvedRule> = {};
  const contributors: Found[] = [];
  for (const [key, f] of found) {
    rules[key] = toResolvedRule(f.rule, f.policy, values);
    if (!contributors.some((c) => c.policy.id === f.policy.id)) contributors.push(f);
  }
  contributors.sort((a, b) => a.level - b.level || byPrecedence(a.policy, b.policy));
  const policyRefs: PolicyRef[] = contributors.map((c) => ({ id: c.policy.id, version: c.policy.version }));

  const unresolved = ruleKeysOf(process).required.filter((k) => !found.has(k) && !(k in superseded));

  return deepFreeze(
    plainCopy<ResolvedRules>({
      process,
      jurisdiction,
      receivedDate,
      governingPolicy: policyRefs[0] ?? null,
      policies: policyRefs,
      rules,
      unresolved,
      superseded,
      reminderLeadWorkingDays: settingValue('reminder.leadWorkingDays', values),
    }),
  );
}
