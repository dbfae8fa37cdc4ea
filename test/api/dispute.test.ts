// P8 disputes between agencies on real servers: every agency involved negotiates (all agree →
// resolved); one fails → the competent department determines (js-2020:45); an open-provider
// dispute where sz-open-2023:11 governs goes to the expert committee and the government; a
// determination of the provider opens the catalog-entry case that records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';

let h: Harness;
let a: string;
let b: string;
let c: string;
let filer: Actor; // requester of agency a: files; its provider negotiates
let provA: Actor;
let provB: Actor;
let provC: Actor;
let competent: Actor;
let experts: Actor;
let government: Actor;
let outsider: Actor;

beforeAll(async () => {
  h = await startHarness();
  a = await agency(h, 'dp-sip-market', 'suzhou-sip');
  b = await agency(h, 'dp-sip-tax', 'suzhou-sip');
  c = await agency(h, 'dp-sip-health', 'suzhou-sip');
  filer = await principal(h, ['requester'], a);
  provA = await principal(h, ['provider'], a);
  provB = await principal(h, ['provider'], b);
  provC = await principal(h, ['provider'], c);
  const bureau = await agency(h, 'dp-sip-bureau', 'suzhou-sip');
  competent = await principal(h, ['competent'], bureau);
  experts = await principal(h, ['expert_committee'], await agency(h, 'dp-sip-experts', 'suzhou-sip'));
  government = await principal(h, ['government'], await agency(h, 'dp-sip-gov', 'suzhou-sip'));
  outsider = await principal(h, ['provider'], await agency(h, 'dp-sip-water', 'suzhou-sip'));
});
afterAll(async () => h?.close());

type Task = { taskId: string; caseId: string; kind: string; [k: string]: unknown };
const post = (url: string, actor: Actor, body?: unknown) => h.call('POST', url, { token: actor.token, body: body ?? {} });
const taskOf = async (actor: Actor, caseId: string, kind?: string) =>
  ((await h.call('GET', '/v1/inbox?limit=200', { token: actor.token })).json().items as Task[]).find((t) => t.caseId === caseId && (!kind || t.kind === kind));
const decide = async (actor: Actor, caseId: string, body: Record<string, unknown>, kind?: string) => {
  const t = await taskOf(actor, caseId, kind);
  expect(t, `${kind ?? 'a task'} of ${caseId}`).toBeDefined();
  return post(`/v1/tasks/${t!.taskId}/decision`, actor, body);
};
const ok = async (res: Promise<{ statusCode: number; body: string; json: () => any }>) => {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json();
};
const caseOf = async (id: string, actor: Actor = competent) => (await h.call('GET', `/v1/cases/${id}`, { token: actor.token })).json();
/** A case another case opened: recorded by its own first step, moments after the opening case answers. */
async function openedCase(id: string) {
  for (let i = 0; i < 100; i++) {
    const res = await h.call('GET', `/v1/cases/${id}`, { token: competent.token });
    if (res.statusCode === 200) return res.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`case ${id} was never recorded`);
}

async function file(body: Record<string, unknown>, actor: Actor = filer) {
  const res = await post('/v1/disputes', actor, { subject: 'sharing', counterpartAgencyIds: [b], description: '共享范围争议', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('POST /v1/disputes', () => {
  it('opens a negotiation task for the provider role of each agency involved, 10 working days by the setting (js-2020:45)', async () => {
    const d = await file({ counterpartAgencyIds: [b, c] });
    expect(d).toMatchObject({ type: 'dispute', status: 'negotiating', jurisdiction: 'suzhou-sip', policy: { id: 'js-2020' }, parties: { requesterAgencyId: a, providerAgencyId: b } });
    expect(d.request).toMatchObject({ subject: 'sharing', filingAgencyId: a, counterpartAgencyIds: [b, c] });
    expect(d.deadlines.map((x: { key: string }) => x.key)).toEqual([`negotiation.${a}`, `negotiation.${b}`, `negotiation.${c}`]);
    expect(d.deadlines[0]).toMatchObject({ workingDays: 10, citation: 'js-2020:45', state: 'running' });
    expect(d.history[0]).toMatchObject({ event: 'dispute_filed', actor: filer.id, citation: 'js-2020:45' });
    for (const [p, ag] of [[provA, a], [provB, b], [provC, c]] as const) {
      expect(await taskOf(p, d.caseId)).toMatchObject({ kind: 'negotiation', actions: ['agree', 'fail'], requiredFields: { agree: ['resolution'], fail: ['reason'] }, assignee: { agencyId: ag, role: 'provider' } });
    }
    expect(await taskOf(outsider, d.caseId)).toBeUndefined();
    const settings = JSON.stringify((await h.call('GET', '/v1/policies/settings', { token: filer.token })).json());
    for (const id of ['dispute.negotiation.workingDays', 'dispute.coordination.workingDays', 'dispute.expert_opinion.workingDays', 'dispute.government_determination.workingDays']) {
      expect(settings).toContain(id);
    }
  });

  it('refuses other roles and administrators (403), malformed bodies (400), and what the rules forbid (422)', async () => {
    const body = { subject: 'sharing', counterpartAgencyIds: [b], description: '争议' };
    expect((await post('/v1/disputes', await principal(h, ['data_user']), body)).statusCode).toBe(403);
    expect((await post('/v1/disputes', experts, body)).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/disputes', { token: h.adminToken, body })).statusCode).toBe(403);
    expect((await h.call('POST', '/v1/disputes', { body })).statusCode).toBe(401);
    const ds = await dataset(h, a, 'conditional');
    const sh = await agency(h, 'dp-sh-water', 'shanghai');
    const cm = await agency(h, 'dp-cm-water', 'shanghai-chongming');
    const cases: [Record<string, unknown>, number, string?, Actor?][] = [
      [{ subject: 'weather' }, 400],
      [{ counterpartAgencyIds: [] }, 400],
      [{ colour: 'red' }, 400],
      [{ description: '   ' }, 422, 'missing_field'],
      [{ subject: 'catalog_source' }, 422, 'dataset_required'],
      [{ subject: 'open_provider' }, 422, 'dataset_required'],
      [{ subject: 'catalog_source', datasetId: 'no-such-dataset' }, 422, 'unknown_dataset'],
      [{ counterpartAgencyIds: ['no-such-agency'] }, 422, 'unknown_agency'],
      [{ counterpartAgencyIds: [a] }, 422, 'own_agency'],
      [{ counterpartAgencyIds: [b, b] }, 422, 'duplicate_agency'],
      [{ counterpartAgencyIds: [sh] }, 422, 'no_common_jurisdiction'],
      [{ counterpartAgencyIds: [cm] }, 422, 'no_rule_in_force', await principal(h, ['provider'], await agency(h, 'dp-cm-tax', 'shanghai-chongming'))],
      [{ subject: 'catalog_source', datasetId: ds }, 201],
    ];
    for (const [extra, status, code, actor] of cases) {
      const res = await post('/v1/disputes', actor ?? filer, { ...body, ...extra });
      expect(res.statusCode, `${JSON.stringify(extra)} ${res.body}`).toBe(status);
      if (code) expect(res.json().error.code, JSON.stringify(extra)).toBe(code);
    }
  });
});

describe('negotiation', () => {
  it('resolves the dispute when every agency agrees', async () => {
    const d = await file({});
    expect((await ok(decide(provA, d.caseId, { action: 'agree', resolution: '按季度共享' }))).status).toBe('negotiating');
    const done = await ok(decide(provB, d.caseId, { action: 'agree', resolution: '同意按季度共享' }));
    expect(done).toMatchObject({ status: 'resolved', outcome: { basis: 'resolved', citation: 'js-2020:45', resolutions: [{ agencyId: a }, { agencyId: b }] } });
    expect(await taskOf(competent, d.caseId)).toBeUndefined();
  });

  it('refuses a decision on another agency’s task (403; 404 to an agency outside the dispute) and one without its fields (422)', async () => {
    const d = await file({});
    const t = (await taskOf(provB, d.caseId))!;
    expect((await post(`/v1/tasks/${t.taskId}/decision`, provA, { action: 'agree', resolution: 'x' })).statusCode).toBe(403);
    expect((await post(`/v1/tasks/${t.taskId}/decision`, outsider, { action: 'agree', resolution: 'x' })).statusCode).toBe(404);
    expect((await post(`/v1/tasks/${t.taskId}/decision`, provB, { action: 'agree' })).statusCode).toBe(422);
    expect((await post(`/v1/tasks/${t.taskId}/decision`, provB, { action: 'agree', resolution: 42 })).statusCode).toBe(422);
    expect((await post(`/v1/tasks/${t.taskId}/decision`, provB, { action: 'determine', determination: 'x' })).statusCode).toBe(422);
  });

  it('goes to the competent department when one agency fails, which determines (js-2020:45); no expert route under js-2020', async () => {
    const d = await file({ counterpartAgencyIds: [b, c] });
    await ok(decide(provA, d.caseId, { action: 'agree', resolution: '按月共享' }));
    const failed = await ok(decide(provB, d.caseId, { action: 'fail', reason: '涉及纳税人隐私' }));
    expect(failed.status).toBe('coordinating');
    // The other agency's task closed with the negotiation.
    expect(await taskOf(provC, d.caseId)).toBeUndefined();
    const t = (await taskOf(competent, d.caseId, 'coordination'))!;
    expect(t).toMatchObject({ actions: ['determine'], requiredFields: { determine: ['determination'] }, citation: 'js-2020:45', assignee: { role: 'competent', jurisdiction: 'suzhou-sip' } });
    const refer = await post(`/v1/tasks/${t.taskId}/decision`, competent, { action: 'refer_to_experts' });
    expect(refer.statusCode).toBe(422);
    const done = await ok(decide(competent, d.caseId, { action: 'determine', determination: '按月脱敏共享' }));
    expect(done).toMatchObject({ status: 'determined', outcome: { basis: 'determined', by: 'competent', citation: 'js-2020:45', determination: '按月脱敏共享', negotiation: 'failed' } });
    const events = (await caseOf(d.caseId)).history.map((e: { event: string }) => e.event);
    expect(events).toEqual(expect.arrayContaining(['negotiation_agreed', 'negotiation_failed', 'dispute_determined']));
  });

  it('opens the catalog-entry case that records a determined source (catalog_source)', async () => {
    const ds = await dataset(h, a, 'conditional');
    const d = await file({ subject: 'catalog_source', datasetId: ds });
    await ok(decide(provB, d.caseId, { action: 'fail', reason: '我局为权威来源' }));
    const t = (await taskOf(competent, d.caseId, 'coordination'))!;
    expect(t.requiredFields).toEqual({ determine: ['determination', 'providerAgencyId'] });
    expect((await post(`/v1/tasks/${t.taskId}/decision`, competent, { action: 'determine', determination: '税务局为来源' })).statusCode).toBe(422);
    const notParty = await post(`/v1/tasks/${t.taskId}/decision`, competent, { action: 'determine', determination: '水务局', providerAgencyId: outsider.agencyId });
    expect(notParty.statusCode).toBe(422);
    expect(notParty.json().error.code).toBe('not_party');
    const done = await ok(decide(competent, d.caseId, { action: 'determine', determination: '税务局为权威来源', providerAgencyId: b }));
    expect(done).toMatchObject({ status: 'determined', outcome: { providerAgencyId: b, catalogEntryCaseId: `catalog-entry-from-${d.caseId}` } });
    const entry = await openedCase(`catalog-entry-from-${d.caseId}`);
    expect(entry).toMatchObject({ type: 'catalog-entry', status: 'pending_review', datasetId: ds, parties: { providerAgencyId: b }, request: { reason: 'correction', providerAgencyId: b } });
    expect((await caseOf(d.caseId)).history.map((e: { event: string }) => e.event)).toContain('catalog_entry_opened');
  });
});

describe('an open-provider dispute where sz-open-2023:11 governs', () => {
  it('goes to the expert committee, then the government determines the provider and a catalog entry records it', async () => {
    const ds = await dataset(h, a, 'conditional');
    // sz-open-2023 ended on 2026-07-31 (art. 39): kept in force only while this case is filed.
    expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2099-12-31' } })).statusCode).toBe(200);
    let d: { caseId: string; policy: { id: string }; deadlines: { citation: string }[] };
    try {
      d = await file({ subject: 'open_provider', datasetId: ds });
    } finally {
      expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' } })).statusCode).toBe(200);
    }
    expect(d.policy.id).toBe('sz-open-2023');
    expect(d.deadlines[0]!.citation).toBe('sz-open-2023:11');
    await ok(decide(provA, d.caseId, { action: 'fail', reason: '应由税务局开放' }));
    const t = (await taskOf(competent, d.caseId, 'coordination'))!;
    // The department does not determine an open-provider dispute itself here: it consults and reports.
    expect(t).toMatchObject({ actions: ['refer_to_experts'], citation: 'sz-open-2023:11' });
    expect((await post(`/v1/tasks/${t.taskId}/decision`, competent, { action: 'determine', determination: 'x', providerAgencyId: b })).statusCode).toBe(422);
    expect((await ok(decide(competent, d.caseId, { action: 'refer_to_experts', note: '提请专家委员会' }))).status).toBe('coordinating');
    expect(await taskOf(experts, d.caseId, 'expert_opinion')).toMatchObject({ actions: ['opinion'], assignee: { role: 'expert_committee', jurisdiction: 'suzhou-sip' } });
    await ok(decide(experts, d.caseId, { action: 'opinion', opinion: '建议税务局为开放主体' }));
    const g = (await taskOf(government, d.caseId, 'determination'))!;
    expect(g).toMatchObject({ actions: ['determine'], requiredFields: { determine: ['determination', 'providerAgencyId'] }, citation: 'sz-open-2023:11' });
    const done = await ok(decide(government, d.caseId, { action: 'determine', determination: '由税务局开放', providerAgencyId: b }));
    expect(done).toMatchObject({ status: 'determined', outcome: { by: 'government', citation: 'sz-open-2023:11', providerAgencyId: b, catalogEntryCaseId: `catalog-entry-from-${d.caseId}` } });
    expect(await openedCase(`catalog-entry-from-${d.caseId}`)).toMatchObject({ type: 'catalog-entry', status: 'pending_review' });
    const events = (await caseOf(d.caseId)).history.map((e: { event: string }) => e.event);
    expect(events).toEqual(expect.arrayContaining(['negotiation_failed', 'referred_to_experts', 'expert_opinion_given', 'dispute_determined', 'catalog_entry_opened']));
    const verify = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    expect(verify.ok).toBe(true);
  });

  it('a sharing dispute in the same place stays with the department (sz-open-2023:11 is about open providers only)', async () => {
    expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { effectiveTo: '2099-12-31' } })).statusCode).toBe(200);
    let d: { caseId: string; deadlines: { citation: string }[] };
    try {
      d = await file({});
    } finally {
      expect((await h.call('PATCH', '/v1/policies/sz-open-2023', { token: h.adminToken, body: { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' } })).statusCode).toBe(200);
    }
    expect(d.deadlines[0]!.citation).toBe('js-2020:45');
    await ok(decide(provB, d.caseId, { action: 'fail', reason: '不同意' }));
    expect(await taskOf(competent, d.caseId, 'coordination')).toMatchObject({ actions: ['determine'], citation: 'js-2020:45' });
  });
});
