// Checks a decision needs that a workflow validator cannot make (they read the catalog): run by
// the API before the `decide` update is sent, keyed by case type and task kind.
import type { Db } from '../../db/client';
import type { TaskRow } from '../../db/schema';
import type { ApiError } from '../errors';
import { deliveryRefusal } from './share-demands';

type Check = (db: Db, task: TaskRow, fields: Record<string, unknown>) => Promise<ApiError | null>;

const CHECKS: Record<string, Check> = {
  // js-2020:22 — what is delivered must be a catalog dataset of the provider itself.
  'share-demand/delivery': (db, t, fields) => deliveryRefusal(db, t.assigneeAgencyId!, fields),
};

export async function decisionRefusal(db: Db, task: TaskRow, fields: Record<string, unknown>): Promise<ApiError | null> {
  const check = CHECKS[`${task.caseType}/${task.kind}`];
  return check ? check(db, task, fields) : null;
}
