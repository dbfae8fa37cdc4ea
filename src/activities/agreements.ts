// Data-use agreements (sz-open-2023:21): the drafted text is stored once, unchanged, with its
// sha256; the workflow learns the digest from this activity (so it is in history) and the
// parties' signatures name it.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { insertAgreement } from '../db/repositories/agreements';

export interface AgreementDraft {
  agreementId: string;
  caseId: string;
  datasetId: string;
  providerAgencyId: string;
  applicantPrincipalId: string;
  templateVersion: string;
  citation: string;
  clauses: { key: string; title: string; citation: string }[];
  text: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function agreementActivities({ db }: { db: Db }) {
  return {
    async storeAgreement(d: AgreementDraft): Promise<{ agreementId: string; sha256: string }> {
      const sha256 = sha256Hex(d.text);
      const row = await insertAgreement(db, {
        id: d.agreementId,
        caseId: d.caseId,
        datasetId: d.datasetId,
        providerAgencyId: d.providerAgencyId,
        applicantPrincipalId: d.applicantPrincipalId,
        templateVersion: d.templateVersion,
        citation: d.citation,
        clauses: d.clauses,
        text: d.text,
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
