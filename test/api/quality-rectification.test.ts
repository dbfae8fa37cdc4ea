// P5 quality rectification on real servers: who may issue a task, the provider's report on every
// finding within 10 working days, the issuer's re-check (close, or reopen with a new period), and
// what POST and the decisions refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';

let h: Harness;
let provider: Actor;
let competent: Actor;
let otherCompetent: Actor;
let operations: Actor;
let sipCompetent: Actor;
let taizhouCompetent: Actor;
let dataUser: Actor;
let providerAgency: string;
let sipProvider: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'qr-sz-transport', 'suzhou');
  sipProvider = await agency(h, 'qr-sip-planning', 'suzhou-sip');
  provider = await principal(h, ['provider'], providerAgency);
  competent = await principal(h, ['competent'], await agency(h, 'qr-sz-bureau', 'suzhou'));
  otherCompetent = await principal(h, ['competent'], await agency(h, 'qr-sz-bureau-2', 'suzhou'));
  operations = await principal(h, ['operations'], await agency(h, 'qr-sz-centre', 'suzhou'));
  sipCompetent = await principal(h, ['competent'], await agency(h, 'qr-sip-bureau', 'suzhou-sip'));
  taizhouCompetent = await principal(h, ['competent'], await agency(h, 'qr-tz-bureau', 'taizhou'));
  dataUser = await principal(h, ['data_user']);
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };

const post = (url: string, a: Actor, body?: unknown) => h.call('POST', url, { token: a.token, body: body ?? {} });
const taskOf = async (a: Actor, caseId: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).find((t) => t.caseId === caseId);
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const deadlineFor = async (from: string, workingDays: number) =>
  (await h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`)).json();

const findings = ['“发证日期”字段格式不统一', '缺少 2025 年第四季度数据', '存在重复记录 37 条'];
const reports = { finding1: '已统一为 YYYY-MM-DD', finding2: '已补录', finding3: '已去重' };

async function issue(a: Actor = competent, ds?: string) {
  const res = await post('/v1/quality-rectifications', a, { datasetId: ds ?? (await dataset(h, providerAgency, 'unconditional')), findings });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('POST /v1/quality-rectifications', () => {
  it('gives the provider a task with 10 working days and one report field per finding (js-2020:17, as sz-open-2023:16)', async () => {
    const c = await issue();
    expect(c).toMatchObject({ type: 'quality-rectification', status: 'open', jurisdiction: 'suzhou', parties: { providerAgencyId: providerAgency } });
    expect(c.request).toMatchObject({ findings, reportFields: ['finding1', 'finding2', 'finding3'] });
    const expected = await deadlineFor(c.receivedAt, 10);
    expect(c.deadlines[0]).toMatchObject({ key: 'rectification', workingDays: 10, dueDate: expected.dueDate, dueAt: expected.dueAt, citation: 'js-2020:17' });
    expect(c.history[0]).toMatchObject({ event: 'rectification_issued', actor: competent.id, citation: 'js-2020:17', detail: { findings, by: 'competent' } });
    const t = (await taskOf(provider, c.caseId))!;
    expect(t).toMatchObject({ kind: 'rectification', actions: ['submit'], requiredFields: { submit: ['finding1', 'finding2', 'finding3'] }, dueAt: expected.dueAt });
  });

  it('is for the competent department or operations agency of the dataset’s jurisdiction or above', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const body = { datasetId: ds, findings };
    expect((await post('/v1/quality-rectifications', provider, body)).statusCode).toBe(403);
    expect((await post('/v1/quality-rectifications', dataUser, body)).statusCode).toBe(403);
    expect((await post('/v1/quality-rectifications', taizhouCompetent, body)).statusCode).toBe(403);
    expect((await post('/v1/quality-rectifications', sipCompetent, body)).statusCode).toBe(403); // the park is below the city
    expect((await post('/v1/quality-rectifications', operations, body)).statusCode).toBe(201);
    // The city audits the park's data too; the case belongs to the park.
    const sip = await issue(competent, await dataset(h, sipProvider, 'unconditional'));
    expect(sip.jurisdiction).toBe('suzhou-sip');
  });

  it('refuses bad input with a clear error', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const cases: [unknown, number, string?][] = [
      [{ datasetId: 'no-such', findings }, 422, 'unknown_dataset'],
      [{ datasetId: ds, findings: [] }, 400],
      [{ datasetId: ds, findings: ['  '] }, 422, 'empty_finding'],
      [{ datasetId: ds, findings: Array.from({ length: 51 }, (_, i) => `问题 ${i}`) }, 400],
      [{ datasetId: ds }, 400],
      [{ datasetId: ds, findings, note: 'x' }, 400],
    ];
    for (const [b, status, code] of cases) {
      const res = await post('/v1/quality-rectifications', competent, b);
      expect(res.statusCode, JSON.stringify(b).slice(0, 100)).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
    }
    expect((await h.call('POST', '/v1/quality-rectifications', { body: { datasetId: ds, findings } })).statusCode).toBe(401);
  });
});

describe('report, re-check, reopen, close', () => {
  it('a report must cover every finding; the issuing department re-checks, reopens with a new period, then closes', async () => {
    const c = await issue();
    const t = (await taskOf(provider, c.caseId))!;
    const partial = await decide(t, provider, { action: 'submit', finding1: reports.finding1, finding3: reports.finding3 });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().error).toMatchObject({ code: 'missing_fields', details: { missing: ['finding2'] } });
    expect((await decide(t, competent, { action: 'submit', ...reports })).statusCode).toBe(403);

    const submitted = await decide(t, provider, { action: 'submit', ...reports });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');
    expect(submitted.json().deadlines[0].state).toBe('met');
    const entry = submitted.json().history.find((e: { event: string }) => e.event === 'rectification_submitted');
    expect(entry.detail.reports).toEqual(findings.map((finding, i) => ({ finding, report: Object.values(reports)[i] })));

    // The re-check goes to the issuing agency, not to every competent department of the city.
    const check = (await taskOf(competent, c.caseId))!;
    expect(check).toMatchObject({ kind: 'recheck', actions: ['close', 'reopen'], assignee: { agencyId: competent.agencyId, role: 'competent' }, dueAt: null });
    expect(await taskOf(otherCompetent, c.caseId)).toBeUndefined();
    expect((await decide(check, otherCompetent, { action: 'close' })).statusCode).toBe(403);
    expect((await decide(check, competent, { action: 'reopen' })).json().error.code).toBe('missing_fields');

    const reopened = await decide(check, competent, { action: 'reopen', reason: '重复记录仍有 3 条' });
    expect(reopened.json().status).toBe('open');
    const at = reopened.json().history.find((e: { event: string }) => e.event === 'rectification_reopened').at;
    const expected = await deadlineFor(at, 10);
    expect(reopened.json().deadlines[1]).toMatchObject({ key: 'rectification', workingDays: 10, dueDate: expected.dueDate, state: 'running' });

    await decide((await taskOf(provider, c.caseId))!, provider, { action: 'submit', ...reports, finding3: '已全部去重' });
    const closed = await decide((await taskOf(competent, c.caseId))!, competent, { action: 'close', note: '复核通过' });
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: { basis: 'rectified', rounds: 2, citation: 'js-2020:17' } });
    expect(closed.json().history.filter((e: { citation: string | null }) => !e.citation)).toEqual([]);
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, competent)).statusCode).toBe(409);
  });

  it('has no case actions: its steps are task decisions', async () => {
    const c = await issue(operations);
    const res = await post(`/v1/cases/${c.caseId}/confirm`, operations);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('action_not_offered');
    // An operations agency's task is re-checked by the operations agency.
    await decide((await taskOf(provider, c.caseId))!, provider, { action: 'submit', ...reports });
    expect(await taskOf(operations, c.caseId)).toMatchObject({ kind: 'recheck', assignee: { agencyId: operations.agencyId, role: 'operations' } });
  });
});
