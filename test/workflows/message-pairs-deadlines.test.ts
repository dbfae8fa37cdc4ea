// One message at a time per case (API-2.md "Integrity", issue 16): a message arriving just as a
// deadline falls due, for every process whose deadline can meet a party's message — a decision or
// a case action against deemed consent (P1) or an escalation (P3, P4, P5, P6). Cases run on
// Temporal's time-skipping server with real activities and PostgreSQL; the messages go through the
// real API (built on the time-skipping client), so refusals have the HTTP error shape. Each pair
// runs four rounds on fresh cases: the message one second before dueAt (it comes first), the
// message and the server's clock both heading for dueAt, one or the other a little ahead (either
// may come first), and the message at dueAt (the deadline comes first). Every round checks the answer against the case and drives
// the case on to a lawful end.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app';
import type { Db } from '../../src/db/client';
import { tasks } from '../../src/db/schema';
import { addDays, shanghaiDate } from '../../src/domain/calendar';
import type { CaseStart } from '../../src/domain/cases';
import { POLICIES, resolveRules, type ProcessId } from '../../src/domain/policies';
import { HARNESS_LIMITS } from '../fixtures/harness';
import { expectError } from '../fixtures/errors';
import type { TimeSkippingEnv } from '../fixtures/time-skipping';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let env: TimeSkippingEnv;
let db: Db;
let app: FastifyInstance;
let cases: CaseEnv;
let taskQueue: string;
const adminToken = randomBytes(16).toString('hex');
const tag = randomBytes(3).toString('hex');

type Res = LightMyRequestResponse;
type Json = Record<string, any>;
interface Actor {
  id: string;
  token: string;
}
const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: body as object | undefined });

let requesterAgency: string, providerAgency: string, bureau: string;
let requester: Actor, provider: Actor, competent: Actor, applicant: Actor, reporter: Actor, claimant: Actor;

async function makeAgency(name: string): Promise<string> {
  const res = await call('POST', '/v1/agencies', adminToken, { id: `${name}-${tag}`, name, jurisdiction: 'suzhou' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}
async function makePrincipal(roles: string[], agencyId?: string): Promise<Actor> {
  const res = await call('POST', '/v1/principals', adminToken, { name: roles.join('+'), roles, agencyId });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, token: res.json().token };
}

beforeAll(async () => {
  cases = await startCaseEnv();
  ({ env, db, taskQueue } = cases);
  // The API on the time-skipping server: cases are started below with the server's clock, messages go through the routes.
  app = await buildApp({ db, temporal: env.client, taskQueue, adminToken, limits: HARNESS_LIMITS });
  requesterAgency = await makeAgency('tsp-req');
  providerAgency = await makeAgency('tsp-prov');
  bureau = await makeAgency('tsp-bureau');
  requester = await makePrincipal(['requester'], requesterAgency);
  provider = await makePrincipal(['provider'], providerAgency);
  competent = await makePrincipal(['competent'], bureau);
  applicant = await makePrincipal(['data_user']);
  reporter = await makePrincipal(['data_user']);
  claimant = await makePrincipal(['rights_holder']);
  // The dataset the cases are about is in the catalog, as every create route requires (a rights
  // claim's withdrawal publishes a version of it).
  const ds = await call('POST', '/v1/datasets', adminToken, { id: DATASET.id, name: DATASET.name, providerAgencyId: providerAgency, shareClass: 'unconditional', openClass: 'conditional', legalBasis: '《个人信息保护法》' });
  expect(ds.statusCode, ds.body).toBe(201);
  // Time moves forward from here for the whole file (rounds follow each other in server time).
  await env.sleepUntil('2032-03-01T02:00:00Z');
});
afterAll(async () => {
  await app?.close();
  await cases?.close();
});

const post = (url: string, a: Actor, body: Record<string, unknown> = {}) => call('POST', url, a.token, body);
const decide = (taskId: string, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${taskId}/decision`, a, body);
const act = (caseId: string, action: string, a: Actor, body: Record<string, unknown> = {}) => post(`/v1/cases/${caseId}/${action}`, a, body);
const view = async (caseId: string): Promise<Json> => (await call('GET', `/v1/cases/${caseId}`, adminToken)).json();
const events = (c: Json): string[] => c.history.map((e: { event: string }) => e.event);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openTasks = (caseId: string) => db.select().from(tasks).where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));

/** The open task of `kind`, once it is there. */
async function taskOf(caseId: string, kind: string) {
  for (let i = 0; i < 200; i++) {
    const t = (await openTasks(caseId)).find((x) => x.kind === kind);
    if (t) return t;
    await sleep(25);
  }
  throw new Error(`no open ${kind} task on ${caseId}: ${events(await view(caseId)).join(', ')}`);
}

/** The case once `until` holds (a timer's consequence is committed a moment after the clock passes it). */
async function viewWhen(caseId: string, until: (c: Json) => boolean): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const c = await view(caseId);
    if (until(c)) return c;
    await sleep(25);
  }
  throw new Error(`case ${caseId} did not get there: ${JSON.stringify(await view(caseId)).slice(0, 600)}`);
}

function ok(res: Res): Json {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
  return res.json();
}

/** No dead end: the case is in `status` with no task left open. */
async function ended(caseId: string, status: string): Promise<Json> {
  const c = await view(caseId);
  expect(c.status).toBe(status);
  expect((await openTasks(caseId)).map((t) => t.kind)).toEqual([]);
  return c;
}

function inOrder(c: Json, first: string, then: string) {
  const e = events(c);
  expect(e.indexOf(first), `${first} before ${then}: ${e.join(', ')}`).toBeGreaterThanOrEqual(0);
  expect(e.indexOf(first), `${first} before ${then}: ${e.join(', ')}`).toBeLessThan(e.lastIndexOf(then));
}

// ---- starting cases at the server's clock ------------------------------------------------------------

const DATASET = { id: `ds-tsp-${tag}`, name: '测试数据', jurisdiction: 'suzhou' };

async function start(workflowType: string, prefix: string, processKey: ProcessId, input: (base: CaseStart) => Record<string, unknown>): Promise<string> {
  const caseId = `${prefix}-tsp-${randomUUID()}`;
  const receivedAt = (await env.currentTime()).toISOString();
  const base: CaseStart = {
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: '',
    jurisdiction: 'suzhou',
    policy: resolveRules(POLICIES, 'suzhou', processKey, shanghaiDate(receivedAt)),
  };
  await env.client.workflow.start(workflowType, { taskQueue, workflowId: caseId, args: [{ ...base, ...input(base) }] });
  started.push(caseId);
  return caseId;
}

/**
 * The cases a test started. Java's time-skipping server now and then refuses a workflow task
 * completion of a message racing a timer ("invalid history builder state for action"): that one
 * workflow then retries its task for ever, and a pending task locks time skipping for every test
 * after it. So each test ends by terminating what it started, and a test the server broke runs
 * once more on fresh cases (retry: 1) — a product defect fails both runs.
 */
const started: string[] = [];
afterEach(async () => {
  for (const id of started.splice(0)) {
    await env.client.workflow.getHandle(id).terminate('test finished').catch(() => undefined);
  }
});

interface Case {
  caseId: string;
  taskId: string;
  dueAt: number;
}

/** The case and its task whose deadline the message will meet. */
async function opened(caseId: string, kind: string): Promise<Case> {
  const t = await taskOf(caseId, kind);
  expect(t.dueAt, `${kind} has a deadline`).not.toBeNull();
  return { caseId, taskId: t.taskId, dueAt: t.dueAt!.getTime() };
}

const shareRequest = async () =>
  opened(
    await start('shareRequest', 'share-request', 'share-request', () => ({
      createdBy: requester.id,
      requester: { principalId: requester.id, agencyId: requesterAgency },
      dataset: { ...DATASET, providerAgencyId: providerAgency, shareClass: 'conditional', legalBasis: 'x', fields: [] },
      request: { datasetId: DATASET.id, purpose: '核验', scenario: '审批', legalDuty: '《行政许可法》第三十四条', accessMode: 'api', commitment: true },
    })),
    'provider_review',
  );

const openDataApplication = async () =>
  opened(
    await start('openDataApplication', 'open-data-application', 'open-data-application', (b) => {
      const today = shanghaiDate(b.receivedAt);
      return {
        createdBy: applicant.id,
        applicant: { principalId: applicant.id, name: '苏州某科技有限公司' },
        dataset: { ...DATASET, providerAgencyId: providerAgency, providerName: '测试局', openClass: 'conditional', legalBasis: 'x' },
        application: { datasetId: DATASET.id, title: '客流研究', reason: '线路优化', deliveryType: 'api', usagePeriod: { start: today, end: addDays(today, 60) }, resultForm: '报告', scenario: '交通规划', commitment: true },
      };
    }),
    'provider_review',
  );

const openDataRequest = async () =>
  opened(
    await start('openDataRequest', 'open-data-request', 'open-data-application', () => ({
      createdBy: applicant.id,
      applicant: { principalId: applicant.id, name: '苏州某科技有限公司' },
      provider: { agencyId: providerAgency, name: '测试局' },
      request: { providerAgencyId: providerAgency, title: '目录外数据', description: '按小区汇总的起讫点', reason: '研究', scenario: '规划', commitment: true },
    })),
    'provider_review',
  );

const objection = async () =>
  opened(
    await start('objection', 'objection', 'objection', () => ({
      createdBy: reporter.id,
      reporter: { principalId: reporter.id, agencyId: null },
      dataset: { ...DATASET, providerAgencyId: providerAgency },
      objection: { datasetId: DATASET.id, kind: 'error', description: '地址字段错误' },
    })),
    'correction',
  );

const findings = ['“注册资本”字段存在空值', '更新频率与目录不符'];
const REPORTS = { finding1: '已补全', finding2: '已改为每日' };
const rectification = async () =>
  opened(
    await start('qualityRectification', 'quality-rectification', 'quality-rectification', () => ({
      createdBy: competent.id,
      auditor: { principalId: competent.id, agencyId: bureau, role: 'competent' },
      dataset: { ...DATASET, providerAgencyId: providerAgency },
      rectification: { datasetId: DATASET.id, findings },
    })),
    'rectification',
  );

const rightsClaim = async () =>
  opened(
    await start('rightsClaim', 'rights-claim', 'rights-claim', () => ({
      createdBy: claimant.id,
      claimant: { principalId: claimant.id, agencyId: null },
      dataset: { ...DATASET, providerAgencyId: providerAgency },
      claim: { datasetId: DATASET.id, claim: 'privacy', description: '可识别到本人' },
    })),
    'verification',
  );

// ---- the table ---------------------------------------------------------------------------------

type Timing = 'before' | 'racing, message ahead' | 'racing, clock ahead' | 'at';
/**
 * When the message is sent: one second before dueAt; 40 ms before it while the clock is also
 * moved on past it (25 ms later, or at once); at dueAt.
 */
const TIMINGS: Timing[] = ['before', 'racing, message ahead', 'racing, clock ahead', 'at'];

interface Row {
  process: string;
  kind: 'decision × deadline' | 'case action × deadline';
  behaviour: string;
  setup: () => Promise<Case>;
  message: { label: string; by: () => Actor; send: (c: Case) => Promise<Res> };
  deadline: string;
  /** Checks the answer against the case, then drives the case to a lawful end. */
  check: (c: Case, res: Res) => Promise<void>;
}

/** Sends the message at `timing`, and moves the clock past dueAt (so the deadline has fired either way). */
async function meet(r: Row, c: Case, timing: Timing): Promise<Res> {
  let res: Res;
  if (timing === 'before') {
    await env.sleepUntil(c.dueAt - SECOND);
    res = await r.message.send(c);
  } else if (timing === 'at') {
    await env.sleepUntil(c.dueAt);
    res = await r.message.send(c);
  } else {
    await env.sleepUntil(c.dueAt - 40);
    const clockLag = timing === 'racing, message ahead' ? 25 : 0;
    [res] = await Promise.all([r.message.send(c), sleep(clockLag).then(() => env.sleepUntil(c.dueAt + SECOND))]);
  }
  await env.sleepUntil(c.dueAt + SECOND);
  return res;
}

const BREACH = { measure: 'close', description: '向第三方提供数据', basis: '协议第五条' };
const APPROVAL = { action: 'approve', purpose: '线路优化研究', scope: '按站点汇总的客流' };
const DEADLINE_EVENTS = ['deadline_passed', 'deadline_missed'];
/**
 * Whether the deadline was applied before the message (from the case's history): its first entry
 * against the message's first entry by the sender since the task opened (none: refused, or not yet).
 */
function deadlineFirst(c: Json, sender: Actor): boolean {
  const h = c.history as { actor: string; event: string }[];
  const opened = h.findIndex((e) => e.event === 'task_opened');
  const deadline = h.findIndex((e) => DEADLINE_EVENTS.includes(e.event));
  const message = h.findIndex((e, i) => i > opened && e.actor === sender.id);
  return deadline >= 0 && (message < 0 || deadline < message);
}

const ROWS: Row[] = [
  {
    process: 'P1 share request',
    kind: 'decision × deadline',
    behaviour: 'an approval just as the review period ends: approved before dueAt, 409 deadline_passed from dueAt on (consent deemed); granted either way, then disposed',
    setup: shareRequest,
    message: { label: 'provider approves', by: () => provider, send: (c) => decide(c.taskId, provider, { action: 'approve' }) },
    deadline: 'deemed consent (js-2020:21)',
    async check(c, res) {
      const final = await viewWhen(c.caseId, (v) => v.status === 'granted');
      if (res.statusCode === 200) {
        expect(final).toMatchObject({ outcome: { basis: 'approved' }, deadlines: [{ state: 'met' }] });
        expect(events(final)).not.toContain('deadline_passed');
      } else {
        expectError(res, 409, 'deadline_passed');
        expect(final).toMatchObject({ outcome: { basis: 'deemed_consent', citation: 'js-2020:21' }, deadlines: [{ state: 'missed' }] });
        expect(events(final)).not.toContain('task_decided');
      }
      expect(final.grants).toMatchObject([{ status: 'active' }]);
      expect(ok(await act(c.caseId, 'dispose', requester, { method: '删除' })).grants).toMatchObject([{ status: 'revoked' }]);
      await ended(c.caseId, 'disposed');
    },
  },
  {
    process: 'P1 share request',
    kind: 'case action × deadline',
    behaviour: 'a withdrawal just as the review period ends: withdrawn before dueAt, from dueAt on it meets the deemed consent (409 invalid_state) and disposal ends the grant',
    setup: shareRequest,
    message: { label: 'the requester withdraws', by: () => requester, send: (c) => act(c.caseId, 'withdraw', requester, { reason: '不再需要' }) },
    deadline: 'deemed consent (js-2020:21)',
    async check(c, res) {
      if (res.statusCode === 200) {
        const final = await ended(c.caseId, 'withdrawn');
        expect(final.grants).toEqual([]);
        expect(final.deadlines[0].state).toBe('cancelled');
        expect(events(final)).not.toContain('deadline_passed');
        return;
      }
      expectError(res, 409, 'invalid_state');
      const final = await viewWhen(c.caseId, (v) => v.status === 'granted');
      expect(final.outcome).toMatchObject({ basis: 'deemed_consent' });
      ok(await act(c.caseId, 'dispose', requester));
      await ended(c.caseId, 'disposed');
    },
  },
  {
    process: 'P3 open data',
    kind: 'decision × deadline',
    behaviour: "an approval just as the review period ends: taken before or after the escalation (which it then ends); the agreement, access and its closure follow",
    setup: openDataApplication,
    message: { label: 'provider approves', by: () => provider, send: (c) => decide(c.taskId, provider, APPROVAL) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('pending_agreement');
      const after = await view(c.caseId);
      expect(after.deadlines[0].state).toBe(deadlineFirst(after, provider) ? 'missed' : 'met');
      if (!deadlineFirst(after, provider)) expect(events(after)).not.toContain('escalated'); // a met deadline escalates nothing
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual([]); // the supervision, if any, ended with the decision
      ok(await act(c.caseId, 'sign-agreement', applicant));
      expect(ok(await act(c.caseId, 'sign-agreement', provider)).grants).toMatchObject([{ status: 'active' }]);
      ok(await act(c.caseId, 'report-breach', competent, BREACH));
      await ended(c.caseId, 'revoked');
    },
  },
  {
    process: 'P3 open data',
    kind: 'case action × deadline',
    behaviour: 'a withdrawal just as the review period ends: withdrawn either way, and an escalation that came first is closed with it',
    setup: openDataApplication,
    message: { label: 'the applicant withdraws', by: () => applicant, send: (c) => act(c.caseId, 'withdraw', applicant, { reason: '项目取消' }) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      expect(final.grants).toEqual([]);
      expect(final.deadlines[0].state).toBe(deadlineFirst(final, applicant) ? 'missed' : 'cancelled');
    },
  },
  {
    process: 'P3 open data (out of catalog)',
    kind: 'case action × deadline',
    behaviour: 'a withdrawal just as the evaluation period ends: withdrawn either way, the escalation closed with it',
    setup: openDataRequest,
    message: { label: 'the applicant withdraws', by: () => applicant, send: (c) => act(c.caseId, 'withdraw', applicant) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('withdrawn');
      await ended(c.caseId, 'withdrawn');
    },
  },
  {
    process: 'P4 objection',
    kind: 'case action × deadline',
    behaviour: 'a request for more time just as the handling period ends: taken before dueAt (and the period still escalates), 409 deadline_missed from dueAt on; the answer and confirmation end the case',
    setup: objection,
    message: { label: 'the provider asks for more time', by: () => provider, send: (c) => act(c.caseId, 'request-extension', provider, { reason: '涉及多个部门', workingDays: 15 }) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      const after = await viewWhen(c.caseId, (v) => v.overdue === true);
      if (res.statusCode === 200) {
        expect(res.json().status).toBe('extension_requested');
        inOrder(after, 'extension_requested', 'escalated'); // a request alone holds nothing off
        expect(after.status).toBe('extension_requested');
      } else {
        expectError(res, 409, 'deadline_missed');
        expect(events(after)).not.toContain('extension_requested');
      }
      expect(after.deadlines[0]).toMatchObject({ workingDays: 5, state: 'missed' });
      expect(ok(await decide(c.taskId, provider, { action: 'correct', correction: '已更正' })).status).toBe('resolved');
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual([]); // review and supervision end with the answer
      ok(await act(c.caseId, 'confirm', reporter));
      await ended(c.caseId, 'confirmed');
    },
  },
  {
    process: 'P4 objection',
    kind: 'decision × deadline',
    behaviour: "the provider's answer just as the handling period ends: recorded either way; an escalation that came first ends with it; the reporter confirms",
    setup: objection,
    message: { label: 'provider corrects', by: () => provider, send: (c) => decide(c.taskId, provider, { action: 'correct', correction: '已更正' }) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('resolved');
      const after = await view(c.caseId);
      expect(after.deadlines[0].state).toBe(deadlineFirst(after, provider) ? 'missed' : 'met');
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual([]);
      ok(await act(c.caseId, 'confirm', reporter));
      await ended(c.caseId, 'confirmed');
    },
  },
  {
    process: 'P5 quality rectification',
    kind: 'decision × deadline',
    behaviour: "the provider's report just as the 10 working days end: recorded either way; an escalation that came first ends with it; the issuer closes",
    setup: rectification,
    message: { label: 'provider submits', by: () => provider, send: (c) => decide(c.taskId, provider, { action: 'submit', ...REPORTS }) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('submitted');
      const after = await view(c.caseId);
      expect(after.deadlines[0].state).toBe(deadlineFirst(after, provider) ? 'missed' : 'met');
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual(['recheck']);
      ok(await decide((await taskOf(c.caseId, 'recheck')).taskId, competent, { action: 'close' }));
      await ended(c.caseId, 'closed');
    },
  },
  {
    process: 'P6 rights claim',
    kind: 'decision × deadline',
    behaviour: "the provider's measure just as the verification day ends: taken either way, and the claim ends with it",
    setup: rightsClaim,
    message: { label: 'provider withdraws the data', by: () => provider, send: (c) => decide(c.taskId, provider, { action: 'withdraw' }) },
    deadline: 'escalation (js-2020:49)',
    async check(c, res) {
      expect(ok(res).status).toBe('withdrawn_data');
      const final = await ended(c.caseId, 'withdrawn_data');
      expect(final.deadlines[0].state).toBe(deadlineFirst(final, provider) ? 'missed' : 'met');
    },
  },
];

const PROCESSES = [...new Set(ROWS.map((r) => r.process))];
for (const name of PROCESSES) {
  describe(name, () => {
    for (const r of ROWS.filter((x) => x.process === name)) {
      it(`${r.kind} (${r.message.label} × ${r.deadline}): ${r.behaviour}`, { retry: 1 }, async () => {
        for (const timing of TIMINGS) {
          const c = await r.setup();
          const res = await meet(r, c, timing);
          try {
            expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
            const after = await view(c.caseId);
            // The message is taken before the deadline exactly when it arrives before dueAt.
            const first = deadlineFirst(after, r.message.by());
            if (timing === 'before') expect(first, events(after).join(', ')).toBe(false);
            if (timing === 'at') expect(first, events(after).join(', ')).toBe(true);
            await r.check(c, res);
          } catch (err) {
            if (err instanceof Error) err.message = `${timing} (answer ${res.statusCode} ${res.statusCode === 200 ? '' : res.body.slice(0, 120)}): ${err.message}`;
            throw err;
          }
        }
      });
    }
  });
}
