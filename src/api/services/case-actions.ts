import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { caseActionUpdate } from '../../workflows/kernel/messages';
import { notFound } from '../errors';
import type { Principal } from '../plugins/auth';
import { canSee, caseDocument } from './cases';
import { callerOf } from './tasks';
import { withinUpdateTimeout } from './workflow-errors';

/** A party's action on its case (withdraw, dispose, …): the workflow's validator decides. */
export async function caseAction(db: Db, temporal: Client, caseId: string, action: string, p: Principal, fields: Record<string, unknown>) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  await withinUpdateTimeout(caseId, () =>
    temporal.workflow.getHandle(caseId).executeUpdate(caseActionUpdate, { args: [{ action, caller: callerOf(p), fields }] }),
  );
  return caseDocument(db, (await findCase(db, caseId))!);
}
