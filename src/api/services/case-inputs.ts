// What every create endpoint reads and checks before it starts a case: the catalog entry the case
// is about, the policy in force on the day of receipt (refused when the process cannot be planned
// under it), and the fields every workflow input starts with.
import type { Db } from '../../db/client';
import { findDataset } from '../../db/repositories/datasets';
import { shanghaiDate } from '../../domain/calendar/dates';
import type { CaseStart } from '../../domain/cases';
import type { DatasetRef } from '../../domain/objection';
import { PlanError } from '../../domain/plan-error';
import type { ProcessId, ResolvedRules } from '../../domain/policies';
import { conflict, unprocessable } from '../errors';
import { WITHDRAWAL_CITATION } from '../../domain/catalog';
import { resolveForCase } from './policies';

/** The catalog entry named by the body, or 422 (the body names a dataset that does not exist). */
export async function catalogEntry(db: Db, datasetId: string) {
  const ds = await findDataset(db, datasetId);
  if (!ds) throw unprocessable('unknown_dataset', `dataset "${datasetId}" is not in the catalog`, { field: 'datasetId' });
  return ds;
}

/**
 * The catalog entry a request for access names, unless it is withdrawn from open use: a
 * withdrawal is a catalog fact (sz-open-2023:38, js-2020:36), and no new application, share request
 * or grant is opened on withdrawn data.
 * @throws 422 unknown_dataset, 409 data_withdrawn (citing the article the withdrawal rests on)
 */
export async function accessibleEntry(db: Db, datasetId: string) {
  const ds = await catalogEntry(db, datasetId);
  if (ds.withdrawn) {
    const citation = ds.withdrawnCitation ?? WITHDRAWAL_CITATION;
    throw conflict('data_withdrawn', `dataset "${datasetId}" is withdrawn from use after a rights claim (${citation}): no new request is accepted until it is reopened`, {
      field: 'datasetId',
      citation,
      version: ds.version,
    });
  }
  return ds;
}

/** The catalog entry a case is about, as objections, rectifications and rights claims keep it. */
export async function datasetRef(db: Db, datasetId: string): Promise<DatasetRef> {
  const ds = await catalogEntry(db, datasetId);
  return { id: ds.id, name: ds.name, providerAgencyId: ds.providerAgencyId, jurisdiction: ds.jurisdiction };
}

/**
 * The rules governing a case of `process` received at `receivedAt` (its Shanghai day), and the plan
 * `plan` makes of them. The workflow follows the same plan, so what it could not follow is refused
 * here: a PlanError (any process's) answers 422 no_rule_in_force; anything else thrown passes through.
 */
export async function resolvePolicy<P>(
  db: Db,
  jurisdiction: string,
  process: ProcessId,
  receivedAt: string,
  plan: (policy: ResolvedRules) => P,
): Promise<{ policy: ResolvedRules; plan: P }> {
  const policy = await resolveForCase(db, jurisdiction, process, shanghaiDate(receivedAt));
  try {
    return { policy, plan: plan(policy) };
  } catch (err) {
    if (err instanceof PlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }
}

/** The fields every workflow input starts with, for a new case id; received through the API unless said. */
export function caseStart(
  caseId: string,
  c: { receivedAt: string; receivedVia?: CaseStart['receivedVia']; createdBy: string; jurisdiction: string; policy: ResolvedRules },
): CaseStart {
  return {
    version: 1,
    caseId,
    receivedAt: c.receivedAt,
    receivedVia: c.receivedVia ?? 'api',
    createdBy: c.createdBy,
    jurisdiction: c.jurisdiction,
    policy: c.policy,
  };
}
