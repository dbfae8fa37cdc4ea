// The console is served by the API (issue 14), without a browser: its page and assets under
// /console/ with a same-origin policy, and the two routes it needs to know the caller and the
// party actions of a case type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, principal } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('GET /console/', () => {
  it('serves the built page, its script and stylesheet from this origin, under a policy that allows no inline script', async () => {
    const page = await h.call('GET', '/console/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="app">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script: every script the page names is a file served here.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.body.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) {
      const res = await h.call('GET', a);
      expect(res.statusCode, a).toBe(200);
      expect(res.headers['content-type'], a).toMatch(a.endsWith('.js') ? /javascript/ : /^text\/css/);
      // Compressed at build time, served as the browser accepts.
      const br = await h.call('GET', a, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(br.headers['content-encoding'], a).toBe('br');
      expect(br.rawPayload.length, a).toBeLessThan(res.rawPayload.length / 2);
    }
  });

  it('redirects /console to /console/, and answers an unknown file with 404', async () => {
    const res = await h.call('GET', '/console');
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('/console/');
    expect((await h.call('GET', '/console/assets/no-such-file.js')).statusCode).toBe(404);
  });

  it('is not part of the HTTP contract: the OpenAPI document does not list it', async () => {
    const doc = (await h.call('GET', '/docs/json')).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/console'))).toEqual([]);
    expect(doc.paths['/v1/me']).toBeDefined();
    expect(doc.paths['/v1/case-actions']).toBeDefined();
  });
});

describe('what the console asks of the API', () => {
  it('GET /v1/me names the token\'s principal, its agency, jurisdiction and roles; 401 without a token', async () => {
    const agencyId = await agency(h, 'me-comp', 'suzhou-sip');
    const p = await principal(h, ['competent'], agencyId, '李四');
    const res = await h.call('GET', '/v1/me', { token: p.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: p.id, name: '李四', agencyId, jurisdiction: 'suzhou-sip', roles: ['competent'] });
    expectError(await h.call('GET', '/v1/me'), 401);
  });

  it('GET /v1/case-actions lists the party actions of a case type with their bodies\' schemas', async () => {
    const res = await h.call('GET', '/v1/case-actions?caseType=open-data-application', { token: h.adminToken });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { caseType: string; action: string; body: { properties?: Record<string, unknown> } }[];
    expect(items.map((i) => i.action)).toEqual(expect.arrayContaining(['sign-agreement', 'withdraw', 'report-breach']));
    expect(items.every((i) => i.caseType === 'open-data-application')).toBe(true);
    expect(items.find((i) => i.action === 'report-breach')!.body.properties).toHaveProperty('basis');
    expectError(await h.call('GET', '/v1/case-actions?caseType=no-such-type', { token: h.adminToken }), 400);
  });
});
