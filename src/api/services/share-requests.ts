import { shanghaiDate } from '../../domain/calendar/dates';
import type { DataClass } from '../../domain/catalog';
import {
  sharePlan,
  shareRequestView,
  unknownFields,
  type DatasetSnapshot,
  type ShareRequestBody,
  type ShareRequestInput,
} from '../../domain/share-request';
import { unprocessable } from '../errors';
import { accessibleEntry, caseStart, resolvePolicy } from './case-inputs';
import { startCase, type CreateContext } from './case-start';
import { assertMayFile, receiptOf, type Registration } from './registration';

/** POST /v1/share-requests: validate against the catalog and the policy, then start the case. */
export async function createShareRequest(ctx: CreateContext, fullBody: ShareRequestBody & { registration?: Registration }) {
  const p = ctx.principal;
  const { registration, ...body } = fullBody;
  assertMayFile(p, registration, 'share request');
  const ds = await accessibleEntry(ctx.db, body.datasetId);
  const dataset: DatasetSnapshot = {
    id: ds.id,
    name: ds.name,
    providerAgencyId: ds.providerAgencyId,
    jurisdiction: ds.jurisdiction,
    shareClass: ds.shareClass as DataClass,
    legalBasis: ds.legalBasis,
    fields: ds.fields ?? [],
  };
  // The route's schema refuses a day that does not exist; a day already past is refused here.
  if (body.accessUntil !== undefined && body.accessUntil < shanghaiDate(new Date().toISOString())) {
    throw unprocessable('invalid_access_until', 'accessUntil must be a calendar date, today or later (Asia/Shanghai)', { field: 'accessUntil' });
  }
  const missing = unknownFields(dataset, body);
  if (missing.length) {
    throw unprocessable('unknown_fields', `fields not in the catalog entry: ${missing.join(', ')} (cm-draft:18 最少、够用)`, {
      fields: missing,
    });
  }
  const { receivedAt, receivedVia, requesterAgencyId, ...via } = await receiptOf(ctx.db, p, registration, dataset.jurisdiction, 'share request');
  const { policy } = await resolvePolicy(ctx.db, dataset.jurisdiction, 'share-request', receivedAt, (rules) => sharePlan(dataset, body, rules));

  return startCase<ShareRequestInput>(
    { ...ctx, route: 'POST /v1/share-requests', body: fullBody, caseType: 'share-request' },
    {
      workflowType: 'shareRequest',
      input: (caseId) => ({
        ...caseStart(caseId, { receivedAt, receivedVia, createdBy: p.id, jurisdiction: dataset.jurisdiction, policy }),
        ...via,
        requester: { principalId: p.id, agencyId: requesterAgencyId },
        dataset,
        request: body,
      }),
      view: shareRequestView,
    },
  );
}
