// Recorded histories of every workflow replay without nondeterminism against today's code: the
// guard for changes to running workflow logic (which must go behind patched()).
// Record anew with:  RECORD_HISTORIES=1 npx vitest run test/workflows/replay.test.ts
// New recordings carry the name of the kernel change they follow (RECORDED_AFTER), so the
// histories from before each change stay and go on replaying beside them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { inject } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { sql } from 'drizzle-orm';
import { agency, dataset, principal, shareBody } from '../fixtures/actors';
import { eventually, startReceiver, type Receiver } from '../fixtures/webhook-receiver';

// @temporalio/common's historyToJSON uses another copy of protobufjs than the client's history
// objects (npm nests three), so we convert with the History type the client itself used.
const History = proto.temporal.api.history.v1.History;
const DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
/** The latest change to running workflow logic (patched 'supervision-correction-orders', 'withdrawal-in-catalog', 'serial-messages' and their kin; deadlines in hours). */
const RECORDED_AFTER = 'supervision-correction-orders';

describe.runIf(process.env.RECORD_HISTORIES)('recording histories', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  /** POSTs as `token`; the step must succeed. */
  const post = async (url: string, token: string, body: unknown) => {
    const res = await h.call('POST', url, { token, body });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  /** Decides the task of `caseId` in the inbox of `token`. */
  const decide = async (token: string, caseId: string, body: Record<string, unknown>) => {
    const items = (await h.call('GET', '/v1/inbox?limit=200', { token })).json().items as { taskId: string; caseId: string }[];
    return post(`/v1/tasks/${items.find((t) => t.caseId === caseId)!.taskId}/decision`, token, body);
  };
  const save = async (name: string, caseId: string, runId?: string) => {
    const history = await h.client.workflow.getHandle(caseId, runId).fetchHistory();
    writeFileSync(`${DIR}${name}-${RECORDED_AFTER}.json`, JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1));
  };

  it('records one finished case of each path', async () => {
    const req = await agency(h, 'rec-req', 'suzhou');
    const prov = await agency(h, 'rec-prov', 'suzhou-sip');
    const bureau = await agency(h, 'rec-bureau', 'suzhou-sip');
    const requester = await principal(h, ['requester'], req);
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);
    const ops = await principal(h, ['operations'], bureau);

    const uncond = await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'unconditional')));
    await post(`/v1/cases/${uncond.caseId}/dispose`, requester.token, { method: 'delete' });
    await save('share-request-unconditional-disposed', uncond.caseId);

    const joint = await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'conditional'), { accessMode: 'copy' }));
    await decide(competent.token, joint.caseId, { action: 'consent' });
    await decide(competent.token, joint.caseId, { action: 'refuse', legalBasis: '《数据安全法》' });
    await save('share-request-copy-then-refused', joint.caseId);

    const withdrawn = await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'none')));
    await post(`/v1/cases/${withdrawn.caseId}/withdraw`, requester.token, {});
    await save('share-request-withdrawn', withdrawn.caseId);

    const late = await post(
      '/v1/share-requests',
      ops.token,
      shareBody(await dataset(h, prov, 'none'), { registration: { requesterAgencyId: req, receivedAt: '2026-10-09T09:00:00+08:00', channel: 'paper' } }),
    );
    await decide(competent.token, late.caseId, { action: 'order_correction', workingDays: 5, reason: '限期改正' }); // the supervision: a correction task for the provider
    await decide(provider.token, late.caseId, { action: 'provide_desensitised' });
    await post(`/v1/cases/${late.caseId}/dispose`, requester.token, {});
    await save('share-request-escalated-desensitised-disposed', late.caseId);

    const demand = await post('/v1/share-demands', requester.token, { providerAgencyId: prov, description: '企业用工数据', purpose: '就业监测', legalDuty: '《就业促进法》' });
    await decide(provider.token, demand.caseId, { action: 'agree' });
    await decide(provider.token, demand.caseId, { action: 'deliver', datasetId: await dataset(h, prov, 'conditional') });
    await save('share-demand-delivered', demand.caseId);
  });

  // Run alone with -t "open-data" to record only these (the share-request histories stay as they are).
  it('records finished open-data applications and out-of-catalog requests', async () => {
    const prov = await agency(h, 'rec-od-prov', 'suzhou');
    const bureau = await agency(h, 'rec-od-bureau', 'suzhou');
    const applicant = await principal(h, ['data_user']);
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);
    const ops = await principal(h, ['operations'], bureau);
    const experts = await principal(h, ['expert_committee'], bureau);
    const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const apply = async () =>
      post('/v1/open-data-applications', applicant.token, {
        datasetId: await dataset(h, prov, 'conditional', { openClass: 'conditional' }),
        title: '客流研究', reason: '线路优化', deliveryType: 'api', usagePeriod: { start: day(0), end: day(60) }, resultForm: '报告', scenario: '交通规划', commitment: true,
      });

    const shipped = { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' };
    await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2099-12-31' } });
    let full;
    try {
      full = await apply();
    } finally {
      await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: shipped });
    }
    await decide(competent.token, full.caseId, { action: 'not_accept', missingItems: ['成果形式不明确'] });
    await post(`/v1/cases/${full.caseId}/supplement`, applicant.token, { resultForm: '研究报告' });
    await decide(competent.token, full.caseId, { action: 'accept' });
    await decide(provider.token, full.caseId, { action: 'approve', purpose: '线路优化', scope: '站点级客流' });
    await post(`/v1/cases/${full.caseId}/sign-agreement`, applicant.token, {});
    await post(`/v1/cases/${full.caseId}/sign-agreement`, provider.token, {});
    await post(`/v1/cases/${full.caseId}/request-results`, ops.token, { materials: '研究报告' });
    await post(`/v1/cases/${full.caseId}/submit-results`, applicant.token, { description: '报告', materials: ['r.pdf'] });
    await post(`/v1/cases/${full.caseId}/report-breach`, provider.token, { measure: 'restrict', description: '超范围', basis: '协议第二条' });
    await post(`/v1/cases/${full.caseId}/lift-restriction`, provider.token, { reason: '已整改' });
    await post(`/v1/cases/${full.caseId}/report-breach`, competent.token, { measure: 'close', description: '转供第三方', basis: '协议第五条', publish: true });
    await save('open-data-application-supplemented-signed-revoked', full.caseId);

    const rejected = await apply();
    await decide(provider.token, rejected.caseId, { action: 'refuse', reason: '涉及个人信息', legalBasis: '《个人信息保护法》第十三条' });
    await save('open-data-application-rejected', rejected.caseId);

    const withdrawn = await apply();
    await decide(provider.token, withdrawn.caseId, { action: 'approve', purpose: 'p', scope: 's' });
    await post(`/v1/cases/${withdrawn.caseId}/sign-agreement`, applicant.token, {});
    await post(`/v1/cases/${withdrawn.caseId}/withdraw`, applicant.token, {});
    await save('open-data-application-withdrawn-while-signing', withdrawn.caseId);

    const oc = await post('/v1/open-data-requests', applicant.token, { providerAgencyId: prov, title: '目录外数据', description: 'd', reason: 'r', scenario: 's', commitment: true });
    await decide(provider.token, oc.caseId, { action: 'request_expert_opinion', question: 'q' });
    await decide(experts.token, oc.caseId, { action: 'give_opinion', opinion: 'o' });
    await decide(provider.token, oc.caseId, { action: 'approve', privacyReview: 'p', legalityReview: 'l', answer: 'a', purpose: 'p', scope: 's' });
    await save('open-data-request-expert-answered', oc.caseId);
  });

  it('records finished objections, quality rectifications and rights claims', async () => {
    const prov = await agency(h, 'rec-p4-prov', 'suzhou');
    const bureau = await agency(h, 'rec-p4-bureau', 'suzhou');
    const reporter = await principal(h, ['data_user']);
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);

    const obj = await post('/v1/objections', reporter.token, { datasetId: await dataset(h, prov, 'unconditional'), kind: 'error', description: '地址错误' });
    await post(`/v1/cases/${obj.caseId}/request-extension`, provider.token, { reason: '需协商', workingDays: 15 });
    await decide(competent.token, obj.caseId, { action: 'approve' });
    await decide(provider.token, obj.caseId, { action: 'reject', reason: '无误' });
    await post(`/v1/cases/${obj.caseId}/dispute`, reporter.token, { reason: '有误' });
    await decide(provider.token, obj.caseId, { action: 'reject', reason: '仍无误' });
    await post(`/v1/cases/${obj.caseId}/dispute`, reporter.token, { reason: '仍有误' });
    await decide(competent.token, obj.caseId, { action: 'order_correction', instruction: '更正' });
    await decide(provider.token, obj.caseId, { action: 'correct', correction: '已更正' });
    await save('objection-extended-disputed-twice-ordered', obj.caseId);

    const qr = await post('/v1/quality-rectifications', competent.token, { datasetId: await dataset(h, prov, 'unconditional'), findings: ['空值', '重复'] });
    await decide(provider.token, qr.caseId, { action: 'submit', finding1: '已补', finding2: '已去重' });
    await decide(competent.token, qr.caseId, { action: 'reopen', reason: '仍有空值' });
    await decide(provider.token, qr.caseId, { action: 'submit', finding1: '已全部补齐', finding2: '已去重' });
    await decide(competent.token, qr.caseId, { action: 'close' });
    await save('quality-rectification-reopened-closed', qr.caseId);

    const rc = await post('/v1/rights-claims', reporter.token, { datasetId: await dataset(h, prov, 'unconditional'), claim: 'privacy', description: '可识别本人' });
    await decide(provider.token, rc.caseId, { action: 'withdraw', reason: '含个人信息' });
    await save('rights-claim-withdrawn', rc.caseId);
  });

  // Run alone with -t "catalog" to record only these.
  it('records the catalog: an entry returned, resubmitted and published with its one source; an update duty met by it; a withdrawal as a catalog fact', async () => {
    const prov = await agency(h, 'rec-c-prov', 'suzhou-sip');
    const other = await agency(h, 'rec-c-other', 'suzhou-sip');
    const bureau = await agency(h, 'rec-c-bureau', 'suzhou-sip');
    const provider = await principal(h, ['provider'], prov);
    const otherProvider = await principal(h, ['provider'], other);
    const competent = await principal(h, ['competent'], bureau);
    const government = await principal(h, ['government'], bureau);
    const user = await principal(h, ['data_user']);
    const holder = await principal(h, ['rights_holder']);
    const entry = (agencyId: string, extra: Record<string, unknown> = {}) => ({
      providerAgencyId: agencyId, name: '企业登记', content: '名称、代码', source: '登记系统', shareClass: 'unconditional', openClass: 'conditional',
      legalBasis: '《条例》', updateCycle: '每日', format: 'API', dataItems: [{ code: 'rec-uscc', name: '统一社会信用代码' }], reason: 'new', ...extra,
    });
    const held = await post('/v1/catalog-entries', otherProvider.token, entry(other, { dataItems: [{ code: 'rec-uscc', name: '统一社会信用代码', authoritative: true }] }));
    await decide(competent.token, held.caseId, { action: 'approve' });
    await decide(government.token, held.caseId, { action: 'approve' });

    const duty = await post('/v1/catalog-update-duties', competent.token, { agencyId: prov, trigger: 'law_change', basis: '条例修订', description: '更新' });
    const ce = await post('/v1/catalog-entries', provider.token, entry(prov, { reason: 'law_change', dutyCaseId: duty.caseId }));
    await decide(competent.token, ce.caseId, { action: 'return', issues: ['补充格式'] });
    await post(`/v1/cases/${ce.caseId}/resubmit`, provider.token, { format: 'API/CSV' });
    await decide(competent.token, ce.caseId, { action: 'approve', sourceOf: { 'rec-uscc': other } });
    await decide(government.token, ce.caseId, { action: 'approve' });
    await save('catalog-entry-returned-resubmitted-published', ce.caseId);
    for (let i = 0; i < 50 && (await h.call('GET', `/v1/cases/${duty.caseId}`, { token: provider.token })).json().status !== 'updated'; i++) await new Promise((r) => setTimeout(r, 50));
    await save('catalog-update-met-by-entry', duty.caseId);

    const ds = held.datasetId as string;
    const app = await post('/v1/open-data-applications', user.token, {
      datasetId: ds, title: '研究', reason: 'r', deliveryType: 'api', usagePeriod: { start: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), end: '2099-01-01' }, resultForm: '报告', scenario: 's', commitment: true,
    });
    const rc = await post('/v1/rights-claims', holder.token, { datasetId: ds, claim: 'privacy', description: '可识别本人' });
    await decide(otherProvider.token, rc.caseId, { action: 'withdraw', reason: '含个人信息' });
    await save('rights-claim-withdrawn-catalog-fact', rc.caseId);
    for (let i = 0; i < 50 && (await h.call('GET', `/v1/cases/${app.caseId}`, { token: user.token })).json().status !== 'closed'; i++) await new Promise((r) => setTimeout(r, 50));
    await save('open-data-application-closed-data-withdrawn', app.caseId);
  });

  // Run alone with -t "leak" to record only these.
  it('records a rights claim whose provider found a leak, and the security incident it opened', async () => {
    const prov = await agency(h, 'rec-leak-prov', 'suzhou');
    const provider = await principal(h, ['provider'], prov);
    const holder = await principal(h, ['rights_holder']);
    const rc = await post('/v1/rights-claims', holder.token, { datasetId: await dataset(h, prov, 'unconditional', { openClass: 'conditional' }), claim: 'privacy', description: '可识别本人' });
    const decided = await decide(provider.token, rc.caseId, { action: 'withdraw', leak: true, reason: '已泄露' });
    await save('rights-claim-leak-opened-incident', rc.caseId);
    const incident = decided.outcome.incidentCaseId as string;
    for (let i = 0; i < 50 && (await h.call('GET', `/v1/cases/${incident}`, { token: provider.token })).json().deadlines?.length !== 3; i++) await new Promise((r) => setTimeout(r, 50));
    await save('security-incident-opened-by-claim', incident);
  });

  // Run alone with -t "kernel" to record only these.
  it('records the kernel at work: claims and a hand-over, a step that needed attention and was retried, a case continued as new', async () => {
    const prov = await agency(h, 'rec-k-prov', 'suzhou');
    const req = await agency(h, 'rec-k-req', 'suzhou');
    const centre = await agency(h, 'rec-k-centre', 'suzhou');
    const requester = await principal(h, ['requester'], req);
    const provider = await principal(h, ['provider'], prov);
    const colleague = await principal(h, ['provider'], prov);
    const ops = await principal(h, ['operations'], centre);
    const user = await principal(h, ['data_user']);

    const claimed = await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'conditional')));
    const task = ((await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items as { taskId: string; caseId: string }[]).find((t) => t.caseId === claimed.caseId)!;
    await post(`/v1/tasks/${task.taskId}/claim`, provider.token, {});
    await post(`/v1/tasks/${task.taskId}/assign`, provider.token, { principalId: colleague.id });
    await post(`/v1/tasks/${task.taskId}/decision`, colleague.token, { action: 'approve', reason: '符合履职需要' });
    await post(`/v1/cases/${claimed.caseId}/dispose`, requester.token, { method: '删除' });
    await save('share-request-claimed-handed-over-disposed', claimed.caseId);

    const ds = await dataset(h, prov, 'conditional');
    const stuck = await post('/v1/share-requests', requester.token, shareBody(ds));
    await h.db.execute(sql.raw(`ALTER TABLE access_grants ADD CONSTRAINT rec_block CHECK (dataset_id <> '${ds}')`));
    try {
      const res = await h.call('POST', `/v1/tasks/${stuck.caseId}.provider_review.1/decision`, { token: provider.token, body: { action: 'approve' } });
      expect(res.statusCode, res.body).toBe(409);
    } finally {
      await h.db.execute(sql.raw('ALTER TABLE access_grants DROP CONSTRAINT IF EXISTS rec_block'));
    }
    await post(`/v1/cases/${stuck.caseId}/retry`, ops.token, {});
    await save('share-request-needed-attention-retried', stuck.caseId);

    const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const od = await post('/v1/open-data-applications', user.token, {
      datasetId: await dataset(h, prov, 'conditional', { openClass: 'conditional' }),
      title: '客流研究', reason: '线路优化', deliveryType: 'api', usagePeriod: { start: day(0), end: day(365) }, resultForm: '报告', scenario: '交通规划', commitment: true,
    });
    await decide(provider.token, od.caseId, { action: 'approve', purpose: '线路优化', scope: '站点级客流' });
    await post(`/v1/cases/${od.caseId}/sign-agreement`, user.token, {});
    await post(`/v1/cases/${od.caseId}/sign-agreement`, provider.token, {});
    const handle = h.client.workflow.getHandle(od.caseId);
    const firstRun = (await handle.describe()).runId;
    for (let i = 1; (await handle.describe()).runId === firstRun; i++) {
      expect(i).toBeLessThan(60);
      await post(`/v1/cases/${od.caseId}/submit-results`, user.token, { description: `报告 ${i}`, materials: [`r-${i}.pdf`] });
    }
    await post(`/v1/cases/${od.caseId}/report-breach`, provider.token, { measure: 'close', description: '转供第三方', basis: '协议第五条' });
    await save('open-data-application-continued-as-new-first-run', od.caseId, firstRun);
    await save('open-data-application-continued-as-new-closed', od.caseId);
  });

  // Run alone with -t "security incidents" to record only these.
  it('records security incidents: with and without personal information, and one found late that escalated at once', async () => {
    const prov = await agency(h, 'rec-p9-prov', 'suzhou-sip');
    const bureau = await agency(h, 'rec-p9-bureau', 'suzhou-sip');
    const cac = await agency(h, 'rec-p9-cac', 'suzhou-sip');
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);
    const cyberspace = await principal(h, ['cyberspace'], cac);
    const incident = (personalInformation: boolean, hoursAgo: number) =>
      post('/v1/security-incidents', provider.token, { kind: 'leak', description: '接口被批量调用', personalInformation, detectedAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() });
    const decideKind = async (token: string, caseId: string, kind: string, body: Record<string, unknown>) => {
      const items = (await h.call('GET', '/v1/inbox?limit=200', { token })).json().items as { taskId: string; caseId: string; kind: string }[];
      return post(`/v1/tasks/${items.find((t) => t.caseId === caseId && t.kind === kind)!.taskId}/decision`, token, body);
    };
    const respond = async (caseId: string, personalInformation: boolean) => {
      await decideKind(provider.token, caseId, 'remediation', { action: 'complete', measures: '关闭接口，吊销密钥' });
      await decideKind(competent.token, caseId, 'report', { action: 'acknowledge' });
      await decideKind(cyberspace.token, caseId, 'report', { action: 'acknowledge' });
      if (personalInformation) await decideKind(provider.token, caseId, 'notification', { action: 'notify', notifiedCount: 12, channel: '短信' });
    };

    const pi = await incident(true, 1);
    const early = await h.call('POST', `/v1/cases/${pi.caseId}/close`, { token: competent.token, body: { summary: '太早' } });
    expect(early.statusCode).toBe(409);
    await respond(pi.caseId, true);
    await post(`/v1/cases/${pi.caseId}/close`, competent.token, { summary: '已处置' });
    await save('security-incident-personal-information-closed', pi.caseId);

    const plain = await incident(false, 1);
    await respond(plain.caseId, false);
    await post(`/v1/cases/${plain.caseId}/close`, competent.token, { summary: '已处置' });
    await save('security-incident-closed', plain.caseId);

    // Found 25 hours ago: remediation and both reports are already late and escalate at once.
    const late = await incident(false, 25);
    await decideKind(competent.token, late.caseId, 'supervision', { action: 'order_correction', workingDays: 5, reason: '限期改正' });
    await respond(late.caseId, false);
    await post(`/v1/cases/${late.caseId}/close`, competent.token, { summary: '逾期处置' });
    await save('security-incident-escalated-closed', late.caseId);

    // A working-day case after hours came to the kernel: the same commands as before.
    const qr = await post('/v1/quality-rectifications', competent.token, { datasetId: await dataset(h, prov, 'unconditional'), findings: ['空值'] });
    await decide(provider.token, qr.caseId, { action: 'submit', finding1: '已补' });
    await decide(competent.token, qr.caseId, { action: 'close' });
    await save('quality-rectification-closed', qr.caseId);
  });

  // Run alone with -t "through the cases" to record only these.
  it('records a rights claim withdrawing data that an open-data case holds, through the cases', async () => {
    const prov = await agency(h, 'rec-p6-prov', 'suzhou');
    const user = await principal(h, ['data_user']);
    const provider = await principal(h, ['provider'], prov);
    const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const ds = await dataset(h, prov, 'unconditional', { openClass: 'conditional' });
    const od = await post('/v1/open-data-applications', user.token, {
      datasetId: ds, title: '门诊量研究', reason: '资源配置', deliveryType: 'api', usagePeriod: { start: day(0), end: day(60) }, resultForm: '报告', scenario: '卫生规划', commitment: true,
    });
    await decide(provider.token, od.caseId, { action: 'approve', purpose: 'p', scope: 's' });
    await post(`/v1/cases/${od.caseId}/sign-agreement`, user.token, {});
    await post(`/v1/cases/${od.caseId}/sign-agreement`, provider.token, {});
    const rc = await post('/v1/rights-claims', user.token, { datasetId: ds, claim: 'privacy', description: '可识别本人' });
    await decide(provider.token, rc.caseId, { action: 'withdraw', reason: '含个人信息' });
    for (let i = 0; i < 100 && (await h.call('GET', `/v1/cases/${od.caseId}`, { token: user.token })).json().status !== 'restricted'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await save('rights-claim-withdrawn-through-cases', rc.caseId);
    await save('open-data-application-withdrawn-by-claim', od.caseId); // still running: access stays suspended
  });

  // Run alone with -t "third-party" to record only these.
  it('records third-party authorisations: returned, resubmitted, filed and revoked; revoked before filing', async () => {
    const prov = await agency(h, 'rec-p10-prov', 'suzhou-sip');
    const bureau = await agency(h, 'rec-p10-bureau', 'suzhou-sip');
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);
    const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const [a, b] = [await dataset(h, prov, 'conditional'), await dataset(h, prov, 'none')];
    const body = {
      thirdParty: { name: '园区数据服务有限公司', creditCode: '91350100M000100Y43' },
      purpose: '清洗建库', datasetIds: [a, b], scope: '仅清洗', from: day(0), until: day(365),
    };

    const returned = await post('/v1/third-party-authorisations', provider.token, body);
    await decide(competent.token, returned.caseId, { action: 'return', issues: ['范围过宽'] });
    await post(`/v1/cases/${returned.caseId}/resubmit`, provider.token, { datasetIds: [a], note: '已收窄' });
    await decide(competent.token, returned.caseId, { action: 'file' });
    await post(`/v1/cases/${returned.caseId}/revoke`, competent.token, { reason: '超越授权范围' });
    await save('third-party-authorisation-returned-resubmitted-filed-revoked', returned.caseId);

    const pending = await post('/v1/third-party-authorisations', provider.token, body);
    await post(`/v1/cases/${pending.caseId}/revoke`, provider.token, {});
    await save('third-party-authorisation-revoked-before-filing', pending.caseId);
  });

  // Run alone with -t "reassessments" to record only these.
  it('records periodic reassessments: a schedule’s run opening two cases, one kept, one reclassified into a catalog entry', async () => {
    const prov = await agency(h, 'rec-p11-prov', 'suzhou-sip');
    const provider = await principal(h, ['provider'], prov);
    const [a, b] = [await dataset(h, prov, 'conditional', { openClass: 'conditional' }), await dataset(h, prov, 'conditional', { openClass: 'conditional' })];
    const schedule = await post('/v1/reassessment-schedules', h.adminToken, { jurisdiction: 'suzhou-sip', openClass: 'conditional', every: 'P6M', providerAgencyId: prov });
    const handle = h.client.schedule.getHandle(schedule.id);
    try {
      await post(`/v1/reassessment-schedules/${schedule.id}/trigger`, h.adminToken, {});
      let runId: string | undefined;
      for (let i = 0; i < 200 && !runId; i++) {
        runId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!runId) await new Promise((r) => setTimeout(r, 100));
      }
      const run = (await h.client.workflow.getHandle(runId!).result()) as { opened: string[] };
      const [kept, reclassified] = [run.opened.find((id) => id.endsWith(a))!, run.opened.find((id) => id.endsWith(b))!];
      for (const id of [kept, reclassified]) {
        for (let i = 0; i < 200 && (await h.call('GET', `/v1/cases/${id}`, { token: h.adminToken })).json().status !== 'pending_reassessment'; i++) await new Promise((r) => setTimeout(r, 50));
      }
      await decide(provider.token, kept, { action: 'keep', reason: '仍需协议' });
      await decide(provider.token, reclassified, { action: 'reclassify', openClass: 'unconditional', reason: '已脱敏' });
      for (const id of [kept, reclassified]) {
        for (let i = 0; i < 200 && (await h.client.workflow.getHandle(id).describe()).status.name !== 'COMPLETED'; i++) await new Promise((r) => setTimeout(r, 50));
      }
      await save('reassessment-run', runId!);
      await save('reassessment-kept', kept);
      await save('reassessment-reclassified', reclassified);
    } finally {
      await handle.delete();
    }
  });

  // Run alone with -t "disputes" to record only these.
  it('records disputes: resolved; determined by the department with a catalog entry; referred to experts and determined by the government', async () => {
    const a = await agency(h, 'rec-p8-a', 'suzhou-sip');
    const b = await agency(h, 'rec-p8-b', 'suzhou-sip');
    const bureau = await agency(h, 'rec-p8-bureau', 'suzhou-sip');
    const [provA, provB] = [await principal(h, ['provider'], a), await principal(h, ['provider'], b)];
    const competent = await principal(h, ['competent'], bureau);
    const experts = await principal(h, ['expert_committee'], bureau);
    const government = await principal(h, ['government'], bureau);
    const body = { subject: 'sharing', counterpartAgencyIds: [b], description: '共享范围争议' };

    const resolved = await post('/v1/disputes', provA.token, body);
    await decide(provA.token, resolved.caseId, { action: 'agree', resolution: '按季度共享' });
    await decide(provB.token, resolved.caseId, { action: 'agree', resolution: '同意' });
    await save('dispute-resolved', resolved.caseId);

    const source = await post('/v1/disputes', provA.token, { ...body, subject: 'catalog_source', datasetId: await dataset(h, a, 'conditional') });
    await decide(provB.token, source.caseId, { action: 'fail', reason: '我局为来源' });
    await decide(competent.token, source.caseId, { action: 'determine', determination: '税务局为来源', providerAgencyId: b });
    await save('dispute-determined-catalog-entry', source.caseId);

    expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2099-12-31' } })).statusCode).toBe(200);
    let open: { caseId: string };
    try {
      open = await post('/v1/disputes', provA.token, { ...body, subject: 'open_provider', datasetId: await dataset(h, a, 'conditional') });
    } finally {
      await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' } });
    }
    await decide(provA.token, open.caseId, { action: 'fail', reason: '应由税务局开放' });
    await decide(competent.token, open.caseId, { action: 'refer_to_experts' });
    await decide(experts.token, open.caseId, { action: 'opinion', opinion: '建议税务局' });
    await decide(government.token, open.caseId, { action: 'determine', determination: '由税务局开放', providerAgencyId: b });
    await save('dispute-referred-to-experts-determined', open.caseId);
  });
});

// The platform's webhook dispatcher (not a process's): its own harness, with loopback deliveries.
describe.runIf(process.env.RECORD_HISTORIES)('recording the webhook dispatcher', () => {
  let h: Harness;
  let rx: Receiver;
  beforeAll(async () => {
    h = await startHarness({ webhooks: { allowLoopback: true, dispatch: { initialIntervalMs: 200, maximumIntervalMs: 1_000, retryForMs: 8_000, attemptTimeoutMs: 2_000, pollMs: 500 } } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await h?.close();
    await rx?.close();
  });

  it('records a dispatcher delivering a case\'s event, retried after a 500, until its subscription is deleted', async () => {
    const req = await agency(h, 'rec-wh-req', 'suzhou');
    const prov = await agency(h, 'rec-wh-prov', 'suzhou');
    const requester = await principal(h, ['requester'], req);
    const sub = (await h.call('POST', '/v1/webhooks', { token: requester.token, body: { url: rx.url('/rec'), events: ['case.created', 'case.status_changed', 'task.opened'] } })).json();
    rx.answer('/rec', (_r, nth) => (nth === 1 && rx.on('/rec').length === 1 ? 500 : 200));
    const c = (await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(await dataset(h, prov, 'unconditional')) })).json();
    const log = async () => (await h.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { token: requester.token })).json() as { status: string }[];
    await eventually(async () => (await log()).every((d) => d.status === 'delivered') && rx.unique('/rec').length >= 1, 30_000, `deliveries of ${c.caseId}`).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(await log())}, received ${rx.requests.length}`);
    });
    expect((await h.call('DELETE', `/v1/webhooks/${sub.id}`, { token: requester.token })).statusCode).toBe(204);
    const handle = h.client.workflow.getHandle(`webhook-dispatcher:${sub.id}`);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 30_000, 'the dispatcher to end');
    const history = await handle.fetchHistory();
    writeFileSync(`${DIR}webhook-dispatcher-delivered-retried-deleted-${RECORDED_AFTER}.json`, JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1));
  });
});

describe('replaying recorded histories', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = History.fromObject(JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file.replace(/\.json$/, ''));
  });
});
