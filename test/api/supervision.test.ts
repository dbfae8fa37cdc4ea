// Supervision and assessment (API-2.md; js-2020:46, 49; sz-open-2023:37) on real servers: the
// timeliness report counts the cases this file creates, as JSON and as CSV; only supervisors read
// it, for their jurisdiction and below; an ended case is rated once; an overdue step's supervision
// orders a correction within a period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let competent: Actor;
let government: Actor;
let sipCompetent: Actor;
let operations: Actor;
let tzRequester: Actor;
let tzProvider: Actor;
let sipProvider: Actor;
let providerAgency: string;
let tzProviderAgency: string;
let sipProviderAgency: string;
const cases: Record<string, string> = {};

const post = (url: string, token: string, body?: unknown) => h.call('POST', url, { token, body: body ?? {} });
const get = (url: string, token: string, headers?: Record<string, string>) => h.call('GET', url, { token, headers });
type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
const inboxOf = async (a: Actor) => (await get('/v1/inbox?limit=200', a.token)).json().items as Task[];
async function taskOf(a: Actor, caseId: string, kind?: string): Promise<Task | undefined> {
  for (let i = 0; i < 50; i++) {
    const t = (await inboxOf(a)).find((x) => x.caseId === caseId && (!kind || x.kind === kind));
    if (t) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
async function caseUntil(caseId: string, until: (c: Record<string, unknown>) => boolean) {
  let c = (await get(`/v1/cases/${caseId}`, h.adminToken)).json();
  for (let i = 0; i < 50 && !until(c); i++) {
    await new Promise((r) => setTimeout(r, 100));
    c = (await get(`/v1/cases/${caseId}`, h.adminToken)).json();
  }
  return c;
}

async function shareRequest(by: Actor, provAgency: string, shareClass: 'conditional' | 'none', extra: Record<string, unknown> = {}) {
  const ds = await dataset(h, provAgency, shareClass);
  const res = await post('/v1/share-requests', by.token, shareBody(ds, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().caseId as string;
}
async function decide(a: Actor, caseId: string, body: Record<string, unknown>) {
  const task = (await taskOf(a, caseId))!;
  const res = await post(`/v1/tasks/${task.taskId}/decision`, a.token, body);
  expect(res.statusCode, res.body).toBe(200);
}

const REPORT = '/v1/reports/timeliness?from=2026-01-01&to=2099-12-31';
const rowOf = (rows: { agencyId: string; caseType: string }[], agencyId: string) => rows.find((r) => r.agencyId === agencyId && r.caseType === 'share-request');

beforeAll(async () => {
  h = await startHarness();
  const requesterAgency = await agency(h, 'sup-market', 'suzhou');
  providerAgency = await agency(h, 'sup-social', 'suzhou');
  sipProviderAgency = await agency(h, 'sup-sip-labour', 'suzhou-sip');
  tzProviderAgency = await agency(h, 'sup-tz-social', 'taizhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency);
  sipProvider = await principal(h, ['provider'], sipProviderAgency);
  competent = await principal(h, ['competent'], await agency(h, 'sup-bureau', 'suzhou'));
  government = await principal(h, ['government'], await agency(h, 'sup-gov', 'jiangsu'));
  sipCompetent = await principal(h, ['competent'], await agency(h, 'sup-sip-bureau', 'suzhou-sip'));
  operations = await principal(h, ['operations'], await agency(h, 'sup-centre', 'suzhou'));
  tzRequester = await principal(h, ['requester'], await agency(h, 'sup-tz-market', 'taizhou'));
  tzProvider = await principal(h, ['provider'], tzProviderAgency);

  const registration = (receivedAt: string) => ({ requesterAgencyId: requester.agencyId, receivedAt, channel: 'paper' });
  cases.approved = await shareRequest(requester, providerAgency, 'conditional');
  await decide(provider, cases.approved, { action: 'approve', reason: '符合履职需要' });
  cases.refused = await shareRequest(requester, providerAgency, 'conditional');
  await decide(provider, cases.refused, { action: 'refuse', legalBasis: '《数据安全法》第三十八条', reason: '超出履职范围' });
  // A registered receipt long past: the 5 working days (js-2020:21) ended 2026-10-13, consent is deemed at once.
  cases.deemed = await shareRequest(operations, providerAgency, 'conditional', { registration: registration('2026-09-30T10:00:00+08:00') });
  expect(await caseUntil(cases.deemed, (c) => c.status === 'granted')).toMatchObject({ outcome: { basis: 'deemed_consent' } });
  // Not shared data, registered past its period: nothing decides, the step is overdue (js-2020:49).
  cases.overdue = await shareRequest(operations, providerAgency, 'none', { registration: registration('2026-10-09T09:00:00+08:00') });
  expect(await caseUntil(cases.overdue, (c) => c.overdue === true)).toMatchObject({ overdue: true });
  // One case below (Suzhou Industrial Park), one elsewhere (Taizhou).
  cases.sip = await shareRequest(requester, sipProviderAgency, 'conditional');
  await decide(sipCompetent, cases.sip, { action: 'approve' });
  cases.taizhou = await shareRequest(tzRequester, tzProviderAgency, 'conditional');
  await decide(tzProvider, cases.taizhou, { action: 'approve' });
  void sipProvider;
});
afterAll(async () => h?.close());

describe('evaluations 好差评 (sz-open-2023:37)', () => {
  it('are given once, by the requester, on an ended case only', async () => {
    expect((await post(`/v1/cases/${cases.approved}/evaluation`, provider.token, { rating: 1 })).statusCode).toBe(403);
    const notEnded = await post(`/v1/cases/${cases.overdue}/evaluation`, requester.token, { rating: 1 });
    expect(notEnded.statusCode).toBe(409);
    expect(notEnded.json().error.code).toBe('case_not_ended');
    expect((await post(`/v1/cases/${cases.approved}/evaluation`, requester.token, { rating: 6 })).statusCode).toBe(400);
    const ok = await post(`/v1/cases/${cases.approved}/evaluation`, requester.token, { rating: 4, comment: '答复及时，接口可用' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ caseId: cases.approved, rating: 4, principalId: requester.id });
    const again = await post(`/v1/cases/${cases.approved}/evaluation`, requester.token, { rating: 5 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_evaluated');
    expect((await post(`/v1/cases/${cases.approved}/evaluation`, tzRequester.token, { rating: 5 })).statusCode).toBe(404);
  });
});

describe('timeliness report (js-2020:46, cm-draft:32)', () => {
  it('counts received, decided, on time, deemed, overdue, refusals and evaluations per agency', async () => {
    const res = await get(`${REPORT}&jurisdiction=suzhou`, competent.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const rows = res.json().rows;
    expect(rowOf(rows, providerAgency)).toEqual({
      agencyId: providerAgency,
      caseType: 'share-request',
      received: 4,
      decided: 3,
      onTime: 2,
      late: 0,
      deemed: 1,
      overdueOpen: 1,
      medianWorkingDays: 0,
      refusals: 1,
      evaluations: { count: 1, average: 4 },
    });
    // Suzhou Industrial Park lies below Suzhou; Taizhou does not.
    expect(rowOf(rows, sipProviderAgency)).toMatchObject({ received: 1, decided: 1, onTime: 1 });
    expect(rowOf(rows, tzProviderAgency)).toBeUndefined();
    const filtered = (await get(`${REPORT}&jurisdiction=suzhou&caseType=share-demand`, competent.token)).json().rows;
    expect(rowOf(filtered, providerAgency)).toBeUndefined();
  });

  it('counts working days of the official calendar from receipt to decision', async () => {
    // Received Wed 2026-09-30, deemed now: Oct 1–7 are off (National Day), Sat Oct 10 is worked.
    const [row] = (await h.db.$client.query('SELECT working_days_to_decision AS n, decided_at FROM cases WHERE case_id = $1', [cases.deemed])).rows;
    expect(row.n).toBeGreaterThan(40);
    // N working days from receipt end on or before the day decided; N + 1 end after it.
    const decidedDate = new Date(row.decided_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const due = async (n: number) => (await get(`/v1/calendar/deadline?from=2026-09-30T02:00:00Z&workingDays=${n}`, competent.token)).json().dueDate as string;
    expect(await due(row.n)).toSatisfy((d: string) => d <= decidedDate);
    expect(await due(row.n + 1)).toSatisfy((d: string) => d > decidedDate);
  });

  it('is CSV with a BOM for Accept: text/csv', async () => {
    const res = await get(`${REPORT}&jurisdiction=suzhou`, competent.token, { accept: 'text/csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('agencyId,caseType,received,decided,onTime,late,deemed,overdueOpen,medianWorkingDays,refusals,evaluationCount,evaluationAverage');
    expect(lines).toContain(`${providerAgency},share-request,4,3,2,0,1,1,0,1,1,4`);
    expect(lines.some((l) => l.startsWith(tzProviderAgency))).toBe(false);
  });

  it('is for supervisors of the jurisdiction or above only', async () => {
    expect((await get(`${REPORT}&jurisdiction=suzhou`, provider.token)).statusCode).toBe(403);
    expect((await get(`${REPORT}&jurisdiction=suzhou`, requester.token)).statusCode).toBe(403);
    expect((await get(`${REPORT}&jurisdiction=suzhou`, operations.token)).statusCode).toBe(403);
    // The park's department sees the park, not the city above it.
    expect((await get(`${REPORT}&jurisdiction=suzhou`, sipCompetent.token)).statusCode).toBe(403);
    const sip = (await get(`${REPORT}&jurisdiction=suzhou-sip`, sipCompetent.token)).json().rows;
    expect(rowOf(sip, sipProviderAgency)).toMatchObject({ received: 1 });
    expect(rowOf(sip, providerAgency)).toBeUndefined();
    // The province's government sees every city in it.
    const province = (await get(`${REPORT}&jurisdiction=jiangsu`, government.token)).json().rows;
    expect(rowOf(province, tzProviderAgency)).toMatchObject({ received: 1, onTime: 1 });
    expect((await get(`/v1/reports/timeliness?from=2026-12-31&to=2026-01-01&jurisdiction=suzhou`, competent.token)).statusCode).toBe(422);
  });
});

describe('correction orders 责令限期改正 (js-2020:49)', () => {
  it('the supervision of an overdue step orders the agency to correct within working days', async () => {
    const supervision = (await taskOf(competent, cases.overdue, 'supervision'))!;
    expect(supervision).toMatchObject({ actions: ['order_correction'], requiredFields: { order_correction: ['workingDays', 'reason'] }, citation: 'js-2020:49' });
    const url = `/v1/tasks/${supervision.taskId}/decision`;
    const missing = await post(url, competent.token, { action: 'order_correction', note: '限期答复' });
    expect(missing.statusCode).toBe(422);
    const ok = await post(url, competent.token, { action: 'order_correction', workingDays: 3, reason: '逾期未答复共享申请' });
    expect(ok.statusCode, ok.body).toBe(200);
    const correction = (await taskOf(provider, cases.overdue, 'correction'))!;
    expect(correction).toMatchObject({
      actions: ['report_correction'],
      citation: 'js-2020:49',
      assignee: { agencyId: providerAgency, role: 'provider' },
      order: { reason: '逾期未答复共享申请', workingDays: 3, orderedBy: competent.id },
    });
    const expected = (await get(`/v1/calendar/deadline?from=${encodeURIComponent(String(correction.openedAt))}&workingDays=3`, competent.token)).json();
    expect(correction.dueAt).toBe(expected.dueAt);
    // The agency corrects by deciding the step it missed: the correction ends with it.
    const late = (await taskOf(provider, cases.overdue, 'not_shared_review'))!;
    const decided = await post(`/v1/tasks/${late.taskId}/decision`, provider.token, { action: 'refuse', legalBasis: '《数据安全法》第三十八条' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await inboxOf(provider)).find((t) => t.caseId === cases.overdue)).toBeUndefined();
    const view = decided.json();
    expect(view.deadlines.find((d: { key: string }) => d.key.startsWith('correction'))).toMatchObject({ state: 'met', citation: 'js-2020:49' });
    expect(view.history.map((e: { event: string }) => e.event)).toContain('supervision_ordered');
    const notices = await get('/v1/reports/notices?jurisdiction=suzhou', requester.token);
    expect(notices.statusCode).toBe(200);
    expect(notices.json().items.filter((n: { caseId: string }) => n.caseId === cases.overdue)).toEqual([]);
  });
});
