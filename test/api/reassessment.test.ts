// P11 periodic reassessment on real servers: the competent department schedules reassessments (a
// Temporal Schedule); a run opens one case per matching published dataset — none for other classes,
// other providers or withdrawn data, and none twice for the same run; the provider keeps the class
// or reclassifies, which opens a catalog-entry case (js-2020:25¶3, sz-open-2023:8).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';
import { activities as catalogActivities } from '../../src/activities/catalog-entry';
import { reassessmentCaseId, type ReassessmentRunInput } from '../../src/domain/reassessment';
import type { ReassessmentRunResult } from '../../src/workflows/reassessment-run';

let h: Harness;
let prov: string;
let provider: Actor;
let parkCompetent: Actor;
let cityCompetent: Actor;
let taizhouCompetent: Actor;
let requester: Actor;
const ds: Record<string, string> = {};
const created: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  prov = await agency(h, 'rs-sip-planning', 'suzhou-sip');
  provider = await principal(h, ['provider'], prov);
  parkCompetent = await principal(h, ['competent'], await agency(h, 'rs-sip-bureau', 'suzhou-sip'));
  cityCompetent = await principal(h, ['competent'], await agency(h, 'rs-sz-bureau', 'suzhou'));
  taizhouCompetent = await principal(h, ['competent'], await agency(h, 'rs-tz-bureau', 'taizhou'));
  requester = await principal(h, ['requester'], await agency(h, 'rs-sip-market', 'suzhou-sip'));
  ds.a = await dataset(h, prov, 'conditional', { openClass: 'conditional' });
  ds.b = await dataset(h, prov, 'conditional', { openClass: 'conditional' });
  ds.none = await dataset(h, prov, 'none', { openClass: 'none' });
  ds.open = await dataset(h, prov, 'unconditional', { openClass: 'unconditional' });
  ds.withdrawn = await dataset(h, prov, 'conditional', { openClass: 'conditional' });
  // Withdrawn the way a rights claim withdraws it: a published version of the catalog (sz-open-2023:38).
  await catalogActivities({ db: h.db }).publishWithdrawal({ caseId: `rs-withdrawal-${h.tag}`, datasetId: ds.withdrawn, at: new Date().toISOString(), withdrawn: true, citation: 'sz-open-2023:38' });
});
afterAll(async () => {
  for (const id of created) await h?.client.schedule.getHandle(id).delete().catch(() => undefined);
  await h?.close();
});

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
const post = (url: string, a: Actor | string, body?: unknown) => h.call('POST', url, { token: typeof a === 'string' ? a : a.token, body: body ?? {} });
const taskOf = async (a: Actor, caseId: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).find((t) => t.caseId === caseId);
const caseOf = async (caseId: string) => (await h.call('GET', `/v1/cases/${caseId}`, { token: h.adminToken })).json();

async function schedule(a: Actor | string, body: Record<string, unknown>) {
  const res = await post('/v1/reassessment-schedules', a, body);
  expect(res.statusCode, res.body).toBe(201);
  created.push(res.json().id);
  return res.json();
}

/** Triggers the schedule and waits for its run to end: the run's result names every case it opened. */
async function triggerRun(id: string, a: Actor = parkCompetent): Promise<ReassessmentRunResult> {
  const handle = h.client.schedule.getHandle(id);
  const before = (await handle.describe()).info.recentActions.length;
  const res = await post(`/v1/reassessment-schedules/${id}/trigger`, a);
  expect(res.statusCode, res.body).toBe(202);
  const run = await vi.waitFor(
    async () => {
      const actions = (await handle.describe()).info.recentActions;
      expect(actions.length).toBeGreaterThan(before);
      return actions.at(-1)!;
    },
    { timeout: 20_000, interval: 200 },
  );
  const result = (await h.client.workflow.getHandle(run.action.workflow.workflowId).result()) as ReassessmentRunResult;
  // The scheduled time (to the second, as the scheduler names the run's workflow) names its cases.
  expect(result.runAt).toBe(new Date(Math.floor(run.scheduledAt.getTime() / 1000) * 1000).toISOString());
  return result;
}

let sched: { id: string };
let run: ReassessmentRunResult;

describe('POST /v1/reassessment-schedules', () => {
  it('creates a Temporal Schedule starting runs on the deployment’s task queue, next at 09:00 Shanghai on the 1st of a month', async () => {
    sched = await schedule(parkCompetent, { jurisdiction: 'suzhou-sip', openClass: 'conditional', every: 'P3M', providerAgencyId: prov });
    expect(sched).toMatchObject({ jurisdiction: 'suzhou-sip', openClass: 'conditional', every: 'P3M', providerAgencyId: prov, createdBy: parkCompetent.id, recentRuns: [] });
    const next = (sched as unknown as { nextRunAt: string }).nextRunAt;
    expect(next).toMatch(/^\d{4}-\d{2}-01T01:00:00\.000Z$/);
    expect(Date.parse(next) - Date.now()).toBeLessThanOrEqual(93 * 86_400_000);
    const d = await h.client.schedule.getHandle(sched.id).describe();
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reassessmentRun', taskQueue: h.taskQueue });
    expect(d.memo?.reassessmentSchedule).toMatchObject({ jurisdiction: 'suzhou-sip', openClass: 'conditional', providerAgencyId: prov });
    expect(d.spec.calendars?.[0]?.month).toHaveLength(4);
  });

  it('is the competent department’s of the jurisdiction or above, or an administrator’s (403 otherwise)', async () => {
    const body = { jurisdiction: 'suzhou-sip', openClass: 'none', every: 'P1Y' };
    for (const a of [provider, requester, taizhouCompetent]) expect((await post('/v1/reassessment-schedules', a, body)).statusCode).toBe(403);
    expect((await post('/v1/reassessment-schedules', parkCompetent, { ...body, jurisdiction: 'suzhou' })).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/reassessment-schedules', { body })).statusCode).toBe(401);
    await schedule(cityCompetent, body); // a level above
    await schedule(h.adminToken, body);
  });

  it('refuses malformed bodies (400) and what the catalog or the law does not allow (422)', async () => {
    const base = { jurisdiction: 'suzhou-sip', openClass: 'conditional', every: 'P6M' };
    const cases: [Record<string, unknown>, number, string?][] = [
      [{ openClass: 'unconditional' }, 400],
      [{ every: 'P2M' }, 400],
      [{ colour: 'red' }, 400],
      [{ jurisdiction: 'atlantis' }, 422, 'unknown_jurisdiction'],
      [{ providerAgencyId: 'no-such-agency' }, 422, 'unknown_agency'],
      [{ jurisdiction: 'suzhou-sip', providerAgencyId: await agency(h, 'rs-tz-stats', 'taizhou') }, 422, 'agency_outside_jurisdiction'],
      [{ jurisdiction: 'shanghai' }, 422, 'no_rule_in_force'],
    ];
    for (const [extra, status, code] of cases) {
      const res = await post('/v1/reassessment-schedules', h.adminToken, { ...base, ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      if (code) expect(res.json().error.code, JSON.stringify(extra)).toBe(code);
    }
  });
});

describe('a run', () => {
  it('opens one reassessment per matching published dataset — none for other classes or withdrawn data', async () => {
    run = await triggerRun(sched.id);
    const expected = [ds.a!, ds.b!].map((d) => reassessmentCaseId(sched.id, run.runAt, d)).sort();
    expect(run.opened).toEqual(expected);
    expect(run.existing).toEqual([]);
    const c = await vi.waitFor(async () => {
      const v = await caseOf(expected[0]!);
      expect(v.status).toBe('pending_reassessment');
      return v;
    });
    expect(c).toMatchObject({ type: 'reassessment', jurisdiction: 'suzhou-sip', parties: { providerAgencyId: prov }, policy: { id: 'js-2020' } });
    expect(c.deadlines[0]).toMatchObject({ key: 'review', workingDays: 15, citation: 'js-2020:25', state: 'running' });
    const t = await vi.waitFor(async () => (await taskOf(provider, expected[0]!))!);
    expect(t).toMatchObject({ kind: 'review', actions: ['keep', 'reclassify'], requiredFields: { keep: ['reason'], reclassify: ['openClass', 'reason'] }, citation: 'js-2020:25' });
    const settings = (await h.call('GET', '/v1/policies/settings', { token: provider.token })).json();
    expect(JSON.stringify(settings)).toContain('reassessment.review.workingDays');
  });

  it('opens no case twice for the same run: started again with the run’s time, it finds them all', async () => {
    const d = await h.client.schedule.getHandle(sched.id).describe();
    const args = (d.action as { args?: unknown[] }).args as [ReassessmentRunInput];
    const again = (await h.client.workflow.execute('reassessmentRun', {
      taskQueue: h.taskQueue,
      workflowId: `rs-again-${h.tag}`,
      args: [{ ...args[0], runAt: run.runAt }],
    })) as ReassessmentRunResult;
    expect(again).toMatchObject({ runAt: run.runAt, opened: [], existing: run.opened });
    // A later run (the scheduler names runs to the second) is a new round of reassessments.
    await new Promise((r) => setTimeout(r, 1100));
    const next = await triggerRun(sched.id);
    expect(next.runAt).not.toBe(run.runAt);
    expect(next.opened).toHaveLength(2);
  });

  it('keep → kept, with the reasons', async () => {
    const caseId = run.opened.find((id) => id.endsWith(ds.a!))!;
    const t = (await taskOf(provider, caseId))!;
    const res = await post(`/v1/tasks/${t.taskId}/decision`, provider, { action: 'keep', reason: '涉及个人信息，仍需签订协议' });
    expect(res.statusCode, res.body).toBe(200);
    const c = await caseOf(caseId);
    expect(c).toMatchObject({ status: 'kept', outcome: { basis: 'kept', openClass: 'conditional', citation: 'js-2020:25' } });
  });

  it('reclassify → reclassified, opening a catalog-entry case (reason correction) that the competent department reviews', async () => {
    const caseId = run.opened.find((id) => id.endsWith(ds.b!))!;
    const t = (await taskOf(provider, caseId))!;
    const refused: [Record<string, unknown>, string][] = [
      [{ action: 'reclassify', openClass: 'conditional', reason: '无变化' }, 'class_unchanged'],
      [{ action: 'reclassify', openClass: 'sometimes', reason: '?' }, 'invalid_decision_fields'],
      [{ action: 'reclassify', openClass: 'unconditional' }, 'missing_fields'],
    ];
    for (const [body, code] of refused) {
      const res = await post(`/v1/tasks/${t.taskId}/decision`, provider, body);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code, res.body).toBe(code);
    }
    const res = await post(`/v1/tasks/${t.taskId}/decision`, provider, { action: 'reclassify', openClass: 'unconditional', reason: '已脱敏，具备无条件开放条件' });
    expect(res.statusCode, res.body).toBe(200);
    const c = await vi.waitFor(async () => {
      const v = await caseOf(caseId);
      expect(v.history.map((e: { event: string }) => e.event)).toContain('catalog_entry_opened');
      return v;
    });
    const entryCaseId = `catalog-entry-from-${caseId}`;
    expect(c).toMatchObject({ status: 'reclassified', outcome: { basis: 'reclassified', from: 'conditional', openClass: 'unconditional', catalogEntryCaseId: entryCaseId } });
    const entry = await vi.waitFor(async () => {
      const v = await caseOf(entryCaseId);
      expect(v.status).toBe('pending_review');
      return v;
    });
    expect(entry).toMatchObject({ type: 'catalog-entry', datasetId: ds.b, parties: { providerAgencyId: prov }, request: { openClass: 'unconditional', reason: 'correction' } });
  });
});

describe('GET /v1/reassessment-schedules', () => {
  it('shows the caller’s jurisdiction and below; an administrator sees all', async () => {
    const city = await schedule(cityCompetent, { jurisdiction: 'suzhou', openClass: 'none', every: 'P6M' });
    const ids = async (a: Actor | string) => {
      const res = await h.call('GET', '/v1/reassessment-schedules', { token: typeof a === 'string' ? a : a.token });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((s) => s.id);
    };
    await vi.waitFor(async () => expect(await ids(cityCompetent)).toEqual(expect.arrayContaining([city.id, sched.id])), { timeout: 10_000 });
    expect(await ids(parkCompetent)).toContain(sched.id);
    expect(await ids(parkCompetent)).not.toContain(city.id);
    expect(await ids(taizhouCompetent)).toEqual([]);
    expect(await ids(h.adminToken)).toEqual(expect.arrayContaining([city.id, sched.id]));
    expect((await h.call('GET', '/v1/reassessment-schedules', { token: provider.token })).statusCode).toBe(403);
  });
});

describe('trigger and DELETE', () => {
  it('are refused outside the jurisdiction (403) and for unknown schedules (404)', async () => {
    expect((await post(`/v1/reassessment-schedules/${sched.id}/trigger`, taizhouCompetent)).statusCode).toBe(403);
    expect((await h.call('DELETE', `/v1/reassessment-schedules/${sched.id}`, { token: taizhouCompetent.token })).statusCode).toBe(403);
    expect((await post('/v1/reassessment-schedules/reassessment-schedule-nope/trigger', parkCompetent)).statusCode).toBe(404);
    expect((await post('/v1/reassessment-schedules/anything/trigger', parkCompetent)).statusCode).toBe(404);
  });

  it('deletes the schedule (no further runs; its cases go on)', async () => {
    const res = await h.call('DELETE', `/v1/reassessment-schedules/${sched.id}`, { token: parkCompetent.token });
    expect(res.statusCode, res.body).toBe(200);
    await expect(h.client.schedule.getHandle(sched.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await h.call('DELETE', `/v1/reassessment-schedules/${sched.id}`, { token: parkCompetent.token })).statusCode).toBe(404);
    expect((await post(`/v1/reassessment-schedules/${sched.id}/trigger`, parkCompetent)).statusCode).toBe(404);
    expect((await caseOf(run.opened.find((id) => id.endsWith(ds.a!))!)).status).toBe('kept');
  });
});
