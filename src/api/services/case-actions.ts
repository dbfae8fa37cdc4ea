import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findCase } from '../../db/repositories/cases';
import { storeDocument } from '../../db/repositories/documents';
import { DOCUMENT_FIELDS } from '../../domain/documents';
import { caseActionUpdate, retryUpdate } from '../../workflows/kernel/messages';
import { forbidden, notFound } from '../errors';
import { callerOf, hasRole, type Principal } from '../plugins/auth';
import { canSee, readCaseDocument } from './cases';
import { withinUpdateTimeout } from './workflow-errors';

/** A party's action on its case (withdraw, dispose, …): the workflow's validator decides. */
export async function caseAction(db: Db, temporal: Client, caseId: string, action: string, p: Principal, fields: Record<string, unknown>) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  const staged = await withDocuments(db, fields);
  await withinUpdateTimeout(caseId, () =>
    temporal.workflow.getHandle(caseId).executeUpdate(caseActionUpdate, { args: [{ action, caller: callerOf(p), fields: staged }] }),
  );
  return (await readCaseDocument(db, caseId))!;
}

/**
 * POST /v1/cases/:caseId/retry — try again the step a case is stuck on (API-2.md "Integrity"):
 * admins, and the operations agency of the case's jurisdiction. Answers with the case once the
 * step went through; 409 nothing_to_retry when it is not stuck, 409 retry_failed when it failed again.
 */
export async function retryCase(db: Db, temporal: Client, caseId: string, p: Principal) {
  const row = await findCase(db, caseId);
  if (!row || !canSee(p, row)) throw notFound(`case "${caseId}"`);
  const operations = hasRole(p, 'operations') && p.jurisdiction === row.jurisdiction;
  if (!hasRole(p, 'admin') && !operations) throw forbidden('only an administrator or the operations agency of the case\'s jurisdiction may retry a case');
  await withinUpdateTimeout(caseId, () => temporal.workflow.getHandle(caseId).executeUpdate(retryUpdate, { args: [{ caller: callerOf(p) }] }));
  return (await readCaseDocument(db, caseId))!;
}

/**
 * `fields` with every list of texts in a document field (materials, evidence) stored,
 * content-addressed, and replaced by its reference: the case keeps the reference only. Storing is
 * harmless when the message is then refused (a document belongs to a case only once the case commits it).
 */
export async function withDocuments(db: Db, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...fields };
  for (const k of DOCUMENT_FIELDS) {
    const v = out[k];
    if (Array.isArray(v) && v.length > 0) out[k] = await storeDocument(db, v);
  }
  return out;
}
