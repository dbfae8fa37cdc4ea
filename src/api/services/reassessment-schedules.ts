// P11 reassessment schedules (js-2020:25¶3, sz-open-2023:8; API-2.md): each is a Temporal Schedule
// (visible in the Temporal UI) whose action starts a run (workflows/reassessment-run.ts) on this
// deployment's task queue. The schedule is the record: its definition is in its memo, so listing
// reads the schedules themselves and no table mirrors them.
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleSummary } from '@temporalio/client';
import type { Db } from '../../db/client';
import { findAgency } from '../../db/repositories/agencies';
import { appendAudit } from '../../db/repositories/audit';
import { shanghaiDate } from '../../domain/calendar/dates';
import { getJurisdiction, isWithin } from '../../domain/jurisdictions';
import {
  reassessmentPlan,
  scheduleMonths,
  SCHEDULE_ID_PREFIX,
  type Interval,
  type ReassessedClass,
  type ReassessmentRunInput,
  type ScheduleDefinition,
} from '../../domain/reassessment';
import { PlanError } from '../../domain/plan-error';
import { forbidden, notFound, unprocessable } from '../errors';
import { hasRole, type Principal } from '../plugins/auth';
import { resolveForCase } from './policies';

export interface ScheduleDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface ScheduleBody {
  jurisdiction: string;
  openClass: ReassessedClass;
  every: Interval;
  providerAgencyId?: string;
}

/** The memo key of a schedule's definition (with the task queue its runs start on). */
const MEMO_KEY = 'reassessmentSchedule';
type Stored = ScheduleDefinition & { taskQueue: string };

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

/** May `p` administer schedules of `jurisdiction`: an administrator, or its competent department or one above. */
const governs = (p: Principal, jurisdiction: string) => hasRole(p, 'admin') || (hasRole(p, 'competent') && !!p.jurisdiction && isWithin(jurisdiction, p.jurisdiction));

/**
 * POST /v1/reassessment-schedules.
 * @throws 403 outside the caller's jurisdiction; 422 unknown_jurisdiction, unknown_agency,
 *   agency_outside_jurisdiction, no_rule_in_force
 */
export async function createSchedule(deps: ScheduleDeps, p: Principal, body: ScheduleBody) {
  if (!getJurisdiction(body.jurisdiction)) throw unprocessable('unknown_jurisdiction', `jurisdiction "${body.jurisdiction}" does not exist`, { field: 'jurisdiction' });
  if (!governs(p, body.jurisdiction)) {
    throw forbidden(`only the competent department of ${body.jurisdiction} or of a level above it schedules its reassessments (js-2020:25, sz-open-2023:8)`);
  }
  if (body.providerAgencyId !== undefined) {
    const agency = await findAgency(deps.db, body.providerAgencyId);
    if (!agency) throw unprocessable('unknown_agency', `agency "${body.providerAgencyId}" does not exist`, { field: 'providerAgencyId' });
    if (!isWithin(agency.jurisdiction, body.jurisdiction)) {
      throw unprocessable('agency_outside_jurisdiction', `agency "${agency.id}" is in ${agency.jurisdiction}, not in ${body.jurisdiction} or below`, { field: 'providerAgencyId' });
    }
  }
  const createdAt = new Date().toISOString();
  const policy = await resolveForCase(deps.db, body.jurisdiction, 'reassessment', shanghaiDate(createdAt));
  try {
    reassessmentPlan(policy);
  } catch (err) {
    if (err instanceof PlanError) throw unprocessable('no_rule_in_force', err.message, { field: 'jurisdiction' });
    throw err;
  }
  const id = `${SCHEDULE_ID_PREFIX}${randomUUID()}`;
  const definition: ScheduleDefinition = {
    jurisdiction: body.jurisdiction,
    openClass: body.openClass,
    every: body.every,
    providerAgencyId: body.providerAgencyId ?? null,
    createdBy: p.id,
    createdAt,
  };
  const run: ReassessmentRunInput = { version: 1, scheduleId: id, definition };
  const stored: Stored = { ...definition, taskQueue: deps.taskQueue };
  await deps.temporal.schedule.create({
    scheduleId: id,
    // 09:00 Asia/Shanghai (01:00 UTC, China keeps no summer time) on the 1st of every interval's month.
    spec: { calendars: [{ month: scheduleMonths(body.every, createdAt).map((m) => MONTHS[m - 1]!), dayOfMonth: 1, hour: 1, minute: 0, second: 0, comment: `every ${body.every}` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reassessmentRun',
      workflowId: `reassessment-run-${id.slice(SCHEDULE_ID_PREFIX.length)}`,
      taskQueue: deps.taskQueue,
      args: [run],
      staticSummary: `定期评估 ${body.jurisdiction} ${body.openClass}${body.providerAgencyId ? ` ${body.providerAgencyId}` : ''}`,
    },
    // A run still opening cases is never run over; a trigger asks for its own run (triggerSchedule).
    // A run missed while the cluster was down is still taken within a month: a quarter's
    // reassessment is not silently skipped by a short outage.
    policies: { overlap: 'SKIP', catchupWindow: '30 days' },
    memo: { [MEMO_KEY]: stored },
    state: { note: `P11 reassessment of ${body.openClass} data in ${body.jurisdiction} every ${body.every}` },
  });
  await appendAudit(deps.db, {
    eventKey: `reassessment-schedule:${id}:created`,
    caseId: null,
    at: new Date(createdAt),
    actor: p.id,
    event: 'reassessment_schedule_created',
    detail: { scheduleId: id, ...definition },
    citation: 'js-2020:25',
  });
  return scheduleDocument(id, stored, await deps.temporal.schedule.getHandle(id).describe());
}

/** GET /v1/reassessment-schedules: this deployment's schedules the caller may see (its jurisdiction and below; all for an administrator). */
export async function listSchedules(deps: ScheduleDeps, p: Principal) {
  const items: ReturnType<typeof scheduleDocument>[] = [];
  for await (const s of deps.temporal.schedule.list()) {
    const stored = ours(deps, s.scheduleId, s.memo);
    if (stored && (hasRole(p, 'admin') || (p.jurisdiction && isWithin(stored.jurisdiction, p.jurisdiction)))) items.push(scheduleDocument(s.scheduleId, stored, s));
  }
  return { items: items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)) };
}

/** POST /v1/reassessment-schedules/:id/trigger: a run now, beside the scheduled ones. */
export async function triggerSchedule(deps: ScheduleDeps, p: Principal, id: string) {
  const { stored, handle } = await governed(deps, p, id);
  const triggeredAt = new Date().toISOString();
  await handle.trigger('ALLOW_ALL');
  await appendAudit(deps.db, {
    eventKey: `reassessment-schedule:${id}:triggered:${triggeredAt}:${randomUUID()}`,
    caseId: null,
    at: new Date(triggeredAt),
    actor: p.id,
    event: 'reassessment_schedule_triggered',
    detail: { scheduleId: id },
    citation: 'js-2020:25',
  });
  return { ...scheduleDocument(id, stored, await handle.describe()), triggeredAt };
}

/** DELETE /v1/reassessment-schedules/:id: no further runs; cases already opened go on. */
export async function deleteSchedule(deps: ScheduleDeps, p: Principal, id: string): Promise<{ id: string; deletedAt: string }> {
  const { handle } = await governed(deps, p, id);
  try {
    await handle.delete();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw notFound(`reassessment schedule ${id}`);
    throw err;
  }
  const deletedAt = new Date().toISOString();
  await appendAudit(deps.db, {
    eventKey: `reassessment-schedule:${id}:deleted`,
    caseId: null,
    at: new Date(deletedAt),
    actor: p.id,
    event: 'reassessment_schedule_deleted',
    detail: { scheduleId: id },
    citation: 'js-2020:25',
  });
  return { id, deletedAt };
}

/** A schedule of this deployment, or undefined: its id has the prefix and its runs start on our task queue. */
function ours(deps: ScheduleDeps, id: string, memo: Record<string, unknown> | undefined): Stored | undefined {
  const stored = memo?.[MEMO_KEY] as Stored | undefined;
  return id.startsWith(SCHEDULE_ID_PREFIX) && stored?.taskQueue === deps.taskQueue ? stored : undefined;
}

async function governed(deps: ScheduleDeps, p: Principal, id: string) {
  const handle = deps.temporal.schedule.getHandle(id);
  let described: ScheduleDescription | undefined;
  if (id.startsWith(SCHEDULE_ID_PREFIX)) {
    try {
      described = await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  const stored = described && ours(deps, id, described.memo);
  if (!stored) throw notFound(`reassessment schedule ${id}`);
  if (!governs(p, stored.jurisdiction)) throw forbidden(`the schedule reassesses data of ${stored.jurisdiction}: only its competent department or one above administers it`);
  return { stored, handle };
}

function scheduleDocument(id: string, stored: Stored, s: ScheduleSummary | ScheduleDescription) {
  const { taskQueue: _q, ...definition } = stored;
  return {
    id,
    ...definition,
    nextRunAt: s.info.nextActionTimes[0]?.toISOString() ?? null,
    recentRuns: s.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.type === 'startWorkflow' ? a.action.workflow.workflowId : null,
    })),
  };
}
