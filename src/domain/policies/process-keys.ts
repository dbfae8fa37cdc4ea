// Which rule keys each process needs, as its descriptor says (domain/process.ts). A required key
// that no policy in force up the chain defines is reported as unresolved; an optional key exists
// only where some text creates the step (e.g. acceptance under sz-open-2023:20 — under js-2020:27
// the provider receives the application itself).
import { processDescriptor } from '../process';

export interface ProcessRuleKeys {
  required: readonly string[];
  optional: readonly string[];
}

/**
 * The rule keys of `process`, required and optional.
 * @throws RangeError for an unknown process.
 */
export function ruleKeysOf(process: string): ProcessRuleKeys {
  return processDescriptor(process).ruleKeys;
}

/** Every rule key of `process`, required first. */
export function processRuleKeys(process: string): string[] {
  const keys = ruleKeysOf(process);
  return [...keys.required, ...keys.optional];
}
