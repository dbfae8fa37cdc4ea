// P1 beyond unconditional data: review tasks, decisions, withdrawal, copy consent, registration,
// deemed consent and escalation of deadlines already past, claims, disposal — on real servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let provider2: Actor;
let competent: Actor;
let sipCompetent: Actor;
let operations: Actor;
let outsider: Actor;
let providerAgency: string;
let sipProvider: string;

beforeAll(async () => {
  h = await startHarness();
  const requesterAgency = await agency(h, 'sz-market', 'suzhou');
  providerAgency = await agency(h, 'sz-social', 'suzhou');
  sipProvider = await agency(h, 'sip-labour', 'suzhou-sip');
  const bureau = await agency(h, 'sz-data-bureau', 'suzhou');
  const sipBureau = await agency(h, 'sip-data-bureau', 'suzhou-sip');
  const centre = await agency(h, 'sz-data-centre', 'suzhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency, '李四');
  provider2 = await principal(h, ['provider'], providerAgency, '王五');
  competent = await principal(h, ['competent'], bureau);
  sipCompetent = await principal(h, ['competent'], sipBureau);
  operations = await principal(h, ['operations'], centre);
  outsider = await principal(h, ['provider'], await agency(h, 'tz-x', 'taizhou'));
});
afterAll(async () => h?.close());

const post = (url: string, token: string, body?: unknown) => h.call('POST', url, { token, body: body ?? {} });
const inboxOf = async (a: Actor, q = '') => (await h.call('GET', `/v1/inbox?limit=200${q}`, { token: a.token })).json().items as { taskId: string; caseId: string; kind: string; [k: string]: unknown }[];
const taskOf = async (a: Actor, caseId: string) => (await inboxOf(a)).find((t) => t.caseId === caseId);

async function request(shareClass: 'conditional' | 'none', extra: Record<string, unknown> = {}, provAgency = providerAgency) {
  const ds = await dataset(h, provAgency, shareClass);
  const res = await post('/v1/share-requests', requester.token, shareBody(ds, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('conditional data: provider review within 5 working days (js-2020:21)', () => {
  it('opens a review task with the statutory deadline, in the provider agency inbox only', async () => {
    const c = await request('conditional');
    expect(c.status).toBe('pending_review');
    const [d] = c.deadlines;
    expect(d).toMatchObject({ key: 'provider_review', workingDays: 5, citation: 'js-2020:21', state: 'running' });
    const expected = (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(c.receivedAt)}&workingDays=5`)).json();
    expect(d.dueDate).toBe(expected.dueDate);
    expect(d.dueAt).toBe(expected.dueAt);
    expect(d.dueAt).toBe(`${d.dueDate}T16:00:00.000Z`);
    const task = await taskOf(provider, c.caseId);
    expect(task).toMatchObject({ kind: 'provider_review', actions: ['approve', 'refuse'], dueAt: d.dueAt, overdue: false, citation: 'js-2020:21' });
    expect(await taskOf(outsider, c.caseId)).toBeUndefined();
    expect(await taskOf(requester, c.caseId)).toBeUndefined();
  });

  it('refuses a wrong decision before recording anything, then grants on approval', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    const url = `/v1/tasks/${task.taskId}/decision`;
    const byRequester = await post(url, requester.token, { action: 'approve' });
    expect(byRequester.statusCode).toBe(403);
    expect((await post(url, outsider.token, { action: 'approve' })).statusCode).toBe(404);
    const noBasis = await post(url, provider.token, { action: 'refuse', reason: '不需要' });
    expect(noBasis.statusCode).toBe(422);
    expect(noBasis.json().error.code).toBe('legal_basis_required');
    const notOffered = await post(url, provider.token, { action: 'ignore' });
    expect(notOffered.statusCode).toBe(422);
    expect(notOffered.json().error.code).toBe('action_not_offered');
    const before = (await h.call('GET', `/v1/cases/${c.caseId}`, { token: requester.token })).json();
    expect(before.history.map((e: { event: string }) => e.event)).not.toContain('task_decided');

    const ok = await post(url, provider.token, { action: 'approve', reason: '符合履职需要' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'granted', outcome: { basis: 'approved', citation: 'js-2020:21' } });
    expect(ok.json().deadlines[0].state).toBe('met');
    expect(ok.json().grants[0].status).toBe('active');
    expect(await taskOf(provider, c.caseId)).toBeUndefined(); // gone from the inbox at once
    const again = await post(url, provider.token, { action: 'refuse', legalBasis: 'x' });
    expect(again.statusCode).toBe(409);
  });

  it('records a refusal with its legal basis', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    const res = await post(`/v1/tasks/${task.taskId}/decision`, provider.token, { action: 'refuse', legalBasis: '《数据安全法》第三十八条', reason: '超出履职范围' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', outcome: { basis: 'refused', legalBasis: '《数据安全法》第三十八条' } });
    expect(res.json().grants).toEqual([]);
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    const url = `/v1/tasks/${task.taskId}/decision`;
    const [a, b] = await Promise.all([
      post(url, provider.token, { action: 'approve' }),
      post(url, provider2.token, { action: 'refuse', legalBasis: '《数据安全法》第三十八条' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const final = (await h.call('GET', `/v1/cases/${c.caseId}`, { token: requester.token })).json();
    expect(final.history.filter((e: { event: string }) => e.event === 'task_decided')).toHaveLength(1);
  });

  it('is withdrawn by the requester: the task closes and later decisions are refused', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, provider.token, {})).statusCode).toBe(403);
    const res = await post(`/v1/cases/${c.caseId}/withdraw`, requester.token, { reason: '需求取消' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    expect(res.json().deadlines[0].state).toBe('cancelled');
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
    expect((await post(`/v1/tasks/${task.taskId}/decision`, provider.token, { action: 'approve' })).statusCode).toBe(409);
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, requester.token, {})).statusCode).toBe(409);
  });

  it('claim, hand over and release: a colleague sees the task as taken', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    const claimed = await post(`/v1/tasks/${task.taskId}/claim`, provider.token);
    expect(claimed.statusCode).toBe(200);
    expect((await taskOf(provider2, c.caseId))!.claimedBy).toBe(provider.id);
    expect((await inboxOf(provider2, '&claim=unclaimed')).find((t) => t.caseId === c.caseId)).toBeUndefined();
    expect((await post(`/v1/tasks/${task.taskId}/claim`, provider2.token)).statusCode).toBe(409);
    expect((await post(`/v1/tasks/${task.taskId}/decision`, provider2.token, { action: 'approve' })).statusCode).toBe(409);
    expect((await post(`/v1/tasks/${task.taskId}/assign`, provider.token, { principalId: outsider.id })).statusCode).toBe(422);
    const handed = await post(`/v1/tasks/${task.taskId}/assign`, provider.token, { principalId: provider2.id });
    expect(handed.statusCode, handed.body).toBe(200);
    expect((await inboxOf(provider2, '&claim=mine')).map((t) => t.caseId)).toContain(c.caseId);
    expect((await post(`/v1/tasks/${task.taskId}/release`, provider.token)).statusCode).toBe(409);
    expect((await post(`/v1/tasks/${task.taskId}/release`, provider2.token)).statusCode).toBe(200);
    const done = await post(`/v1/tasks/${task.taskId}/decision`, provider.token, { action: 'approve' });
    expect(done.statusCode).toBe(200);
  });

  it('grants, then ends the grant when the requester confirms disposal (cm-draft:19)', async () => {
    const c = await request('conditional');
    const task = (await taskOf(provider, c.caseId))!;
    expect((await post(`/v1/cases/${c.caseId}/dispose`, requester.token, {})).statusCode).toBe(409);
    await post(`/v1/tasks/${task.taskId}/decision`, provider.token, { action: 'approve' });
    const res = await post(`/v1/cases/${c.caseId}/dispose`, requester.token, { method: '删除', note: '任务完成' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('disposed');
    expect(res.json().grants[0].status).toBe('revoked');
    expect(res.json().history.at(-1)).toMatchObject({ event: 'data_disposed', citation: 'cm-draft:19' });
  });
});

describe('the inbox', () => {
  it('pages soonest due first, without gaps or repeats', async () => {
    for (let i = 0; i < 3; i++) await request('conditional');
    const all = await inboxOf(provider);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { taskId: string }[]; nextCursor: string | null } = (await h.call('GET', `/v1/inbox?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: provider.token })).json();
      seen.push(...page.items.map((t: { taskId: string }) => t.taskId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((t) => t.taskId));
    expect(new Set(seen).size).toBe(seen.length);
    const due = all.map((t) => String(t.dueAt));
    expect(due).toEqual([...due].sort());
    expect((await h.call('GET', '/v1/inbox?cursor=bogus', { token: provider.token })).statusCode).toBe(400);
  });
});

describe('other branches of P1', () => {
  it('not-shared data may be provided desensitised (js-2020:19¶3)', async () => {
    const c = await request('none');
    const task = (await taskOf(provider, c.caseId))!;
    expect(task.kind).toBe('not_shared_review');
    const res = await post(`/v1/tasks/${task.taskId}/decision`, provider.token, { action: 'provide_desensitised' });
    expect(res.json()).toMatchObject({ status: 'granted', outcome: { basis: 'desensitised', citation: 'js-2020:19' } });
    expect(res.json().grants[0].scope.desensitised).toBe(true);
  });

  it('copy mode needs the competent department’s consent first (js-2020:20)', async () => {
    const c = await request('conditional', { accessMode: 'copy' });
    expect(c.status).toBe('pending_consent');
    const consent = (await taskOf(competent, c.caseId))!;
    expect(consent).toMatchObject({ kind: 'copy_consent', assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou' } });
    expect(await taskOf(sipCompetent, c.caseId)).toBeUndefined();
    const res = await post(`/v1/tasks/${consent.taskId}/decision`, competent.token, { action: 'consent' });
    expect(res.json().status).toBe('pending_review');
    const review = (await taskOf(provider, c.caseId))!;
    const granted = await post(`/v1/tasks/${review.taskId}/decision`, provider.token, { action: 'approve' });
    expect(granted.json()).toMatchObject({ status: 'granted', outcome: { basis: 'approved' } });
    expect(granted.json().grants[0].mode).toBe('copy');
  });

  it('in Suzhou Industrial Park the competent department reviews with the provider (sip-2021:24)', async () => {
    const c = await request('conditional', {}, sipProvider);
    const task = (await taskOf(sipCompetent, c.caseId))!;
    expect(task).toMatchObject({ kind: 'joint_review', citation: 'sip-2021:24' });
    const res = await post(`/v1/tasks/${task.taskId}/decision`, sipCompetent.token, { action: 'approve' });
    expect(res.json().history.map((e: { event: string }) => e.event)).toContain('share_request_recorded');
  });
});

describe('cases received through other channels', () => {
  const registration = (receivedAt: string) => ({ requesterAgencyId: requester.agencyId, receivedAt, channel: 'paper' });

  it('count from the real day of receipt: a review period already past deems consent at once', async () => {
    const ds = await dataset(h, providerAgency, 'conditional');
    const res = await post('/v1/share-requests', operations.token, shareBody(ds, { registration: registration('2026-09-30T10:00:00+08:00') }));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.receivedAt).toBe('2026-09-30T02:00:00.000Z');
    expect(c.parties.requesterAgencyId).toBe(requester.agencyId);
    // Received 2026-09-30: 5 working days end 2026-10-13 (PROCESSES.md), long past today.
    let final = c;
    for (let i = 0; i < 50 && final.status !== 'granted'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      final = (await h.call('GET', `/v1/cases/${c.caseId}`, { token: requester.token })).json();
    }
    expect(final).toMatchObject({ status: 'granted', outcome: { basis: 'deemed_consent', citation: 'js-2020:21' } });
    expect(final.deadlines[0]).toMatchObject({ dueDate: '2026-10-13', dueAt: '2026-10-13T16:00:00.000Z', state: 'missed' });
    expect(final.history[0]).toMatchObject({ event: 'share_request_registered', actor: operations.id });
  });

  it('escalate a missed deadline that decides nothing: supervision task, case overdue', async () => {
    const ds = await dataset(h, providerAgency, 'none');
    const c = (await post('/v1/share-requests', operations.token, shareBody(ds, { registration: registration('2026-10-09T09:00:00+08:00') }))).json();
    let supervision;
    for (let i = 0; i < 50 && !supervision; i++) {
      await new Promise((r) => setTimeout(r, 100));
      supervision = await taskOf(competent, c.caseId);
    }
    expect(supervision).toMatchObject({ kind: 'supervision', citation: 'js-2020:49' });
    const view = (await h.call('GET', `/v1/cases/${c.caseId}`, { token: competent.token })).json();
    expect(view).toMatchObject({ status: 'pending_review', overdue: true });
    expect(view.deadlines[0].state).toBe('missed');
    const late = (await taskOf(provider, c.caseId))!;
    expect(late).toMatchObject({ overdue: true, escalated: true });
    expect((await inboxOf(provider, '&overdue=true')).map((t) => t.taskId)).toContain(late.taskId);
    expect((await inboxOf(provider, '&overdue=false')).map((t) => t.taskId)).not.toContain(late.taskId);
    expect((await inboxOf(provider, '&caseType=share-demand')).map((t) => t.taskId)).not.toContain(late.taskId);
    const res = await post(`/v1/tasks/${late.taskId}/decision`, provider.token, { action: 'refuse', legalBasis: '《个人信息保护法》第十三条' });
    expect(res.json().status).toBe('rejected');
    expect(await taskOf(competent, c.caseId)).toBeUndefined();
  });

  it('refuses a registration dated in the future or by someone other than operations', async () => {
    const ds = await dataset(h, providerAgency, 'conditional');
    const future = await post('/v1/share-requests', operations.token, shareBody(ds, { registration: registration('2099-01-01T00:00:00Z') }));
    expect(future.statusCode).toBe(422);
    expect(future.json().error.code).toBe('received_in_future');
    const notOps = await post('/v1/share-requests', requester.token, shareBody(ds, { registration: registration('2026-10-09T09:00:00+08:00') }));
    expect(notOps.statusCode).toBe(403);
  });
});
