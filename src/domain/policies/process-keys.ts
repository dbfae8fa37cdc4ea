// Which rule keys each process needs. A required key that no policy in force up the chain defines
// is reported as unresolved; an optional key exists only where some text creates the step (e.g.
// acceptance under sz-open-2023:20 — under js-2020:27 the provider receives the application itself).
import { deepFreeze } from './plain';
import type { ProcessId } from './types';

export interface ProcessRuleKeys {
  required: readonly string[];
  optional: readonly string[];
}

export const PROCESS_RULE_KEYS: Readonly<Record<ProcessId, ProcessRuleKeys>> = deepFreeze({
  'share-request': {
    required: ['unconditional_grant', 'provider_review', 'not_shared_review', 'copy_consent'],
    // joint_review (sip-2021:24, jy-2023:23) supersedes provider_review where it applies.
    optional: ['joint_review', 'request', 'disposal'],
  },
  'share-demand': { required: ['provider_response', 'delivery'], optional: [] },
  'open-data-application': {
    required: ['provider_review', 'agreement'],
    optional: ['application', 'acceptance', 'out_of_catalog_evaluation'],
  },
  objection: { required: ['correction'], optional: ['dispute_mark', 'closed_loop'] },
  'quality-rectification': { required: ['rectification'], optional: [] },
  'rights-claim': { required: ['verification'], optional: [] },
});

export function processRuleKeys(process: ProcessId): string[] {
  const keys = PROCESS_RULE_KEYS[process];
  return [...keys.required, ...keys.optional];
}
