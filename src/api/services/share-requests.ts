import type { Db } from '../../db/client';
import type { Client } from '@temporalio/client';
import { findDataset } from '../../db/repositories/datasets';
import { isIsoDate, shanghaiDate } from '../../domain/calendar/dates';
import type { DataClass } from '../../domain/catalog';
import {
  PlanError,
  sharePlan,
  shareRequestView,
  unknownFields,
  type DatasetSnapshot,
  type ShareRequestBody,
  type ShareRequestInput,
} from '../../domain/share-request';
import { unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';
import { startCase } from './case-start';
import { assertMayFile, receiptOf, type Registration } from './registration';
import { resolveForCase } from './policies';

export interface Ctx {
  db: Db;
  temporal: Client;
  taskQueue: string;
  principal: Principal;
  idempotencyKey?: string;
}

/** POST /v1/share-requests: validate against the catalog and the policy, then start the case. */
export async function createShareRequest(ctx: Ctx, fullBody: ShareRequestBody & { registration?: Registration }) {
  const p = ctx.principal;
  const { registration, ...body } = fullBody;
  assertMayFile(p, registration, 'share request');
  if (body.commitment !== true) {
    throw unprocessable('commitment_required', 'the requester must commit to truthful, secure and compliant use (cm-draft:18)', {
      field: 'commitment',
    });
  }
  const ds = await findDataset(ctx.db, body.datasetId);
  if (!ds) throw unprocessable('unknown_dataset', `dataset "${body.datasetId}" is not in the catalog`, { field: 'datasetId' });
  const dataset: DatasetSnapshot = {
    id: ds.id,
    name: ds.name,
    providerAgencyId: ds.providerAgencyId,
    jurisdiction: ds.jurisdiction,
    shareClass: ds.shareClass as DataClass,
    legalBasis: ds.legalBasis,
    fields: ds.fields ?? [],
  };
  if (body.accessUntil !== undefined && (!isIsoDate(body.accessUntil) || body.accessUntil < shanghaiDate(new Date().toISOString()))) {
    throw unprocessable('invalid_access_until', 'accessUntil must be a calendar date, today or later (Asia/Shanghai)', { field: 'accessUntil' });
  }
  const missing = unknownFields(dataset, body);
  if (missing.length) {
    throw unprocessable('unknown_fields', `fields not in the catalog entry: ${missing.join(', ')} (cm-draft:18 最少、够用)`, {
      fields: missing,
    });
  }
  const { receivedAt, requesterAgencyId, ...via } = await receiptOf(ctx.db, p, registration, dataset.jurisdiction, 'share request');
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'share-request', shanghaiDate(receivedAt));
  try {
    sharePlan(dataset, body, policy); // the workflow follows the same plan; refuse here what it could not
  } catch (err) {
    if (err instanceof PlanError) throw unprocessable('no_rule_in_force', err.message);
    throw err;
  }

  return startCase<ShareRequestInput>(
    { ...ctx, route: 'POST /v1/share-requests', body: fullBody, caseType: 'share-request' },
    {
      workflowType: 'shareRequest',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        ...via,
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        requester: { principalId: p.id, agencyId: requesterAgencyId },
        dataset,
        request: body,
      }),
      view: shareRequestView,
    },
  );
}
