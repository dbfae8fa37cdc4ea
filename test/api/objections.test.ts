// P4 objection and correction on real servers: the dispute mark on the dataset, the provider's
// answer within 5 working days, requests for more time and the competent department's review,
// the closed loop (confirm, dispute once, then the competent department determines), and what
// POST and the case actions refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';

let h: Harness;
let reporter: Actor;
let otherUser: Actor;
let provider: Actor;
let competent: Actor;
let sipCompetent: Actor;
let outsider: Actor;
let providerAgency: string;
let sipProvider: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'obj-sz-market', 'suzhou');
  sipProvider = await agency(h, 'obj-sip-market', 'suzhou-sip');
  reporter = await principal(h, ['data_user'], undefined, '陈七');
  otherUser = await principal(h, ['data_user', 'rights_holder'], undefined, '周八');
  provider = await principal(h, ['provider'], providerAgency, '李四');
  competent = await principal(h, ['competent'], await agency(h, 'obj-sz-bureau', 'suzhou'));
  sipCompetent = await principal(h, ['competent'], await agency(h, 'obj-sip-bureau', 'suzhou-sip'));
  await principal(h, ['provider'], sipProvider);
  outsider = await principal(h, ['provider'], await agency(h, 'obj-tz-x', 'taizhou'));
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
type Entry = { event: string; actor: string; detail: Record<string, unknown>; citation: string | null };

const post = (url: string, a: Actor, body?: unknown, headers?: Record<string, string>) => h.call('POST', url, { token: a.token, body: body ?? {}, headers });
const taskOf = async (a: Actor, caseId: string, kind?: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).find((t) => t.caseId === caseId && (!kind || t.kind === kind));
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const act = (caseId: string, action: string, a: Actor, body: Record<string, unknown> = {}) => post(`/v1/cases/${caseId}/${action}`, a, body);
const datasetOf = async (id: string) => (await h.call('GET', `/v1/datasets/${id}`, { token: reporter.token })).json();
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();
const events = (c: { history: Entry[] }) => c.history.map((e) => e.event);

async function object(ds: string, a: Actor = reporter, extra: Record<string, unknown> = {}) {
  const res = await post('/v1/objections', a, { datasetId: ds, kind: 'error', description: '企业地址与营业执照不一致', recordRef: 'row-91320500', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function answered(ds?: string) {
  const c = await object(ds ?? (await dataset(h, providerAgency, 'unconditional')));
  const t = (await taskOf(provider, c.caseId, 'correction'))!;
  const res = await decide(t, provider, { action: 'reject', reason: '经核实，登记地址即为该地址' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('POST /v1/objections', () => {
  it('marks the data as disputed at once and gives the provider 5 working days (js-2020:45, as sz-open-2023:10)', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    expect(await datasetOf(ds)).toMatchObject({ disputed: false, openObjections: [] });
    const c = await object(ds);
    expect(c).toMatchObject({ type: 'objection', status: 'open', jurisdiction: 'suzhou', datasetId: ds, parties: { reporterPrincipalId: reporter.id, providerAgencyId: providerAgency } });
    expect(c.request).toMatchObject({ kind: 'error', recordRef: 'row-91320500' });
    // sz-open-2023 ended 2026-07-31: the province's js-2020:45 governs, its "及时" a 5-day setting.
    const expected = await deadlineFor(c.receivedAt, 5);
    expect(c.deadlines[0]).toMatchObject({ key: 'correction', workingDays: 5, dueDate: expected.dueDate, dueAt: expected.dueAt, citation: 'js-2020:45', state: 'running' });
    expect(c.history.slice(0, 2)).toMatchObject([
      { event: 'objection_submitted', actor: reporter.id, citation: 'js-2020:45' },
      { event: 'data_marked_disputed', citation: 'js-2020:45' },
    ]);
    const mark = await datasetOf(ds);
    expect(mark).toMatchObject({ id: ds, disputed: true, openObjections: [{ caseId: c.caseId, kind: 'error', recordRef: 'row-91320500', status: 'open' }] });

    const task = (await taskOf(provider, c.caseId))!;
    expect(task).toMatchObject({ kind: 'correction', actions: ['correct', 'reject'], requiredFields: { correct: ['correction'], reject: ['reason'] }, dueAt: expected.dueAt });
    expect(await taskOf(outsider, c.caseId)).toBeUndefined();
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: outsider.token })).statusCode).toBe(404);
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: otherUser.token })).statusCode).toBe(404);
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: competent.token })).statusCode).toBe(200);
  });

  it('refuses bad input with a clear error and records nothing', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const body = { datasetId: ds, kind: 'error', description: '有误' };
    const cases: [unknown, number, string?][] = [
      [{ ...body, datasetId: 'no-such-dataset' }, 422, 'unknown_dataset'],
      [{ ...body, kind: 'typo' }, 400],
      [{ datasetId: ds, kind: 'omission' }, 400],
      [{ ...body, description: '' }, 400],
      [{ ...body, extra: 1 }, 400],
      [{ ...body, recordRef: '' }, 400],
      [{ ...body, recordRef: { row: 1 } }, 400],
      ['not json', 415],
    ];
    for (const [b, status, code] of cases) {
      const res = await post('/v1/objections', reporter, b);
      expect(res.statusCode, JSON.stringify(b)).toBe(status);
      expect(res.json().error.code).toBeTypeOf('string');
      if (code) expect(res.json().error.code).toBe(code);
    }
    const broken = await h.call('POST', '/v1/objections', { token: reporter.token, body: '{"datasetId":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBeTypeOf('string');
    expect((await h.call('POST', '/v1/objections', { body })).statusCode).toBe(401);
    expect((await datasetOf(ds)).disputed).toBe(false);
  });

  it('honours Idempotency-Key: the same body returns the same case, another body is refused', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const body = { datasetId: ds, kind: 'omission', description: '缺少 2025 年度数据' };
    const key = { 'idempotency-key': `obj-${h.tag}` };
    const first = await post('/v1/objections', reporter, body, key);
    expect(first.statusCode).toBe(201);
    const again = await post('/v1/objections', reporter, body, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().caseId).toBe(first.json().caseId);
    const other = await post('/v1/objections', reporter, { ...body, description: '另一件事' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect((await datasetOf(ds)).openObjections).toHaveLength(1);
  });
});

describe('the closed loop (sip-2021:21)', () => {
  it('correct → feedback → confirmed: the case closes and the mark is cleared', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const c = await object(ds);
    const t = (await taskOf(provider, c.caseId))!;
    const bare = await decide(t, provider, { action: 'correct' });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.code).toBe('missing_fields');
    expect((await act(c.caseId, 'confirm', reporter)).statusCode).toBe(409); // nothing to confirm yet

    const res = await decide(t, provider, { action: 'correct', correction: '地址已更正为“苏州市姑苏区人民路 100 号”' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved' });
    expect(res.json().deadlines[0].state).toBe('met');
    expect(events(res.json())).toEqual(expect.arrayContaining(['data_corrected', 'feedback_to_reporter']));
    expect((await datasetOf(ds)).disputed).toBe(true); // marked until the case closes

    expect((await act(c.caseId, 'confirm', provider)).statusCode).toBe(403);
    expect((await act(c.caseId, 'confirm', otherUser)).statusCode).toBe(404);
    expect((await act(c.caseId, 'withdraw', reporter)).json().error.code).toBe('action_not_offered');
    const done = await act(c.caseId, 'confirm', reporter, { note: '已核对，无误' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'confirmed', outcome: { basis: 'confirmed', answer: 'corrected', citation: 'js-2020:45' } });
    expect(done.json().history.slice(-2)).toMatchObject([{ event: 'objection_confirmed', actor: reporter.id }, { event: 'dispute_mark_cleared', citation: 'js-2020:45' }]);
    expect(await datasetOf(ds)).toMatchObject({ disputed: false, openObjections: [] });
    expect((await act(c.caseId, 'confirm', reporter)).statusCode).toBe(409);
  });

  it('a disputed answer goes back to the provider once, with a new period; a second dispute goes to the competent department', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const first = await answered(ds);
    expect(first.outcome).toBeNull();
    const noReason = await act(first.caseId, 'dispute', reporter);
    expect(noReason.statusCode).toBe(422);
    const disputed = await act(first.caseId, 'dispute', reporter, { reason: '营业执照上的地址已变更' });
    expect(disputed.statusCode, disputed.body).toBe(200);
    const round2 = disputed.json();
    expect(round2.status).toBe('open');
    expect(round2.deadlines).toHaveLength(2);
    // The new period counts from the dispute (its audit entry is committed with the new task).
    const at = round2.history.find((e: Entry & { at: string }) => e.event === 'answer_disputed').at;
    const expected = await deadlineFor(at, 5);
    expect(round2.deadlines[0].state).toBe('met');
    expect(round2.deadlines[1]).toMatchObject({ key: 'correction', workingDays: 5, dueDate: expected.dueDate, dueAt: expected.dueAt, state: 'running' });

    const t = (await taskOf(provider, first.caseId, 'correction'))!;
    expect((await decide(t, provider, { action: 'reject', reason: '维持原答复' })).json().status).toBe('resolved');
    expect((await act(first.caseId, 'dispute', reporter, { reason: '仍然不对' })).json().status).toBe('disputed');
    expect(await taskOf(provider, first.caseId)).toBeUndefined();
    const det = (await taskOf(competent, first.caseId))!;
    expect(det).toMatchObject({ kind: 'dispute_determination', actions: ['uphold', 'order_correction'], citation: 'js-2020:45', assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou' } });
    expect(await taskOf(sipCompetent, first.caseId)).toBeUndefined();
    expect((await decide(det, competent, { action: 'uphold' })).statusCode).toBe(422);
    const upheld = await decide(det, competent, { action: 'uphold', reason: '提供方答复有据' });
    expect(upheld.json()).toMatchObject({ status: 'closed', outcome: { basis: 'answer_upheld', citation: 'js-2020:45' } });
    expect(events(upheld.json())).toContain('dispute_mark_cleared');
    expect((await datasetOf(ds)).disputed).toBe(false);
    // Every step cites its article.
    expect(upheld.json().history.filter((e: Entry) => !e.citation)).toEqual([]);
  });

  it('the competent department may order the correction instead (js-2020:49); the case closes when it is done', async () => {
    const c = await answered();
    await act(c.caseId, 'dispute', reporter, { reason: '不对' });
    await decide((await taskOf(provider, c.caseId, 'correction'))!, provider, { action: 'reject', reason: '维持' });
    await act(c.caseId, 'dispute', reporter, { reason: '还是不对' });
    const det = (await taskOf(competent, c.caseId))!;
    const ordered = await decide(det, competent, { action: 'order_correction', instruction: '按市场监管登记信息更正地址' });
    expect(ordered.json().status).toBe('open');
    const t = (await taskOf(provider, c.caseId))!;
    expect(t).toMatchObject({ kind: 'ordered_correction', citation: 'js-2020:49', actions: ['correct'] });
    const done = await decide(t, provider, { action: 'correct', correction: '已按要求更正' });
    expect(done.json()).toMatchObject({ status: 'closed', outcome: { basis: 'corrected_as_ordered', citation: 'js-2020:49' } });
    expect(done.json().history.filter((e: Entry) => !e.citation)).toEqual([]);
  });

  it('in Suzhou Industrial Park the loop cites sip-2021:21', async () => {
    const c = await object(await dataset(h, sipProvider, 'unconditional'), otherUser);
    expect(c.jurisdiction).toBe('suzhou-sip');
    const sipProviderActor = await principal(h, ['provider'], sipProvider);
    const res = await decide((await taskOf(sipProviderActor, c.caseId))!, sipProviderActor, { action: 'reject', reason: '数据无误' });
    expect(res.json().history.find((e: Entry) => e.event === 'feedback_to_reporter').citation).toBe('sip-2021:21');
    const done = await act(c.caseId, 'confirm', otherUser);
    expect(done.json()).toMatchObject({ status: 'confirmed', outcome: { citation: 'sip-2021:21', answer: 'rejected' } });
  });
});

describe('more time for a complex case: the competent department approves (sz-open-2023:10)', () => {
  it('a request goes to the competent department and moves nothing; an approval moves the deadline', async () => {
    const c = await object(await dataset(h, providerAgency, 'unconditional'));
    const ask = { reason: '涉及三个部门的源数据，需协商核实', workingDays: 15 };
    expect((await act(c.caseId, 'request-extension', reporter, ask)).statusCode).toBe(403);
    expect((await act(c.caseId, 'request-extension', competent, ask)).statusCode).toBe(403);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...ask, workingDays: 31 }, 422, 'extension_above_cap'],
      [{ ...ask, workingDays: 5 }, 422, 'extension_not_longer'],
      [{ workingDays: 15 }, 422, 'missing_fields'],
      [{ reason: '复杂' }, 422, 'missing_fields'],
      [{ ...ask, workingDays: 'fifteen' }, 400, 'invalid_request'],
      [{ ...ask, workingDays: 0 }, 400, 'invalid_request'],
      [{ ...ask, workingDays: 7.5 }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await act(c.caseId, 'request-extension', provider, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (status === 422) expect(res.json().error.code).toBe(code);
    }
    const over = await act(c.caseId, 'request-extension', provider, { ...ask, workingDays: 31 });
    expect(over.json().error.details).toMatchObject({ maxWorkingDays: 30, citation: 'js-2020:45' });

    const asked = await act(c.caseId, 'request-extension', provider, ask);
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().status).toBe('extension_requested');
    expect(asked.json().deadlines).toHaveLength(1);
    expect(asked.json().deadlines[0]).toMatchObject({ workingDays: 5, dueDate: c.deadlines[0].dueDate });
    expect((await act(c.caseId, 'request-extension', provider, ask)).statusCode).toBe(409);
    const review = (await taskOf(competent, c.caseId))!;
    expect(review).toMatchObject({ kind: 'extension_review', actions: ['approve', 'refuse'], dueAt: null, assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou' } });
    expect(await taskOf(sipCompetent, c.caseId)).toBeUndefined();
    expect((await decide(review, provider, { action: 'approve' })).statusCode).toBe(403);

    // The department chooses the total: above the cap or not longer than now is refused, nothing moves.
    expect((await decide(review, competent, { action: 'approve', workingDays: 31 })).json().error.code).toBe('extension_above_cap');
    expect((await decide(review, competent, { action: 'approve', workingDays: 5 })).json().error.code).toBe('extension_not_longer');
    const approved = await decide(review, competent, { action: 'approve', workingDays: 15 });
    expect(approved.statusCode, approved.body).toBe(200);
    const expected = await deadlineFor(c.receivedAt, 15);
    expect(approved.json()).toMatchObject({ status: 'open' });
    expect(approved.json().deadlines[0]).toMatchObject({ workingDays: 15, dueDate: expected.dueDate, dueAt: expected.dueAt, state: 'running' });
    expect((await taskOf(provider, c.caseId))!.dueAt).toBe(expected.dueAt);
    expect(approved.json().history.find((e: Entry) => e.event === 'extension_approved')).toMatchObject({ actor: competent.id, detail: { previousWorkingDays: 5, workingDays: 15 } });

    // A second request, refused: the deadline stays at 15.
    await act(c.caseId, 'request-extension', provider, { reason: '仍需时间', workingDays: 30 });
    const again = (await taskOf(competent, c.caseId))!;
    expect((await decide(again, competent, { action: 'refuse' })).json().error.code).toBe('missing_fields');
    const refused = await decide(again, competent, { action: 'refuse', reason: '期限已足够' });
    expect(refused.json()).toMatchObject({ status: 'open' });
    expect(refused.json().deadlines[0]).toMatchObject({ workingDays: 15, dueDate: expected.dueDate });
    expect(events(refused.json())).toContain('extension_refused');
    expect(refused.json().history.filter((e: Entry) => !e.citation)).toEqual([]);
  });

  it('an answer while the request is pending closes the review: there is nothing left to extend', async () => {
    const c = await object(await dataset(h, providerAgency, 'unconditional'));
    await act(c.caseId, 'request-extension', provider, { reason: '复杂', workingDays: 10 });
    const review = (await taskOf(competent, c.caseId))!;
    const res = await decide((await taskOf(provider, c.caseId))!, provider, { action: 'correct', correction: '已更正' });
    expect(res.json().status).toBe('resolved');
    expect(events(res.json())).toContain('extension_request_lapsed');
    expect(await taskOf(competent, c.caseId)).toBeUndefined();
    expect((await decide(review, competent, { action: 'approve' })).statusCode).toBe(409);
    expect((await act(c.caseId, 'request-extension', provider, { reason: '复杂', workingDays: 10 })).statusCode).toBe(409);
  });
});
