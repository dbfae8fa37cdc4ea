// The policy registry: the five rule sets as data, their resolution for a case, admin patches and
// the listings of GET /v1/policies. Pure — no I/O, clock or randomness — so workflows import it.
export * from './types';
export { POLICIES, POLICY_IDS, isPolicyId } from './data';
export { allSettings, settingIds, isSettingId, settingValue, type SettingValues } from './settings';
export { ruleKeysOf, processRuleKeys, type ProcessRuleKeys } from './process-keys';
export { processIds, isProcessId } from '../process';
export { isIsoDate, termEnd } from './dates';
export {
  resolveRules,
  isInForce,
  isApplicable,
  applicablePoliciesByLevel,
  type ResolveOptions,
} from './resolve';
export {
  applyPolicyPatch,
  validatePolicyPatch,
  policyOverride,
  mergePolicyOverrides,
  type PolicyPatchResult,
} from './patch';
export { listPolicies, listSettings, type PolicyListing, type SettingListing } from './list';
