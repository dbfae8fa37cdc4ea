// Checks a decision needs that a workflow validator cannot make (they read the catalog): run by
// the API before the `decide` update is sent, as the task's process declares them (its
// descriptor's `decisionChecks`, by task kind).
import type { Db } from '../../db/client';
import { findDataset } from '../../db/repositories/datasets';
import type { TaskRead } from '../../db/repositories/tasks';
import { isProcessId, processDescriptor, type DecisionCheck } from '../../domain/process';
import { unprocessable, type ApiError } from '../errors';

const CHECKS: Record<DecisionCheck['kind'], (db: Db, task: TaskRead, fields: Record<string, unknown>, check: DecisionCheck) => Promise<ApiError | null>> = {
  /** The dataset named must be in the catalog and belong to the agency the task is assigned to. */
  'providers-dataset': async (db, task, fields, { field, citation }) => {
    const id = fields[field];
    if (typeof id !== 'string' || !id.trim()) return null; // the workflow's required-field check answers
    const ds = await findDataset(db, id);
    if (!ds) return unprocessable('unknown_dataset', `dataset "${id}" is not in the catalog: register the delivered data first (${citation})`, { field });
    if (ds.providerAgencyId !== task.assigneeAgencyId) {
      return unprocessable('not_provider_dataset', `dataset "${id}" belongs to ${ds.providerAgencyId}, not to the provider ${task.assigneeAgencyId}`, { field });
    }
    return null;
  },
};

/**
 * Why the catalog refuses `fields` as a decision of `task` (422 unknown_dataset, not_provider_dataset),
 * or null — also when its process declares no check for the task's kind.
 */
export async function decisionRefusal(db: Db, task: TaskRead, fields: Record<string, unknown>): Promise<ApiError | null> {
  const check = isProcessId(task.caseType) ? processDescriptor(task.caseType).decisionChecks?.[task.kind] : undefined;
  return check ? CHECKS[check.kind](db, task, fields, check) : null;
}
