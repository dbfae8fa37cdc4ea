// P1 share request 共享申请. One workflow per case (workflow id = caseId); the law's branching is
// in src/domain/share-request.ts, the recording in kernel/case-record.ts.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { CaseView } from '../domain/cases';
import { SYSTEM_ACTOR } from '../domain/cases';
import { sharePath, shareRequestView, type ShareRequestInput } from '../domain/share-request';
import { CaseRecord } from './kernel/case-record';
import { caseQuery, openedUpdate } from './kernel/messages';

export async function shareRequest(input: ShareRequestInput): Promise<CaseView> {
  const record = new CaseRecord(input, shareRequestView(input));
  let opened = false;
  setHandler(caseQuery, () => record.view);
  setHandler(openedUpdate, async () => {
    await condition(() => opened);
    return { revision: record.revision };
  });

  const requester = input.requester.principalId;
  const path = sharePath(input.dataset, input.request, input.policy);
  if (path.kind !== 'unconditional') {
    // The API refuses these before starting a case; reaching here is a programming error.
    throw ApplicationFailure.nonRetryable(path.reason, 'unsupported_share_path');
  }

  const received = {
    actor: requester,
    event: 'share_request_submitted',
    detail: { datasetId: input.dataset.id, accessMode: input.request.accessMode, purpose: input.request.purpose },
    citation: 'js-2020:20',
  };
  const recorded = path.recordFirst
    ? [
        {
          actor: `operations@${input.jurisdiction}`,
          event: 'share_request_recorded',
          detail: { note: 'recorded (备案) by the operations agency before access is opened' },
          citation: path.recordCitation ?? path.citation,
        },
      ]
    : [];
  const grantId = `grant-${input.caseId}`;
  await record.commit({
    status: 'granted',
    outcome: { basis: 'unconditional', citation: path.citation, grantId },
    events: [
      received,
      ...recorded,
      {
        actor: SYSTEM_ACTOR,
        event: 'access_granted',
        detail: { grantId, basis: 'unconditional', mode: input.request.accessMode },
        citation: path.citation,
      },
    ],
    grants: [
      {
        id: grantId,
        datasetId: input.dataset.id,
        granteeAgencyId: input.requester.agencyId,
        granteePrincipalId: null,
        mode: input.request.accessMode,
        scope: { fields: input.request.fields?.length ? input.request.fields : input.dataset.fields, purpose: input.request.purpose },
        basis: 'unconditional',
        citation: path.citation,
        status: 'active',
        validFrom: input.receivedAt,
        validTo: null,
      },
    ],
  });
  opened = true;
  // A granted case stays open until the requester confirms disposal of the data (cm-draft:19).
  await condition(() => false);
  return record.view;
}
