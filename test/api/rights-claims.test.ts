// P6 rights claims on real servers: verification at once (a visible 1-working-day setting), the
// measures each policy allows, withdrawal suspending the open-data grants on the dataset (and only
// those), and what POST and the decisions refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';
import { upsertCase } from '../../src/db/repositories/cases';
import { grantsOfCase, upsertGrant } from '../../src/db/repositories/grants';
import { caseHistory } from '../../src/db/repositories/audit';

let h: Harness;
let claimant: Actor;
let provider: Actor;
let competent: Actor;
let outsider: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'rc-sz-health', 'suzhou');
  claimant = await principal(h, ['rights_holder'], undefined, '吴九');
  provider = await principal(h, ['provider'], providerAgency);
  competent = await principal(h, ['competent'], await agency(h, 'rc-sz-bureau', 'suzhou'));
  outsider = await principal(h, ['data_user']);
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
type Entry = { event: string; citation: string | null; detail: Record<string, unknown> };

const post = (url: string, a: Actor, body?: unknown) => h.call('POST', url, { token: a.token, body: body ?? {} });
const taskOf = async (a: Actor, caseId: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).find((t) => t.caseId === caseId);
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();
const claimBody = (datasetId: string, extra: Record<string, unknown> = {}) => ({
  datasetId,
  claim: 'privacy',
  description: '开放的门诊记录数据可识别到本人',
  materials: ['身份证明', '数据截图'],
  ...extra,
});

async function claim(ds: string, extra: Record<string, unknown> = {}) {
  const res = await post('/v1/rights-claims', claimant, claimBody(ds, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** An open-data application with access granted on `ds` (P3 run through the API to 'active'). */
let applicants = 0;
async function activeApplication(ds: string): Promise<string> {
  const user = await principal(h, ['data_user'], undefined, `数据利用者${++applicants}`);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const end = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
  const app = await post('/v1/open-data-applications', user, {
    datasetId: ds,
    title: '门诊量统计研究',
    reason: '公共卫生资源配置',
    deliveryType: 'api',
    usagePeriod: { start: today, end },
    resultForm: '研究报告',
    scenario: '卫生规划研究',
    commitment: true,
  });
  expect(app.statusCode, app.body).toBe(201);
  const caseId = app.json().caseId as string;
  await decide((await taskOf(provider, caseId))!, provider, { action: 'approve', purpose: '研究', scope: '汇总数据' });
  await post(`/v1/cases/${caseId}/sign-agreement`, user);
  const active = await post(`/v1/cases/${caseId}/sign-agreement`, provider);
  expect(active.json().status, active.body).toBe('active');
  return caseId;
}

/** The dataset a claim is made on: open to conditional application, so P3 cases can hold grants. */
const openData = () => dataset(h, providerAgency, 'unconditional', { openClass: 'conditional', legalBasis: '《个人信息保护法》第十三条' });

/** The grant's status once the case has recorded what was signalled to it. */
async function grantStatusOf(caseId: string, expected: string): Promise<string> {
  let status = '';
  for (let i = 0; i < 100; i++) {
    status = (await grantsOfCase(h.db, caseId))[0]!.status;
    if (status === expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return status;
}

/** A case of another process holding a grant on the dataset, seeded as P1 records them. */
let seeded = 0;
async function grantOn(datasetId: string, type: 'open-data-application' | 'share-request', status: 'active' | 'expired' = 'active') {
  const caseId = `${type}-rc-${h.tag}-${++seeded}`;
  const now = new Date();
  await upsertCase(h.db, {
    caseId,
    type,
    status: 'active',
    jurisdiction: 'suzhou',
    requesterAgencyId: null,
    providerAgencyId: providerAgency,
    datasetId,
    createdBy: 'seed',
    receivedAt: now,
    revision: 1,
    view: { caseId, type, status: 'active', history: [] },
  });
  await upsertGrant(h.db, {
    id: `grant-${caseId}`,
    caseId,
    datasetId,
    granteeAgencyId: null,
    granteePrincipalId: 'seed-user',
    mode: type === 'share-request' ? 'api' : 'download',
    scope: {},
    basis: 'approved',
    citation: 'sz-open-2023:22',
    status,
    validFrom: now,
    validTo: null,
    revision: 1,
  });
  return caseId;
}

describe('POST /v1/rights-claims', () => {
  it('asks the provider to verify at once: 1 working day, the visible default of "立即" (js-2020:36)', async () => {
    const c = await claim(await dataset(h, providerAgency, 'unconditional'));
    expect(c).toMatchObject({ type: 'rights-claim', status: 'open', parties: { claimantPrincipalId: claimant.id, providerAgencyId: providerAgency } });
    expect(c.request).toMatchObject({ claim: 'privacy', materials: { count: 2 } });
    const doc = await h.call('GET', `/v1/cases/${c.caseId}/documents/${c.request.materials.document}`, { token: claimant.token });
    expect(doc.json().content).toEqual(['身份证明', '数据截图']);
    const expected = await deadlineFor(c.receivedAt, 1);
    expect(c.deadlines[0]).toMatchObject({ key: 'verification', workingDays: 1, dueDate: expected.dueDate, citation: 'js-2020:36', state: 'running' });
    expect(c.history[0]).toMatchObject({ event: 'rights_claim_submitted', citation: 'js-2020:36' });
    // sz-open-2023 ended 2026-07-31: js-2020:36 offers 中止 (suspend), withdraw, or keeping the data open.
    const t = (await taskOf(provider, c.caseId))!;
    expect(t).toMatchObject({ kind: 'verification', actions: ['suspend', 'withdraw', 'keep_open'], requiredFields: { keep_open: ['reason'] } });
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: outsider.token })).statusCode).toBe(404);
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: competent.token })).statusCode).toBe(200);
  });

  it('refuses bad input with a clear error', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const cases: [unknown, number, string?][] = [
      [claimBody('no-such'), 422, 'unknown_dataset'],
      [claimBody(ds, { claim: 'copyright' }), 400],
      [claimBody(ds, { description: '' }), 400],
      [claimBody(ds, { materials: Array.from({ length: 51 }, (_, i) => `材料 ${i}`) }), 400],
      [claimBody(ds, { materials: [''] }), 400],
      [claimBody(ds, { extra: true }), 400],
    ];
    for (const [b, status, code] of cases) {
      const res = await post('/v1/rights-claims', claimant, b);
      expect(res.statusCode, JSON.stringify(b).slice(0, 120)).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
    }
    expect((await h.call('POST', '/v1/rights-claims', { body: claimBody(ds) })).statusCode).toBe(401);
  });
});

describe('the provider’s measures', () => {
  it('withdrawal suspends every active open-data grant on the dataset — only those — each recorded by its own case', async () => {
    const ds = await openData();
    const other = await openData();
    const open1 = await activeApplication(ds);
    const open2 = await activeApplication(ds);
    const expired = await grantOn(ds, 'open-data-application', 'expired');
    const shared = await grantOn(ds, 'share-request');
    const elsewhere = await activeApplication(other);

    const c = await claim(ds);
    const t = (await taskOf(provider, c.caseId))!;
    expect((await decide(t, claimant, { action: 'withdraw' })).statusCode).toBe(403);
    const res = await decide(t, provider, { action: 'withdraw', reason: '含可识别个人信息' });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json();
    expect(done).toMatchObject({ status: 'withdrawn_data', outcome: { basis: 'withdrawn', measure: 'withdraw', citation: 'js-2020:36' } });
    expect(done.outcome.suspendedGrants).toEqual([`grant-${open1}`, `grant-${open2}`].sort());
    expect(done.history.map((e: Entry) => e.event)).toEqual(expect.arrayContaining(['task_decided', 'data_withdrawn', 'open_data_grants_suspended']));
    expect(done.history.filter((e: Entry) => !e.citation)).toEqual([]);

    expect(await grantStatusOf(open1, 'suspended')).toBe('suspended');
    expect(await grantStatusOf(open2, 'suspended')).toBe('suspended');
    expect(await grantStatusOf(expired, 'expired')).toBe('expired');
    expect(await grantStatusOf(shared, 'active')).toBe('active');
    expect(await grantStatusOf(elsewhere, 'active')).toBe('active');
    const entry = (await caseHistory(h.db, open1)).find((e) => e.event === 'grant_suspended');
    expect(entry).toMatchObject({ actor: provider.id, citation: 'js-2020:36', detail: { grantId: `grant-${open1}`, byCase: c.caseId } });
    // The open-data case itself knows: restricted, and the restriction cannot be lifted.
    const held = (await h.call('GET', `/v1/cases/${open1}`, { token: provider.token })).json();
    expect(held).toMatchObject({ status: 'restricted', use: { withdrawnBy: { claimCaseId: c.caseId, citation: 'js-2020:36' } } });
  });

  it('suspension (js-2020:36 中止) also takes the data out of open use: withdrawn_data, basis suspended', async () => {
    const ds = await openData();
    const open = await activeApplication(ds);
    const c = await claim(ds, { claim: 'commercial_secret' });
    const res = await decide((await taskOf(provider, c.caseId))!, provider, { action: 'suspend' });
    expect(res.json()).toMatchObject({ status: 'withdrawn_data', outcome: { basis: 'suspended', suspendedGrants: [`grant-${open}`] } });
  });

  it('keeping the data open needs reasons, and suspends nothing', async () => {
    const ds = await openData();
    const open = await activeApplication(ds);
    const c = await claim(ds);
    const t = (await taskOf(provider, c.caseId))!;
    const bare = await decide(t, provider, { action: 'keep_open' });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error.code).toBe('missing_fields');
    expect((await decide(t, provider, { action: 'reopen_processed', processing: 'x' })).json().error.code).toBe('action_not_offered');
    const res = await decide(t, provider, { action: 'keep_open', reason: '数据已脱敏，不能识别到个人' });
    expect(res.json()).toMatchObject({ status: 'kept_open', outcome: { basis: 'kept_open', reason: '数据已脱敏，不能识别到个人' } });
    expect((await grantsOfCase(h.db, open))[0]!.status).toBe('active');
    expect((await post(`/v1/cases/${c.caseId}/confirm`, claimant)).statusCode).toBe(409); // the case is over
  });

  it('while sz-open-2023 is in force (here: extended by the administrator), the provider may reopen after processing (sz-open-2023:38)', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const patch = (effectiveTo: string) => h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo } });
    expect((await patch('2099-12-31')).statusCode).toBe(200);
    try {
      const c = await claim(ds);
      expect(c.policy.id).toBe('sz-open-2023');
      expect(c.deadlines[0]).toMatchObject({ workingDays: 1, citation: 'sz-open-2023:38' });
      const t = (await taskOf(provider, c.caseId))!;
      expect(t).toMatchObject({ actions: ['withdraw', 'reopen_processed', 'keep_open'], requiredFields: { reopen_processed: ['processing'], keep_open: ['reason'] } });
      expect((await decide(t, provider, { action: 'suspend' })).json().error.code).toBe('action_not_offered');
      expect((await decide(t, provider, { action: 'reopen_processed' })).json().error.code).toBe('missing_fields');
      const res = await decide(t, provider, { action: 'reopen_processed', processing: '删除身份证号、姓名字段，门诊日期泛化到月' });
      expect(res.json()).toMatchObject({
        status: 'reopened_processed',
        outcome: { basis: 'reopened_after_processing', citation: 'sz-open-2023:38', processing: '删除身份证号、姓名字段，门诊日期泛化到月' },
      });
      expect(res.json().history.find((e: Entry) => e.event === 'data_reopened_after_processing').citation).toBe('sz-open-2023:38');
    } finally {
      const restored = await patch('2026-07-31');
      expect(restored.statusCode, restored.body).toBe(200);
    }
  });

  it('a leak found on verification opens a security incident of the provider, linked to the claim (PROCESSES.md P6 → P9)', async () => {
    const ds = await openData();
    const c = await claim(ds);
    const t = (await taskOf(provider, c.caseId))!;
    expect((t.forms as Record<string, { properties: Record<string, unknown> }>).withdraw.properties).toHaveProperty('leak');
    expect((await decide(t, provider, { action: 'withdraw', leak: 'yes' })).statusCode).toBe(422); // a boolean, not text
    const res = await decide(t, provider, { action: 'withdraw', leak: true, reason: '核实发现数据已被第三方获取' });
    expect(res.statusCode, res.body).toBe(200);
    const incidentCaseId = res.json().outcome.incidentCaseId as string;
    expect(incidentCaseId).toBe(`security-incident-from-${c.caseId}`);
    expect(res.json().history.map((e: Entry) => e.event)).toContain('security_incident_opened');
    const incidentView = async () => (await h.call('GET', `/v1/cases/${incidentCaseId}`, { token: provider.token })).json();
    // The incident opens its tasks in turn: wait until the reports are open too.
    await expect.poll(async () => (await incidentView()).deadlines?.map((d: { key: string }) => d.key) ?? []).toContain('report.competent');
    const incident = await incidentView();
    expect(incident).toMatchObject({
      type: 'security-incident',
      status: 'responding',
      parties: { providerAgencyId: providerAgency },
      request: { kind: 'leak', datasetIds: [ds], personalInformation: true, fromCaseId: c.caseId },
    });
    expect(incident.history.map((e: Entry) => e.event)).toContain('emergency_plan_started');
    // Hours, not working days: the report is due 24 hours after the leak was found.
    expect(incident.deadlines.map((d: { key: string }) => d.key)).toContain('report.competent');
    const report = incident.deadlines.find((d: { key: string }) => d.key === 'report.competent');
    expect(report).toMatchObject({ unit: 'hours', hours: 24 });
    expect(Date.parse(report.dueAt) - Date.parse(incident.request.detectedAt)).toBe(24 * 3600_000);
    // Without a leak, a withdrawal opens nothing.
    const quiet = await claim(await openData());
    const done = await decide((await taskOf(provider, quiet.caseId))!, provider, { action: 'withdraw' });
    expect(done.json().outcome.incidentCaseId).toBeUndefined();
  });
});
