// P10 third-party authorisation filing on real servers: a provider files an authorisation of its
// own data (least scope, sip-2021:34); the competent department of its jurisdiction files it or
// returns it (the provider resubmits); the provider, or the department with a reason, revokes it;
// under cm-draft:31 (Chongming) the filing carries a security review and the agreement's digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';
import { creditCodeCheck } from '../../src/domain/third-party-authorisation';

let h: Harness;
let prov: string;
let provider: Actor;
let otherProvider: Actor;
let competent: Actor;
let cityCompetent: Actor;
let requester: Actor;
let cmProvider: Actor;
let cmCompetent: Actor;
let cmDataset: string;

beforeAll(async () => {
  h = await startHarness();
  prov = await agency(h, 'tp-sip-planning', 'suzhou-sip');
  provider = await principal(h, ['provider'], prov);
  otherProvider = await principal(h, ['provider'], await agency(h, 'tp-sip-transport', 'suzhou-sip'));
  competent = await principal(h, ['competent'], await agency(h, 'tp-sip-bureau', 'suzhou-sip'));
  cityCompetent = await principal(h, ['competent'], await agency(h, 'tp-sz-bureau', 'suzhou'));
  requester = await principal(h, ['requester'], await agency(h, 'tp-sip-market', 'suzhou-sip'));
  const cm = await agency(h, 'tp-cm-water', 'shanghai-chongming');
  cmProvider = await principal(h, ['provider'], cm);
  cmCompetent = await principal(h, ['competent'], await agency(h, 'tp-cm-bureau', 'shanghai-chongming'));
  cmDataset = await dataset(h, cm, 'conditional');
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
const post = (url: string, a: Actor, body?: unknown) => h.call('POST', url, { token: a.token, body: body ?? {} });
const taskOf = async (a: Actor, caseId: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).find((t) => t.caseId === caseId);
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10); // Asia/Shanghai
const creditCode = `91320594MA1P7Q8R0${creditCodeCheck('91320594MA1P7Q8R0')}`; // 17 characters and their check character
const sha = 'ab'.repeat(32);

async function body(extra: Record<string, unknown> = {}) {
  return {
    thirdParty: { name: '园区数据服务有限公司', creditCode },
    purpose: '规划数据清洗与建库',
    datasetIds: [await dataset(h, prov, 'conditional')],
    scope: '仅限清洗、脱敏、建库，不得留存副本',
    from: day(0),
    until: day(365),
    ...extra,
  };
}
async function file(a: Actor = provider, b?: Record<string, unknown>) {
  const res = await post('/v1/third-party-authorisations', a, b ?? (await body()));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('POST /v1/third-party-authorisations', () => {
  it('opens a filing task for the competent department of the provider’s jurisdiction (sip-2021:34), 5 working days by the setting', async () => {
    const b = await body();
    const c = await file(provider, b);
    expect(c).toMatchObject({ type: 'third-party-authorisation', status: 'pending_filing', jurisdiction: 'suzhou-sip', parties: { providerAgencyId: prov }, policy: { id: 'sip-2021' } });
    expect(c.request).toMatchObject({ thirdParty: b.thirdParty, datasetIds: b.datasetIds, from: b.from, until: b.until });
    expect(c.deadlines[0]).toMatchObject({ key: 'filing', workingDays: 5, citation: 'sip-2021:34', state: 'running' });
    expect(c.history[0]).toMatchObject({ event: 'authorisation_submitted', actor: provider.id, citation: 'sip-2021:34' });
    const t = (await taskOf(competent, c.caseId))!;
    expect(t).toMatchObject({ kind: 'filing', actions: ['file', 'return'], requiredFields: { return: ['issues'] }, citation: 'sip-2021:34', assignee: { role: 'competent', jurisdiction: 'suzhou-sip' } });
    expect((t.forms as Record<string, { properties: Record<string, unknown> }>).return.properties.issues).toMatchObject({ type: 'array' });
    // The city's department sees the park's case but does not file it.
    expect(await taskOf(cityCompetent, c.caseId)).toBeUndefined();
    const settings = (await h.call('GET', '/v1/policies/settings', { token: provider.token })).json();
    expect(JSON.stringify(settings)).toContain('third-party-authorisation.filing.workingDays');
    const expected = (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(c.receivedAt)}&workingDays=5`)).json();
    expect(c.deadlines[0]).toMatchObject({ dueDate: expected.dueDate, dueAt: expected.dueAt });
  });

  it('is the provider’s: other roles are refused (403), and so is an administrator, who holds no data', async () => {
    const b = await body();
    for (const a of [competent, requester]) expect((await post('/v1/third-party-authorisations', a, b)).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/third-party-authorisations', { token: h.adminToken, body: b })).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/third-party-authorisations', { body: b })).statusCode).toBe(401);
  });

  it('authorises only the provider’s own catalog data (least scope, sip-2021:34)', async () => {
    const theirs = await dataset(h, otherProvider.agencyId!, 'conditional');
    const own = await dataset(h, prov, 'conditional');
    const notMine = await post('/v1/third-party-authorisations', provider, await body({ datasetIds: [own, theirs] }));
    expect(notMine.statusCode).toBe(422);
    expect(notMine.json().error).toMatchObject({ code: 'not_provider_dataset', details: [{ field: 'datasetIds[1]', code: 'not_provider_dataset' }] });
    expect(notMine.json().error.message).toContain('sip-2021:34');
    const unknown = await post('/v1/third-party-authorisations', provider, await body({ datasetIds: ['no-such-dataset'] }));
    expect(unknown.json().error).toMatchObject({ code: 'unknown_dataset', details: [{ field: 'datasetIds[0]' }] });
  });

  it('refuses a period that ends before it starts or before today, a bad credit code or digest, and malformed bodies', async () => {
    const cases: [Record<string, unknown>, number, string?][] = [
      [{ from: day(10), until: day(5) }, 422, 'invalid_period'],
      [{ from: day(-30), until: day(-1) }, 422, 'invalid_period'],
      [{ until: '2027-02-30' }, 422, 'invalid_period'],
      [{ thirdParty: { name: '某公司', creditCode: '91350100M000100Y44' } }, 422, 'invalid_credit_code'],
      [{ thirdParty: { name: '某公司', creditCode: 'not-a-code' } }, 422, 'invalid_credit_code'],
      [{ confidentialityAgreementSha256: 'xyz' }, 422, 'invalid_digest'],
      [{ securityReview: { conclusion: '通过', reviewedAt: day(3) } }, 422, 'invalid_reviewed_at'],
      [{ purpose: '  ' }, 422, 'missing_field'],
      [{ datasetIds: [] }, 400],
      [{ datasetIds: ['ds-x', 'ds-x'] }, 422, 'duplicate_dataset'],
      [{ colour: 'red' }, 400],
      [{ until: '2027/12/31' }, 400],
    ];
    for (const [extra, status, code] of cases) {
      const res = await post('/v1/third-party-authorisations', provider, await body(extra));
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      if (code) expect(res.json().error.code, JSON.stringify(extra)).toBe(code);
    }
    // A one-day authorisation, and one that began before it is filed, are fine.
    await file(provider, await body({ from: day(-10), until: day(0) }));
  });

  it('has no rule where no text provides a filing (Suzhou city: js-2020 and sz-open-2023 are silent)', async () => {
    const city = await agency(h, 'tp-sz-tax', 'suzhou');
    const cityProvider = await principal(h, ['provider'], city);
    const res = await post('/v1/third-party-authorisations', cityProvider, await body({ datasetIds: [await dataset(h, city, 'conditional')] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('no_rule_in_force');
  });
});

describe('under cm-draft (Chongming): security review and confidentiality agreement (cm-draft:31)', () => {
  it('refuses a filing without them (422, naming each field) and files one with them', async () => {
    const b = await body({ datasetIds: [cmDataset] });
    const bare = await post('/v1/third-party-authorisations', cmProvider, b);
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.code).toBe('invalid_request_body');
    expect(bare.json().error.details.map((d: { field: string; code: string }) => [d.field, d.code])).toEqual([
      ['securityReview', 'security_review_required'],
      ['confidentialityAgreementSha256', 'confidentiality_agreement_required'],
    ]);
    expect(bare.json().error.message).toContain('cm-draft:31');
    const noDigest = await post('/v1/third-party-authorisations', cmProvider, { ...b, securityReview: { conclusion: '审查通过', reviewedAt: day(-1) } });
    expect(noDigest.json().error).toMatchObject({ code: 'confidentiality_agreement_required', details: [{ field: 'confidentialityAgreementSha256' }] });

    const c = await file(cmProvider, { ...b, securityReview: { conclusion: '审查通过', reviewedAt: day(-1) }, confidentialityAgreementSha256: sha });
    expect(c).toMatchObject({ status: 'pending_filing', jurisdiction: 'shanghai-chongming', policy: { id: 'cm-draft' } });
    expect(c.history.map((e: { event: string; citation: string }) => [e.event, e.citation])).toContainEqual(['security_review_recorded', 'cm-draft:31']);
    const filed = await decide((await taskOf(cmCompetent, c.caseId))!, cmCompetent, { action: 'file' });
    expect(filed.json()).toMatchObject({ status: 'filed', outcome: { basis: 'filed', citation: 'cm-draft:31' } });
  });

  it('does not ask for them in the park (sip-2021 has no such rule)', async () => {
    const c = await file();
    expect(c.history.map((e: { event: string }) => e.event)).not.toContain('security_review_recorded');
  });
});

describe('filed, returned and resubmitted, revoked', () => {
  it('filed: active until 24:00 Shanghai of `until`', async () => {
    const b = await body();
    const c = await file(provider, b);
    const t = (await taskOf(competent, c.caseId))!;
    expect((await decide(t, provider, { action: 'file' })).statusCode).toBe(403);
    expect((await decide(t, cityCompetent, { action: 'file' })).statusCode).toBe(403);
    const res = await decide(t, competent, { action: 'file', note: '已备案' });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    const validTo = new Date(Date.parse(`${b.until}T00:00:00+08:00`) + 86_400_000).toISOString();
    expect(v).toMatchObject({ status: 'filed', outcome: { basis: 'filed', citation: 'sip-2021:34', validTo } });
    expect(v.deadlines[0].state).toBe('met');
    expect(v.history.map((e: { event: string }) => e.event)).toContain('authorisation_filed');
    expect(v.history.filter((e: { citation: string | null }) => !e.citation)).toEqual([]);
    // Listed by its type; resubmitting a filed one is a conflict.
    const list = (await h.call('GET', '/v1/cases?caseType=third-party-authorisation&limit=200', { token: provider.token })).json();
    expect(list.items.map((x: { caseId: string }) => x.caseId)).toContain(c.caseId);
    expect((await post(`/v1/cases/${c.caseId}/resubmit`, provider, {})).statusCode).toBe(409);
  });

  it('returned with issues; the provider resubmits (datasets only left out) and it is filed', async () => {
    const [a, b2] = [await dataset(h, prov, 'conditional'), await dataset(h, prov, 'none')];
    const c = await file(provider, await body({ datasetIds: [a, b2] }));
    const t = (await taskOf(competent, c.caseId))!;
    expect((await decide(t, competent, { action: 'return' })).json().error.code).toBe('missing_fields');
    expect((await decide(t, competent, { action: 'return', issues: '范围过宽' })).json().error.code).toBe('invalid_decision_fields');
    const returned = await decide(t, competent, { action: 'return', issues: ['授权范围过宽：非共享类数据不宜授权', '未写明数据销毁方式'] });
    expect(returned.json()).toMatchObject({ status: 'returned', outcome: { basis: 'returned', issues: ['授权范围过宽：非共享类数据不宜授权', '未写明数据销毁方式'] } });
    expect(await taskOf(competent, c.caseId)).toBeUndefined();

    expect((await post(`/v1/cases/${c.caseId}/resubmit`, competent, {})).statusCode).toBe(403);
    const widened = await post(`/v1/cases/${c.caseId}/resubmit`, provider, { datasetIds: [a, await dataset(h, prov, 'conditional')] });
    expect(widened.statusCode).toBe(422);
    expect(widened.json().error.code).toBe('datasets_added');
    const late = await post(`/v1/cases/${c.caseId}/resubmit`, provider, { until: day(-1) });
    expect(late.json().error.code).toBe('invalid_period');

    const again = await post(`/v1/cases/${c.caseId}/resubmit`, provider, { datasetIds: [a], scope: '仅清洗、脱敏，任务结束后 30 日内销毁', note: '已按意见修改' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'pending_filing', request: { datasetIds: [a], scope: '仅清洗、脱敏，任务结束后 30 日内销毁' } });
    expect(again.json().deadlines).toHaveLength(2);
    const entry = again.json().history.find((e: { event: string }) => e.event === 'authorisation_resubmitted');
    expect(entry).toMatchObject({ actor: provider.id, detail: { round: 2, changed: ['datasetIds', 'scope'] }, citation: 'sip-2021:34' });
    const filed = await decide((await taskOf(competent, c.caseId))!, competent, { action: 'file' });
    expect(filed.json()).toMatchObject({ status: 'filed', outcome: { round: 2 } });
  });

  it('revoked by the provider, before or after filing', async () => {
    const pending = await file();
    const r1 = await post(`/v1/cases/${pending.caseId}/revoke`, provider);
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ status: 'revoked', outcome: { basis: 'revoked', by: 'provider', stage: 'pending_filing' } });
    expect(await taskOf(competent, pending.caseId)).toBeUndefined();
    expect(r1.json().deadlines[0].state).toBe('cancelled');

    const c = await file();
    await decide((await taskOf(competent, c.caseId))!, competent, { action: 'file' });
    const r2 = await post(`/v1/cases/${c.caseId}/revoke`, provider, { reason: '项目提前结束' });
    expect(r2.json()).toMatchObject({ status: 'revoked', outcome: { by: 'provider', reason: '项目提前结束', stage: 'filed' } });
    const entry = r2.json().history.find((e: { event: string }) => e.event === 'authorisation_revoked');
    expect(entry).toMatchObject({ actor: provider.id, citation: 'sip-2021:34' });
    expect((await post(`/v1/cases/${c.caseId}/revoke`, provider)).statusCode).toBe(409);
  });

  it('revoked by the competent department, with a reason, once filed', async () => {
    const c = await file();
    expect((await post(`/v1/cases/${c.caseId}/revoke`, competent, { reason: '尚未备案' })).statusCode).toBe(409);
    await decide((await taskOf(competent, c.caseId))!, competent, { action: 'file' });
    const noReason = await post(`/v1/cases/${c.caseId}/revoke`, competent, {});
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.code).toBe('missing_fields');
    // Neither another agency's provider, nor a department of another jurisdiction, nor a requester.
    expect((await post(`/v1/cases/${c.caseId}/revoke`, otherProvider)).statusCode).toBe(404);
    expect((await post(`/v1/cases/${c.caseId}/revoke`, cityCompetent, { reason: 'x' })).statusCode).toBe(403);
    const r = await post(`/v1/cases/${c.caseId}/revoke`, competent, { reason: '第三方超越授权范围处理数据' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'revoked', outcome: { basis: 'revoked', by: 'competent', reason: '第三方超越授权范围处理数据' } });
    expect(r.json().history.at(-1)).toMatchObject({ event: 'authorisation_revoked', actor: competent.id, detail: { by: 'competent' } });
    const audit = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    expect(audit.ok).toBe(true);
  });

  it('takes no other case action', async () => {
    const c = await file();
    const res = await post(`/v1/cases/${c.caseId}/withdraw`, provider);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('action_not_offered');
  });
});
