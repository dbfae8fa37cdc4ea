// Hostile text at the boundary (API-2.md "Abuse and identity"): lone surrogates, NUL and control
// characters in any body field, object key, query value or path parameter are refused with
// 400 invalid_text naming the field, before anything is started or written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let reporter: Actor;
let unconditional: string;
let conditional: string;

beforeAll(async () => {
  h = await startHarness();
  const providerAgency = await agency(h, 'txt-sz-tax', 'suzhou');
  requester = await principal(h, ['requester'], await agency(h, 'txt-sz-mkt', 'suzhou'));
  provider = await principal(h, ['provider'], providerAgency);
  reporter = await principal(h, ['data_user', 'rights_holder'], undefined, '王五');
  unconditional = await dataset(h, providerAgency, 'unconditional');
  conditional = await dataset(h, providerAgency, 'conditional');
});
afterAll(async () => h?.close());

const casesBy = async (a: Actor) =>
  ((await h.db.execute(sql`SELECT count(*)::int AS n FROM cases WHERE created_by = ${a.id}`)).rows[0] as { n: number }).n;
const keysOf = async (a: Actor) =>
  ((await h.db.execute(sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE principal_id = ${a.id}`)).rows[0] as { n: number }).n;
const postRaw = (url: string, a: Actor, payload: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json', ...headers }, payload });

describe('text in JSON bodies', () => {
  it('refuses an objection whose description is a lone surrogate ("\\ud800"), and starts no case', async () => {
    const before = await casesBy(reporter);
    const res = await postRaw('/v1/objections', reporter, `{"datasetId":"${unconditional}","kind":"error","description":"\\ud800"}`, { 'idempotency-key': 'txt-surrogate' });
    const error = expectError(res, 400, 'invalid_text');
    expect(error.message).toContain('body.description');
    expect(error.details).toMatchObject({ field: 'body.description', codePoint: 'U+D800', index: 0 });
    expect(await casesBy(reporter)).toBe(before);
    expect(await keysOf(reporter)).toBe(0);
  });

  it('refuses a share request whose purpose holds a BEL (U+0007)', async () => {
    const before = await casesBy(requester);
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(unconditional, { purpose: '核验\u0007企业' }) });
    const error = expectError(res, 400, 'invalid_text');
    expect(error.details).toEqual({ field: 'body.purpose', codePoint: 'U+0007', index: 2 });
    expect(await casesBy(requester)).toBe(before);
  });

  it('names the field that holds a NUL, inside a list', async () => {
    const res = await h.call('POST', '/v1/rights-claims', {
      token: reporter.token,
      body: { datasetId: unconditional, claim: 'privacy', description: '含有我的住址', materials: ['身份证复印件', '户口簿', '房产证', 'a\u0000b'] },
    });
    const error = expectError(res, 400, 'invalid_text');
    expect(error.details).toMatchObject({ field: 'body.materials[3]', codePoint: 'U+0000', index: 1 });
  });

  it('names an object key that is not text, printably', async () => {
    const res = await postRaw('/v1/share-requests', requester, JSON.stringify({ ...shareBody(unconditional), registration: { 'x\u001b[2J': 1 } }));
    const error = expectError(res, 400, 'invalid_text');
    expect((error.details as { field: string }).field).toBe('body.registration["x\\u001b[2J"]');
    // eslint-disable-next-line no-control-regex -- the message must hold no control character
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('refuses a lone low surrogate and a CR that is not part of CRLF; a surrogate pair is fine', async () => {
    for (const [purpose, codePoint] of [['a\udc00', 'U+DC00'], ['第一行\r第二行', 'U+000D'], ['\u0085next line', 'U+0085'], ['\u007f', 'U+007F']] as const) {
      const error = expectError(await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(unconditional, { purpose }) }), 400, 'invalid_text');
      expect(error.details, JSON.stringify(purpose)).toMatchObject({ field: 'body.purpose', codePoint });
    }
  });

  it('accepts tab, newline, CRLF and characters beyond the BMP', async () => {
    const purpose = '核验企业登记信息\t（第一项）\r\n第二项\n𠀀𪚥 😀';
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(unconditional, { purpose }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().request.purpose).toBe(purpose);
  });

  it('refuses a decision with a control character before it reaches the case; the task stays open', async () => {
    const created = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(conditional) });
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json().caseId;
    const inbox = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items as { taskId: string; caseId: string }[];
    const task = inbox.find((t) => t.caseId === caseId)!;
    const res = await h.call('POST', `/v1/tasks/${task.taskId}/decision`, { token: provider.token, body: { action: 'refuse', legalBasis: '《数据安全法》\u0008', reason: '不符合' } });
    expect(expectError(res, 400, 'invalid_text').details).toMatchObject({ field: 'body.legalBasis' });
    const after = (await h.call('GET', `/v1/cases/${caseId}`, { token: provider.token })).json();
    expect(after.status).toBe('pending_review');
  });
});

describe('text in query strings and paths', () => {
  it('refuses a lone surrogate in a query value (WTF-8 %ED%A0%80), naming it', async () => {
    const error = expectError(await h.call('GET', '/v1/cases?status=%ED%A0%80', { token: requester.token }), 400, 'invalid_text');
    expect(error.details).toMatchObject({ field: 'query.status' });
  });

  it('refuses control characters in query values and keys', async () => {
    expect(expectError(await h.call('GET', '/v1/cases?status=open%07', { token: requester.token }), 400, 'invalid_text').details).toMatchObject({
      field: 'query.status',
      codePoint: 'U+0007',
    });
    expect(expectError(await h.call('GET', '/v1/datasets?providerAgencyId=a%00b', { token: requester.token }), 400, 'invalid_text').details).toMatchObject({
      field: 'query.providerAgencyId',
      codePoint: 'U+0000',
    });
    expect(expectError(await h.call('GET', '/v1/cases?%01=1', { token: requester.token }), 400, 'invalid_text').details).toMatchObject({
      field: 'query["\\u0001"]',
    });
  });

  it('refuses control characters and undecodable escapes in path parameters', async () => {
    expect(expectError(await h.call('GET', '/v1/cases/share-request-%07', { token: requester.token }), 400, 'invalid_text').details).toMatchObject({
      field: 'params.caseId',
      codePoint: 'U+0007',
    });
    expectError(await h.call('GET', '/v1/cases/%ED%A0%80', { token: requester.token }), 400, 'invalid_text');
  });

  it('keeps ordinary Chinese text in query values', async () => {
    const res = await h.call('GET', `/v1/cases?status=${encodeURIComponent('待审核')}`, { token: requester.token });
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  it('lists 400 on every route that takes a path parameter, a query or a body', async () => {
    const doc = (await h.call('GET', '/docs/json')).json();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if ((op.parameters?.length || op.requestBody) && !op.responses['400']) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.paths['/v1/cases/{caseId}'].get.responses['400']).toBeDefined();
  });
});
