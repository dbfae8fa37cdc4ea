// Rate limits (API-2.md "Abuse and identity"): a principal's request rate (default 20/s) and its
// case-creation quota (default 500 per hour), both counted in PostgreSQL so every replica sees one
// count; beyond either, 429 rate_limited with Retry-After in seconds. Each test builds its own app
// ("replica") on the shared stack with the limits it needs; the harness's own app is unlimited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app';
import type { Limits } from '../../src/config';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let providerAgency: string;
let requesterAgency: string;
let ds: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'rl-sz-tax', 'suzhou');
  requesterAgency = await agency(h, 'rl-sz-mkt', 'suzhou');
  ds = await dataset(h, providerAgency, 'conditional', { openClass: 'conditional' });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await h?.close();
});

async function replica(limits?: Partial<Limits>): Promise<FastifyInstance> {
  const app = await buildApp({ db: h.db, temporal: h.client, taskQueue: h.taskQueue, adminToken: h.adminToken, limits });
  apps.push(app);
  return app;
}
const call = (app: FastifyInstance, method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: method as 'GET', url, payload: body as object | undefined, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

/** A 429 of the limit whose window is `windowSeconds` (1: the request rate, 3600: the quota). */
function expectRateLimited(res: LightMyRequestResponse, windowSeconds: 1 | 3600) {
  const error = expectError(res, 429, 'rate_limited');
  const retryAfter = String(res.headers['retry-after']);
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds);
  expect(error.details).toMatchObject({ retryAfterSeconds: Number(retryAfter), windowSeconds });
  return error;
}
const statuses = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode);

describe('request rate', () => {
  it('answers 429 with Retry-After to 200 parallel inbox requests of one principal at the default 20/s, and serves another principal meanwhile', async () => {
    const app = await replica();
    const flooding = await principal(h, ['provider'], providerAgency);
    const other = await principal(h, ['provider'], providerAgency);
    const [flood, others] = await Promise.all([
      Promise.all(Array.from({ length: 200 }, () => call(app, 'GET', '/v1/inbox', flooding.token))),
      Promise.all(Array.from({ length: 5 }, () => call(app, 'GET', '/v1/inbox', other.token))),
    ]);
    const served = flood.filter((r) => r.statusCode === 200);
    const refused = flood.filter((r) => r.statusCode === 429);
    expect(served.length + refused.length, String(statuses(flood))).toBe(200);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeLessThanOrEqual(60); // 20 a window, however the burst straddles windows
    for (const r of refused) expectRateLimited(r, 1);
    expect(statuses(others)).toEqual([200, 200, 200, 200, 200]);

    // Retry-After tells the truth: after it, the principal is served again.
    await new Promise((r) => setTimeout(r, Number(refused[0]!.headers['retry-after']) * 1000 + 50));
    expect((await call(app, 'GET', '/v1/inbox', flooding.token)).statusCode).toBe(200);
  });

  it('is one count across replicas: requests spread over two apps share the limit', async () => {
    const [a, b] = [await replica({ requestsPerSecond: 5 }), await replica({ requestsPerSecond: 5 })];
    const p = await principal(h, ['provider'], providerAgency);
    const res = await Promise.all(Array.from({ length: 24 }, (_, i) => call(i % 2 ? a : b, 'GET', '/v1/inbox', p.token)));
    const served = res.filter((r) => r.statusCode === 200).length;
    expect(served, String(statuses(res))).toBeLessThanOrEqual(15); // 5 a window, at most three windows
    expect(res.filter((r) => r.statusCode === 429).length).toBe(24 - served);
  });

  it('counts requests without a valid token by client address, so made-up tokens buy no fresh allowance', async () => {
    const app = await replica({ requestsPerSecond: 5 });
    const anonymous = await Promise.all(Array.from({ length: 30 }, () => call(app, 'GET', '/v1/jurisdictions')));
    expect(statuses(anonymous)).toContain(429);
    for (const r of anonymous.filter((x) => x.statusCode === 429)) expectRateLimited(r, 1);
    await new Promise((r) => setTimeout(r, 1100));
    const forged = await Promise.all(Array.from({ length: 30 }, (_, i) => call(app, 'GET', '/v1/inbox', `pdg_made-up-${i}`)));
    expect(new Set(statuses(forged))).toEqual(new Set([401, 429]));
  });

  it("counts each request of a principal once (the token lookup counts it), and a revoked token's requests not under its principal", async () => {
    const app = await replica({ requestsPerSecond: 50 });
    const p = await principal(h, ['provider'], providerAgency);
    const first = await call(app, 'GET', '/v1/inbox', p.token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('50');
    expect(first.headers['x-ratelimit-remaining'], 'a first request leaves all but one').toBe('49');

    const second = await h.call('POST', `/v1/principals/${p.id}/tokens`, { token: h.adminToken, body: {} });
    expect(second.statusCode, second.body).toBe(201);
    const listed = (await h.call('GET', `/v1/principals?agencyId=${providerAgency}&limit=200`, { token: h.adminToken })).json().items as { id: string; tokens: { id: string }[] }[];
    const [firstToken] = listed.find((x) => x.id === p.id)!.tokens;
    expect((await h.call('DELETE', `/v1/principals/${p.id}/tokens/${firstToken!.id}`, { token: h.adminToken })).statusCode).toBe(200);
    const before = await h.db.execute(sql`SELECT count, window_start FROM rate_counters WHERE scope = 'requests' AND key = ${`principal:${p.id}`}`);
    expectError(await call(app, 'GET', '/v1/inbox', p.token), 401, 'unauthorized');
    const after = await h.db.execute(sql`SELECT count, window_start FROM rate_counters WHERE scope = 'requests' AND key = ${`principal:${p.id}`}`);
    expect(after.rows, "the revoked token's request is not the principal's").toEqual(before.rows);
  });

  it('leaves the health probes unlimited', async () => {
    const app = await replica({ requestsPerSecond: 1 });
    const res = await Promise.all(Array.from({ length: 10 }, () => call(app, 'GET', '/healthz')));
    expect(new Set(statuses(res))).toEqual(new Set([200]));
  });
});

describe('case-creation quota', () => {
  const objection = (extra: Record<string, unknown> = {}) => ({ datasetId: ds, kind: 'error', description: '企业地址与营业执照不一致', ...extra });
  const casesBy = async (a: Actor) => ((await h.db.execute(sql`SELECT count(*)::int AS n FROM cases WHERE created_by = ${a.id}`)).rows[0] as { n: number }).n;

  it('answers 429 with Retry-After once the hour’s quota is used, starting nothing; an idempotent retry still answers', async () => {
    const app = await replica({ caseCreationsPerHour: 2 });
    const p = await principal(h, ['data_user']);
    const first = await call(app, 'POST', '/v1/objections', p.token, objection(), { 'idempotency-key': 'rl-first' });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await call(app, 'POST', '/v1/objections', p.token, objection(), { 'idempotency-key': 'rl-first' });
    expect(retry.statusCode, 'a retry is not a new case').toBe(200);
    expect((await call(app, 'POST', '/v1/objections', p.token, objection({ description: '第二件' }))).statusCode).toBe(201);

    const refused = await call(app, 'POST', '/v1/objections', p.token, objection({ description: '第三件' }), { 'idempotency-key': 'rl-third' });
    expect(expectRateLimited(refused, 3600).details).toMatchObject({ limit: 2, windowSeconds: 3600 });
    expect(await casesBy(p)).toBe(2);
    const keys = (await h.db.execute(sql`SELECT key FROM idempotency_keys WHERE principal_id = ${p.id} ORDER BY key`)).rows.map((r) => (r as { key: string }).key);
    expect(keys, 'the refused request left its key free').toEqual(['rl-first']);

    const later = await call(app, 'POST', '/v1/objections', p.token, objection(), { 'idempotency-key': 'rl-first' });
    expect(later.statusCode, later.body).toBe(200);
    expect(later.json().caseId).toBe(first.json().caseId);

    const limits = (await call(app, 'GET', '/v1/limits', p.token)).json();
    expect(limits.caseCreationQuota).toMatchObject({ limit: 2, used: 2, remaining: 0, default: 500, setting: 'CASE_CREATION_QUOTA_PER_HOUR', windowSeconds: 3600 });
    expect(Date.parse(limits.caseCreationQuota.resetsAt)).toBeGreaterThan(Date.now());

    const someoneElse = await principal(h, ['data_user']);
    expect((await call(app, 'POST', '/v1/objections', someoneElse.token, objection())).statusCode).toBe(201);
  });

  it('is one count across replicas', async () => {
    const [a, b] = [await replica({ caseCreationsPerHour: 2 }), await replica({ caseCreationsPerHour: 2 })];
    const p = await principal(h, ['rights_holder']);
    const claim = { datasetId: ds, claim: 'privacy', description: '可识别到本人' };
    expect((await call(a, 'POST', '/v1/rights-claims', p.token, claim)).statusCode).toBe(201);
    expect((await call(b, 'POST', '/v1/rights-claims', p.token, claim)).statusCode).toBe(201);
    expectRateLimited(await call(a, 'POST', '/v1/rights-claims', p.token, claim), 3600);
    expectRateLimited(await call(b, 'POST', '/v1/rights-claims', p.token, claim), 3600);
  });

  it('applies to every route that creates a case', async () => {
    const app = await replica({ caseCreationsPerHour: 1 });
    const official = await principal(h, ['requester', 'competent'], requesterAgency);
    const citizen = await principal(h, ['data_user']);
    for (const p of [official, citizen]) expect((await call(app, 'POST', '/v1/objections', p.token, objection())).statusCode).toBe(201);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const in90 = new Date(Date.now() + (8 + 90 * 24) * 3600_000).toISOString().slice(0, 10);
    const creates: [Actor, string, Record<string, unknown>][] = [
      [official, '/v1/share-requests', shareBody(ds)],
      [official, '/v1/share-demands', { providerAgencyId: providerAgency, description: '房屋租赁登记备案信息', purpose: '居住登记核验', legalDuty: '《居住证暂行条例》第九条' }],
      [official, '/v1/quality-rectifications', { datasetId: ds, findings: ['缺少 2025 年第四季度数据'] }],
      [official, '/v1/objections', objection()],
      [citizen, '/v1/rights-claims', { datasetId: ds, claim: 'privacy', description: '可识别到本人' }],
      [citizen, '/v1/open-data-applications', { datasetId: ds, title: '客流研究', reason: '优化线路', deliveryType: 'api', usagePeriod: { start: today, end: in90 }, resultForm: '研究报告', scenario: '交通规划', commitment: true }],
      [citizen, '/v1/open-data-requests', { providerAgencyId: providerAgency, title: '订单数据', description: '不在开放目录中', reason: '研究', scenario: '线路规划', commitment: true }],
    ];
    for (const [p, url, body] of creates) expectRateLimited(await call(app, 'POST', url, p.token, body), 3600);
    expect(await casesBy(official)).toBe(1);
    expect(await casesBy(citizen)).toBe(1);
  });
});

describe('what operators and clients can read', () => {
  it('GET /v1/limits shows the limits in force, their defaults and the settings that change them', async () => {
    const app = await replica({ requestsPerSecond: 7 });
    const res = await call(app, 'GET', '/v1/limits', h.adminToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      requestRate: { limit: 7, windowSeconds: 1, default: 20, setting: 'RATE_LIMIT_PER_SECOND' },
      caseCreationQuota: { limit: 500, windowSeconds: 3600, default: 500, setting: 'CASE_CREATION_QUOTA_PER_HOUR', used: 0 },
    });
    expect(res.headers['x-ratelimit-limit']).toBe('7');
  });

  it('the OpenAPI document gives every limited route a 429 with its Retry-After header', async () => {
    const doc = (await h.call('GET', '/docs/json')).json();
    for (const [path, method] of [['/v1/inbox', 'get'], ['/v1/objections', 'post'], ['/v1/limits', 'get'], ['/v1/principals/{id}/tokens', 'post']]) {
      const tooMany = doc.paths[path!]?.[method!]?.responses?.['429'];
      expect(tooMany, `${method} ${path}`).toBeDefined();
      expect(tooMany.headers?.['retry-after']?.schema).toMatchObject({ type: 'integer' });
    }
    expect(doc.paths['/healthz'].get.responses['429']).toBeUndefined();
  });
});
