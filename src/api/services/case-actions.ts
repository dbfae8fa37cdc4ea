import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { caseActionUpdate } from '../../workflows/kernel/messages';
import { firstCaseEvent } from '../../db/repositories/audit';
import type { CaseRow } from '../../db/schema';
import { conflict, notFound, type ApiError } from '../errors';
import type { Principal } from '../plugins/auth';
import { canSee, caseDocument } from './cases';
import { callerOf } from './tasks';
import { withinUpdateTimeout } from './workflow-errors';

type Check = (db: Db, row: CaseRow) => Promise<ApiError | null>;

/** Checks an action needs that the workflow's validator cannot make (they read other cases). */
const CHECKS: Record<string, Check> = {
  // A rights claim that withdrew the data from open use (sz-open-2023:38, js-2020:36) suspended
  // this grant from outside the case: lifting a breach restriction must not reopen access.
  'open-data-application/lift-restriction': async (db, row) => {
    const entry = await firstCaseEvent(db, row.caseId, 'grant_suspended');
    return entry
      ? conflict('data_withdrawn', `the data was withdrawn from open use by rights claim ${String(entry.detail.byCase)}: access stays suspended`, entry.detail)
      : null;
  },
};

/** A party's action on its case (withdraw, dispose, …): the workflow's validator decides. */
export async function caseAction(db: Db, temporal: Client, caseId: string, action: string, p: Principal, fields: Record<string, unknown>) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  const refused = await CHECKS[`${row.type}/${action}`]?.(db, row);
  if (refused) throw refused;
  await withinUpdateTimeout(caseId, () =>
    temporal.workflow.getHandle(caseId).executeUpdate(caseActionUpdate, { args: [{ action, caller: callerOf(p), fields }] }),
  );
  return caseDocument(db, (await findCase(db, caseId))!);
}
