// P1 share request 共享申请 (js-2020:18–21, sip-2021:22–24, jy-2023:21–23, cm-draft:16–19): the
// pure part of the process — which path a request takes, and the grant it leads to.
import type { DataClass } from './catalog';
import { policyLabel, type CaseStart, type CaseView } from './cases';
import type { ResolvedRules } from './policies/types';

export interface ShareRequestBody {
  datasetId: string;
  purpose: string;
  scenario: string;
  legalDuty: string;
  fields?: string[];
  accessMode: 'api' | 'copy';
  commitment: true;
}

export interface DatasetSnapshot {
  id: string;
  name: string;
  providerAgencyId: string;
  jurisdiction: string;
  shareClass: DataClass;
  legalBasis: string | null;
  fields: string[];
}

export type SharePath =
  | { kind: 'unconditional'; recordFirst: boolean; citation: string; recordCitation?: string }
  | { kind: 'unsupported'; reason: string };

/**
 * js-2020:21¶1 — unconditional data is opened without review; under sip-2021:24 and jy-2023:23
 * the operations agency first records (备案) the request, then access is granted.
 */
export function sharePath(dataset: DatasetSnapshot, body: ShareRequestBody, rules: ResolvedRules): SharePath {
  if (dataset.shareClass === 'unconditional' && body.accessMode === 'api') {
    const rule = rules.rules['unconditional_grant'];
    const steps = rule?.steps ?? [];
    const recordFirst = steps.includes('record') || steps.includes('operations_record');
    return {
      kind: 'unconditional',
      recordFirst,
      citation: rule?.citation ?? 'js-2020:21',
      recordCitation: recordFirst ? rule?.citation : undefined,
    };
  }
  return {
    kind: 'unsupported',
    reason:
      body.accessMode === 'copy'
        ? 'copy mode needs the competent department’s consent first (js-2020:20); that review is not available yet'
        : `the dataset is shared "${dataset.shareClass}": its review is not available yet`,
  };
}

/** cm-draft:18 最少、够用 — fields asked for must exist in the catalog entry. */
export function unknownFields(dataset: DatasetSnapshot, body: ShareRequestBody): string[] {
  if (!body.fields?.length || !dataset.fields.length) return [];
  return body.fields.filter((f) => !dataset.fields.includes(f));
}

export interface ShareRequestInput extends CaseStart {
  requester: { principalId: string; agencyId: string };
  dataset: DatasetSnapshot;
  request: ShareRequestBody;
}

export function shareRequestView(input: ShareRequestInput): CaseView {
  return {
    caseId: input.caseId,
    type: 'share-request',
    status: 'received',
    jurisdiction: input.jurisdiction,
    receivedAt: input.receivedAt,
    receivedVia: input.receivedVia,
    policy: policyLabel(input.policy),
    parties: { requesterAgencyId: input.requester.agencyId, providerAgencyId: input.dataset.providerAgencyId },
    datasetId: input.dataset.id,
    request: { ...input.request },
    outcome: null,
    deadlines: [],
    summary: `共享申请 ${input.dataset.name}: ${input.requester.agencyId} → ${input.dataset.providerAgencyId}`,
  };
}
