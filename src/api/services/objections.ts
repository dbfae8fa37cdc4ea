// POST /v1/objections (P4: sz-open-2023:10, js-2020:45, sip-2021:15, 21) and the dispute mark the
// open objections put on a dataset (GET /v1/datasets/:id).
import { and, asc, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { findDataset } from '../../db/repositories/datasets';
import { cases } from '../../db/schema';
import { shanghaiDate } from '../../domain/calendar/dates';
import {
  OBJECTION_FINAL_STATUSES,
  objectionPlan,
  ObjectionPlanError,
  objectionView,
  type DatasetRef,
  type ObjectionBody,
  type ObjectionInput,
} from '../../domain/objection';
import { unprocessable } from '../errors';
import { startCase, type StartContext } from './case-start';
import { resolveForCase } from './policies';

export type Ctx = Omit<StartContext, 'route' | 'body' | 'caseType'>;

/** The catalog entry a case is about, or 422 (the body names a dataset that does not exist). */
export async function datasetRef(db: Db, datasetId: string): Promise<DatasetRef> {
  const ds = await findDataset(db, datasetId);
  if (!ds) throw unprocessable('unknown_dataset', `dataset "${datasetId}" is not in the catalog`, { field: 'datasetId' });
  return { id: ds.id, name: ds.name, providerAgencyId: ds.providerAgencyId, jurisdiction: ds.jurisdiction };
}

/** Anyone using the data, or the person it is about (sip-2021:15), may object. */
export async function createObjection(ctx: Ctx, body: ObjectionBody) {
  const p = ctx.principal;
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const receivedAt = new Date().toISOString();
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'objection', shanghaiDate(receivedAt));
  try {
    objectionPlan(policy); // the workflow follows the same plan; refuse here what it could not
  } catch (err) {
    if (err instanceof ObjectionPlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }
  return startCase<ObjectionInput>(
    { ...ctx, route: 'POST /v1/objections', body, caseType: 'objection' },
    {
      workflowType: 'objection',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        receivedVia: 'api',
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        reporter: { principalId: p.id, agencyId: p.agencyId },
        dataset,
        objection: { ...body },
      }),
      view: objectionView,
    },
  );
}

/**
 * The dispute mark (标注, js-2020:45): a dataset is disputed while an objection on it is not
 * finished. Read from the case projection, so the mark appears with the case and clears with it.
 */
export async function disputeMarkOf(db: Db, datasetId: string) {
  const rows = await db
    .select({ caseId: cases.caseId, status: cases.status, receivedAt: cases.receivedAt, view: cases.view })
    .from(cases)
    .where(and(eq(cases.type, 'objection'), eq(cases.datasetId, datasetId), notInArray(cases.status, [...OBJECTION_FINAL_STATUSES])))
    .orderBy(asc(cases.receivedAt), asc(cases.caseId))
    .limit(100);
  return {
    disputed: rows.length > 0,
    openObjections: rows.map((r) => {
      const req = (r.view.request ?? {}) as { kind?: string; recordRef?: string };
      return { caseId: r.caseId, kind: req.kind ?? null, recordRef: req.recordRef ?? null, status: r.status, receivedAt: r.receivedAt.toISOString() };
    }),
  };
}
