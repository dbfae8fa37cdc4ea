// The case search attributes of API.md, registered on the dev server at start and on an external
// cluster by the worker, so administrators can filter cases in the Temporal UI.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
