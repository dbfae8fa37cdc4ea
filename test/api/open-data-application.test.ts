// P3 open-data application on real servers: what POST refuses, the expired-policy rule (today a
// Suzhou application is governed by js-2020:27), acceptance with 一次性告知 and 补正 while
// sz-open-2023 is extended, review, the data-use agreement and its signatures, access, result
// materials, restriction and closure after a breach.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let applicant: Actor;
let applicant2: Actor;
let agencyUser: Actor;
let provider: Actor;
let competent: Actor;
let operations: Actor;
let outsider: Actor;
let experts: Actor;
let providerAgency: string;

const SHIPPED_SZ_OPEN = { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' };

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'sz-transport', 'suzhou', '苏州市交通运输局');
  provider = await principal(h, ['provider'], providerAgency, '交通局数据专员');
  competent = await principal(h, ['competent'], await agency(h, 'sz-bigdata', 'suzhou', '苏州市大数据管理局'));
  operations = await principal(h, ['operations'], await agency(h, 'sz-info-centre', 'suzhou', '苏州市信息中心'));
  outsider = await principal(h, ['provider'], await agency(h, 'tz-roads', 'taizhou'));
  experts = await principal(h, ['expert_committee'], await agency(h, 'sz-open-experts', 'suzhou', '苏州市公共数据开放专家委员会'));
  applicant = await principal(h, ['data_user'], undefined, '苏州某科技有限公司');
  applicant2 = await principal(h, ['data_user'], undefined, '张三');
  agencyUser = await principal(h, ['data_user'], providerAgency, '交通局职员');
});

afterAll(async () => {
  if (h) await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: SHIPPED_SZ_OPEN });
  await h?.close();
});

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
type Entry = { at: string; actor: string; event: string; detail: Record<string, unknown>; citation: string | null };

const post = (url: string, token: string, body?: unknown, headers?: Record<string, string>) => h.call('POST', url, { token, body: body ?? {}, headers });
const get = (url: string, token: string) => h.call('GET', url, { token });
const caseOf = async (caseId: string, a: Actor = applicant) => (await get(`/v1/cases/${caseId}`, a.token)).json();
const taskOf = async (a: Actor, caseId: string) => ((await get('/v1/inbox?limit=200', a.token)).json().items as Task[]).find((t) => t.caseId === caseId);
const decide = (task: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${task.taskId}/decision`, a.token, body);
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const openDataset = (openClass: 'conditional' | 'unconditional' | 'none' = 'conditional') =>
  dataset(h, providerAgency, openClass === 'unconditional' ? 'unconditional' : 'conditional', { name: '公交刷卡客流（脱敏）', openClass, legalBasis: openClass === 'unconditional' ? undefined : '《苏州市数据条例》第三十二条' });

const applicationBody = (datasetId: string, extra: Record<string, unknown> = {}) => ({
  datasetId,
  title: '公交客流时空分布研究',
  reason: '优化社区接驳线路',
  deliveryType: 'api',
  usagePeriod: { start: today(), end: plusDays(today(), 90) },
  resultForm: '研究报告',
  scenario: '城市交通规划研究',
  commitment: true,
  ...extra,
});

async function apply(extra: Record<string, unknown> = {}, who: Actor = applicant) {
  const res = await post('/v1/open-data-applications', who.token, applicationBody(await openDataset(), extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('what an application must be (sz-open-2023:7, 19, 20)', () => {
  it('sends unconditional data to the platform, and refuses non-open data with its class and legal basis', async () => {
    const free = await post('/v1/open-data-applications', applicant.token, applicationBody(await openDataset('unconditional')));
    expectError(free, 422, 'no_application_needed');
    expect(free.json().error.message).toMatch(/no application is needed.*platform/);
    // Today sz-open-2023 has expired, so the province's text is cited (js-2020:26¶1).
    expect(free.json().error.details).toMatchObject({ openClass: 'unconditional', citation: 'js-2020:26' });
    const closed = await post('/v1/open-data-applications', applicant.token, applicationBody(await openDataset('none')));
    expectError(closed, 422, 'not_open');
    expect(closed.json().error.details).toMatchObject({ openClass: 'none', legalBasis: '《苏州市数据条例》第三十二条', citation: 'js-2020:25' });
    expect(closed.json().error.message).toContain('《苏州市数据条例》第三十二条');
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody('no-such-dataset')), 422, 'unknown_dataset');
    // Chongming's draft has no open-data procedure and Shanghai none in the registry: refused, not started.
    const shanghai = await dataset(h, await agency(h, 'cm-agri', 'shanghai-chongming'), 'conditional', { openClass: 'conditional' });
    const none = await post('/v1/open-data-applications', applicant.token, applicationBody(shanghai));
    expectError(none, 422, 'no_rule_in_force');
    expect(none.json().error.message).toContain('provider_review');
  });

  it('is made by a data user acting for no agency', async () => {
    const ds = await openDataset();
    expectError(await post('/v1/open-data-applications', agencyUser.token, applicationBody(ds)), 403, 'forbidden');
    expectError(await post('/v1/open-data-applications', provider.token, applicationBody(ds)), 403, 'forbidden');
    expectError(await h.call('POST', '/v1/open-data-applications', { body: applicationBody(ds) }), 401);
  });

  it('lists every defect at once, and refuses malformed input with 400', async () => {
    const ds = await openDataset();
    const bad = await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { commitment: false, title: '   ', usagePeriod: { start: plusDays(today(), 10), end: today() } }));
    expectError(bad, 422, 'invalid_application');
    const fields = (bad.json().error.details as { field: string; citation: string }[]).map((v) => v.field).sort();
    expect(fields).toEqual(['commitment', 'title', 'usagePeriod']);
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { usagePeriod: { start: '2020-01-01', end: '2020-02-01' } })), 422, 'usage_period_in_past');
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { commitment: false })), 422, 'commitment_required');
    const missing = await post('/v1/open-data-applications', applicant.token, { datasetId: ds, title: 't' });
    expectError(missing, 400, 'invalid_request');
    expect((missing.json().error.details as unknown[]).length).toBeGreaterThanOrEqual(6); // all at once
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { deliveryType: 'email' })), 400);
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { usagePeriod: { start: '2026-02-30', end: '2026-03-01' } })), 422);
    expectError(await post('/v1/open-data-applications', applicant.token, applicationBody(ds, { extra: 1 })), 400);
    const cases = (await get('/v1/cases?type=open-data-application&limit=200', applicant.token)).json().items as { datasetId: string }[];
    expect(cases.filter((c) => c.datasetId === ds)).toEqual([]); // nothing half-made
  });

  it('returns the same case for the same Idempotency-Key and body', async () => {
    const body = applicationBody(await openDataset());
    const key = { 'idempotency-key': `oda-${h.tag}-1` };
    const first = await post('/v1/open-data-applications', applicant.token, body, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('/v1/open-data-applications', applicant.token, body, key);
    expect(again.statusCode).toBe(200);
    expect(again.json().caseId).toBe(first.json().caseId);
    expectError(await post('/v1/open-data-applications', applicant.token, { ...body, title: 'other' }, key), 422, 'idempotency_key_reused');
  });
});

describe('today (sz-open-2023 expired on 2026-07-31): js-2020:27 governs a Suzhou application', () => {
  it('goes straight to the provider, with 15 working days to answer', async () => {
    const c = await apply();
    expect(c).toMatchObject({ type: 'open-data-application', status: 'pending_review', jurisdiction: 'suzhou', policy: { id: 'js-2020' } });
    expect(c.parties).toMatchObject({ providerAgencyId: providerAgency, applicantPrincipalId: applicant.id });
    const [d] = c.deadlines;
    expect(d).toMatchObject({ key: 'provider_review', workingDays: 15, citation: 'js-2020:27', state: 'running' });
    const expected = await deadlineFor(c.receivedAt, 15);
    expect([d.dueDate, d.dueAt]).toEqual([expected.dueDate, expected.dueAt]);
    // Received Tue 2026-11-24: Wed 25 = 1, Thu 26, Fri 27 = 3, Mon 30 = 4, Tue Dec 1 … Fri 4 = 8,
    // Mon 7 … Fri 11 = 13, Mon 14 = 14, Tue 15 = 15 → end of 2026-12-15.
    if (c.receivedAt.startsWith('2026-11-24') && Date.parse(c.receivedAt) < Date.parse('2026-11-24T16:00:00Z')) expect(d.dueDate).toBe('2026-12-15');
    expect(await taskOf(provider, c.caseId)).toMatchObject({ kind: 'provider_review', actions: ['approve', 'refuse'], citation: 'js-2020:27' });
    expect(await taskOf(competent, c.caseId)).toBeUndefined();
    expect(c.history[0]).toMatchObject({ event: 'application_submitted', actor: applicant.id, citation: 'js-2020:27' });
  });

  it('refuses a refusal without reasons and legal basis, then records one', async () => {
    const c = await apply();
    const task = (await taskOf(provider, c.caseId))!;
    expectError(await decide(task, provider, { action: 'refuse', reason: '涉及个人信息' }), 422, 'legal_basis_required');
    expectError(await decide(task, provider, { action: 'refuse', legalBasis: '《个人信息保护法》第十三条' }), 422, 'missing_fields');
    expectError(await decide(task, applicant, { action: 'approve', purpose: 'p', scope: 's' }), 403);
    const res = await decide(task, provider, { action: 'refuse', reason: '涉及个人信息', legalBasis: '《个人信息保护法》第十三条' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', outcome: { basis: 'refused', citation: 'js-2020:27', legalBasis: '《个人信息保护法》第十三条', reason: '涉及个人信息' } });
    expect(res.json().grants).toEqual([]);
  });

  it('runs the whole path: approval, agreement signed by both, access, results, restriction, closure', async () => {
    const c = await apply({ deliveryType: 'sandbox' });
    const task = (await taskOf(provider, c.caseId))!;
    expectError(await decide(task, provider, { action: 'approve' }), 422, 'missing_fields');
    const approved = await decide(task, provider, { action: 'approve', purpose: '公交线路优化研究', scope: '2026年全市公交刷卡客流（按站点、小时汇总）' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'pending_agreement', outcome: { basis: 'approved', purpose: '公交线路优化研究' } });
    expect(approved.json().agreement).toMatchObject({ status: 'pending_signatures', signatures: [] });

    // The agreement: every clause of sz-open-2023:21 (and js-2020:26's safeguards), filled with the approved terms.
    const doc = (await get(`/v1/cases/${c.caseId}/agreement`, applicant.token)).json();
    expect(doc).toMatchObject({ caseId: c.caseId, citation: 'js-2020:26', verified: true, status: 'pending_signatures' });
    expect(doc.clauses.map((x: { key: string }) => x.key)).toEqual(
      expect.arrayContaining(['purpose', 'scope', 'manner_of_use', 'follow_up_service_and_feedback', 'prohibited_acts', 'credit_commitment', 'liability_for_breach', 'dispute_resolution', 'security_safeguards']),
    );
    for (const s of ['公交线路优化研究', '2026年全市公交刷卡客流（按站点、小时汇总）', c.request.usagePeriod.end, '数据沙箱', '不得以任何形式将所获数据提供给第三方']) expect(doc.text).toContain(s);
    expect(doc.sha256).toBe(createHash('sha256').update(doc.text, 'utf8').digest('hex'));
    const text = await get(`/v1/cases/${c.caseId}/agreement/text`, provider.token);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(createHash('sha256').update(text.body, 'utf8').digest('hex')).toBe(doc.sha256);
    const html = await get(`/v1/cases/${c.caseId}/agreement/document`, applicant.token);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('公共数据利用协议');
    expect((await get(`/v1/cases/${c.caseId}/agreement`, outsider.token)).statusCode).toBe(404);
    expect((await get(`/v1/cases/${c.caseId}/agreement`, applicant2.token)).statusCode).toBe(404);

    // Signatures: each party once, on the stored text.
    const sign = (a: Actor, body: unknown = {}) => post(`/v1/cases/${c.caseId}/sign-agreement`, a.token, body);
    expectError(await sign(outsider), 404);
    expectError(await sign(operations), 403, 'not_party');
    expectError(await sign(applicant, { sha256: '0'.repeat(64) }), 422, 'agreement_mismatch');
    const first = await sign(applicant, { sha256: doc.sha256 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending_agreement', agreement: { signatures: [{ party: 'applicant', principalId: applicant.id, sha256: doc.sha256 }] } });
    expectError(await sign(applicant), 409, 'already_signed');
    const both = await sign(provider);
    expect(both.statusCode, both.body).toBe(200);
    const active = both.json();
    expect(active).toMatchObject({ status: 'active', agreement: { status: 'signed' } });
    expect(active.grants).toHaveLength(1);
    expect(active.grants[0]).toMatchObject({
      datasetId: c.datasetId,
      granteeAgencyId: null,
      granteePrincipalId: applicant.id,
      mode: 'sandbox',
      basis: 'agreement',
      citation: 'js-2020:26',
      status: 'active',
      // The usage period's last day ends at 24:00 Shanghai = 16:00 UTC.
      validTo: `${c.request.usagePeriod.end}T16:00:00.000Z`,
    });
    expect(active.grants[0].scope).toMatchObject({ purpose: '公交线路优化研究', agreementSha256: doc.sha256 });
    expect((await get(`/v1/cases/${c.caseId}/agreement`, applicant.token)).json()).toMatchObject({ status: 'signed', sha256: doc.sha256, verified: true });
    expectError(await sign(provider), 409, 'invalid_state');

    // Use: result materials on request (sz-open-2023:24 / js-2020:34).
    expectError(await post(`/v1/cases/${c.caseId}/request-results`, provider.token, { materials: 'x' }), 403);
    expectError(await post(`/v1/cases/${c.caseId}/request-results`, operations.token, {}), 400);
    const asked = await post(`/v1/cases/${c.caseId}/request-results`, operations.token, { materials: '研究报告及引用数据来源说明' });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().use.resultRequests).toEqual([expect.objectContaining({ id: 1, status: 'open', requestedBy: operations.id })]);
    expectError(await post(`/v1/cases/${c.caseId}/submit-results`, applicant.token, { description: 'r', requestId: 7 }), 422, 'unknown_request');
    const answered = await post(`/v1/cases/${c.caseId}/submit-results`, applicant.token, { description: '研究报告（注明数据来源：苏州市公共数据开放平台）', materials: ['report-v1.pdf'] });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().use).toMatchObject({ resultRequests: [{ id: 1, status: 'answered' }], results: [{ id: 1, requestId: 1, materials: { count: 1 } }] });
    // The materials are stored once, by their digest; the case keeps the reference and serves them.
    const ref = answered.json().use.results[0].materials;
    expect(ref.document).toMatch(/^[0-9a-f]{64}$/);
    const materials = await h.call('GET', `/v1/cases/${c.caseId}/documents/${ref.document}`, { token: provider.token });
    expect(materials.statusCode, materials.body).toBe(200);
    expect(materials.json()).toMatchObject({ document: ref.document, count: 1, content: ['report-v1.pdf'] });
    expectError(await h.call('GET', `/v1/cases/${c.caseId}/documents/${'0'.repeat(64)}`, { token: provider.token }), 404);

    // Breach: restriction suspends the grant, lifting restores it, closure revokes it for good.
    expectError(await post(`/v1/cases/${c.caseId}/report-breach`, applicant.token, { measure: 'restrict', description: 'd', basis: 'b' }), 403);
    const restricted = await post(`/v1/cases/${c.caseId}/report-breach`, provider.token, { measure: 'restrict', description: '超出约定范围调用', basis: '协议第二条 使用范围' });
    expect(restricted.statusCode, restricted.body).toBe(200);
    expect(restricted.json()).toMatchObject({ status: 'restricted', grants: [{ status: 'suspended' }] });
    expectError(await post(`/v1/cases/${c.caseId}/report-breach`, provider.token, { measure: 'restrict', description: 'd', basis: 'b' }), 409, 'already_restricted');
    const lifted = await post(`/v1/cases/${c.caseId}/lift-restriction`, operations.token, { reason: '已整改' });
    expect(lifted.json()).toMatchObject({ status: 'active', grants: [{ status: 'active' }] });
    const closed = await post(`/v1/cases/${c.caseId}/report-breach`, competent.token, { measure: 'close', description: '向第三方提供数据', basis: '协议第五条 禁止条款', publish: true });
    expect(closed.statusCode, closed.body).toBe(200);
    const final = closed.json();
    expect(final).toMatchObject({ status: 'revoked', outcome: { basis: 'revoked', citation: 'js-2020:50' }, grants: [{ status: 'revoked' }] });
    expect(final.use.breaches).toEqual([
      expect.objectContaining({ measure: 'restrict', role: 'provider', published: false }),
      expect.objectContaining({ measure: 'close', role: 'competent', published: true, notice: expect.stringContaining('协议第五条') }),
    ]);
    const events = (final.history as Entry[]).map((e) => e.event);
    for (const e of ['application_submitted', 'application_approved', 'agreement_drafted', 'agreement_signed', 'access_granted', 'result_materials_requested', 'result_materials_submitted', 'breach_reported', 'access_restricted', 'access_restriction_lifted', 'access_closed', 'breach_published']) {
      expect(events).toContain(e);
    }
    // Every step cites its article.
    expect((final.history as Entry[]).filter((e) => !e.citation)).toEqual([]);
    expectError(await post(`/v1/cases/${c.caseId}/submit-results`, applicant.token, { description: 'late' }), 409);
  });

  it('keeps access suspended once a rights claim withdraws the data: lifting a breach restriction is refused', async () => {
    const c = await apply();
    await decide((await taskOf(provider, c.caseId))!, provider, { action: 'approve', purpose: '研究', scope: '汇总数据' });
    await post(`/v1/cases/${c.caseId}/sign-agreement`, applicant.token, {});
    expect((await post(`/v1/cases/${c.caseId}/sign-agreement`, provider.token, {})).json().status).toBe('active');
    await post(`/v1/cases/${c.caseId}/report-breach`, provider.token, { measure: 'restrict', description: '超出约定范围调用', basis: '协议第二条' });

    // sz-open-2023:38 / js-2020:36: the data is withdrawn from open use on a privacy claim.
    const claim = await post('/v1/rights-claims', outsider.token, { datasetId: c.datasetId, claim: 'privacy', description: '数据含可识别个人信息' });
    expect(claim.statusCode, claim.body).toBe(201);
    const verification = (await taskOf(provider, claim.json().caseId))!;
    expect((await decide(verification, provider, { action: 'withdraw' })).json().status).toBe('withdrawn_data');
    // The case learns it from the claim (a signal) and records it itself.
    let held = await caseOf(c.caseId);
    for (let i = 0; i < 100 && !held.use?.withdrawnBy; i++) held = (await new Promise((r) => setTimeout(r, 50)), await caseOf(c.caseId));
    expect(held).toMatchObject({ status: 'restricted', use: { withdrawnBy: { claimCaseId: claim.json().caseId } } });

    expectError(await post(`/v1/cases/${c.caseId}/lift-restriction`, operations.token, { reason: '已整改' }), 409, 'data_withdrawn');
    expect((await caseOf(c.caseId)).grants[0].status).toBe('suspended');
  });

  it('takes both parties’ signatures arriving together, and one of two identical ones', async () => {
    const c = await apply();
    await decide((await taskOf(provider, c.caseId))!, provider, { action: 'approve', purpose: '线路优化', scope: '站点级客流' });
    const url = `/v1/cases/${c.caseId}/sign-agreement`;
    const [a, b, a2] = await Promise.all([post(url, applicant.token), post(url, provider.token), post(url, applicant.token)]);
    expect([a.statusCode, a2.statusCode].sort()).toEqual([200, 409]);
    expect(b.statusCode, b.body).toBe(200);
    const final = await caseOf(c.caseId);
    expect(final).toMatchObject({ status: 'active', agreement: { status: 'signed' }, grants: [{ status: 'active' }] });
    expect(final.agreement.signatures.map((x: { party: string }) => x.party).sort()).toEqual(['applicant', 'provider']);
    expect((final.history as Entry[]).filter((e) => e.event === 'agreement_signed')).toHaveLength(2);
  });

  it('is withdrawn by the applicant while pending, and only by the applicant', async () => {
    const c = await apply();
    expectError(await post(`/v1/cases/${c.caseId}/withdraw`, provider.token, {}), 403, 'not_party');
    expectError(await post(`/v1/cases/${c.caseId}/supplement`, applicant.token, { title: 'x' }), 409, 'invalid_state');
    const res = await post(`/v1/cases/${c.caseId}/withdraw`, applicant.token, { reason: '项目取消' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', deadlines: [{ state: 'cancelled' }] });
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
  });
});

describe('while sz-open-2023 is extended (PATCH /v1/policies/sz-open-2023)', () => {
  it('the competent department accepts first; not accepted lists every missing item; 补正 in the same case; review 10 working days', async () => {
    const patched = await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2027-12-31' } });
    expect(patched.statusCode, patched.body).toBe(200);
    let c;
    try {
      c = await apply();
    } finally {
      // The database is shared: later receipts are governed by the shipped window again.
      const restored = await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: SHIPPED_SZ_OPEN });
      expect(restored.statusCode, restored.body).toBe(200);
    }
    expect(c).toMatchObject({ status: 'pending_acceptance', policy: { id: 'sz-open-2023' } });
    const [acc] = c.deadlines;
    expect(acc).toMatchObject({ key: 'acceptance', workingDays: 2, citation: 'sz-open-2023:20', state: 'running' });
    // The text sets no period for 受理: the setting's 2 working days. Received Tue 2026-11-24:
    // Wed 25 = 1, Thu 26 = 2 → end of 2026-11-26.
    const accDue = await deadlineFor(c.receivedAt, 2);
    expect(acc.dueDate).toBe(accDue.dueDate);
    if (c.receivedAt.startsWith('2026-11-24') && Date.parse(c.receivedAt) < Date.parse('2026-11-24T16:00:00Z')) expect(acc.dueDate).toBe('2026-11-26');
    expect(await taskOf(provider, c.caseId)).toBeUndefined();
    const acceptance = (await taskOf(competent, c.caseId))!;
    expect(acceptance).toMatchObject({ kind: 'acceptance', actions: ['accept', 'not_accept'], assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou' } });

    // 一次性告知: not accepting needs the full list of missing items.
    expectError(await decide(acceptance, competent, { action: 'not_accept' }), 422, 'missing_fields');
    expectError(await decide(acceptance, competent, { action: 'not_accept', missingItems: [] }), 422, 'missing_fields');
    expectError(await decide(acceptance, competent, { action: 'not_accept', missingItems: ['成果形式不明确', '  '] }), 422, 'missing_fields');
    // A list of texts with a number in it does not fit the form (API-2.md: invalid_decision_fields, with the path).
    const mistyped = expectError(await decide(acceptance, competent, { action: 'not_accept', missingItems: ['成果形式不明确', 42] }), 422, 'invalid_decision_fields');
    expect(JSON.stringify(mistyped.details)).toContain('missingItems');
    const notAccepted = await decide(acceptance, competent, { action: 'not_accept', missingItems: ['应用场景未说明数据处理方式', '成果形式不明确'] });
    expect(notAccepted.statusCode, notAccepted.body).toBe(200);
    expect(notAccepted.json()).toMatchObject({
      status: 'not_accepted',
      outcome: { basis: 'not_accepted', citation: 'sz-open-2023:20', missingItems: ['应用场景未说明数据处理方式', '成果形式不明确'] },
    });

    // 补正: the applicant corrects and resubmits in the same case; acceptance starts again.
    expectError(await post(`/v1/cases/${c.caseId}/supplement`, applicant2.token, { resultForm: 'x' }), 404);
    expectError(await post(`/v1/cases/${c.caseId}/supplement`, applicant.token, { usagePeriod: { start: today(), end: plusDays(today(), -1) } }), 422, 'invalid_application');
    const resubmitted = await post(`/v1/cases/${c.caseId}/supplement`, applicant.token, { scenario: '城市交通规划研究：按站点汇总后建模，不处理个人信息', resultForm: '研究报告及线路优化方案', note: '已按告知补正' });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    const again = resubmitted.json();
    expect(again).toMatchObject({ status: 'pending_acceptance', outcome: null, request: { resultForm: '研究报告及线路优化方案', title: '公交客流时空分布研究' } });
    expect(again.deadlines.map((d: { key: string; state: string }) => [d.key, d.state])).toEqual([['acceptance', 'met'], ['acceptance', 'running']]);
    expect(again.history.find((e: Entry) => e.event === 'application_supplemented').detail.changed).toEqual(['resultForm', 'scenario']);

    const second = (await taskOf(competent, c.caseId))!;
    expect(second.taskId).not.toBe(acceptance.taskId);
    const accepted = await decide(second, competent, { action: 'accept' });
    expect(accepted.json()).toMatchObject({ status: 'pending_review', policy: { id: 'sz-open-2023' } });
    const review = accepted.json().deadlines.at(-1);
    expect(review).toMatchObject({ key: 'provider_review', workingDays: 10, citation: 'sz-open-2023:20', state: 'running' });
    // Counted from acceptance (the provider receives it then): accepted Tue 2026-11-24 → Wed 25 = 1
    // … Fri 27 = 3, Mon 30 = 4, Tue Dec 1 … Fri 4 = 8, Mon 7 = 9, Tue 8 = 10 → end of 2026-12-08.
    const acceptedAt = accepted.json().history.find((e: Entry) => e.event === 'application_accepted').at;
    expect(review.dueDate).toBe((await deadlineFor(acceptedAt, 10)).dueDate);
    if (acceptedAt.startsWith('2026-11-24') && Date.parse(acceptedAt) < Date.parse('2026-11-24T16:00:00Z')) expect(review.dueDate).toBe('2026-12-08');
    const reviewTask = (await taskOf(provider, c.caseId))!;
    const approved = await decide(reviewTask, provider, { action: 'approve', purpose: '线路优化', scope: '站点级汇总客流' });
    // The case keeps the policy it started under, though the extension has been undone since.
    expect(approved.json()).toMatchObject({ status: 'pending_agreement', outcome: { citation: 'sz-open-2023:20' } });
    const doc = (await get(`/v1/cases/${c.caseId}/agreement`, applicant.token)).json();
    expect(doc.citation).toBe('sz-open-2023:21');
    const w = await post(`/v1/cases/${c.caseId}/withdraw`, applicant.token, { reason: '改用其他数据' });
    expect(w.json()).toMatchObject({ status: 'withdrawn', outcome: { basis: 'withdrawn', stage: 'pending_agreement' } });
  });
});

describe('data outside the open catalog (sz-open-2023:23): POST /v1/open-data-requests', () => {
  const requestBody = (extra: Record<string, unknown> = {}) => ({
    providerAgencyId: providerAgency,
    title: '网约车订单起讫点数据',
    description: '全市网约车订单起讫点（按小区汇总），目前不在开放目录中',
    reason: '研究夜间出行需求',
    scenario: '夜间公交线路规划',
    commitment: true,
    ...extra,
  });

  it('refuses what is not a data user’s request, or names no agency', async () => {
    expectError(await post('/v1/open-data-requests', agencyUser.token, requestBody()), 403);
    expectError(await post('/v1/open-data-requests', applicant.token, requestBody({ providerAgencyId: 'no-such-agency' })), 422, 'unknown_agency');
    expectError(await post('/v1/open-data-requests', applicant.token, requestBody({ commitment: false })), 422, 'commitment_required');
    expectError(await post('/v1/open-data-requests', applicant.token, requestBody({ title: ' ', reason: ' ' })), 422, 'invalid_request_body');
  });

  it('today (js-2020 alone) is answered within 15 working days; the provider may first ask the expert committee', async () => {
    const res = await post('/v1/open-data-requests', applicant.token, requestBody());
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.caseId).toMatch(/^open-data-request-/);
    expect(c).toMatchObject({ type: 'open-data-application', status: 'pending_evaluation', datasetId: null, request: { kind: 'out_of_catalog' } });
    const [d] = c.deadlines;
    // No policy in force defines the out-of-catalog step: the provider's 15 working days of js-2020:27
    // (received Tue 2026-11-24 → end of Tue 2026-12-15, as counted above).
    expect(d).toMatchObject({ key: 'provider_review', workingDays: 15, citation: 'js-2020:27' });
    expect(d.dueDate).toBe((await deadlineFor(c.receivedAt, 15)).dueDate);
    const task = (await taskOf(provider, c.caseId))!;
    expect(task.actions).toEqual(['approve', 'refuse', 'request_expert_opinion']);
    const noEvaluation = await decide(task, provider, { action: 'approve', answer: '可以开放', purpose: 'p', scope: 's' });
    expectError(noEvaluation, 422, 'missing_fields');
    expect(noEvaluation.json().error.details.missing).toEqual(['privacyReview', 'legalityReview']);

    const asked = await decide(task, provider, { action: 'request_expert_opinion', question: '按小区汇总后是否仍可识别个人出行轨迹？' });
    expect(asked.json()).toMatchObject({ status: 'pending_expert_opinion' });
    const expertTask = (await taskOf(experts, c.caseId))!;
    expect(expertTask).toMatchObject({ kind: 'expert_opinion', assignee: { role: 'expert_committee', jurisdiction: 'suzhou' }, citation: 'js-2020:28', dueDate: d.dueDate });
    const opinion = await decide(expertTask, experts, { action: 'give_opinion', opinion: '汇总粒度不低于500人时可开放' });
    expect(opinion.json()).toMatchObject({ status: 'pending_evaluation' });
    const again = (await taskOf(provider, c.caseId))!;
    expect(again.actions).toEqual(['approve', 'refuse']);
    expect(again.dueDate).toBe(d.dueDate); // one period from receipt, whoever holds the case
    const answered = await decide(again, provider, {
      action: 'approve',
      privacyReview: '汇总后不涉及个人隐私',
      legalityReview: '无法律障碍',
      answer: '将按小区汇总后列入开放目录（有条件开放），届时请提交开放申请',
      purpose: '夜间公交线路规划',
      scope: '按小区汇总的订单起讫点',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const final = answered.json();
    expect(final).toMatchObject({
      status: 'answered',
      outcome: { basis: 'to_be_opened', citation: 'js-2020:27', evaluation: { privacyReview: '汇总后不涉及个人隐私', expertOpinion: '汇总粒度不低于500人时可开放' } },
    });
    expect(final.deadlines.map((x: { key: string; state: string }) => [x.key, x.state])).toEqual([
      ['provider_review', 'met'],
      ['expert_opinion', 'met'],
      ['provider_review', 'met'],
    ]);
    expect((final.history as Entry[]).filter((e) => !e.citation)).toEqual([]);
    expect((final.history as Entry[]).map((e) => e.event)).toEqual(expect.arrayContaining(['expert_opinion_requested', 'expert_opinion_given', 'evaluation_recorded', 'out_of_catalog_answered']));
  });

  it('while sz-open-2023 is extended, is its own step: 10 working days of sz-open-2023:23; refusal needs a legal basis', async () => {
    expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2027-12-31' } })).statusCode).toBe(200);
    let res;
    try {
      res = await post('/v1/open-data-requests', applicant.token, requestBody());
    } finally {
      expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: SHIPPED_SZ_OPEN })).statusCode).toBe(200);
    }
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    // Received Tue 2026-11-24: 10 working days → end of Tue 2026-12-08 (counted above).
    expect(c.deadlines[0]).toMatchObject({ key: 'out_of_catalog_evaluation', workingDays: 10, citation: 'sz-open-2023:23' });
    expect(c.deadlines[0].dueDate).toBe((await deadlineFor(c.receivedAt, 10)).dueDate);
    const task = (await taskOf(provider, c.caseId))!;
    expectError(await decide(task, provider, { action: 'refuse', reason: '涉及商业秘密' }), 422, 'legal_basis_required');
    const refused = await decide(task, provider, { action: 'refuse', reason: '涉及商业秘密', legalBasis: '《反不正当竞争法》第九条' });
    expect(refused.json()).toMatchObject({ status: 'rejected', outcome: { basis: 'refused', citation: 'sz-open-2023:23', legalBasis: '《反不正当竞争法》第九条' } });
  });

  it('is withdrawn by the applicant only', async () => {
    const c = (await post('/v1/open-data-requests', applicant.token, requestBody())).json();
    expectError(await post(`/v1/cases/${c.caseId}/withdraw`, provider.token, {}), 403, 'not_party');
    expectError(await post(`/v1/cases/${c.caseId}/sign-agreement`, applicant.token, {}), 422, 'action_not_offered');
    const w = await post(`/v1/cases/${c.caseId}/withdraw`, applicant.token, {});
    expect(w.json()).toMatchObject({ status: 'withdrawn', deadlines: [{ state: 'cancelled' }] });
  });
});
