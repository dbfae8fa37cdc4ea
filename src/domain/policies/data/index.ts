// The five rule sets of PROCESSES.md, as shipped: every policy adopted, with the window its own
// text states (API.md). Frozen: admin changes make new states (patch.ts), never edit these.
import { deepFreeze } from '../plain';
import type { Policy, PolicyId } from '../types';
import { CM_DRAFT } from './cm-draft';
import { JS_2020 } from './js-2020';
import { JY_2023 } from './jy-2023';
import { SIP_2021 } from './sip-2021';
import { SZ_OPEN_2023 } from './sz-open-2023';

export const POLICIES: readonly Policy[] = deepFreeze([JS_2020, SIP_2021, JY_2023, SZ_OPEN_2023, CM_DRAFT]);

export const POLICY_IDS: readonly PolicyId[] = POLICIES.map((p) => p.id);

export function isPolicyId(id: unknown): id is PolicyId {
  return typeof id === 'string' && (POLICY_IDS as readonly string[]).includes(id);
}
