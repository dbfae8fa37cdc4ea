// The five rule sets through the API: listing, settings, resolution for a case, admin acts of
// adoption or extension (audited), and the rule that running cases keep their policy version.
// The database is shared with the other files: every policy patched here is put back to its
// shipped window (its version keeps growing, so no file may assert sz-open-2023's version).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

interface Listing {
  id: string;
  title: string;
  jurisdiction: string;
  status: string;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  adopted: boolean;
  version: number;
}

let h: Harness;
let provider: Actor;
const shipped: Record<string, Pick<Listing, 'adopted' | 'effectiveFrom' | 'effectiveTo'>> = {
  'sz-open-2023': { adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31' },
  'js-2020': { adopted: true, effectiveFrom: null, effectiveTo: null },
};

beforeAll(async () => {
  h = await startHarness();
  provider = await principal(h, ['provider'], await agency(h, 'pol-office', 'suzhou'));
});

afterAll(async () => {
  // Put back whatever a failed test may have left patched.
  if (h) {
    for (const [id, window] of Object.entries(shipped)) {
      const current = (await policies()).find((p) => p.id === id)!;
      if (current.adopted !== window.adopted || current.effectiveFrom !== window.effectiveFrom || current.effectiveTo !== window.effectiveTo) {
        await h.call('PATCH', `/v1/policies/${id}`, { token: h.adminToken, body: window });
      }
    }
  }
  await h?.close();
});

async function policies(): Promise<Listing[]> {
  const res = await h.call('GET', '/v1/policies', { token: h.adminToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const policy = async (id: string) => (await policies()).find((p) => p.id === id)!;

const resolve = (jurisdiction: string, process: string, date: string) =>
  h.call('GET', `/v1/policies/resolve?jurisdiction=${jurisdiction}&process=${process}&date=${date}`, { token: provider.token });

const patch = (id: string, body: unknown, token = h.adminToken) => h.call('PATCH', `/v1/policies/${id}`, { token, body });

describe('GET /v1/policies', () => {
  it('lists the five rule sets, all adopted, with the effective windows their texts state', async () => {
    const list = await policies();
    expect(list.map((p) => p.id).sort()).toEqual(['cm-draft', 'js-2020', 'jy-2023', 'sip-2021', 'sz-open-2023']);
    const byId = Object.fromEntries(list.map((p) => [p.id, p]));
    expect(byId['js-2020']).toMatchObject({ jurisdiction: 'jiangsu', status: 'draft', effectiveFrom: null, effectiveTo: null, adopted: true });
    expect(byId['sip-2021']).toMatchObject({ jurisdiction: 'suzhou-sip', status: 'issued', effectiveFrom: '2021-04-30', effectiveTo: null, adopted: true });
    expect(byId['jy-2023']).toMatchObject({ jurisdiction: 'taizhou-jiangyan', status: 'issued', effectiveFrom: '2023-04-13', effectiveTo: null, adopted: true });
    expect(byId['sz-open-2023']).toMatchObject({ jurisdiction: 'suzhou', effectiveFrom: '2023-08-01', effectiveTo: '2026-07-31', adopted: true });
    expect(byId['cm-draft']).toMatchObject({ jurisdiction: 'shanghai-chongming', status: 'draft', adopted: true });
    for (const p of list) {
      expect(p.title.length).toBeGreaterThan(0);
      expect(Number.isInteger(p.version) && p.version >= 1).toBe(true);
    }
    // Policies nobody patches stay at the version they were shipped with.
    expect(byId['sip-2021']!.version).toBe(1);
    expect(byId['jy-2023']!.version).toBe(1);
  });

  it('needs a token', async () => {
    expectError(await h.call('GET', '/v1/policies'), [401], 'unauthorized');
  });

  it('lists the settings the texts leave open, with their defaults and citations', async () => {
    const res = await h.call('GET', '/v1/policies/settings', { token: provider.token });
    expect(res.statusCode, res.body).toBe(200);
    const settings = res.json() as { id: string; defaultValue: number; value: number; citations: string[]; unit: string }[];
    expect(settings.length).toBeGreaterThanOrEqual(5);
    for (const s of settings) {
      expect(Number.isInteger(s.defaultValue) && s.defaultValue > 0, s.id).toBe(true);
      expect(s.value, s.id).toBe(s.defaultValue);
      expect(s.unit).toBe(s.id.endsWith('.hours') ? 'hours' : 'working_days');
    }
    const byId = Object.fromEntries(settings.map((s) => [s.id, s]));
    // sz-open-2023:38 "立即核实" is read as 1 working day, never as no deadline.
    expect(byId['rights-claim.verification.workingDays']).toMatchObject({ defaultValue: 1 });
    expect(byId['rights-claim.verification.workingDays']!.citations).toContain('sz-open-2023:38');
    expect(byId['share-request.copy_consent.workingDays']!.citations).toContain('js-2020:20');
  });
});

describe('GET /v1/policies/resolve', () => {
  it('gives Suzhou open-data applications 10 working days under sz-open-2023 up to 31 July 2026', async () => {
    const res = await resolve('suzhou', 'open-data-application', '2026-07-31');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rules.provider_review).toMatchObject({ workingDays: 10, citation: 'sz-open-2023:20', policyId: 'sz-open-2023' });
    expect(res.json().governingPolicy.id).toBe('sz-open-2023');
  });

  it('hands over to the province (15 working days, js-2020:27) from 1 August 2026', async () => {
    const res = await resolve('suzhou', 'open-data-application', '2026-08-01');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rules.provider_review).toMatchObject({ workingDays: 15, citation: 'js-2020:27', policyId: 'js-2020' });
  });

  it('refuses unknown jurisdictions, processes and dates', async () => {
    expectError(await resolve('beijing', 'open-data-application', '2026-08-01'), [400, 422]);
    expectError(await resolve('suzhou', 'launch-rockets', '2026-08-01'), [400, 422]);
    expectError(await resolve('suzhou', 'open-data-application', '2026-02-30'), [400, 422]);
    expectError(await resolve('suzhou', 'open-data-application', 'tomorrow'), [400, 422]);
    expectError(await h.call('GET', '/v1/policies/resolve?jurisdiction=suzhou', { token: provider.token }), [400]);
  });
});

describe('PATCH /v1/policies/:id', () => {
  it('records an extension of sz-open-2023: a new version, audited, that governs later receipts', async () => {
    const before = await policy('sz-open-2023');
    const audit = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();

    const res = await patch('sz-open-2023', { effectiveTo: '2027-12-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: 'sz-open-2023', effectiveFrom: '2023-08-01', effectiveTo: '2027-12-31', adopted: true, version: before.version + 1 });
    expect(await policy('sz-open-2023')).toMatchObject({ effectiveTo: '2027-12-31', version: before.version + 1 });

    const resolved = (await resolve('suzhou', 'open-data-application', '2026-08-01')).json();
    expect(resolved.rules.provider_review).toMatchObject({ workingDays: 10, citation: 'sz-open-2023:20', policyVersion: before.version + 1 });

    const after = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json();
    expect(after).toMatchObject({ ok: true, entries: audit.entries + 1 });
    const rows = (
      await h.db.execute(sql`SELECT actor, detail, citation FROM audit_log WHERE event = 'policy_patched' AND detail->>'policyId' = 'sz-open-2023' ORDER BY seq DESC LIMIT 1`)
    ).rows as { actor: string; detail: { before: Listing; after: Listing; patch: unknown }; citation: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe('admin');
    expect(rows[0]!.detail.before).toMatchObject({ effectiveTo: '2026-07-31', version: before.version });
    expect(rows[0]!.detail.after).toMatchObject({ effectiveTo: '2027-12-31', version: before.version + 1 });
    expect(rows[0]!.detail.patch).toEqual({ effectiveTo: '2027-12-31' });
    expect(rows[0]!.citation).toBe('sz-open-2023:39');
  });

  it('refuses a caller that is not an administrator, and an unknown policy', async () => {
    const before = await policy('sz-open-2023');
    expectError(await patch('sz-open-2023', { effectiveTo: '2030-12-31' }, provider.token), [403], 'forbidden');
    expectError(await h.call('PATCH', '/v1/policies/sz-open-2023', { body: { effectiveTo: '2030-12-31' } }), [401], 'unauthorized');
    expectError(await patch('bj-2024', { adopted: true }), [404], 'not_found');
    expect(await policy('sz-open-2023')).toEqual(before);
  });

  it('refuses invalid patches with the error shape and without a new version', async () => {
    const before = await policy('sz-open-2023');
    const entries = (await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json().entries;
    const invalid: [unknown, number[]][] = [
      [{ effectiveFrom: '2028-01-01' }, [422]], // after effectiveTo 2027-12-31
      [{ effectiveFrom: '2026-01-01', effectiveTo: '2025-12-31' }, [422]],
      [{ effectiveTo: '2026-02-30' }, [400, 422]],
      [{ effectiveTo: '31/12/2027' }, [400, 422]],
      [{ adopted: 'yes' }, [400, 422]],
      [{}, [400, 422]],
      [{ version: 7 }, [400, 422]],
      [[], [400, 422]],
    ];
    for (const [body, statuses] of invalid) {
      expectError(await patch('sz-open-2023', body), statuses);
    }
    const inverted = await patch('sz-open-2023', { effectiveFrom: '2028-01-01' });
    expect(JSON.stringify(inverted.json().error)).toMatch(/effective/);
    expect(await policy('sz-open-2023')).toEqual(before);
    expect((await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json().entries).toBe(entries);
  });

  it('refuses an unknown field instead of applying the rest of the patch', async () => {
    const before = await policy('sz-open-2023');
    expectError(await patch('sz-open-2023', { effectiveTo: '2030-12-31', effectiveToo: '2031-12-31' }), [400, 422]);
    expect(await policy('sz-open-2023')).toEqual(before);
  });

  it('gives concurrent acts distinct versions, each audited', async () => {
    const before = await policy('sz-open-2023');
    const results = await Promise.all(
      ['2028-12-31', '2029-12-31', '2030-12-31', '2031-12-31', '2032-12-31'].map((effectiveTo) => patch('sz-open-2023', { effectiveTo })),
    );
    for (const r of results) expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const versions = results.map((r) => r.json().version as number).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5].map((i) => before.version + i));
    const audited = (
      await h.db.execute(
        sql`SELECT (detail->'after'->>'version')::int AS v FROM audit_log WHERE event = 'policy_patched' AND detail->>'policyId' = 'sz-open-2023' AND (detail->'after'->>'version')::int > ${before.version}`,
      )
    ).rows.map((r) => (r as { v: number }).v);
    expect(audited.sort((a, b) => a - b)).toEqual(versions);
    expect((await h.call('GET', '/v1/audit/verify', { token: h.adminToken })).json().ok).toBe(true);
  });

  it('restores sz-open-2023 to its own window: from 1 August 2026 the province governs again', async () => {
    const res = await patch('sz-open-2023', { effectiveTo: '2026-07-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject(shipped['sz-open-2023']!);
    const resolved = (await resolve('suzhou', 'open-data-application', '2026-08-01')).json();
    expect(resolved.rules.provider_review).toMatchObject({ workingDays: 15, citation: 'js-2020:27' });
  });
});

describe('running cases keep the policy version they started under', () => {
  let requester: Actor;
  let providerAgency: string;

  beforeAll(async () => {
    const requesterAgency = await agency(h, 'pol-js-requester', 'jiangsu', '江苏省市场监督管理局');
    providerAgency = await agency(h, 'pol-js-provider', 'jiangsu', '江苏省税务局');
    requester = await principal(h, ['requester'], requesterAgency);
  });

  it('a share request started after a PATCH of js-2020 records the new version; an earlier one keeps its own', async () => {
    const ds = await dataset(h, providerAgency, 'unconditional');
    const first = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
    expect(first.statusCode, first.body).toBe(201);
    const n = (await policy('js-2020')).version;
    expect(first.json().policy).toEqual({ id: 'js-2020', version: String(n) });

    try {
      const res = await patch('js-2020', { effectiveFrom: '2020-01-01' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ effectiveFrom: '2020-01-01', version: n + 1 });

      const second = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
      expect(second.statusCode, second.body).toBe(201);
      expect(second.json().policy).toEqual({ id: 'js-2020', version: String(n + 1) });

      const again = await h.call('GET', `/v1/cases/${first.json().caseId}`, { token: requester.token });
      expect(again.statusCode).toBe(200);
      expect(again.json().policy).toEqual({ id: 'js-2020', version: String(n) });
    } finally {
      const restored = await patch('js-2020', { effectiveFrom: null });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toMatchObject(shipped['js-2020']!);
    }
  });
});
