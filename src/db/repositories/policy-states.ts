import type { DbOrTx } from '../client';
import { policyStates } from '../schema';
import { mergePolicyOverrides, type PolicyOverride, type PolicyState } from '../../domain/policies';

export async function loadPolicyOverrides(db: DbOrTx): Promise<PolicyOverride[]> {
  const rows = await db.select().from(policyStates);
  return rows.map((r) => ({ id: r.id, adopted: r.adopted, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, version: r.version }));
}

export async function savePolicyOverride(db: DbOrTx, o: PolicyOverride, updatedBy: string): Promise<void> {
  const values = { ...o, updatedBy, updatedAt: new Date() };
  await db.insert(policyStates).values(values).onConflictDoUpdate({ target: policyStates.id, set: values });
}

/** The policies as in force here: the texts with each administrator's act of adoption or extension. */
export async function policyStatesOf(db: DbOrTx): Promise<PolicyState[]> {
  return mergePolicyOverrides(await loadPolicyOverrides(db));
}
