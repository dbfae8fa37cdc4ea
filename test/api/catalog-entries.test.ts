// P7 on real servers: a catalog change is a case — compiled by the provider, reviewed by the
// competent department (return and resubmit, refuse with legal basis, 一数一源 conflicts settled by
// naming the one source), approved by the government where sip-2021:8 says so, then published as a
// new version on the dataset's hash chain (cm-draft:9); the update duty of cm-draft:8; and a rights
// claim's withdrawal as a catalog fact that refuses new requests and never opens a grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { versionHash, FIRST_PREV_HASH } from '../../src/db/repositories/dataset-versions';

let h: Harness;
let provider: Actor;
let otherProvider: Actor;
let competent: Actor;
let taizhouCompetent: Actor;
let sipProvider: Actor;
let sipCompetent: Actor;
let sipGovernment: Actor;
let cmProvider: Actor;
let cmCompetent: Actor;
let requester: Actor;
let providerAgency: string;
let otherAgency: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'ce-sz-market', 'suzhou', '苏州市市场监督管理局');
  otherAgency = await agency(h, 'ce-sz-tax', 'suzhou', '苏州市税务局');
  provider = await principal(h, ['provider'], providerAgency);
  otherProvider = await principal(h, ['provider'], otherAgency);
  competent = await principal(h, ['competent'], await agency(h, 'ce-sz-bureau', 'suzhou'));
  taizhouCompetent = await principal(h, ['competent'], await agency(h, 'ce-tz-bureau', 'taizhou'));
  const sipAgency = await agency(h, 'ce-sip-planning', 'suzhou-sip');
  sipProvider = await principal(h, ['provider'], sipAgency);
  sipCompetent = await principal(h, ['competent'], await agency(h, 'ce-sip-bureau', 'suzhou-sip'));
  sipGovernment = await principal(h, ['government'], await agency(h, 'ce-sip-committee', 'suzhou-sip'));
  cmProvider = await principal(h, ['provider'], await agency(h, 'ce-cm-farm', 'shanghai-chongming'));
  cmCompetent = await principal(h, ['competent'], await agency(h, 'ce-cm-bureau', 'shanghai-chongming'));
  requester = await principal(h, ['requester'], otherAgency);
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };

const post = (url: string, a: Actor, body?: unknown) => h.call('POST', url, { token: a.token, body: body ?? {} });
const get = (url: string, a: Actor) => h.call('GET', url, { token: a.token });
const taskOf = async (a: Actor, caseId: string) => ((await get('/v1/inbox?limit=200', a)).json().items as Task[]).find((t) => t.caseId === caseId);
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();

let n = 0;
const entry = (agencyId: string, extra: Record<string, unknown> = {}) => ({
  providerAgencyId: agencyId,
  name: `市场主体登记信息 ${++n}`,
  content: '企业名称、统一社会信用代码、登记状态',
  source: '企业登记系统',
  shareClass: 'conditional',
  openClass: 'none',
  legalBasis: '《市场主体登记管理条例》第三十五条',
  updateCycle: '每日',
  format: 'API',
  dataItems: [
    { code: `ent-name-${n}`, name: '企业名称' },
    { code: `ent-uscc-${n}`, name: '统一社会信用代码' },
  ],
  reason: 'new',
  ...extra,
});

async function compile(a: Actor, body: Record<string, unknown>) {
  const res = await post('/v1/catalog-entries', a, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function publishReviewed(a: Actor, body: Record<string, unknown>) {
  const c = await compile(a, body);
  const t = (await taskOf(competent, c.caseId))!;
  const done = await decide(t, competent, { action: 'approve' });
  expect(done.statusCode, done.body).toBe(200);
  return (await get(`/v1/cases/${c.caseId}`, a)).json();
}

describe('POST /v1/catalog-entries: review and publication (js-2020:10, 19)', () => {
  it('gives the competent department a review task, then publishes version 1 of a new dataset on its chain', async () => {
    const c = await compile(provider, entry(providerAgency));
    expect(c).toMatchObject({ type: 'catalog-entry', status: 'pending_review', jurisdiction: 'suzhou', parties: { providerAgencyId: providerAgency } });
    const due = await deadlineFor(c.receivedAt, 10);
    expect(c.deadlines[0]).toMatchObject({ key: 'review', workingDays: 10, dueAt: due.dueAt, citation: 'js-2020:10' });
    const t = (await taskOf(competent, c.caseId))!;
    expect(t).toMatchObject({ kind: 'review', actions: ['approve', 'return', 'refuse'], conflicts: [], round: 1, citation: 'js-2020:10' });
    expect(await taskOf(otherProvider, c.caseId)).toBeUndefined();

    expect((await decide(t, competent, { action: 'approve' })).statusCode).toBe(200);
    const done = (await get(`/v1/cases/${c.caseId}`, provider)).json();
    expect(done).toMatchObject({ status: 'published', outcome: { basis: 'published', version: 1, citation: 'js-2020:10' } });
    const datasetId = done.datasetId as string;
    const ds = (await get(`/v1/datasets/${datasetId}`, requester)).json();
    expect(ds).toMatchObject({ version: 1, withdrawn: false, providerAgencyId: providerAgency, shareClass: 'conditional', format: 'API' });
    expect(ds.dataItems).toHaveLength(2);
    const chain = (await get(`/v1/datasets/${datasetId}/versions`, requester)).json();
    expect(chain.versions).toHaveLength(1);
    expect(chain.versions[0]).toMatchObject({ version: 1, caseId: c.caseId, prevHash: FIRST_PREV_HASH, hash: done.outcome.hash });
    // An auditor recomputes the hash from the published version alone.
    const v = chain.versions[0];
    expect(versionHash(v.prevHash, { datasetId, version: 1, publishedAt: new Date(v.publishedAt), caseId: v.caseId, entry: v.entry })).toBe(v.hash);
    expect((await get(`/v1/datasets/${datasetId}/versions/verify`, requester)).json()).toEqual({ ok: true, versions: 1 });
    expect(done.history.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['catalog_entry_submitted', 'task_decided', 'dataset_version_published']));
  });

  it('returns an entry with its issues, takes the corrected resubmission, and refuses only with a legal basis', async () => {
    const c = await compile(provider, entry(providerAgency));
    let t = (await taskOf(competent, c.caseId))!;
    expect((await decide(t, competent, { action: 'return' })).statusCode).toBe(422); // issues are required
    expect((await decide(t, competent, { action: 'return', issues: ['更新周期应为每日', '补充数据项说明'] })).statusCode).toBe(200);
    let now = (await get(`/v1/cases/${c.caseId}`, provider)).json();
    expect(now).toMatchObject({ status: 'returned', outcome: { basis: 'returned', issues: ['更新周期应为每日', '补充数据项说明'] } });
    // Only the compiler resubmits, and only what js-2020:19 allows.
    expect((await post(`/v1/cases/${c.caseId}/resubmit`, otherProvider, { format: 'CSV' })).statusCode).toBe(404); // not a party: not visible
    expect((await post(`/v1/cases/${c.caseId}/resubmit`, competent, { format: 'CSV' })).statusCode).toBe(403);
    const bad = await post(`/v1/cases/${c.caseId}/resubmit`, provider, { legalBasis: ' ' });
    expect(bad.statusCode, bad.body).toBe(422);
    const again = await post(`/v1/cases/${c.caseId}/resubmit`, provider, { updateCycle: '实时', note: '已按意见修改' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'pending_review', request: { updateCycle: '实时' } });
    t = (await taskOf(competent, c.caseId))!;
    expect(t).toMatchObject({ round: 2 });
    expect((await post(`/v1/cases/${c.caseId}/resubmit`, provider, { format: 'CSV' })).statusCode).toBe(409); // not returned now
    expect((await decide(t, competent, { action: 'refuse', reason: '重复编目' })).statusCode).toBe(422);
    expect((await decide(t, competent, { action: 'refuse', reason: '重复编目', legalBasis: '《江苏省公共数据管理办法》第十条' })).statusCode).toBe(200);
    now = (await get(`/v1/cases/${c.caseId}`, provider)).json();
    expect(now).toMatchObject({ status: 'refused', outcome: { basis: 'refused', legalBasis: '《江苏省公共数据管理办法》第十条' } });
    expect((await get(`/v1/datasets/${c.datasetId}`, requester)).statusCode).toBe(404); // nothing was published
  });

  it('publishes a new version of an existing dataset, chained to the last, and only its responsible agency may', async () => {
    const first = await publishReviewed(provider, entry(providerAgency));
    const datasetId = first.datasetId as string;
    const second = await publishReviewed(provider, { ...entry(providerAgency), datasetId, name: '市场主体登记信息（修订）', reason: 'correction' });
    expect(second.outcome).toMatchObject({ version: 2 });
    const chain = (await get(`/v1/datasets/${datasetId}/versions`, requester)).json().versions;
    expect(chain.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(chain[1].prevHash).toBe(chain[0].hash);
    expect((await get(`/v1/datasets/${datasetId}`, requester)).json()).toMatchObject({ version: 2, name: '市场主体登记信息（修订）' });
    // Only the responsible agency changes its entry.
    const other = await post('/v1/catalog-entries', otherProvider, { ...entry(otherAgency), datasetId });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error.code).toBe('not_provider_dataset');
  });

  it('detects a tampered version: verify names the first version whose hash does not follow', async () => {
    const first = await publishReviewed(provider, entry(providerAgency));
    const datasetId = first.datasetId as string;
    await publishReviewed(provider, { ...entry(providerAgency), datasetId, reason: 'correction' });
    // A database administrator edits version 1 behind the platform's back (the trigger forbids it).
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE dataset_versions DISABLE TRIGGER dataset_versions_insert_only`);
      await tx.execute(sql`UPDATE dataset_versions SET entry = jsonb_set(entry, '{openClass}', '"unconditional"') WHERE dataset_id = ${datasetId} AND version = 1`);
      await tx.execute(sql`ALTER TABLE dataset_versions ENABLE TRIGGER dataset_versions_insert_only`);
    });
    expect((await get(`/v1/datasets/${datasetId}/versions/verify`, requester)).json()).toEqual({ ok: false, versions: 2, firstBroken: 1 });
    const refused = await h.db.execute(sql`UPDATE dataset_versions SET hash = 'x' WHERE dataset_id = ${datasetId}`).then(() => null, (err: Error & { cause?: Error }) => err.cause?.message ?? err.message);
    expect(refused).toMatch(/insert-only/);
  });

  it('refuses what the law and the parties do not allow, and records nothing', async () => {
    const noBasis = await post('/v1/catalog-entries', provider, entry(providerAgency, { legalBasis: undefined }));
    expect(noBasis.statusCode).toBe(422);
    expect(noBasis.json().error.code).toBe('legal_basis_required');
    expect((await post('/v1/catalog-entries', otherProvider, entry(providerAgency))).statusCode).toBe(403);
    expect((await post('/v1/catalog-entries', competent, entry(providerAgency))).statusCode).toBe(403);
    const twice = await post('/v1/catalog-entries', provider, entry(providerAgency, { dataItems: [{ code: 'x-1', name: 'a' }, { code: 'x-1', name: 'b' }] }));
    expect(twice.json().error.code).toBe('duplicate_code');
    const unknown = await post('/v1/catalog-entries', provider, entry(providerAgency, { datasetId: 'no-such-dataset' }));
    expect(unknown.json().error.code).toBe('unknown_dataset');
    expect((await post('/v1/catalog-entries', provider, entry(providerAgency, { dataItems: [] }))).statusCode).toBe(400);
  });
});

describe('一数一源 (sip-2021:8): one source per data item', () => {
  it('shows another agency’s authoritative code as a conflict, and approval names its one source', async () => {
    const code = `uscc-${h.tag}`;
    const held = await publishReviewed(otherProvider, entry(otherAgency, { dataItems: [{ code, name: '统一社会信用代码', authoritative: true }] }));
    const c = await compile(provider, entry(providerAgency, { dataItems: [{ code, name: '统一社会信用代码' }, { code: `own-${h.tag}`, name: '登记状态' }] }));
    const t = (await taskOf(competent, c.caseId))!;
    expect(t.conflicts).toEqual([{ code, datasetId: held.datasetId, providerAgencyId: otherAgency }]);
    expect(t.requiredFields).toMatchObject({ approve: ['sourceOf'] });
    expect((await decide(t, competent, { action: 'approve' })).statusCode).toBe(422);
    const wrong = await decide(t, competent, { action: 'approve', sourceOf: { [code]: 'someone-else' } });
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json().error.code).toBe('source_required');
    expect((await decide(t, competent, { action: 'approve', sourceOf: { [code]: otherAgency } })).statusCode).toBe(200);
    const done = (await get(`/v1/cases/${c.caseId}`, provider)).json();
    expect(done.status).toBe('published');
    const v = (await get(`/v1/datasets/${done.datasetId}/versions`, requester)).json().versions[0];
    expect(v.entry.sourceOf).toEqual({ [code]: otherAgency });
  });
});

describe('approval by the government where the policy says so (sip-2021:8)', () => {
  it('goes to the government after the review, and publishes once it approves', async () => {
    const agencyId = sipProvider.agencyId!;
    const c = await compile(sipProvider, entry(agencyId));
    expect(c.deadlines[0]).toMatchObject({ key: 'review', citation: 'sip-2021:8' });
    expect((await decide((await taskOf(sipCompetent, c.caseId))!, sipCompetent, { action: 'approve' })).statusCode).toBe(200);
    let now = (await get(`/v1/cases/${c.caseId}`, sipProvider)).json();
    expect(now.status).toBe('pending_approval');
    const t = (await taskOf(sipGovernment, c.caseId))!;
    expect(t).toMatchObject({ kind: 'approval', actions: ['approve', 'refuse'], citation: 'sip-2021:8', assignee: { role: 'government', jurisdiction: 'suzhou-sip' } });
    expect((await decide(t, sipGovernment, { action: 'approve' })).statusCode).toBe(200);
    now = (await get(`/v1/cases/${c.caseId}`, sipProvider)).json();
    expect(now).toMatchObject({ status: 'published', outcome: { version: 1, citation: 'sip-2021:8' } });
  });
});

describe('the update duty (cm-draft:8)', () => {
  it('gives the agency 15 working days, met by a published entry that names the duty', async () => {
    const agencyId = cmProvider.agencyId!;
    const res = await post('/v1/catalog-update-duties', cmCompetent, { agencyId, trigger: 'law_change', basis: '《上海市数据条例》修订', description: '开放属性需按新条例调整' });
    expect(res.statusCode, res.body).toBe(201);
    const duty = res.json();
    const due = await deadlineFor(duty.receivedAt, 15);
    expect(duty).toMatchObject({ type: 'catalog-update', status: 'pending_update' });
    expect(duty.deadlines[0]).toMatchObject({ key: 'update', workingDays: 15, dueAt: due.dueAt, citation: 'cm-draft:8' });
    expect(await taskOf(cmProvider, duty.caseId)).toMatchObject({ kind: 'update', actions: ['no_change'] });
    // Chongming's text names no review: the entry is recorded on the chain at once (cm-draft:9).
    const c = await compile(cmProvider, entry(agencyId, { reason: 'law_change', dutyCaseId: duty.caseId }));
    await expect.poll(async () => (await get(`/v1/cases/${c.caseId}`, cmProvider)).json().status).toBe('published');
    await expect.poll(async () => (await get(`/v1/cases/${duty.caseId}`, cmProvider)).json().status).toBe('updated');
    const met = (await get(`/v1/cases/${duty.caseId}`, cmProvider)).json();
    expect(met.outcome).toMatchObject({ basis: 'updated', entryCaseId: c.caseId, version: 1, citation: 'cm-draft:8' });
    expect(await taskOf(cmProvider, duty.caseId)).toBeUndefined();
    // A duty already met cannot be named again.
    const late = await post('/v1/catalog-entries', cmProvider, entry(agencyId, { dutyCaseId: duty.caseId }));
    expect(late.json().error.code).toBe('invalid_duty_case');
  });

  it('is met by no_change with reasons, counts 15 working days under js-2020:10 too, and only the competent department sets it', async () => {
    const res = await post('/v1/catalog-update-duties', competent, { agencyId: providerAgency, trigger: 'duty_change', basis: '机构改革方案', description: '职责调整' });
    expect(res.statusCode, res.body).toBe(201);
    const duty = res.json();
    expect(duty.deadlines[0]).toMatchObject({ workingDays: 15, citation: 'js-2020:10' });
    const t = (await taskOf(provider, duty.caseId))!;
    expect((await decide(t, provider, { action: 'no_change' })).statusCode).toBe(422);
    expect((await decide(t, provider, { action: 'no_change', reason: '本单位目录不受影响' })).statusCode).toBe(200);
    expect((await get(`/v1/cases/${duty.caseId}`, provider)).json()).toMatchObject({ status: 'unchanged', outcome: { basis: 'no_change' } });
    expect((await post('/v1/catalog-update-duties', taizhouCompetent, { agencyId: providerAgency, trigger: 'law_change', basis: 'x', description: 'y' })).statusCode).toBe(403);
    expect((await post('/v1/catalog-update-duties', provider, { agencyId: providerAgency, trigger: 'law_change', basis: 'x', description: 'y' })).statusCode).toBe(403);
  });
});

describe('a withdrawal is a catalog fact (sz-open-2023:38, js-2020:36)', () => {
  const claimant = () => principal(h, ['rights_holder'], undefined, '吴九');
  const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const application = (datasetId: string) => ({
    datasetId,
    title: '门诊量统计研究',
    reason: '公共卫生资源配置',
    deliveryType: 'api',
    usagePeriod: { start: today(), end: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) },
    resultForm: '研究报告',
    scenario: '卫生规划研究',
    commitment: true,
  });

  it('publishes a withdrawn version; new applications and share requests are refused; an application in review ends without access; reopening publishes again', async () => {
    const ds = await dataset(h, providerAgency, 'conditional', { openClass: 'conditional' });
    const user = await principal(h, ['data_user']);
    const pending = await post('/v1/open-data-applications', user, application(ds));
    expect(pending.statusCode, pending.body).toBe(201);
    const approved = await post('/v1/open-data-applications', await principal(h, ['data_user']), application(ds));
    const approvedId = approved.json().caseId as string;
    expect((await decide((await taskOf(provider, approvedId))!, provider, { action: 'approve', purpose: '研究', scope: '汇总' })).statusCode).toBe(200);

    const holder = await claimant();
    const claim = await post('/v1/rights-claims', holder, { datasetId: ds, claim: 'privacy', description: '可识别到本人', materials: ['身份证明'] });
    expect(claim.statusCode, claim.body).toBe(201);
    const v = await decide((await taskOf(provider, claim.json().caseId))!, provider, { action: 'withdraw', reason: '含可识别个人信息' });
    expect(v.statusCode, v.body).toBe(200);
    const claimCase = (await get(`/v1/cases/${claim.json().caseId}`, holder)).json();
    expect(claimCase.outcome).toMatchObject({ basis: 'withdrawn', datasetVersion: 2 });

    const now = (await get(`/v1/datasets/${ds}`, requester)).json();
    expect(now).toMatchObject({ version: 2, withdrawn: true, withdrawnCitation: 'js-2020:36' });
    const versions = (await get(`/v1/datasets/${ds}/versions`, requester)).json().versions;
    expect(versions[1]).toMatchObject({ version: 2, caseId: claim.json().caseId, entry: { withdrawn: true } });

    const refusedApp = await post('/v1/open-data-applications', await principal(h, ['data_user']), application(ds));
    expect(refusedApp.statusCode, refusedApp.body).toBe(409);
    expect(refusedApp.json().error).toMatchObject({ code: 'data_withdrawn', details: { citation: 'js-2020:36' } });
    const refusedShare = await post('/v1/share-requests', requester, shareBody(ds));
    expect(refusedShare.statusCode).toBe(409);
    expect(refusedShare.json().error.code).toBe('data_withdrawn');

    // The applications already running end without access, whatever stage they were in.
    for (const caseId of [pending.json().caseId, approvedId]) {
      await expect.poll(async () => (await get(`/v1/cases/${caseId}`, provider)).json().status).toBe('closed');
      const c = (await get(`/v1/cases/${caseId}`, provider)).json();
      expect(c.outcome).toMatchObject({ basis: 'data_withdrawn', byCase: claim.json().caseId });
      expect(c.grants ?? []).toEqual([]);
    }
    expect((await post(`/v1/cases/${approvedId}/sign-agreement`, provider)).statusCode).toBe(409);

    // Where sz-open-2023:38 is in force (here: extended by the administrator), the provider may
    // reopen the data after processing it: a version that says it is open again.
    const patch = (effectiveTo: string) => h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo } });
    const before = (await h.call('GET', '/v1/policies', { token: h.adminToken })).json().find((p: { id: string }) => p.id === 'sz-open-2023').effectiveTo;
    expect((await patch('2099-12-31')).statusCode).toBe(200);
    try {
      const second = await post('/v1/rights-claims', holder, { datasetId: ds, claim: 'privacy', description: '再次核实', materials: ['说明'] });
      const reopened = await decide((await taskOf(provider, second.json().caseId))!, provider, { action: 'reopen_processed', processing: '已脱敏姓名与证件号' });
      expect(reopened.statusCode, reopened.body).toBe(200);
    } finally {
      await patch(before);
    }
    expect((await get(`/v1/datasets/${ds}`, requester)).json()).toMatchObject({ version: 3, withdrawn: false, withdrawnCitation: 'sz-open-2023:38' });
    expect((await post('/v1/open-data-applications', await principal(h, ['data_user']), application(ds))).statusCode).toBe(201);
    expect((await get(`/v1/datasets/${ds}/versions/verify`, requester)).json()).toEqual({ ok: true, versions: 3 });
  });
});
