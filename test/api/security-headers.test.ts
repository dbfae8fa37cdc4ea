// Security headers (@fastify/helmet) on every API answer, errors included, while the Swagger UI at
// /docs keeps working under a policy of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startHarness, type Harness } from '../fixtures/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

function expectSecurityHeaders(res: LightMyRequestResponse, label: string) {
  expect(res.headers['x-content-type-options'], label).toBe('nosniff');
  expect(res.headers['x-frame-options'], label).toBe('SAMEORIGIN');
  expect(res.headers['strict-transport-security'], label).toMatch(/max-age=\d+/);
  expect(res.headers['referrer-policy'], label).toBe('no-referrer');
  expect(res.headers['cross-origin-resource-policy'], label).toBe('same-origin');
  expect(res.headers['x-powered-by'], label).toBeUndefined();
}

describe('API responses', () => {
  it('carry the security headers and a policy that lets nothing load or frame them, errors included', async () => {
    for (const [url, token] of [
      ['/healthz', undefined],
      ['/v1/jurisdictions', undefined],
      ['/v1/inbox', h.adminToken],
      ['/v1/inbox', undefined], // 401
      ['/v1/no-such-route', undefined], // 404
      ['/v1/cases?status=%07', h.adminToken], // 400
    ] as const) {
      const res = await h.call('GET', url, { token });
      expectSecurityHeaders(res, `${url} ${res.statusCode}`);
      expect(res.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    }
  });
});

describe('the Swagger UI at /docs', () => {
  async function follow(url: string) {
    let res = await h.call('GET', url);
    for (let i = 0; i < 3 && res.statusCode >= 300 && res.statusCode < 400; i++) res = await h.call('GET', new URL(String(res.headers.location), `http://x${url}`).pathname);
    return res;
  }

  it('still serves its page, scripts and the document, under a policy that allows this origin’s scripts', async () => {
    const page = await follow('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<div id="swagger-ui">/);
    expectSecurityHeaders(page, '/docs');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');

    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const src of scripts) {
      expect(src, 'same origin').not.toMatch(/^(https?:)?\/\//);
      const res = await h.call('GET', new URL(src, 'http://x/docs/').pathname);
      expect(res.statusCode, src).toBe(200);
      expect(res.headers['content-type'], src).toMatch(/javascript/);
    }
    const spec = await h.call('GET', '/docs/json');
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toMatch(/^3\./);
  });
});
