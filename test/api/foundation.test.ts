// The base of the API every agency system relies on: health, admin authentication, agencies,
// principals, jurisdictions, the catalog, the error shape, the OpenAPI document and the audit chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app';
import { createDb, closeDb } from '../../src/db/client';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, principal, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let suzhouAgency: string;
let taizhouAgency: string;
let suzhouProvider: Actor;
let requester: Actor;

beforeAll(async () => {
  h = await startHarness();
  suzhouAgency = await agency(h, 'fnd-suzhou-tax', 'suzhou', '苏州市税务局');
  taizhouAgency = await agency(h, 'fnd-taizhou-edu', 'taizhou', '泰州市教育局');
  suzhouProvider = await principal(h, ['provider'], suzhouAgency);
  requester = await principal(h, ['requester'], taizhouAgency);
});
const closeLater: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 3000));
  for (const close of closeLater) await close();
  await h?.close();
});

const datasetBody = (providerAgencyId: string, extra: Record<string, unknown> = {}) => ({
  name: '企业登记信息',
  providerAgencyId,
  shareClass: 'conditional',
  openClass: 'none',
  legalBasis: '《中华人民共和国个人信息保护法》第十三条',
  fields: ['name', 'licence_no'],
  ...extra,
});

describe('health', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await h.call('GET', '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when PostgreSQL and Temporal both answer', async () => {
    const res = await h.call('GET', '/readyz');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', postgres: 'up', temporal: 'up' });
  });

  it('is not ready, within seconds, when Temporal does not answer', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const app = await buildApp({ db: h.db, temporal: new Client({ connection }), taskQueue: h.taskQueue, adminToken: h.adminToken });
    try {
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(Date.now() - started).toBeLessThan(5000);
      const error = expectError(res, 503, 'not_ready');
      expect(error.details).toMatchObject({ status: 'not_ready', postgres: 'up' });
      expect((error.details as { temporal: string }).temporal).toMatch(/^down/);
    } finally {
      await app.close();
      // Close only once the SDK's retry timers (bounded by the readiness deadline) have run out:
      // a retry scheduled on a closed channel throws outside any test.
      closeLater.push(() => connection.close().catch(() => {}));
    }
  });

  it('is not ready, within seconds, when PostgreSQL does not answer; data routes say 503 too', async () => {
    const db = createDb('postgres://x:y@127.0.0.1:1/none');
    const app = await buildApp({ db, temporal: h.client, taskQueue: h.taskQueue, adminToken: h.adminToken });
    try {
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(Date.now() - started).toBeLessThan(5000);
      const error = expectError(res, 503, 'not_ready');
      expect(error.details).toMatchObject({ status: 'not_ready', temporal: 'up' });
      expect((error.details as { postgres: string }).postgres).toMatch(/^down/);

      const list = await app.inject({ method: 'GET', url: '/v1/datasets', headers: { authorization: `Bearer ${h.adminToken}` } });
      expectError(list, 503, 'unavailable');
    } finally {
      await app.close();
      await closeDb(db);
    }
  });
});

describe('admin authentication', () => {
  const body = () => ({ id: `fnd-auth-${h.tag}`, name: '测试', jurisdiction: 'suzhou' });

  it('refuses a request without a token (401)', async () => {
    expectError(await h.call('POST', '/v1/agencies', { body: body() }), 401, 'unauthorized');
    expectError(await h.call('POST', '/v1/agencies', { body: body(), headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }), 401, 'unauthorized');
  });

  it('refuses an unknown token (401)', async () => {
    expectError(await h.call('POST', '/v1/agencies', { token: `${h.adminToken}x`, body: body() }), 401, 'unauthorized');
    expectError(await h.call('GET', '/v1/audit/verify', { token: 'pdg_not-a-token' }), 401, 'unauthorized');
  });

  it('refuses an authenticated principal that is not an admin (403)', async () => {
    expectError(await h.call('POST', '/v1/agencies', { token: suzhouProvider.token, body: body() }), 403, 'forbidden');
    expectError(await h.call('POST', '/v1/principals', { token: requester.token, body: { name: 'x', roles: ['data_user'] } }), 403, 'forbidden');
    expectError(await h.call('GET', '/v1/audit/verify', { token: requester.token }), 403, 'forbidden');
    // nothing was written by the refused calls
    const again = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: body() });
    expect(again.statusCode, again.body).toBe(201);
  });
});

describe('agencies', () => {
  it('registers an agency once; a second time is a conflict', async () => {
    const id = `fnd-agency-${h.tag}`;
    const res = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id, name: '苏州市公安局', jurisdiction: 'suzhou' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id, name: '苏州市公安局', jurisdiction: 'suzhou' });
    expect(Number.isNaN(Date.parse(res.json().createdAt))).toBe(false);

    const dup = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id, name: '另一个', jurisdiction: 'taizhou' } });
    expectError(dup, 409);
  });

  it('registers an id exactly once when the same agency is sent concurrently', async () => {
    const id = `fnd-race-${h.tag}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id, name: '并发', jurisdiction: 'taizhou' } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const audited = (await h.db.execute(sql`SELECT count(*)::int AS n FROM audit_log WHERE event_key = ${`agency:${id}:created`}`)).rows as { n: number }[];
    expect(audited[0]!.n).toBe(1);
  });

  it('refuses a jurisdiction that is not one of GET /v1/jurisdictions (422)', async () => {
    const res = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id: `fnd-beijing-${h.tag}`, name: '北京', jurisdiction: 'beijing' } });
    expectError(res, 422, 'unknown_jurisdiction');
    // nothing half-written: the id is still free
    const ok = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id: `fnd-beijing-${h.tag}`, name: '上海', jurisdiction: 'shanghai' } });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('refuses malformed bodies (400)', async () => {
    for (const body of [
      {},
      { id: `fnd-x-${h.tag}`, name: 'x' },
      { id: 'has space', name: 'x', jurisdiction: 'suzhou' },
      { id: `fnd-x-${h.tag}`, name: '', jurisdiction: 'suzhou' },
      { id: [`fnd-x-${h.tag}`, 'y'], name: 'x', jurisdiction: 'suzhou' },
      { id: `fnd-x-${h.tag}`, name: { zh: 'x' }, jurisdiction: 'suzhou' },
    ]) {
      const res = await h.call('POST', '/v1/agencies', { token: h.adminToken, body });
      expectError(res, 400, 'invalid_request');
    }
  });

  it('refuses an unknown field instead of silently dropping it (400)', async () => {
    const id = `fnd-extra-${h.tag}`;
    const res = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id, name: 'x', jurisdiction: 'suzhou', parent: 'jiangsu' } });
    expectError(res, 400, 'invalid_request');
    const ok = await h.call('POST', '/v1/agencies', { token: h.adminToken, body: { id, name: 'x', jurisdiction: 'suzhou' } });
    expect(ok.statusCode, 'nothing was written by the refused call').toBe(201);
  });
});

describe('principals', () => {
  it('creates a principal whose token is shown once, works afterwards and is not stored in clear', async () => {
    const res = await h.call('POST', '/v1/principals', {
      token: h.adminToken,
      body: { name: '税务局数据员', agencyId: suzhouAgency, roles: ['provider', 'requester'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ name: '税务局数据员', agencyId: suzhouAgency, roles: ['provider', 'requester'] });
    expect(typeof p.id).toBe('string');
    expect(p.token.length).toBeGreaterThanOrEqual(20);

    const authed = await h.call('GET', '/v1/datasets?limit=1', { token: p.token });
    expect(authed.statusCode, authed.body).toBe(200);

    const rows = (await h.db.execute(sql`SELECT token_hash FROM principal_tokens WHERE principal_id = ${p.id}`)).rows as { token_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toBe(p.token);
    expect(rows[0]!.token_hash).not.toContain(p.token);
    const clear = (await h.db.execute(sql`SELECT count(*)::int AS n FROM principal_tokens WHERE position(${p.token} in token_hash) > 0`)).rows as { n: number }[];
    expect(clear[0]!.n).toBe(0);
  });

  it('creates a principal without an agency for non-agency roles', async () => {
    const res = await h.call('POST', '/v1/principals', { token: h.adminToken, body: { name: '张三', roles: ['data_user'] } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ agencyId: null, roles: ['data_user'] });
  });

  it('refuses agency roles without agencyId (422)', async () => {
    for (const role of ['requester', 'provider', 'competent', 'operations']) {
      const res = await h.call('POST', '/v1/principals', { token: h.adminToken, body: { name: 'x', roles: [role] } });
      expectError(res, 422, 'agency_required');
    }
  });

  it('refuses an unknown agency (422)', async () => {
    const res = await h.call('POST', '/v1/principals', { token: h.adminToken, body: { name: 'x', agencyId: `fnd-nowhere-${h.tag}`, roles: ['provider'] } });
    expectError(res, 422, 'unknown_agency');
  });

  it('refuses unknown roles and malformed bodies (400)', async () => {
    for (const body of [{ name: 'x', roles: ['root'] }, { name: 'x', roles: [] }, { name: 'x' }, { name: 'x', roles: { provider: true } }]) {
      expectError(await h.call('POST', '/v1/principals', { token: h.adminToken, body }), 400, 'invalid_request');
    }
  });
});

describe('jurisdictions', () => {
  it('lists the seven jurisdictions and how they nest', async () => {
    const res = await h.call('GET', '/v1/jurisdictions');
    expect(res.statusCode).toBe(200);
    const parents = Object.fromEntries(res.json().map((j: { id: string; parent: string | null }) => [j.id, j.parent]));
    expect(parents).toMatchObject({
      jiangsu: null,
      suzhou: 'jiangsu',
      'suzhou-sip': 'suzhou',
      taizhou: 'jiangsu',
      'taizhou-jiangyan': 'taizhou',
      shanghai: null,
      'shanghai-chongming': 'shanghai',
    });
    for (const j of res.json()) expect(typeof j.name).toBe('string');
  });
});

describe('datasets', () => {
  it('refuses a conditional or not-shared class without legal basis, citing js-2020:19 (422)', async () => {
    for (const classes of [
      { shareClass: 'conditional', openClass: 'unconditional' },
      { shareClass: 'none', openClass: 'unconditional' },
      { shareClass: 'unconditional', openClass: 'conditional' },
      { shareClass: 'unconditional', openClass: 'none' },
    ]) {
      const id = `fnd-nobasis-${classes.shareClass}-${classes.openClass}-${h.tag}`;
      const res = await h.call('POST', '/v1/datasets', {
        token: h.adminToken,
        body: datasetBody(suzhouAgency, { id, ...classes, legalBasis: undefined }),
      });
      const error = expectError(res, 422, 'legal_basis_required');
      expect(JSON.stringify(error.details)).toContain('js-2020:19');
      expect((await h.call('GET', `/v1/datasets/${id}`, { token: h.adminToken })).statusCode).toBe(404);
    }
    const blank = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(suzhouAgency, { legalBasis: '   ' }) });
    expectError(blank, 422, 'legal_basis_required');
  });

  it('registers an unconditional dataset without legal basis, in its provider agency’s jurisdiction', async () => {
    const res = await h.call('POST', '/v1/datasets', {
      token: h.adminToken,
      body: datasetBody(taizhouAgency, { shareClass: 'unconditional', openClass: 'unconditional', legalBasis: undefined }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ providerAgencyId: taizhouAgency, jurisdiction: 'taizhou', legalBasis: null, shareClass: 'unconditional' });
  });

  it('lets a provider register its own agency’s datasets, not another agency’s', async () => {
    const other = await h.call('POST', '/v1/datasets', { token: suzhouProvider.token, body: datasetBody(taizhouAgency) });
    expectError(other, 403, 'forbidden');
    const asRequester = await h.call('POST', '/v1/datasets', { token: requester.token, body: datasetBody(taizhouAgency) });
    expectError(asRequester, 403, 'forbidden');
    const own = await h.call('POST', '/v1/datasets', { token: suzhouProvider.token, body: datasetBody(suzhouAgency) });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ providerAgencyId: suzhouAgency, jurisdiction: 'suzhou', fields: ['name', 'licence_no'] });
  });

  it('refuses a duplicate id (409) and reads a dataset by id (200/404)', async () => {
    const id = `fnd-ds-${h.tag}`;
    const first = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(suzhouAgency, { id, updateCycle: 'daily' }) });
    expect(first.statusCode, first.body).toBe(201);
    const dup = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(suzhouAgency, { id, name: '另一个' }) });
    expectError(dup, 409);

    const read = await h.call('GET', `/v1/datasets/${id}`, { token: requester.token });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(first.json());
    expect(read.json().name).toBe('企业登记信息');
    expectError(await h.call('GET', `/v1/datasets/fnd-missing-${h.tag}`, { token: requester.token }), 404, 'not_found');
    expectError(await h.call('GET', `/v1/datasets/${id}`), 401);
  });

  it('refuses a dataset of an unknown agency (422)', async () => {
    const res = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(`fnd-ghost-${h.tag}`) });
    expectError(res, 422, 'unknown_agency');
  });

  it('lists an agency’s datasets page by page, newest first, without duplicates or gaps', async () => {
    const owner = await agency(h, 'fnd-paging', 'suzhou-sip');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(owner, { id: `fnd-page-${i}-${h.tag}` }) });
      expect(res.statusCode, res.body).toBe(201);
      created.push(res.json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/datasets?providerAgencyId=${owner}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await h.call('GET', url, { token: requester.token });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(3);
      for (const d of body.items) expect(d.providerAgencyId).toBe(owner);
      seen.push(...body.items.map((d: { id: string }) => d.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(seen[0]).toBe(created[6]); // newest first

    const all = (await h.call('GET', `/v1/datasets?providerAgencyId=${owner}`, { token: requester.token })).json();
    expect(all.items.map((d: { id: string }) => d.id)).toEqual(seen);
    expect(all.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not issue and a bad limit (400)', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url'), Buffer.from('["+275760-09-13T00:00:00.000Z","x"]').toString('base64url'), Buffer.from('["0000-01-01T00:00:00.000Z","x"]').toString('base64url'), Buffer.from('["2026-01-01T00:00:00.000Z","a\\u0000b"]').toString('base64url')]) {
      expectError(await h.call('GET', `/v1/datasets?cursor=${cursor}`, { token: requester.token }), 400);
    }
    for (const limit of ['0', '-1', '201', 'ten', '1.5']) {
      expectError(await h.call('GET', `/v1/datasets?limit=${limit}`, { token: requester.token }), 400, 'invalid_request');
    }
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with 400 and the error shape', async () => {
    for (const payload of ['{"id": ', '{id: 1}', 'null x', '']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/agencies',
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        payload,
      });
      expectError(res, 400);
    }
  });

  it('answers a missing body with 400 and the error shape', async () => {
    expectError(await h.app.inject({ method: 'POST', url: '/v1/agencies', headers: { authorization: `Bearer ${h.adminToken}` } }), 400);
  });

  it('answers an unknown route with 404 JSON', async () => {
    expectError(await h.call('GET', '/v1/no-such-thing'), 404, 'not_found');
    expectError(await h.call('DELETE', '/v1/agencies'), 404, 'not_found');
  });

  it('answers a body that is not JSON with 415 and the error shape', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/agencies',
      headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/xml' },
      payload: '<agency id="x"/>',
    });
    expectError(res, 415);
  });
});

describe('OpenAPI document', () => {
  // Every route of API.md, as registered (method, Fastify path).
  const apiMd: [string, string][] = [
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['POST', '/v1/agencies'],
    ['POST', '/v1/principals'],
    ['GET', '/v1/jurisdictions'],
    ['GET', '/v1/policies'],
    ['PATCH', '/v1/policies/:id'],
    ['POST', '/v1/datasets'],
    ['GET', '/v1/datasets'],
    ['GET', '/v1/datasets/:id'],
    ['POST', '/v1/share-requests'],
    ['POST', '/v1/share-demands'],
    ['POST', '/v1/open-data-applications'],
    ['POST', '/v1/objections'],
    ['POST', '/v1/quality-rectifications'],
    ['POST', '/v1/rights-claims'],
    ['GET', '/v1/cases/:caseId'],
    ['GET', '/v1/cases'],
    ['POST', '/v1/cases/:caseId/withdraw'],
    ['POST', '/v1/cases/:caseId/sign-agreement'],
    ['POST', '/v1/cases/:caseId/confirm'],
    ['POST', '/v1/cases/:caseId/dispose'],
    ['GET', '/v1/inbox'],
    ['POST', '/v1/tasks/:taskId/decision'],
    ['GET', '/v1/calendar/deadline'],
    ['GET', '/v1/calendar/years/:year'],
    ['PUT', '/v1/calendar/years/:year'],
  ];
  // Implemented before this file was written: these must exist whatever else is added.
  const foundation = ['/healthz', '/readyz', '/v1/agencies', '/v1/principals', '/v1/jurisdictions', '/v1/policies', '/v1/policies/:id', '/v1/datasets', '/v1/datasets/:id', '/v1/share-requests', '/v1/cases', '/v1/cases/:caseId', '/v1/calendar/deadline', '/v1/calendar/years/:year'];
  const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

  it('describes every route of API.md the server implements', async () => {
    const res = await h.call('GET', '/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const served = apiMd.filter(([method, url]) => h.app.hasRoute({ method: method as 'GET', url }));
    expect(served.map(([, url]) => url)).toEqual(expect.arrayContaining(foundation));
    const missing = served.filter(([method, url]) => !doc.paths?.[openApiPath(url)]?.[method.toLowerCase()]);
    expect(missing).toEqual([]);
    expect(doc.paths['/v1/audit/verify']?.get).toBeDefined();
  });

  it('describes every non-2xx response with the Error schema', async () => {
    const doc = (await h.call('GET', '/docs/json')).json();
    const errorRef = Object.entries(doc.components.schemas as Record<string, { title?: string }>).find(([, s]) => s.title === 'Error')?.[0];
    expect(errorRef).toBeDefined();
    const wrong: string[] = [];
    let errorResponses = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          if (/^2/.test(status)) continue;
          errorResponses++;
          if (response.content?.['application/json']?.schema?.$ref !== `#/components/schemas/${errorRef}`) wrong.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(errorResponses).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  it('serves a browsable page at /docs', async () => {
    let res = await h.call('GET', '/docs');
    for (let i = 0; i < 3 && res.statusCode >= 300 && res.statusCode < 400; i++) {
      res = await h.call('GET', String(res.headers.location));
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});

describe('malformed input never yields a 5xx', () => {
  const junk: unknown[] = [
    [],
    [1, 'a', null],
    0,
    -1,
    1e308,
    null,
    true,
    'a string',
    'x'.repeat(100_000),
    'nul\u0000byte',
    { a: { b: { c: { d: [{}] } } } },
    JSON.parse('['.repeat(500) + ']'.repeat(500)),
  ];

  function checkNoServerError(res: LightMyRequestResponse, label: string) {
    expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) {
      expect(res.json().error.code, label).toMatch(/^[a-z0-9_]+$/);
      expect(typeof res.json().error.message, label).toBe('string');
    }
  }

  it('for whole bodies of the wrong type', async () => {
    const routes: [string, string][] = [
      ['POST', '/v1/agencies'],
      ['POST', '/v1/principals'],
      ['POST', '/v1/datasets'],
      ['POST', '/v1/share-requests'],
      ['PUT', '/v1/calendar/years/2097'],
      ['PATCH', '/v1/policies/cm-draft'],
    ];
    for (const [method, url] of routes) {
      for (const body of junk) {
        const res = await h.app.inject({
          method: method as 'POST',
          url,
          headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        checkNoServerError(res, `${method} ${url} ${JSON.stringify(body).slice(0, 40)}`);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      }
      const huge = await h.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
      });
      checkNoServerError(huge, `${method} ${url} huge`);
      expect(huge.statusCode).toBe(413);
      const proto = await h.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        payload: '{"__proto__": {"roles": ["admin"]}, "constructor": {"prototype": {"admin": true}}}',
      });
      checkNoServerError(proto, `${method} ${url} __proto__`);
      expect(proto.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('for each field of a create body replaced by a value of the wrong type', async () => {
    const bases: [string, Record<string, unknown>][] = [
      ['/v1/agencies', { id: `fnd-fuzz-${h.tag}`, name: 'x', jurisdiction: 'suzhou' }],
      ['/v1/principals', { name: 'x', agencyId: suzhouAgency, roles: ['provider'] }],
      ['/v1/datasets', datasetBody(suzhouAgency, { id: `fnd-fuzz-${h.tag}`, updateCycle: 'daily' })],
    ];
    for (const [url, base] of bases) {
      for (const field of Object.keys(base)) {
        for (const value of junk) {
          const res = await h.call('POST', url, { token: h.adminToken, body: { ...base, [field]: value } });
          checkNoServerError(res, `${url} ${field}=${JSON.stringify(value).slice(0, 40)}`);
        }
      }
    }
  });

  it('for path and query strings', async () => {
    for (const url of [
      '/v1/datasets/a%00b',
      '/v1/datasets?providerAgencyId=a%00b',
      '/v1/datasets?limit=1&limit=2',
      '/v1/datasets?cursor=%00',
      '/v1/cases/a%00b',
      '/v1/cases?status=a%00b',
      '/v1/calendar/years/%00',
      '/v1/calendar/deadline?from=2026-01-01T00:00:00%00Z&workingDays=1',
      '/v1/policies/resolve?jurisdiction=suzhou&process=share-request&date=2026-01-01%00',
    ]) {
      checkNoServerError(await h.call('GET', url, { token: h.adminToken }), url);
    }
    checkNoServerError(await h.call('PATCH', '/v1/policies/a%00b', { token: h.adminToken, body: { adopted: true } }), 'PATCH policy NUL id');
  });

  it('for an over-long or badly encoded path, answered with the error shape', async () => {
    for (const url of [`/v1/datasets/${'x'.repeat(5000)}`, `/v1/cases/share-request-${'0'.repeat(150)}`, '/v1/datasets/%E0%A4%A']) {
      const res = await h.call('GET', url, { token: h.adminToken });
      expect(res.statusCode, url.slice(0, 40)).toBeGreaterThanOrEqual(400);
      checkNoServerError(res, url.slice(0, 40));
    }
  });
});

// Last: it briefly breaks the shared audit chain and mends it before any other file runs.
describe('audit chain', () => {
  it('verifies after agencies, principals and datasets were registered', async () => {
    const before = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    const owner = await agency(h, 'fnd-audit', 'jiangsu');
    await principal(h, ['provider'], owner);
    const ds = await h.call('POST', '/v1/datasets', { token: h.adminToken, body: datasetBody(owner) });
    expect(ds.statusCode, ds.body).toBe(201);
    const res = await h.call('GET', '/v1/audit/verify', { token: h.adminToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    expect(res.json().entries).toBe(before.entries + 3);
    const events = (await h.db.execute(sql`SELECT event FROM audit_log WHERE detail->>'agencyId' = ${owner} OR detail->>'providerAgencyId' = ${owner} ORDER BY seq`)).rows.map((r) => (r as { event: string }).event);
    expect(events).toEqual(['agency_registered', 'principal_created', 'dataset_registered']);
  });

  it('checkpoints the chain heads on demand, and verification checks them', async () => {
    await agency(h, 'fnd-checkpoint', 'jiangsu');
    const res = await h.call('POST', '/v1/audit/checkpoints', { token: h.adminToken });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ written: true, checkpoint: { chains: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(res.json().checkpoint.chains).toBeGreaterThanOrEqual(1);
    const v = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    expect(v).toMatchObject({ ok: true });
    expect(v.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it('reports the entry whose detail was edited in the database', async () => {
    const owner = await agency(h, 'fnd-tamper', 'shanghai', '上海市大数据中心');
    const [row] = (await h.db.execute(sql`SELECT seq::int AS seq, detail::text AS detail FROM audit_log WHERE event_key = ${`agency:${owner}:created`}`)).rows as { seq: number; detail: string }[];
    expect(row).toBeDefined();
    await h.db.execute(sql`UPDATE audit_log SET detail = jsonb_set(detail, '{name}', '"篡改"') WHERE seq = ${row!.seq}`);
    try {
      const res = await h.call('GET', '/v1/audit/verify', { token: h.adminToken });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: false, brokenAt: row!.seq });
    } finally {
      await h.db.execute(sql`UPDATE audit_log SET detail = ${row!.detail}::jsonb WHERE seq = ${row!.seq}`);
    }
    const mended = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    expect(mended.ok).toBe(true);
  });
});
