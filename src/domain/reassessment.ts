// P11 periodic reassessment 定期评估. What the texts say:
// - js-2020:25¶3: the provider (公共数据提供主体) reassesses conditional-open data periodically (定期进行评估)
//   and, where it qualifies, promptly moves it to unconditional open (及时转为无条件开放类数据).
// - sz-open-2023:8: the open-data body reviews data outside the open scope periodically (定期评估审查)
//   and brings what may now be opened into it; ¶3 repeats js-2020:25¶3 for conditional data.
// Neither text says how often (定期) nor how long a review may take: both are settings here — the
// interval is chosen by the competent department when it creates a schedule (a Temporal Schedule,
// API-2.md), the review period is `reassessment.review.workingDays`. A run opens one case per
// matching dataset: the provider keeps the class or reclassifies, and a reclassification opens the
// catalog-entry case (P7) that publishes it. Pure: no I/O, no clock.
import { newCaseView, type CaseStart, type CaseView } from './cases';
import { DATA_CLASSES } from './catalog';
import type { ResolvedRule, ResolvedRules } from './policies/types';
import { PlanError } from './plan-error';
import type { DecisionInput, Refusal } from './tasks';
import type { ProcessDescriptor } from './process';
import { deepFreeze } from './policies/plain';

/** The classes a schedule reassesses: conditional (js-2020:25¶3) and not open (sz-open-2023:8). */
export const REASSESSED_CLASSES = ['conditional', 'none'] as const;
export type ReassessedClass = (typeof REASSESSED_CLASSES)[number];

/** How often a schedule runs (ISO 8601 durations, API-2.md): the months between runs. */
export const INTERVALS = { P3M: 3, P6M: 6, P1Y: 12 } as const;
export type Interval = keyof typeof INTERVALS;
export const INTERVAL_NAMES = Object.keys(INTERVALS) as Interval[];

/** Schedules of this process are Temporal Schedules whose ids start with this. */
export const SCHEDULE_ID_PREFIX = 'reassessment-schedule-';

/** What a schedule reassesses, as created (POST /v1/reassessment-schedules) and kept in its memo. */
export interface ScheduleDefinition {
  jurisdiction: string;
  openClass: ReassessedClass;
  every: Interval;
  providerAgencyId: string | null;
  createdBy: string;
  createdAt: string;
}

/** The dataset a reassessment is about, as the catalog showed it when the run opened the case. */
export interface ReassessedDataset {
  id: string;
  name: string;
  providerAgencyId: string;
  jurisdiction: string;
  openClass: string;
  version: number;
}

export interface ReassessmentInput extends CaseStart {
  scheduleId: string;
  /** The run's scheduled time (ISO instant): with the schedule and dataset, it names the case. */
  runAt: string;
  dataset: ReassessedDataset;
}

/** What a schedule's run workflow (workflows/reassessment-run.ts) starts with. */
export interface ReassessmentRunInput {
  version: 1;
  scheduleId: string;
  definition: ScheduleDefinition;
  /** The run's time; absent in a scheduled run, which reads its scheduled start time. */
  runAt?: string;
}

/** pending_reassessment → kept | reclassified. */
export const REASSESSMENT_STATUSES = ['pending_reassessment', 'kept', 'reclassified'] as const;
export const REASSESSMENT_ACTIONS = deepFreeze(['keep', 'reclassify']);
export const REASSESSMENT_FIELDS: Record<string, string[]> = deepFreeze({ keep: ['reason'], reclassify: ['openClass', 'reason'] });

export interface ReassessmentPlan {
  rule: ResolvedRule;
  workingDays: number;
  citation: string;
}

export class ReassessmentPlanError extends PlanError {}

/** The provider's review under the case's policy. */
export function reassessmentPlan(rules: ResolvedRules): ReassessmentPlan {
  const rule = rules.rules['review'];
  if (!rule) throw new ReassessmentPlanError(`no policy in force provides a periodic reassessment here (${rules.unresolved.join(', ') || 'none unresolved'})`);
  if (!rule.workingDays) throw new ReassessmentPlanError(`rule "review" (${rule.citation}) has no period`);
  return { rule, workingDays: rule.workingDays, citation: rule.citation };
}

/** The id of the case a run opens for a dataset: the same run (schedule, scheduled time) names the same case. */
export function reassessmentCaseId(scheduleId: string, runAt: string, datasetId: string): string {
  const short = scheduleId.startsWith(SCHEDULE_ID_PREFIX) ? scheduleId.slice(SCHEDULE_ID_PREFIX.length) : scheduleId;
  return `reassessment-${short}-${runKey(runAt)}-${datasetId}`;
}

/** 2027-03-01T01:00:00.000Z → 20270301T010000Z. */
export function runKey(runAt: string): string {
  return new Date(runAt).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The id of the catalog-entry case a reclassification opens. */
export const catalogEntryCaseIdOf = (caseId: string) => `catalog-entry-from-${caseId}`;

/**
 * A reclassification names a class and changes it (pure: a task check).
 * 422 invalid_open_class for a class that is not one, 422 class_unchanged for the present one.
 */
export function reclassifyRefusal(d: DecisionInput, current: string, citation: string): Refusal | null {
  if (d.action !== 'reclassify') return null;
  const to = d.fields.openClass;
  if (typeof to !== 'string' || !(DATA_CLASSES as readonly string[]).includes(to)) {
    return { status: 422, code: 'invalid_open_class', message: `openClass: one of ${DATA_CLASSES.join(', ')}`, details: { field: 'openClass' } };
  }
  if (to === current) {
    return { status: 422, code: 'class_unchanged', message: `openClass: the data is ${current} already; keep it instead (${citation})`, details: { field: 'openClass' } };
  }
  return null;
}

/**
 * The calendar of a schedule: at 09:00 Asia/Shanghai (01:00 UTC) on the 1st of every `every`-th
 * month, counted from the month after it was created — so the first run is at most one interval
 * away and the runs keep their rhythm.
 */
export function scheduleMonths(every: Interval, createdAt: string): number[] {
  const step = INTERVALS[every];
  const created = new Date(Date.parse(createdAt) + 8 * 3600_000).getUTCMonth() + 1; // its Shanghai month
  const out: number[] = [];
  for (let k = 1; k <= 12 / step; k++) out.push(((created - 1 + k * step) % 12) + 1);
  return out.sort((a, b) => a - b);
}

export function reassessmentView(input: ReassessmentInput): CaseView {
  const d = input.dataset;
  return newCaseView(input, {
    type: 'reassessment',
    parties: { providerAgencyId: d.providerAgencyId },
    datasetId: d.id,
    request: { scheduleId: input.scheduleId, runAt: input.runAt, dataset: { ...d }, openClass: d.openClass },
    summary: `定期评估 ${d.name} (${d.id}, ${d.openClass})`,
  });
}

/** P11 as the platform knows it (domain/process.ts). */
export const REASSESSMENT: ProcessDescriptor<'reassessment'> = {
  id: 'reassessment',
  code: 'P11',
  tag: { name: 'Periodic reassessment', description: 'P11 定期评估 (js-2020:25, sz-open-2023:8): Temporal Schedules that open a reassessment per dataset' },
  workflows: ['reassessment', 'reassessment-run'],
  routes: ['reassessment-schedules'],
  activities: ['reassessment'],
  caseActions: [],
  ruleKeys: { required: ['review'], optional: [] },
  settings: [
    {
      // js-2020:25¶3 and sz-open-2023:8 say only 定期 (periodically) and 及时 (promptly): no text
      // gives the provider a period to decide. The default is the 15 working days cm-draft:8 gives
      // an agency to update its catalog, the nearest duty a text does time; missed, it escalates.
      id: 'reassessment.review.workingDays',
      defaultValue: 15,
      unit: 'working_days',
      citations: ['js-2020:25', 'sz-open-2023:8'],
      reason:
        'js-2020:25¶3 and sz-open-2023:8 require data to be reassessed periodically (定期评估) and moved promptly (及时) ' +
        'but set no period for the review; the default is the 15 working days cm-draft:8 gives for a catalog update.',
    },
  ],
  decisionFields: {
    openClass: { type: 'string', enum: [...DATA_CLASSES], description: `开放类型：评估后的类别 — the open class after the reassessment (${DATA_CLASSES.join(' | ')})` },
  },
};
