// The path API → workflow → activity → PostgreSQL → API, on real Temporal and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { asc, eq } from 'drizzle-orm';
import { accessGrants, auditLog } from '../../src/db/schema';

let h: Harness;
let requester: Actor;
let provider: Actor;
let outsider: Actor;
let providerAgency: string;
let sipProviderAgency: string;

beforeAll(async () => {
  h = await startHarness();
  const requesterAgency = await agency(h, 'suzhou-market', 'suzhou', '苏州市市场监督管理局');
  providerAgency = await agency(h, 'suzhou-tax', 'suzhou', '苏州市税务局');
  sipProviderAgency = await agency(h, 'sip-planning', 'suzhou-sip', '园区规划建设委员会');
  const otherAgency = await agency(h, 'taizhou-edu', 'taizhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency);
  outsider = await principal(h, ['requester', 'provider'], otherAgency);
});
afterAll(async () => h?.close());

describe('share request on an unconditional dataset', () => {
  it('is granted at once, with the grant and the audit entries visible on the case', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.caseId).toMatch(/^share-request-/);
    expect(created.status).toBe('granted');
    expect(created.outcome).toMatchObject({ basis: 'unconditional', citation: 'js-2020:21' });
    // The version in force now (policies.test.ts patches js-2020 in the shared database).
    const policies = (await h.call('GET', '/v1/policies', { token: requester.token })).json();
    const jsVersion = policies.find((p: { id: string }) => p.id === 'js-2020').version;
    expect(created.policy).toEqual({ id: 'js-2020', version: String(jsVersion) });
    expect(created.grants).toHaveLength(1);
    expect(created.grants[0]).toMatchObject({ datasetId: ds, mode: 'api', status: 'active', basis: 'unconditional' });
    expect(created.grants[0].scope.fields).toEqual(['name', 'licence_no']);
    expect(created.history.map((e: { event: string }) => e.event)).toEqual(['share_request_submitted', 'access_granted']);
    expect(created.history[1].citation).toBe('js-2020:21');

    const read = await h.call('GET', `/v1/cases/${created.caseId}`, { token: provider.token });
    expect(read.statusCode).toBe(200);
    expect(read.json().status).toBe('granted');
  });

  it('answers 201 with the case exactly as a later GET shows it, its instants as stored', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    const read = await h.call('GET', `/v1/cases/${created.caseId}`, { token: requester.token });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);
    // The history and the grants are read in the same statement as the case: each instant is the
    // stored one as a Date prints it, in the order the entries were appended.
    const entries = await h.db.select().from(auditLog).where(eq(auditLog.caseId, created.caseId)).orderBy(asc(auditLog.seq));
    expect(created.history).toEqual(entries.map((e) => ({ at: e.at.toISOString(), actor: e.actor, event: e.event, detail: e.detail, citation: e.citation })));
    const [grant] = await h.db.select().from(accessGrants).where(eq(accessGrants.caseId, created.caseId));
    expect(created.grants).toEqual([
      expect.objectContaining({ id: grant!.id, validFrom: grant!.validFrom.toISOString(), validTo: grant!.validTo?.toISOString() ?? null, scope: grant!.scope }),
    ]);
  });

  it('in Suzhou Industrial Park is recorded by the operations agency before access opens (sip-2021:24)', async () => {
    const ds = await dataset(h, sipProviderAgency, 'unconditional');
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.jurisdiction).toBe('suzhou-sip');
    expect(c.history.map((e: { event: string }) => e.event)).toEqual(['share_request_submitted', 'share_request_recorded', 'access_granted']);
    expect(c.history[1].citation).toBe('sip-2021:24');
    expect(c.outcome.basis).toBe('unconditional');
  });

  it('shows in Temporal under its caseId with search attributes and a summary', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const { caseId } = (await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) })).json();
    const desc = await h.client.workflow.getHandle(caseId).describe();
    expect(desc.type).toBe('shareRequest');
    const attrs = desc.searchAttributes as Record<string, unknown[]>;
    expect(attrs.CaseType).toEqual(['share-request']);
    expect(attrs.CaseStatus).toEqual(['granted']);
    expect(attrs.Jurisdiction).toEqual(['suzhou']);
    expect(attrs.ProviderAgency).toEqual([providerAgency]);
    expect(attrs.RequesterAgency).toEqual([requester.agencyId]);
    expect(await desc.staticSummary()).toContain('共享申请');
  });

  it('is not visible to an agency that is no party to it', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const { caseId } = (await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) })).json();
    const res = await h.call('GET', `/v1/cases/${caseId}`, { token: outsider.token });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const list = (await h.call('GET', '/v1/cases?type=share-request', { token: outsider.token })).json();
    expect(list.items.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
  });

  it('returns the same case for the same Idempotency-Key and refuses the key with another body', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const headers = { 'idempotency-key': `key-${h.tag}-1` };
    const first = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds), headers });
    const again = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds), headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().caseId).toBe(first.json().caseId);
    const other = await h.call('POST', '/v1/share-requests', {
      token: requester.token,
      body: shareBody(ds, { purpose: '另一目的' }),
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('refuses bad requests with a clear error and starts nothing', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const before = (await h.call('GET', '/v1/cases?limit=200', { token: h.adminToken })).json().items.length;
    const cases: [Record<string, unknown>, number, string][] = [
      [shareBody(ds, { commitment: false }), 422, 'commitment_required'],
      [shareBody('no-such-dataset'), 422, 'unknown_dataset'],
      [shareBody(ds, { fields: ['name', 'salary'] }), 422, 'unknown_fields'],
      [shareBody(ds, { purpose: '' }), 400, 'invalid_request'],
      [{ datasetId: ds }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const asProvider = await h.call('POST', '/v1/share-requests', { token: provider.token, body: shareBody(ds) });
    expect(asProvider.statusCode).toBe(403);
    const noToken = await h.call('POST', '/v1/share-requests', { body: shareBody(ds) });
    expect(noToken.statusCode).toBe(401);
    const after = (await h.call('GET', '/v1/cases?limit=200', { token: h.adminToken })).json().items.length;
    expect(after).toBe(before);
  });
});
