// Data-use agreements (sz-open-2023:21): the drafted text is stored once, unchanged, with its
// sha256; the workflow learns the digest from this activity (so it is in history) and the
// parties' signatures name it.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { insertAgreement } from '../db/processes/open-data-application';
import { draftAgreement, type AgreementTerms } from '../domain/data-use-agreement';

export interface AgreementDraft {
  agreementId: string;
  caseId: string;
  datasetId: string;
  providerAgencyId: string;
  applicantPrincipalId: string;
  templateVersion: string;
  citation: string;
  /** The approved terms: the activity drafts the text from them (domain/data-use-agreement.ts). */
  terms?: AgreementTerms;
  /** Histories recorded before drafting moved here sent the drafted clauses and text instead. */
  clauses?: { key: string; title: string; citation: string }[];
  text?: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function activities({ db }: { db: Db }) {
  return {
    /** Drafts (from the terms) and stores the agreement once; returns its sha256. Deterministic: a retry stores nothing new. */
    async storeAgreement(d: AgreementDraft): Promise<{ agreementId: string; sha256: string }> {
      const draft = d.terms ? draftAgreement(d.terms) : { clauses: d.clauses ?? [], text: d.text ?? '' };
      const sha256 = sha256Hex(draft.text);
      const row = await insertAgreement(db, {
        id: d.agreementId,
        caseId: d.caseId,
        datasetId: d.datasetId,
        providerAgencyId: d.providerAgencyId,
        applicantPrincipalId: d.applicantPrincipalId,
        templateVersion: d.templateVersion,
        citation: d.citation,
        clauses: draft.clauses,
        text: draft.text,
        sha256,
        createdAt: new Date(),
      });
      // Drafting is deterministic: another text under the same id would be a defect, never overwritten.
      if (row.sha256 !== sha256) {
        throw ApplicationFailure.nonRetryable(`agreement ${d.agreementId} is already stored with another text`, 'agreement_conflict');
      }
      return { agreementId: row.id, sha256 };
    },
  };
}
