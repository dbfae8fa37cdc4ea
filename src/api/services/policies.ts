import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { policyStatesOf, savePolicyOverride } from '../../db/repositories/policy-states';
import { appendAuditTx } from '../../db/repositories/audit';
import {
  applyPolicyPatch,
  isIsoDate,
  isPolicyId,
  listPolicies,
  listSettings,
  policyOverride,
  resolveRules,
  type ProcessId,
  type ResolvedRules,
} from '../../domain/policies';
import { notFound, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';

export const policyStates = policyStatesOf;

/** The rules a new case is governed by; the case keeps this snapshot for life. */
export async function resolveForCase(db: Db, jurisdiction: string, process: ProcessId, receivedDate: string): Promise<ResolvedRules> {
  if (!isIsoDate(receivedDate)) throw unprocessable('invalid_date', `"${receivedDate}" is not a calendar date`);
  return resolveRules(await policyStates(db), jurisdiction, process, receivedDate);
}

export async function getPolicies(db: Db) {
  return listPolicies(await policyStates(db));
}

export function getSettings() {
  return listSettings();
}

/** PATCH /v1/policies/:id — an act of adoption or extension; governs cases received afterwards. */
export async function patchPolicy(db: Db, id: string, patch: unknown, actor: Principal) {
  if (!isPolicyId(id)) throw notFound(`policy "${id}"`);
  return db.transaction(async (tx) => {
    // Serialise patches of one policy so that versions never repeat.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'policy:' + id}))`);
    const current = (await policyStates(tx)).find((p) => p.id === id)!;
    const result = applyPolicyPatch(current, patch);
    if ('violations' in result) {
      throw unprocessable(result.violations[0]!.code, result.violations.map((v) => v.message).join('; '), result.violations);
    }
    const next = policyOverride(result.state);
    await savePolicyOverride(tx, next, actor.id);
    await appendAuditTx(tx, {
      eventKey: `policy:${id}:v${next.version}`,
      caseId: null,
      at: new Date(),
      actor: actor.id,
      event: 'policy_patched',
      detail: {
        policyId: id,
        patch: patch as Record<string, unknown>,
        before: policyOverride(current),
        after: next,
      },
      citation: current.effectiveCitation,
    });
    return listPolicies([result.state])[0]!;
  });
}
