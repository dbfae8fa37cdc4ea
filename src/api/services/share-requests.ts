import type { Db } from '../../db/client';
import type { Client } from '@temporalio/client';
import { findDataset } from '../../db/repositories/datasets';
import { findAgency } from '../../db/repositories/agencies';
import { isWithin } from '../../domain/jurisdictions';
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
export interface Registration {
  requesterAgencyId: string;
  receivedAt: string;
  channel: 'paper' | 'email' | 'other';
  reference?: string;
}

export async function createShareRequest(ctx: Ctx, fullBody: ShareRequestBody & { registration?: Registration }) {
  const p = ctx.principal;
  const { registration, ...body } = fullBody;
  if (!registration && (!p.agencyId || !p.roles.includes('requester'))) {
    throw forbidden('a share request is made by a requester acting for its agency (or registered by the operations agency)');
  }
  if (registration && !p.roles.includes('operations')) {
    throw forbidden('only the operations agency registers requests received through other channels');
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
  if (body.accessUntil !== undefined && (!isIsoDate(body.accessUntil) || body.accessUntil < shanghaiDate(new Date().toISOString()))) {
    throw unprocessable('invalid_access_until', 'accessUntil must be a calendar date, today or later (Asia/Shanghai)', { field: 'accessUntil' });
  }
  const missing = unknownFields(dataset, body);
  if (missing.length) {
    throw unprocessable('unknown_fields', `fields not in the catalog entry: ${missing.join(', ')} (cm-draft:18 最少、够用)`, {
      fields: missing,
    });
  }
  let receivedAt = new Date().toISOString();
  let requesterAgencyId = p.agencyId!;
  if (registration) {
    const at = Date.parse(registration.receivedAt);
    if (!/(Z|[+-]\d\d:\d\d)$/.test(registration.receivedAt) || Number.isNaN(at)) {
      throw unprocessable('invalid_received_at', 'receivedAt must be an ISO 8601 instant with its offset', { field: 'registration.receivedAt' });
    }
    if (at > Date.now()) throw unprocessable('received_in_future', 'receivedAt cannot be in the future', { field: 'registration.receivedAt' });
    if (!p.jurisdiction || !isWithin(dataset.jurisdiction, p.jurisdiction)) {
      throw forbidden(`only the operations agency of ${dataset.jurisdiction} (or above) registers requests for its datasets`);
    }
    if (!(await findAgency(ctx.db, registration.requesterAgencyId))) {
      throw unprocessable('unknown_agency', `agency "${registration.requesterAgencyId}" does not exist`, { field: 'registration.requesterAgencyId' });
    }
    receivedAt = new Date(at).toISOString();
    requesterAgencyId = registration.requesterAgencyId;
  }
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
        receivedVia: registration ? 'registered' : 'api',
        registeredBy: registration ? p.id : undefined,
        channel: registration?.channel ?? 'api',
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
