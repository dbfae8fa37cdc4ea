import type { DbOrTx } from '../client';
import { policyStates } from '../schema';
import type { PolicyOverride } from '../../domain/policies';

export async function loadPolicyOverrides(db: DbOrTx): Promise<PolicyOverride[]> {
  const rows = await db.select().from(policyStates);
  return rows.map((r) => ({ id: r.id, adopted: r.adopted, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo, version: r.version }));
}

export async function savePolicyOverride(db: DbOrTx, o: PolicyOverride, updatedBy: string): Promise<void> {
  const values = { ...o, updatedBy, updatedAt: new Date() };
  await db.insert(policyStates).values(values).onConflictDoUpdate({ target: policyStates.id, set: values });
}
