// Deadlines of P4 objections on Temporal's time-skipping server: the 5 working days, an approved
// extension moving the running timer, a refused one leaving it, and the 30-day cap. Real deadlines
// (never shortened), real activities and PostgreSQL; the server's clock moved to the days that matter.
//
// Years 2035–2036 (statutory calendars; provisional). Windows avoid holidays: after National Day,
// before New Year. The day of receipt is not counted; a deadline is 24:00 Shanghai (16:00Z).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import { POLICIES, resolveRules, type PolicyState } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { ObjectionInput } from '../../src/domain/objection';
import type { Caller } from '../../src/domain/tasks';
import { caseActionUpdate, decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

// A deployment that keeps sz-open-2023 in force beyond 2026-07-31 (an act of extension): its
// art. 10 then governs with its own numbers; without it, js-2020:45 with the setting defaults.
const extendedSzOpen: PolicyState[] = POLICIES.map((p) => (p.id === 'sz-open-2023' ? { ...p, effectiveTo: null } : p));

const provider: Caller = { principalId: 'prn-provider', agencyId: 'agency-prov', roles: ['provider'], jurisdiction: 'suzhou' };
const competent: Caller = { principalId: 'prn-bureau', agencyId: 'agency-bureau', roles: ['competent'], jurisdiction: 'suzhou' };

/** Starts an objection received at the server's current time (the case's clock). */
function start(policies: readonly PolicyState[] = POLICIES): Promise<WorkflowHandle> {
  return c.start<ObjectionInput>('objection', 'objection', (caseId, receivedAt) => ({
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: 'prn-reporter',
    jurisdiction: 'suzhou',
    policy: resolveRules(policies, 'suzhou', 'objection', shanghaiDate(receivedAt)),
    reporter: { principalId: 'prn-reporter', agencyId: null },
    dataset: { id: 'ds-ts-objection', name: 'test data', providerAgencyId: 'agency-prov', jurisdiction: 'suzhou' },
    objection: { datasetId: 'ds-ts-objection', kind: 'error', description: '地址字段错误' },
  }));
}

async function openTask(h: WorkflowHandle, kind: string) {
  const [t] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
  return t;
}

const askForMore = (h: WorkflowHandle, workingDays: unknown, caller: Caller = provider) =>
  h.executeUpdate(caseActionUpdate, { args: [{ action: 'request-extension', caller, fields: { reason: '涉及多个部门数据，需协商核实', workingDays } }] });

async function review(h: WorkflowHandle, action: 'approve' | 'refuse') {
  const t = await openTask(h, 'extension_review');
  expect(t).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', assigneeAgencyId: null, dueAt: null });
  await h.executeUpdate(decideUpdate, { args: [{ taskId: t!.taskId, action, caller: competent, fields: action === 'refuse' ? { reason: '情况并不复杂' } : {} }] });
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  // The kernel's refuse(): an ApplicationFailure whose first detail is the Refusal the API answers with.
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).details![0] as { status: number; code: string };
}

describe('the 5 working days (js-2020:45 setting, as sz-open-2023:10)', () => {
  it('escalate at 24:00 of the 5th working day after receipt: overdue, and the competent department supervises', async () => {
    // Received Mon 2035-10-15 10:00 Shanghai. Tue 16 = 1, Wed 17 = 2, Thu 18 = 3, Fri 19 = 4,
    // Mon 22 = 5 → due end of Mon 2035-10-22 = 2035-10-22T16:00Z.
    await c.env.sleepUntil('2035-10-15T02:00:00Z');
    const h = await start();
    const opened = await c.view(h, (v) => v.status === 'open');
    expect(opened.deadlines[0]).toMatchObject({ key: 'correction', workingDays: 5, dueDate: '2035-10-22', dueAt: '2035-10-22T16:00:00.000Z', citation: 'js-2020:45', state: 'running' });

    await c.env.sleepUntil(Date.parse('2035-10-22T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2035-10-22T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'open', overdue: true });
    expect(late.deadlines[0].state).toBe('missed');
    expect(await openTask(h, 'supervision')).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', citation: 'js-2020:49' });
    // Too late to ask for more time; the provider may still answer, which ends the supervision.
    expect(await refusal(askForMore(h, 10))).toMatchObject({ status: 409, code: 'deadline_missed' });
    const t = (await openTask(h, 'correction'))!;
    await h.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action: 'correct', caller: provider, fields: { correction: '地址已更正' } }] });
    expect((await c.view(h)).status).toBe('resolved');
    expect(await openTask(h, 'supervision')).toBeUndefined();
  });
});

describe('extensions (sz-open-2023:10, kept in force by the deployment)', () => {
  it('an approved extension moves the running timer to the new total from receipt', async () => {
    // Received Tue 2035-10-23 10:00. 5 working days: Wed 24, Thu 25, Fri 26, Mon 29, Tue 30 →
    // due 2035-10-30. Extended to 15 in all: + Wed 31 … Tue Nov 6 (10), Wed 7 … Tue 13 (15) →
    // due end of Tue 2035-11-13.
    await c.env.sleepUntil('2035-10-23T02:00:00Z');
    const h = await start(extendedSzOpen);
    const opened = await c.view(h, (v) => v.status === 'open');
    expect(opened.deadlines[0]).toMatchObject({ dueDate: '2035-10-30', citation: 'sz-open-2023:10' });

    await c.env.sleepUntil('2035-10-25T02:00:00Z');
    await askForMore(h, 15);
    const asked = await c.view(h);
    expect(asked.status).toBe('extension_requested');
    expect(asked.deadlines[0]).toMatchObject({ workingDays: 5, dueDate: '2035-10-30' }); // a request alone moves nothing
    await review(h, 'approve');
    const moved = await c.view(h);
    expect(moved.status).toBe('open');
    expect(moved.deadlines[0]).toMatchObject({ workingDays: 15, dueDate: '2035-11-13', dueAt: '2035-11-13T16:00:00.000Z', state: 'running' });
    expect(await openTask(h, 'correction')).toMatchObject({ dueDate: '2035-11-13' });

    await c.env.sleepUntil(Date.parse('2035-10-30T16:00:00Z') + SECOND); // the old deadline passes: nothing happens
    expect(await c.view(h)).toMatchObject({ status: 'open', overdue: false });
    await c.env.sleepUntil(Date.parse('2035-11-13T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2035-11-13T16:00:00Z') + SECOND);
    expect(await c.view(h, (v) => v.overdue)).toMatchObject({ status: 'open', overdue: true });
  });

  it('a refused extension leaves the deadline where it was', async () => {
    // Received Wed 2035-11-14 10:00: Thu 15, Fri 16, Mon 19, Tue 20, Wed 21 → due 2035-11-21.
    await c.env.sleepUntil('2035-11-14T02:00:00Z');
    const h = await start(extendedSzOpen);
    await c.view(h, (v) => v.status === 'open');
    await c.env.sleepUntil('2035-11-16T02:00:00Z');
    await askForMore(h, 10);
    await review(h, 'refuse');
    const refused = await c.view(h);
    expect(refused.status).toBe('open');
    expect(refused.deadlines[0]).toMatchObject({ workingDays: 5, dueDate: '2035-11-21', state: 'running' });

    await c.env.sleepUntil(Date.parse('2035-11-21T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2035-11-21T16:00:00Z') + SECOND);
    expect(await c.view(h, (v) => v.overdue)).toMatchObject({ overdue: true });
  });

  it('a request still waiting at the deadline does not hold it off: the case escalates, and a late approval moves nothing', async () => {
    // Received Thu 2035-11-22 10:00: Fri 23, Mon 26, Tue 27, Wed 28, Thu 29 → due 2035-11-29.
    await c.env.sleepUntil('2035-11-22T02:00:00Z');
    const h = await start(extendedSzOpen);
    await c.view(h, (v) => v.status === 'open');
    await c.env.sleepUntil('2035-11-27T02:00:00Z');
    await askForMore(h, 20);
    await c.env.sleepUntil(Date.parse('2035-11-29T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'extension_requested', overdue: true });
    expect(late.deadlines[0]).toMatchObject({ dueDate: '2035-11-29', state: 'missed' });

    await review(h, 'approve');
    const after = await c.view(h);
    expect(after).toMatchObject({ status: 'open', overdue: true });
    expect(after.deadlines).toHaveLength(1);
    expect(after.deadlines[0]).toMatchObject({ workingDays: 5, dueDate: '2035-11-29', state: 'missed' });
    expect(await openTask(h, 'supervision')).toBeDefined();
  });

  it('may total 30 working days at most: a longer request is refused before anything is recorded', async () => {
    // Received Mon 2036-10-13 10:00 (after the National Day days Oct 1–4 and 6). 5 working days →
    // Mon Oct 20; 30 → six whole weeks → end of Mon 2036-11-24.
    await c.env.sleepUntil('2036-10-13T02:00:00Z');
    const h = await start(extendedSzOpen);
    const opened = await c.view(h, (v) => v.status === 'open');
    expect(opened.deadlines[0]).toMatchObject({ dueDate: '2036-10-20' });

    const over = await refusal(askForMore(h, 31));
    expect(over).toMatchObject({ status: 422, code: 'extension_above_cap' });
    expect(await refusal(askForMore(h, 5))).toMatchObject({ status: 422, code: 'extension_not_longer' });
    expect(await refusal(askForMore(h, 10, { ...provider, agencyId: 'someone-else' }))).toMatchObject({ status: 403 });
    expect((await c.view(h)).status).toBe('open');
    expect(await openTask(h, 'extension_review')).toBeUndefined();

    await askForMore(h, 30);
    expect(await refusal(askForMore(h, 30))).toMatchObject({ status: 409, code: 'invalid_state' }); // one request at a time
    await review(h, 'approve');
    expect((await c.view(h)).deadlines[0]).toMatchObject({ workingDays: 30, dueDate: '2036-11-24', dueAt: '2036-11-24T16:00:00.000Z' });
    expect(await refusal(askForMore(h, 31))).toMatchObject({ status: 422, code: 'extension_above_cap' });

    await c.env.sleepUntil(Date.parse('2036-11-24T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2036-11-24T16:00:00Z') + SECOND);
    expect(await c.view(h, (v) => v.overdue)).toMatchObject({ status: 'open', overdue: true });
  });
});
