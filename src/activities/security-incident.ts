// P9's side effects beyond its own case: the input of an incident another case opens (a rights
// claim whose provider finds a leak, PROCESSES.md P6: "A leak starts remediation and
// notification (P9)").
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import { findAgency } from '../db/repositories/agencies';
import { policyStatesOf } from '../db/repositories/policy-states';
import { shanghaiDate } from '../domain/calendar/dates';
import { resolveRules } from '../domain/policies';
import { incidentPlan, type SecurityIncidentInput } from '../domain/security-incident';

export function activities({ db }: { db: Db }) {
  return {
    /**
     * The input of a leak incident reported by the provider agency that found it, under the policy
     * in force on the day (read once: its result is in history; the opening case starts it,
     * kernel/related-case.ts). `detectedAt`: when the leak was found (ISO instant).
     * @throws ApplicationFailure (non-retryable) when the agency is unknown or no rule governs
     * incidents there: the opening case then needs attention.
     */
    async securityIncidentInput(p: {
      caseId: string;
      reporter: { principalId: string; agencyId: string };
      datasetId: string;
      personalInformation: boolean;
      detectedAt: string;
      description: string;
      fromCaseId: string;
    }): Promise<SecurityIncidentInput> {
      const agency = await findAgency(db, p.reporter.agencyId);
      if (!agency) throw ApplicationFailure.nonRetryable(`agency ${p.reporter.agencyId} does not exist`, 'unknown_agency');
      const policy = resolveRules(await policyStatesOf(db), agency.jurisdiction, 'security-incident', shanghaiDate(p.detectedAt));
      try {
        incidentPlan(policy);
      } catch (err) {
        throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'no_rule_in_force');
      }
      return {
        version: 1,
        caseId: p.caseId,
        receivedAt: p.detectedAt,
        receivedVia: 'api',
        createdBy: p.reporter.principalId,
        jurisdiction: agency.jurisdiction,
        policy,
        reporter: { principalId: p.reporter.principalId, agencyId: agency.id, role: 'provider' },
        incident: { kind: 'leak', datasetIds: [p.datasetId], description: p.description, personalInformation: p.personalInformation, detectedAt: p.detectedAt, fromCaseId: p.fromCaseId },
      };
    },
  };
}
