// The case search attributes of API.md, registered on the dev server at start and on an external
// cluster by the worker, so administrators can filter cases in the Temporal UI.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const CASE_SEARCH_ATTRIBUTES = {
  CaseType: 'Keyword',
  CaseStatus: 'Keyword',
  Jurisdiction: 'Keyword',
  ProviderAgency: 'Keyword',
  RequesterAgency: 'Keyword',
  NextDeadline: 'Datetime',
  // A step failed in a way retrying cannot fix: operations must look (API-2.md "Integrity").
  NeedsAttention: 'Bool',
} as const;

export const SA = {
  caseType: defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD),
  caseStatus: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  jurisdiction: defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD),
  providerAgency: defineSearchAttributeKey('ProviderAgency', SearchAttributeType.KEYWORD),
  requesterAgency: defineSearchAttributeKey('RequesterAgency', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  needsAttention: defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL),
};

/** The search attributes a case starts with, from its first view (API starts and cases a case opens alike). */
export function startingSearchAttributes(view: { type: string; status: string; jurisdiction: string; parties: Record<string, string | null> }) {
  const attrs: SearchAttributePair[] = [
    { key: SA.caseType, value: view.type },
    { key: SA.caseStatus, value: view.status },
    { key: SA.jurisdiction, value: view.jurisdiction },
  ];
  if (view.parties.providerAgencyId) attrs.push({ key: SA.providerAgency, value: view.parties.providerAgencyId });
  if (view.parties.requesterAgencyId) attrs.push({ key: SA.requesterAgency, value: view.parties.requesterAgencyId });
  return attrs;
}

/** The static details the Temporal UI shows for a case. */
export function caseDetails(view: { caseId: string; type: string; receivedAt: string; policy: { id: string; version: string } }): string {
  return `Case ${view.caseId} · ${view.type} · received ${view.receivedAt} · policy ${view.policy.id} v${view.policy.version}`;
}
