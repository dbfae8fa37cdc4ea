// P2 share demand 需求响应 (js-2020:22) on real servers: the reply within 5 working days, delivery
// within 10 working days of the reply, refusal with legal basis, withdrawal, escalation of a reply
// already overdue when the demand is registered, and what POST refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let provider2: Actor;
let competent: Actor;
let taizhouCompetent: Actor;
let operations: Actor;
let outsider: Actor;
let providerAgency: string;
let shanghaiAgency: string;

beforeAll(async () => {
  h = await startHarness();
  const requesterAgency = await agency(h, 'sz-public-security', 'suzhou');
  providerAgency = await agency(h, 'sz-housing', 'suzhou');
  shanghaiAgency = await agency(h, 'sh-housing', 'shanghai');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency, '张三');
  provider2 = await principal(h, ['provider'], providerAgency, '赵六');
  competent = await principal(h, ['competent'], await agency(h, 'sz-data-bureau', 'suzhou'));
  taizhouCompetent = await principal(h, ['competent'], await agency(h, 'tz-data-bureau', 'taizhou'));
  operations = await principal(h, ['operations'], await agency(h, 'sz-data-centre', 'suzhou'));
  outsider = await principal(h, ['provider'], await agency(h, 'tz-other', 'taizhou'));
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
type Entry = { at: string; actor: string; event: string; detail: Record<string, unknown> };

const post = (url: string, token: string, body?: unknown, headers?: Record<string, string>) => h.call('POST', url, { token, body: body ?? {}, headers });
const caseOf = async (caseId: string, a: Actor = requester) => (await h.call('GET', `/v1/cases/${caseId}`, { token: a.token })).json();
const inboxOf = async (a: Actor) => (await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[];
const taskOf = async (a: Actor, caseId: string) => (await inboxOf(a)).find((t) => t.caseId === caseId);
const decide = (task: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${task.taskId}/decision`, a.token, body);
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();

const demandBody = (extra: Record<string, unknown> = {}) => ({
  providerAgencyId: providerAgency,
  description: '全市房屋租赁登记备案信息（含承租人身份证号、租赁地址）',
  purpose: '流动人口居住登记核验',
  legalDuty: '《居住证暂行条例》第九条 居住登记',
  ...extra,
});

async function demand(extra: Record<string, unknown> = {}) {
  const res = await post('/v1/share-demands', requester.token, demandBody(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function poll<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

describe('a share demand: reply within 5 working days, delivery within 10 of the reply (js-2020:22)', () => {
  it('is received pending the provider’s reply, with the statutory deadline, in the provider agency’s inbox only', async () => {
    const c = await demand();
    expect(c.caseId).toMatch(/^share-demand-/);
    expect(c).toMatchObject({
      type: 'share-demand',
      status: 'pending_response',
      jurisdiction: 'suzhou',
      policy: { id: 'js-2020' },
      parties: { requesterAgencyId: requester.agencyId, providerAgencyId: providerAgency },
      datasetId: null,
      outcome: null,
      overdue: false,
    });
    const [d] = c.deadlines;
    expect(d).toMatchObject({ key: 'provider_response', workingDays: 5, citation: 'js-2020:22', state: 'running' });
    const expected = await deadlineFor(c.receivedAt, 5);
    expect(d.dueDate).toBe(expected.dueDate);
    expect(d.dueAt).toBe(expected.dueAt);
    expect(c.history[0]).toMatchObject({ event: 'share_demand_submitted', actor: requester.id, citation: 'js-2020:22' });

    const task = await taskOf(provider, c.caseId);
    expect(task).toMatchObject({ kind: 'provider_response', actions: ['agree', 'refuse'], dueAt: d.dueAt, citation: 'js-2020:22', overdue: false });
    expect(await taskOf(requester, c.caseId)).toBeUndefined();
    expect(await taskOf(outsider, c.caseId)).toBeUndefined();
  });

  it('agreed: delivery is due 10 working days from the reply; delivering names the dataset and grants the requester access', async () => {
    const c = await demand();
    const reply = (await taskOf(provider, c.caseId))!;
    const agreed = await decide(reply, provider, { action: 'agree', note: '两周内汇聚上线' });
    expect(agreed.statusCode, agreed.body).toBe(200);
    const pending = agreed.json();
    expect(pending.status).toBe('pending_delivery');
    expect(pending.deadlines.map((d: { key: string; state: string }) => [d.key, d.state])).toEqual([
      ['provider_response', 'met'],
      ['delivery', 'running'],
    ]);
    const decided = (pending.history as Entry[]).find((e) => e.event === 'task_decided')!;
    expect(decided).toMatchObject({ actor: provider.id, detail: { taskId: reply.taskId, action: 'agree' } });
    expect((pending.history as Entry[]).find((e) => e.event === 'share_demand_agreed')!.detail.replyAt).toBe(decided.at);
    const due = pending.deadlines[1];
    const expected = await deadlineFor(decided.at, 10);
    expect(due).toMatchObject({ workingDays: 10, citation: 'js-2020:22', dueDate: expected.dueDate, dueAt: expected.dueAt });

    const delivery = (await taskOf(provider, c.caseId))!;
    expect(delivery).toMatchObject({ kind: 'delivery', actions: ['deliver'], dueAt: due.dueAt });
    const noDataset = await decide(delivery, provider, { action: 'deliver' });
    expect(noDataset.statusCode).toBe(422);
    expect(noDataset.json().error).toMatchObject({ code: 'missing_fields', details: { missing: ['datasetId'] } });

    const unknown = await decide(delivery, provider, { action: 'deliver', datasetId: 'no-such-dataset' });
    expect(unknown.json().error.code).toBe('unknown_dataset');
    const foreign = await decide(delivery, provider, { action: 'deliver', datasetId: await dataset(h, shanghaiAgency, 'conditional') });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('not_provider_dataset');

    const ds = await dataset(h, providerAgency, 'conditional');
    const res = await decide(delivery, provider, { action: 'deliver', datasetId: ds });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json();
    expect(done).toMatchObject({ status: 'delivered', outcome: { basis: 'delivered', datasetId: ds, citation: 'js-2020:22' } });
    expect(done.deadlines[1].state).toBe('met');
    expect(done.grants).toHaveLength(1);
    expect(done.grants[0]).toMatchObject({
      id: `grant-${c.caseId}`,
      datasetId: ds,
      granteeAgencyId: requester.agencyId,
      mode: 'api',
      basis: 'delivered',
      citation: 'js-2020:22',
      status: 'active',
    });
    expect(done.history.at(-1)).toMatchObject({ event: 'access_granted', citation: 'js-2020:22' });
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
    expect((await decide(delivery, provider, { action: 'deliver', datasetId: ds })).statusCode).toBe(409);
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, requester.token)).statusCode).toBe(409);
  });

  it('a refusal needs its legal basis; with one the demand is rejected and nothing is granted', async () => {
    const c = await demand();
    const task = (await taskOf(provider, c.caseId))!;
    const noBasis = await decide(task, provider, { action: 'refuse', reason: '数据涉及个人隐私' });
    expect(noBasis.statusCode).toBe(422);
    expect(noBasis.json().error.code).toBe('legal_basis_required');
    expect((await caseOf(c.caseId)).history.map((e: Entry) => e.event)).not.toContain('task_decided');

    const res = await decide(task, provider, { action: 'refuse', legalBasis: '《个人信息保护法》第十三条', reason: '超出履职所必需的范围' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'rejected',
      outcome: { basis: 'refused', legalBasis: '《个人信息保护法》第十三条', citation: 'js-2020:22' },
      grants: [],
    });
    expect(res.json().deadlines[0].state).toBe('met');
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
  });

  it('only the provider agency replies, and only once', async () => {
    const c = await demand();
    const task = (await taskOf(provider, c.caseId))!;
    const byRequester = await decide(task, requester, { action: 'agree' });
    expect(byRequester.statusCode).toBe(403);
    expect(byRequester.json().error.code).toBe('not_assignee');
    expect((await decide(task, outsider, { action: 'agree' })).statusCode).toBe(404);
    expect((await decide(task, provider, { action: 'deliver', datasetId: 'x' })).statusCode).toBe(422);
    expect((await decide(task, provider, { action: 'agree' })).statusCode).toBe(200);
    const second = await decide(task, provider2, { action: 'refuse', legalBasis: '《数据安全法》第三十八条' });
    expect(second.statusCode).toBe(409);
    expect((await caseOf(c.caseId)).status).toBe('pending_delivery');
  });
});

describe('withdrawal by the requester', () => {
  it('while the reply is pending: the task closes, the deadline is cancelled, later decisions conflict', async () => {
    const c = await demand();
    const task = (await taskOf(provider, c.caseId))!;
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, provider.token)).statusCode).toBe(403);
    expect((await post(`/v1/cases/${c.caseId}/dispose`, requester.token)).statusCode).toBe(422);
    const res = await post(`/v1/cases/${c.caseId}/withdraw`, requester.token, { reason: '已通过其他渠道获取' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', outcome: { basis: 'withdrawn', citation: 'js-2020:22' } });
    expect(res.json().deadlines[0].state).toBe('cancelled');
    expect(res.json().history.at(-1)).toMatchObject({ event: 'share_demand_withdrawn', actor: requester.id, detail: { stage: 'pending_response' } });
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
    expect((await decide(task, provider, { action: 'agree' })).statusCode).toBe(409);
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, requester.token)).statusCode).toBe(409);
  });

  it('while delivery is pending: the delivery task closes and no access is granted', async () => {
    const c = await demand();
    await decide((await taskOf(provider, c.caseId))!, provider, { action: 'agree' });
    const delivery = (await taskOf(provider, c.caseId))!;
    expect(delivery.kind).toBe('delivery');
    const res = await post(`/v1/cases/${c.caseId}/withdraw`, requester.token, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', grants: [] });
    expect(res.json().deadlines.map((d: { state: string }) => d.state)).toEqual(['met', 'cancelled']);
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
    const ds = await dataset(h, providerAgency, 'conditional');
    expect((await decide(delivery, provider, { action: 'deliver', datasetId: ds })).statusCode).toBe(409);
  });
});

describe('what POST /v1/share-demands refuses', () => {
  it('malformed bodies: 400', async () => {
    for (const body of [
      { ...demandBody(), description: undefined },
      { ...demandBody(), purpose: '' },
      { ...demandBody(), providerAgencyId: 'no spaces allowed' },
      { ...demandBody(), legalDuty: { text: '履职' } },
    ]) {
      const res = await post('/v1/share-demands', requester.token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBeTypeOf('string');
    }
  });

  it('who may demand: a requester of an agency (403 otherwise)', async () => {
    expect((await post('/v1/share-demands', provider.token, demandBody())).statusCode).toBe(403);
    expect((await post('/v1/share-demands', competent.token, demandBody())).statusCode).toBe(403);
    expect((await post('/v1/share-demands', h.adminToken, demandBody())).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/share-demands', { body: demandBody() })).statusCode).toBe(401);
  });

  it('an unknown provider, the requester’s own agency, or a provider no policy covers: 422', async () => {
    const unknown = await post('/v1/share-demands', requester.token, demandBody({ providerAgencyId: `nobody-${h.tag}` }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('unknown_agency');
    const own = await post('/v1/share-demands', requester.token, demandBody({ providerAgencyId: requester.agencyId }));
    expect(own.statusCode).toBe(422);
    expect(own.json().error.code).toBe('provider_is_requester');
    const shanghai = await post('/v1/share-demands', requester.token, demandBody({ providerAgencyId: shanghaiAgency }));
    expect(shanghai.statusCode).toBe(422);
    expect(shanghai.json().error.code).toBe('no_rule_in_force');
  });

  it('an Idempotency-Key returns the same case for the same body, and refuses another body', async () => {
    const key = { 'idempotency-key': `demand-${h.tag}` };
    const first = await post('/v1/share-demands', requester.token, demandBody(), key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('/v1/share-demands', requester.token, demandBody(), key);
    expect(again.statusCode).toBe(200);
    expect(again.json().caseId).toBe(first.json().caseId);
    const other = await post('/v1/share-demands', requester.token, demandBody({ purpose: '另一用途' }), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });
});

describe('demands received through other channels', () => {
  const registration = (receivedAt: string, requesterAgencyId = requester.agencyId) => ({ requesterAgencyId, receivedAt, channel: 'paper' });

  it('a reply already overdue escalates at once to the competent department; a late agreement still proceeds', async () => {
    const res = await post('/v1/share-demands', operations.token, demandBody({ registration: registration('2026-10-09T09:00:00+08:00') }));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ receivedAt: '2026-10-09T01:00:00.000Z', parties: { requesterAgencyId: requester.agencyId } });
    expect(c.history[0]).toMatchObject({ event: 'share_demand_registered', actor: operations.id });

    const supervision = await poll(() => taskOf(competent, c.caseId));
    expect(supervision).toMatchObject({ kind: 'supervision', citation: 'js-2020:49', assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou' } });
    expect(await taskOf(taizhouCompetent, c.caseId)).toBeUndefined();
    const view = await caseOf(c.caseId, competent);
    const expected = await deadlineFor(c.receivedAt, 5);
    expect(view).toMatchObject({ status: 'pending_response', overdue: true });
    expect(view.deadlines[0]).toMatchObject({ key: 'provider_response', dueDate: expected.dueDate, state: 'missed' });
    expect(view.history.map((e: Entry) => e.event)).toEqual(expect.arrayContaining(['deadline_missed', 'escalated']));

    const late = (await taskOf(provider, c.caseId))!;
    expect(late).toMatchObject({ kind: 'provider_response', overdue: true, escalated: true });
    const agreed = await decide(late, provider, { action: 'agree' });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json().status).toBe('pending_delivery');
    expect(agreed.json().deadlines.map((d: { key: string; state: string }) => [d.key, d.state])).toEqual([
      ['provider_response', 'missed'],
      ['delivery', 'running'],
    ]);
    expect(await taskOf(competent, c.caseId)).toBeUndefined(); // the supervision ends with the reply
    expect(await taskOf(provider, c.caseId)).toMatchObject({ kind: 'delivery', overdue: false });
  });

  it('refuses a registration dated in the future, by someone other than operations, or naming the provider as requester', async () => {
    const future = await post('/v1/share-demands', operations.token, demandBody({ registration: registration('2099-01-01T00:00:00Z') }));
    expect(future.statusCode).toBe(422);
    expect(future.json().error.code).toBe('received_in_future');
    const noOffset = await post('/v1/share-demands', operations.token, demandBody({ registration: registration('2026-10-09T09:00:00') }));
    expect(noOffset.statusCode).toBe(422);
    const byRequester = await post('/v1/share-demands', requester.token, demandBody({ registration: registration('2026-10-09T09:00:00+08:00') }));
    expect(byRequester.statusCode).toBe(403);
    const self = await post('/v1/share-demands', operations.token, demandBody({ registration: registration('2026-10-09T09:00:00+08:00', providerAgency) }));
    expect(self.statusCode).toBe(422);
    expect(self.json().error.code).toBe('provider_is_requester');
  });
});
