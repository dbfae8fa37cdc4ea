// Token lifecycle (API-2.md "Abuse and identity"): administrators list principals (never a token or
// its hash), issue further tokens (rotation: the old one works until revoked), revoke them (401 from
// then on) and let them expire; administrators besides ADMIN_TOKEN are principals audited by id.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { buildApp } from '../../src/api/app';
import { closeDb, createDb, MIGRATIONS_FOLDER, migrateDb } from '../../src/db/client';
import { hashToken } from '../../src/api/plugins/auth';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, principal, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let agencyId: string;
let clerk: Actor;

beforeAll(async () => {
  h = await startHarness();
  agencyId = await agency(h, 'tok-sz-tax', 'suzhou');
  clerk = await principal(h, ['provider'], agencyId, '税务局数据员');
});
afterAll(async () => h?.close());

const asAdmin = (method: string, url: string, body?: unknown) => h.call(method, url, { token: h.adminToken, body });
const works = async (token: string) => (await h.call('GET', '/v1/datasets?limit=1', { token })).statusCode;
const auditOf = async (event: string, tokenId: string) =>
  (await h.db.execute(sql`SELECT actor, detail::text AS detail FROM audit_log WHERE event = ${event} AND detail->>'tokenId' = ${tokenId}`)).rows as {
    actor: string;
    detail: string;
  }[];

async function issue(p: Actor, body?: unknown, by = h.adminToken) {
  const res = await h.call('POST', `/v1/principals/${p.id}/tokens`, { token: by, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string; status: string; expiresAt: string | null };
}

describe('listing principals', () => {
  it("shows an agency's principals with their tokens' ids and states, never a token or its hash", async () => {
    const second = await issue(clerk);
    const res = await asAdmin('GET', `/v1/principals?agencyId=${agencyId}`);
    expect(res.statusCode, res.body).toBe(200);
    const listed = res.json().items as { id: string; name: string; tokens: { id: string; status: string }[] }[];
    expect(listed.map((p) => p.id)).toEqual([clerk.id]);
    expect(listed[0]).toMatchObject({ name: '税务局数据员', agencyId, roles: ['provider'] });
    expect(listed[0]!.tokens.map((t) => t.id)).toContain(second.id);
    expect(listed[0]!.tokens.every((t) => t.status === 'active')).toBe(true);
    for (const secret of [clerk.token, second.token, hashToken(clerk.token), hashToken(second.token)]) expect(res.body).not.toContain(secret);
    expect(res.body).not.toMatch(/token_?hash/i);
  });

  it('is for administrators only', async () => {
    expectError(await h.call('GET', '/v1/principals', { token: clerk.token }), 403, 'forbidden');
    expectError(await h.call('GET', '/v1/principals'), 401, 'unauthorized');
  });
});

describe('rotating and revoking tokens', () => {
  it('issues a new token while the old keeps working; revoking the old makes it 401 at once', async () => {
    const p = await principal(h, ['provider'], agencyId);
    const next = await issue(p);
    expect(next).toMatchObject({ status: 'active', expiresAt: null });
    expect(next.token).not.toBe(p.token);
    expect(await works(p.token)).toBe(200);
    expect(await works(next.token)).toBe(200);

    const [first] = ((await asAdmin('GET', `/v1/principals?agencyId=${agencyId}&limit=200`)).json().items as { id: string; tokens: { id: string }[] }[])
      .find((x) => x.id === p.id)!.tokens;
    const revoked = await asAdmin('DELETE', `/v1/principals/${p.id}/tokens/${first!.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: first!.id, status: 'revoked', revokedBy: 'admin' });
    expect(expectError(await h.call('GET', '/v1/datasets?limit=1', { token: p.token }), 401, 'unauthorized').message).toMatch(/revoked/);
    expect(await works(next.token)).toBe(200);

    const again = await asAdmin('DELETE', `/v1/principals/${p.id}/tokens/${first!.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
    expect(await auditOf('token_revoked', first!.id)).toHaveLength(1);
  });

  it('audits every issue and revocation under the acting administrator, never with the token', async () => {
    const p = await principal(h, ['requester'], agencyId);
    const t = await issue(p);
    await asAdmin('DELETE', `/v1/principals/${p.id}/tokens/${t.id}`);
    const [issued] = await auditOf('token_issued', t.id);
    const [revoked] = await auditOf('token_revoked', t.id);
    expect(issued).toMatchObject({ actor: 'admin' });
    expect(revoked).toMatchObject({ actor: 'admin' });
    for (const entry of [issued!, revoked!]) {
      expect(JSON.parse(entry.detail)).toMatchObject({ principalId: p.id, tokenId: t.id });
      expect(entry.detail).not.toContain(t.token);
      expect(entry.detail).not.toContain(hashToken(t.token));
    }
    expect((await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json().ok).toBe(true);
  });

  it('refuses a token that is past its expiresAt (401), and a past or malformed expiresAt when issuing', async () => {
    const p = await principal(h, ['provider'], agencyId);
    const soon = new Date(Date.now() + 1500).toISOString();
    const t = await issue(p, { expiresAt: soon });
    expect(t.expiresAt).toBe(soon);
    expect(await works(t.token)).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 100));
    expect(expectError(await h.call('GET', '/v1/datasets?limit=1', { token: t.token }), 401, 'unauthorized').message).toMatch(/expired/);
    expect(await works(p.token)).toBe(200);
    const listed = (await asAdmin('GET', `/v1/principals?agencyId=${agencyId}&limit=200`)).json().items.find((x: { id: string }) => x.id === p.id);
    expect(listed.tokens.find((x: { id: string }) => x.id === t.id).status).toBe('expired');

    expectError(await asAdmin('POST', `/v1/principals/${p.id}/tokens`, { expiresAt: '2020-01-01T00:00:00Z' }), 422, 'invalid_expires_at');
    expectError(await asAdmin('POST', `/v1/principals/${p.id}/tokens`, { expiresAt: '2099-02-30T00:00:00Z' }), 422, 'invalid_expires_at');
    expectError(await asAdmin('POST', `/v1/principals/${p.id}/tokens`, { expiresAt: 'tomorrow' }), 400, 'invalid_request');
    expectError(await asAdmin('POST', `/v1/principals/${p.id}/tokens`, { expiresAt: '2099-01-01T00:00:00Z', scope: 'all' }), 400, 'invalid_request');
  });

  it('answers 404 for an unknown principal or a token of another principal, and 403 to non-admins', async () => {
    const other = await principal(h, ['provider'], agencyId);
    const t = await issue(other);
    expectError(await asAdmin('POST', '/v1/principals/prn-nobody/tokens'), 404, 'not_found');
    expectError(await asAdmin('DELETE', `/v1/principals/${clerk.id}/tokens/${t.id}`), 404, 'not_found');
    expectError(await asAdmin('DELETE', `/v1/principals/${other.id}/tokens/tok-nothing`), 404, 'not_found');
    expectError(await h.call('POST', `/v1/principals/${clerk.id}/tokens`, { token: clerk.token }), 403, 'forbidden');
    expectError(await h.call('DELETE', `/v1/principals/${other.id}/tokens/${t.id}`, { token: other.token }), 403, 'forbidden');
    expect(await works(t.token)).toBe(200);
  });
});

describe('administrators', () => {
  it('can be principals with the role admin, whose actions are audited under their own id', async () => {
    const res = await asAdmin('POST', '/v1/principals', { name: '平台管理员', roles: ['admin'] });
    expect(res.statusCode, res.body).toBe(201);
    const admin = res.json() as { id: string; token: string };
    const id = `tok-admin-made-${h.tag}`;
    const created = await h.call('POST', '/v1/agencies', { token: admin.token, body: { id, name: '泰州市数据局', jurisdiction: 'taizhou' } });
    expect(created.statusCode, created.body).toBe(201);
    const [entry] = (await h.db.execute(sql`SELECT actor FROM audit_log WHERE event_key = ${`agency:${id}:created`}`)).rows as { actor: string }[];
    expect(entry!.actor).toBe(admin.id);

    const t = await issue(clerk, undefined, admin.token);
    expect((await auditOf('token_issued', t.id))[0]!.actor).toBe(admin.id);
    const revoked = await h.call('DELETE', `/v1/principals/${clerk.id}/tokens/${t.id}`, { token: admin.token });
    expect(revoked.json().revokedBy).toBe(admin.id);
  });

  it('refuses an ADMIN_TOKEN shorter than 24 characters when the app is built', async () => {
    await expect(buildApp({ db: h.db, temporal: h.client, taskQueue: h.taskQueue, adminToken: 'change-me' })).rejects.toThrow(/ADMIN_TOKEN must be at least 24 characters/);
  });
});

describe('upgrading a database whose principals held their token', () => {
  it('moves each token to its own row: it keeps working and can be listed and revoked', async () => {
    const name = `pdg_upgrade_${h.tag}`;
    await h.db.execute(sql.raw(`CREATE DATABASE ${name}`));
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const db = createDb(url.toString(), 2);
    const before = mkdtempSync(join(tmpdir(), 'pdg-migrations-'));
    let app: Awaited<ReturnType<typeof buildApp>> | undefined;
    try {
      // The migrations as they were before principal_tokens existed.
      cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
      const journalFile = join(before, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0006_principal_tokens'));
      writeFileSync(journalFile, JSON.stringify(journal));
      await migrate(db, { migrationsFolder: before });
      const token = 'pdg_issued-before-the-upgrade-0123456789';
      await db.execute(sql`INSERT INTO principals (id, name, agency_id, roles, token_hash) VALUES ('prn-old', '老用户', NULL, ARRAY['data_user'], ${hashToken(token)})`);

      await migrateDb(db);
      app = await buildApp({ db, temporal: h.client, taskQueue: h.taskQueue, adminToken: h.adminToken });
      const call = (method: 'GET' | 'DELETE', path: string, bearer: string) => app!.inject({ method, url: path, headers: { authorization: `Bearer ${bearer}` } });
      expect((await call('GET', '/v1/datasets', token)).statusCode).toBe(200);
      const listed = (await call('GET', '/v1/principals', h.adminToken)).json().items;
      expect(listed).toEqual([expect.objectContaining({ id: 'prn-old', tokens: [expect.objectContaining({ id: 'tok-prn-old', status: 'active' })] })]);
      expect((await call('DELETE', '/v1/principals/prn-old/tokens/tok-prn-old', h.adminToken)).statusCode).toBe(200);
      expectError(await call('GET', '/v1/datasets', token), 401, 'unauthorized');
    } finally {
      await app?.close();
      await closeDb(db);
      rmSync(before, { recursive: true, force: true });
      await h.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name}`));
    }
  });
});
