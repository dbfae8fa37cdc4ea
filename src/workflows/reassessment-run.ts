// One run of a reassessment schedule (P11, js-2020:25¶3, sz-open-2023:8): the Temporal Schedule
// starts this workflow at each scheduled time (and on a trigger); it asks the catalog for the
// matching published datasets and opens one reassessment case for each. Every case id follows from
// the schedule, the run's scheduled time and the dataset, and a case id is never started twice
// (kernel/related-case.ts), so a run retried, replayed or started again for the same time opens
// no duplicates.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { activities } from '../activities/reassessment';
import { reassessmentCaseId, reassessmentView, type ReassessmentInput, type ReassessmentRunInput } from '../domain/reassessment';
import { openRelatedCase } from './kernel/related-case';

const { reassessmentCandidates } = proxyActivities<ReturnType<typeof activities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Set by the Temporal scheduler on the workflows a schedule starts: the time the action was due. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Cases started at once: each start is a command, so a batch is one workflow task. */
const BATCH = 50;

export interface ReassessmentRunResult {
  scheduleId: string;
  runAt: string;
  opened: string[];
  /** Cases this run had opened before (the same run started again). */
  existing: string[];
  /** Datasets no rule in force lets the run reassess, and why. */
  skipped: { datasetId: string; reason: string }[];
}

export async function reassessmentRun(input: ReassessmentRunInput): Promise<ReassessmentRunResult> {
  const info = workflowInfo();
  // The scheduled time, not the start time: a run the scheduler starts late or retries names the same cases.
  const runAt = input.runAt ?? (info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime).toISOString();
  const def = input.definition;
  const found = await reassessmentCandidates({ definition: def, at: new Date().toISOString() });
  const receivedAt = new Date().toISOString();
  const inputs: ReassessmentInput[] = found.datasets.map((dataset) => ({
    version: 1,
    caseId: reassessmentCaseId(input.scheduleId, runAt, dataset.id),
    receivedAt,
    receivedVia: 'api',
    createdBy: def.createdBy,
    jurisdiction: dataset.jurisdiction,
    policy: found.policies[dataset.jurisdiction]!,
    scheduleId: input.scheduleId,
    runAt,
    dataset,
  }));
  const opened: string[] = [];
  const existing: string[] = [];
  for (let i = 0; i < inputs.length; i += BATCH) {
    await Promise.all(
      inputs.slice(i, i + BATCH).map(async (c) => {
        try {
          opened.push(await openRelatedCase('reassessment', c, reassessmentView(c)));
        } catch (err) {
          if (!(err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError')) throw err;
          existing.push(c.caseId);
        }
      }),
    );
  }
  return { scheduleId: input.scheduleId, runAt, opened: opened.sort(), existing: existing.sort(), skipped: found.skipped };
}
