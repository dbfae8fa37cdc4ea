// GET /v1/policies and the settings listing. Rules whose number is a setting show the value in
// use next to the setting that supplies it, so nothing the texts leave open is hidden.
import { plainCopy } from './plain';
import { allSettings, settingValue, type SettingValues } from './settings';
import type { PolicyState, ProcessId, Rule, Setting } from './types';

/** A policy as listed: every field of its state, with rules showing the setting values in use. */
export type PolicyListing = Omit<PolicyState, 'processes'> & { processes: Partial<Record<ProcessId, Record<string, Rule>>> };

export interface SettingListing extends Setting {
  value: number;
}

function withSettingValues(rule: Rule, values: SettingValues): Rule {
  const listed = plainCopy(rule);
  if (rule.setting?.workingDays) listed.workingDays = settingValue(rule.setting.workingDays, values);
  if (rule.setting?.maxWorkingDays) listed.maxWorkingDays = settingValue(rule.setting.maxWorkingDays, values);
  if (rule.setting?.hours) listed.hours = settingValue(rule.setting.hours, values);
  return listed;
}

export function listPolicies(states: readonly PolicyState[], values: SettingValues = {}): PolicyListing[] {
  return states.map((s) => {
    const processes: Partial<Record<ProcessId, Record<string, Rule>>> = {};
    for (const [process, rules] of Object.entries(s.processes) as [ProcessId, Record<string, Rule>][]) {
      processes[process] = Object.fromEntries(
        Object.entries(rules).map(([key, rule]) => [key, withSettingValues(rule, values)]),
      );
    }
    return plainCopy<PolicyListing>({
      id: s.id,
      title: s.title,
      jurisdiction: s.jurisdiction,
      status: s.status,
      effectiveFrom: s.effectiveFrom,
      effectiveTo: s.effectiveTo,
      effectiveCitation: s.effectiveCitation,
      effectiveNote: s.effectiveNote,
      termYears: s.termYears,
      scope: s.scope,
      adopted: s.adopted,
      version: s.version,
      processes,
    });
  });
}

export function listSettings(values: SettingValues = {}): SettingListing[] {
  return allSettings().map((s) => plainCopy({ ...s, value: settingValue(s.id, values) }));
}
