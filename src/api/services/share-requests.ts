import type { Db } from '../../db/client';
import type { Client } from '@temporalio/client';
import { findDataset } from '../../db/repositories/datasets';
import { shanghaiDate } from '../../domain/calendar/dates';
import type { DataClass } from '../../domain/catalog';
import {
  sharePath,
  shareRequestView,
  unknownFields,
  type DatasetSnapshot,
  type ShareRequestBody,
  type ShareRequestInput,
} from '../../domain/share-request';
import { forbidden, unprocessable } from '../errors';
import type { Principal } from '../plugins/auth';
import { startCase } from './case-start';
import { resolveForCase } from './policies';

export interface Ctx {
  db: Db;
  temporal: Client;
  taskQueue: string;
  principal: Principal;
  idempotencyKey?: string;
}

/** POST /v1/share-requests: validate against the catalog and the policy, then start the case. */
export async function createShareRequest(ctx: Ctx, body: ShareRequestBody) {
  const p = ctx.principal;
  if (!p.agencyId || !p.roles.includes('requester')) {
    throw forbidden('a share request is made by a requester acting for its agency');
  }
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
  const missing = unknownFields(dataset, body);
  if (missing.length) {
    throw unprocessable('unknown_fields', `fields not in the catalog entry: ${missing.join(', ')} (cm-draft:18 最少、够用)`, {
      fields: missing,
    });
  }
  const receivedAt = new Date().toISOString();
  const policy = await resolveForCase(ctx.db, dataset.jurisdiction, 'share-request', shanghaiDate(receivedAt));
  const path = sharePath(dataset, body, policy);
  if (path.kind === 'unsupported') throw unprocessable('not_supported', path.reason);

  return startCase<ShareRequestInput>(
    { ...ctx, route: 'POST /v1/share-requests', body, caseType: 'share-request' },
    {
      workflowType: 'shareRequest',
      input: (caseId) => ({
        version: 1,
        caseId,
        receivedAt,
        receivedVia: 'api',
        createdBy: p.id,
        jurisdiction: dataset.jurisdiction,
        policy,
        requester: { principalId: p.id, agencyId: p.agencyId! },
        dataset,
        request: body,
      }),
      view: shareRequestView,
    },
  );
}
