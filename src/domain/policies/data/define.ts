import type { ProcessRules, Rule } from '../types';

/** Rules as a record keyed by rule key; a duplicate key is a data error caught at load. */
export function defineRules(...rules: Rule[]): ProcessRules {
  const out: ProcessRules = {};
  for (const rule of rules) {
    if (out[rule.key]) throw new Error(`duplicate rule key ${rule.key} (${rule.citation})`);
    out[rule.key] = rule;
  }
  return out;
}

// The decisions offered most often, spelled once.
export const APPROVE_OR_REFUSE = ['approve', 'refuse'];
