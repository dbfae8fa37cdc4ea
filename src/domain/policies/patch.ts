// PATCH /v1/policies/:id: an act of adoption or extension. It makes a new state with version n+1;
// cases already running keep the snapshot (and version) they resolved at start.
import { POLICIES } from './data';
import { isIsoDate } from './dates';
import { deepFreeze } from './plain';
import type { Policy, PolicyOverride, PolicyPatch, PolicyState, Violation } from './types';

const PATCH_FIELDS = ['adopted', 'effectiveFrom', 'effectiveTo'] as const;

export type PolicyPatchResult = { state: PolicyState } | { violations: Violation[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every reason `patch` cannot apply to `state`; empty when it can. */
export function validatePolicyPatch(state: PolicyState, patch: unknown): Violation[] {
  if (!isRecord(patch)) {
    return [{ field: '', code: 'invalid_type', message: 'the patch must be a JSON object' }];
  }
  const violations: Violation[] = [];
  for (const field of Object.keys(patch)) {
    if (!(PATCH_FIELDS as readonly string[]).includes(field)) {
      violations.push({ field, code: 'unknown_field', message: `${field} cannot be changed` });
    }
  }
  if (!PATCH_FIELDS.some((f) => f in patch)) {
    violations.push({
      field: '',
      code: 'empty_patch',
      message: 'give at least one of adopted, effectiveFrom, effectiveTo',
    });
  }
  if ('adopted' in patch && typeof patch.adopted !== 'boolean') {
    violations.push({ field: 'adopted', code: 'invalid_type', message: 'adopted must be true or false' });
  }
  for (const field of ['effectiveFrom', 'effectiveTo'] as const) {
    if (field in patch && patch[field] !== null && !isIsoDate(patch[field])) {
      violations.push({
        field,
        code: 'invalid_date',
        message: `${field} must be a real calendar day written YYYY-MM-DD, or null for open-ended`,
      });
    }
  }
  if (violations.length > 0) return violations;

  const from = 'effectiveFrom' in patch ? (patch.effectiveFrom as string | null) : state.effectiveFrom;
  const to = 'effectiveTo' in patch ? (patch.effectiveTo as string | null) : state.effectiveTo;
  if (from !== null && to !== null && from > to) {
    violations.push({
      field: 'effectiveFrom' in patch ? 'effectiveFrom' : 'effectiveTo',
      code: 'window_inverted',
      message: `effectiveFrom ${from} is after effectiveTo ${to}`,
    });
  }
  return violations;
}

/**
 * Apply an admin patch. Every accepted patch is a new act and a new version, even one that
 * restates the current values, so the audit and the cases' snapshots line up one to one.
 */
export function applyPolicyPatch(state: PolicyState, patch: unknown): PolicyPatchResult {
  const violations = validatePolicyPatch(state, patch);
  if (violations.length > 0) return { violations };
  const p = patch as PolicyPatch;
  const next: PolicyState = {
    ...state,
    adopted: p.adopted ?? state.adopted,
    effectiveFrom: p.effectiveFrom !== undefined ? p.effectiveFrom : state.effectiveFrom,
    effectiveTo: p.effectiveTo !== undefined ? p.effectiveTo : state.effectiveTo,
    version: state.version + 1,
  };
  return { state: deepFreeze(next) };
}

/** What to store for a policy: only what an admin can change. */
export function policyOverride(state: PolicyState): PolicyOverride {
  const { id, adopted, effectiveFrom, effectiveTo, version } = state;
  return { id, adopted, effectiveFrom, effectiveTo, version };
}

/** The base data merged with stored overrides; policies without one are as shipped (version 1). */
export function mergePolicyOverrides(
  overrides: readonly PolicyOverride[] = [],
  base: readonly Policy[] = POLICIES,
): PolicyState[] {
  return base.map((policy) => {
    const o = overrides.find((x) => x.id === policy.id);
    if (!o) return policy;
    return deepFreeze({
      ...policy,
      adopted: o.adopted,
      effectiveFrom: o.effectiveFrom,
      effectiveTo: o.effectiveTo,
      version: o.version,
    });
  });
}
