// P9 security incidents on real servers: the emergency plan recorded at once, remediation, the
// reports to the competent and cyberspace departments and — with personal information — the
// notification, each due in hours from detection; close by the competent department once all are
// done; and what POST, the decisions and close refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';

let h: Harness;
let provider: Actor;
let operations: Actor;
let competent: Actor;
let cyberspace: Actor;
let cityCompetent: Actor;
let otherProvider: Actor;
let dataUser: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'si-sip-health', 'suzhou-sip');
  provider = await principal(h, ['provider'], providerAgency);
  operations = await principal(h, ['operations'], await agency(h, 'si-sip-centre', 'suzhou-sip'));
  competent = await principal(h, ['competent'], await agency(h, 'si-sip-bureau', 'suzhou-sip'));
  cyberspace = await principal(h, ['cyberspace'], await agency(h, 'si-sip-cac', 'suzhou-sip'));
  cityCompetent = await principal(h, ['competent'], await agency(h, 'si-sz-bureau', 'suzhou'));
  otherProvider = await principal(h, ['provider'], await agency(h, 'si-sip-tax', 'suzhou-sip'));
  dataUser = await principal(h, ['data_user']);
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
type Entry = { event: string; citation: string | null; detail: Record<string, unknown>; actor: string };

const post = (url: string, a: Actor, body?: unknown) => h.call('POST', url, { token: a.token, body: body ?? {} });
const tasksOf = async (a: Actor, caseId: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as Task[]).filter((t) => t.caseId === caseId);
const taskOf = async (a: Actor, caseId: string, kind: string) => (await tasksOf(a, caseId)).find((t) => t.kind === kind);
const decide = (t: Task, a: Actor, body: Record<string, unknown>) => post(`/v1/tasks/${t.taskId}/decision`, a, body);
const hoursAfter = (from: string, hours: number) => new Date(Date.parse(from) + hours * 3_600_000).toISOString();

const detectedAt = () => new Date(Date.now() - 30 * 60_000).toISOString(); // half an hour ago
const body = (extra: Record<string, unknown> = {}) => ({ kind: 'leak', description: '接口被批量调用，疑似泄露', personalInformation: true, detectedAt: detectedAt(), ...extra });

async function report(a: Actor = provider, extra: Record<string, unknown> = {}) {
  const res = await post('/v1/security-incidents', a, body(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('POST /v1/security-incidents', () => {
  it('starts the emergency plan at once and sets every period in hours from detection (personal information: notification too)', async () => {
    const ds = await dataset(h, providerAgency, 'conditional');
    const c = await report(provider, { datasetIds: [ds] });
    expect(c).toMatchObject({ type: 'security-incident', status: 'responding', jurisdiction: 'suzhou-sip', parties: { reportingAgencyId: providerAgency, providerAgencyId: providerAgency } });
    // The first entry of the case: sip-2021:33 立即启动应急预案.
    expect(c.history[0]).toMatchObject({ event: 'emergency_plan_started', actor: provider.id, citation: 'sip-2021:33', detail: { kind: 'leak', personalInformation: true, datasetIds: [ds] } });
    const from = c.request.detectedAt as string;
    expect(c.deadlines).toEqual([
      { key: 'remediation', unit: 'hours', hours: 24, dueDate: expect.any(String), dueAt: hoursAfter(from, 24), provisional: false, citation: 'sip-2021:33', state: 'running' },
      expect.objectContaining({ key: 'report.competent', unit: 'hours', hours: 24, dueAt: hoursAfter(from, 24), citation: 'sip-2021:35', state: 'running' }),
      expect.objectContaining({ key: 'report.cyberspace', unit: 'hours', hours: 24, dueAt: hoursAfter(from, 24), citation: 'sip-2021:35', state: 'running' }),
      expect.objectContaining({ key: 'notification', unit: 'hours', hours: 72, dueAt: hoursAfter(from, 72), citation: 'sip-2021:35', state: 'running' }),
    ]);
    expect(c.deadlines[0].workingDays).toBeUndefined();

    // The inbox: the agency's two tasks, one report for each department of the park.
    expect((await tasksOf(provider, c.caseId)).map((t) => [t.kind, t.actions, t.dueAt, t.citation])).toEqual([
      ['remediation', ['complete'], hoursAfter(from, 24), 'sip-2021:33'],
      ['notification', ['notify'], hoursAfter(from, 72), 'sip-2021:35'],
    ]);
    expect(await taskOf(competent, c.caseId, 'report')).toMatchObject({ assignee: { agencyId: null, role: 'competent', jurisdiction: 'suzhou-sip' }, actions: ['acknowledge'], dueAt: hoursAfter(from, 24) });
    expect(await taskOf(cyberspace, c.caseId, 'report')).toMatchObject({ assignee: { agencyId: null, role: 'cyberspace', jurisdiction: 'suzhou-sip' }, actions: ['acknowledge'] });
    expect(await tasksOf(otherProvider, c.caseId)).toEqual([]);
  });

  it('without personal information there is no notification; the operations agency may report too', async () => {
    const c = await report(operations, { kind: 'tampering', personalInformation: false });
    expect(c.deadlines.map((d: { key: string }) => d.key)).toEqual(['remediation', 'report.competent', 'report.cyberspace']);
    expect((await tasksOf(operations, c.caseId)).map((t) => t.kind)).toEqual(['remediation']);
  });

  it('is for the provider or operations agency the incident happened to', async () => {
    expect((await post('/v1/security-incidents', dataUser, body())).statusCode).toBe(403);
    expect((await post('/v1/security-incidents', competent, body())).statusCode).toBe(403);
    expect((await post('/v1/security-incidents', cyberspace, body())).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/security-incidents', { token: h.adminToken, body: body() })).statusCode).toBe(403); // acts for no agency
    expect((await h.call('POST', '/v1/security-incidents', { body: body() })).statusCode).toBe(401);
  });

  it('refuses bad input with a clear error, never a server error', async () => {
    const other = await dataset(h, otherProvider.agencyId!, 'conditional');
    const cases: [Record<string, unknown>, number, string?][] = [
      [body({ kind: 'fire' }), 400],
      [body({ personalInformation: 'yes' }), 400],
      [body({ detectedAt: undefined }), 400],
      [body({ detectedAt: '2026-12-01 10:00' }), 422, 'invalid_detected_at'],
      [body({ detectedAt: new Date(Date.now() + 86_400_000).toISOString() }), 422, 'detected_in_future'],
      [body({ description: '   ' }), 422, 'missing_fields'],
      [body({ datasetIds: ['no-such'] }), 422, 'unknown_dataset'],
      [body({ datasetIds: [other] }), 422, 'not_own_dataset'],
      [body({ datasetIds: [other, other] }), 400],
      [body({ colour: 'red' }), 400],
    ];
    for (const [b, status, code] of cases) {
      const res = await post('/v1/security-incidents', provider, b);
      expect(res.statusCode, `${JSON.stringify(b).slice(0, 120)} ${res.body}`).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
    }
  });
});

describe('response and close', () => {
  it('with personal information: close is refused until remediation, both reports and the notification are done', async () => {
    const c = await report();
    const refused = await post(`/v1/cases/${c.caseId}/close`, competent, { summary: '已处置' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'tasks_open', details: { stepsLeft: 4 } });

    // Each decision by its own assignee only.
    const remediation = (await taskOf(provider, c.caseId, 'remediation'))!;
    expect((await decide(remediation, otherProvider, { action: 'complete', measures: 'x' })).statusCode).toBe(404); // not even visible
    expect((await decide(remediation, competent, { action: 'complete', measures: 'x' })).statusCode).toBe(403);
    expect((await decide(remediation, provider, { action: 'complete' })).json().error.code).toBe('missing_fields');
    const done = await decide(remediation, provider, { action: 'complete', measures: '关闭接口，吊销密钥，留存日志' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().deadlines.find((d: { key: string }) => d.key === 'remediation').state).toBe('met');
    expect(done.json().deadlines.find((d: { key: string }) => d.key === 'report.competent').state).toBe('running');

    const competentReport = (await taskOf(competent, c.caseId, 'report'))!;
    expect((await decide(competentReport, cyberspace, { action: 'acknowledge' })).statusCode).toBe(403);
    await decide(competentReport, competent, { action: 'acknowledge', note: '已收到' });
    const acked = await decide((await taskOf(cyberspace, c.caseId, 'report'))!, cyberspace, { action: 'acknowledge' });
    expect(acked.json().deadlines.filter((d: { key: string; state: string }) => d.key.startsWith('report.')).map((d: { state: string }) => d.state)).toEqual(['met', 'met']);

    const notification = (await taskOf(provider, c.caseId, 'notification'))!;
    const typed = await decide(notification, provider, { action: 'notify', notifiedCount: 'many', channel: '短信' });
    expect([typed.statusCode, typed.json().error.code]).toEqual([422, 'invalid_decision_fields']);
    expect((await decide(notification, provider, { action: 'notify', channel: '短信' })).json().error.code).toBe('missing_fields');
    expect((await post(`/v1/cases/${c.caseId}/close`, competent, { summary: '已处置' })).json().error.details).toEqual({ stepsLeft: 1 });
    await decide(notification, provider, { action: 'notify', notifiedCount: 1204, channel: '短信' });

    // Only the competent department of the case's jurisdiction closes, with a summary.
    expect((await post(`/v1/cases/${c.caseId}/close`, provider, { summary: 's' })).statusCode).toBe(403);
    expect((await post(`/v1/cases/${c.caseId}/close`, cyberspace, { summary: 's' })).statusCode).toBe(403);
    expect((await post(`/v1/cases/${c.caseId}/close`, cityCompetent, { summary: 's' })).statusCode).toBe(403);
    const blank = await post(`/v1/cases/${c.caseId}/close`, competent, {});
    expect([blank.statusCode, blank.json().error.code]).toEqual([422, 'missing_fields']);
    const closed = await post(`/v1/cases/${c.caseId}/close`, competent, { summary: '接口已关闭，1204 人已告知' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: { basis: 'closed', citation: 'sip-2021:35', summary: '接口已关闭，1204 人已告知' } });
    const history = closed.json().history as Entry[];
    expect(history.map((e) => e.event)).toEqual(
      expect.arrayContaining(['emergency_plan_started', 'remediation_completed', 'report_acknowledged', 'persons_notified', 'incident_closed']),
    );
    expect(history.find((e) => e.event === 'persons_notified')).toMatchObject({ citation: 'sip-2021:35', detail: { notifiedCount: 1204, channel: '短信' } });
    expect(history.filter((e) => !e.citation)).toEqual([]);
    expect((await post(`/v1/cases/${c.caseId}/close`, competent, { summary: 'again' })).statusCode).toBe(409);
    const verify = await h.call('GET', '/v1/audit/verify', { token: h.adminToken });
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('without personal information: remediation and the reports, then close; other case actions are not offered', async () => {
    const c = await report(provider, { kind: 'loss', personalInformation: false });
    expect((await post(`/v1/cases/${c.caseId}/withdraw`, provider)).json().error.code).toBe('action_not_offered');
    await decide((await taskOf(provider, c.caseId, 'remediation'))!, provider, { action: 'complete', measures: '从备份恢复' });
    await decide((await taskOf(competent, c.caseId, 'report'))!, competent, { action: 'acknowledge' });
    expect((await post(`/v1/cases/${c.caseId}/close`, competent, { summary: 's' })).json().error).toMatchObject({ code: 'tasks_open', details: { stepsLeft: 1 } });
    await decide((await taskOf(cyberspace, c.caseId, 'report'))!, cyberspace, { action: 'acknowledge' });
    const closed = await post(`/v1/cases/${c.caseId}/close`, competent, { summary: '数据已恢复' });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    // The case is visible to the agency, the park's departments and those above.
    for (const a of [provider, competent, cyberspace, cityCompetent]) expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: a.token })).statusCode).toBe(200);
    expect((await h.call('GET', `/v1/cases/${c.caseId}`, { token: otherProvider.token })).statusCode).toBe(404);
  });

  it('lists its settings in hours with their defaults and the articles that leave them open', async () => {
    const settings = (await h.call('GET', '/v1/policies/settings', { token: provider.token })).json() as { id: string; unit: string; defaultValue: number; citations: string[] }[];
    const mine = settings.filter((s) => s.id.startsWith('security-incident.'));
    expect(mine.map((s) => [s.id, s.unit, s.defaultValue])).toEqual([
      ['security-incident.remediation.hours', 'hours', 24],
      ['security-incident.report.hours', 'hours', 24],
      ['security-incident.notification.hours', 'hours', 72],
    ]);
    expect(mine[1]!.citations).toEqual(expect.arrayContaining(['js-2020:39', 'sip-2021:35']));
  });
});
