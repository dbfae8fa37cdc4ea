// POST /v1/objections (P4: sz-open-2023:10, js-2020:45, sip-2021:15, 21) and the dispute mark the
// open objections put on a dataset (GET /v1/datasets/:id).
import type { Db } from '../../db/client';
import { unfinishedCasesOnDataset } from '../../db/repositories/cases';
import { OBJECTION_FINAL_STATUSES, objectionPlan, objectionView, type ObjectionBody, type ObjectionInput } from '../../domain/objection';
import { caseStart, datasetRef, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';

/** Anyone using the data, or the person it is about (sip-2021:15), may object. */
export async function createObjection(ctx: CreateContext, body: ObjectionBody) {
  const p = ctx.principal;
  const dataset = await datasetRef(ctx.db, body.datasetId);
  const receivedAt = new Date().toISOString();
  const { policy } = await resolvePolicy(ctx.db, dataset.jurisdiction, 'objection', receivedAt, objectionPlan);
  return startCase<ObjectionInput>(
    { ...ctx, route: 'POST /v1/objections', body, caseType: 'objection' },
    {
      workflowType: 'objection',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, createdBy: p.id, jurisdiction: dataset.jurisdiction, policy }),
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
  const rows = await unfinishedCasesOnDataset(db, 'objection', datasetId, OBJECTION_FINAL_STATUSES);
  return {
    disputed: rows.length > 0,
    openObjections: rows.map((r) => {
      const req = (r.view.request ?? {}) as { kind?: string; recordRef?: string };
      return { caseId: r.caseId, kind: req.kind ?? null, recordRef: req.recordRef ?? null, status: r.status, receivedAt: r.receivedAt.toISOString() };
    }),
  };
}
