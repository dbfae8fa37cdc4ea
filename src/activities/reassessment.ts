// P11's side effects: the catalog read of a reassessment run (which datasets, under which rules).
import type { Db } from '../db/client';
import { datasetsToReassess } from '../db/processes/reassessment';
import { policyStatesOf } from '../db/repositories/policy-states';
import { shanghaiDate } from '../domain/calendar/dates';
import { JURISDICTION_IDS, isWithin } from '../domain/jurisdictions';
import { resolveRules, type ResolvedRules } from '../domain/policies';
import { reassessmentPlan, type ReassessedDataset, type ScheduleDefinition } from '../domain/reassessment';

export interface Candidates {
  /** The datasets to reassess, by id, each under a rule in force in its jurisdiction. */
  datasets: ReassessedDataset[];
  /** The rules of each jurisdiction those datasets are in, resolved for the day of the run. */
  policies: Record<string, ResolvedRules>;
  /** Matching datasets where no rule provides a reassessment (none is opened for them). */
  skipped: { datasetId: string; reason: string }[];
}

export function activities({ db }: { db: Db }) {
  return {
    /**
     * The published, not withdrawn datasets of the schedule's jurisdiction and below, of its open
     * class (and provider, when it names one), with the rules a case of each would follow on the
     * day `at`. Read once per run (its result is in the run's history).
     */
    async reassessmentCandidates(p: { definition: ScheduleDefinition; at: string }): Promise<Candidates> {
      const def = p.definition;
      const jurisdictions = JURISDICTION_IDS.filter((j) => isWithin(j, def.jurisdiction));
      const rows = await datasetsToReassess(db, { jurisdictions, openClass: def.openClass, providerAgencyId: def.providerAgencyId });
      const states = await policyStatesOf(db);
      const policies: Record<string, ResolvedRules> = {};
      const unplannable: Record<string, string> = {};
      for (const j of new Set(rows.map((r) => r.jurisdiction))) {
        const policy = resolveRules(states, j, 'reassessment', shanghaiDate(p.at));
        try {
          reassessmentPlan(policy);
          policies[j] = policy;
        } catch (err) {
          unplannable[j] = err instanceof Error ? err.message : String(err);
        }
      }
      return {
        datasets: rows
          .filter((r) => policies[r.jurisdiction])
          .map((r) => ({ id: r.id, name: r.name, providerAgencyId: r.providerAgencyId, jurisdiction: r.jurisdiction, openClass: r.openClass, version: r.version })),
        policies,
        skipped: rows.filter((r) => !policies[r.jurisdiction]).map((r) => ({ datasetId: r.id, reason: unplannable[r.jurisdiction]! })),
      };
    },
  };
}
