// `npm start` runs compiled JavaScript (issue 17): dist/ is built by scripts/ensure-build.mjs and
// node dist/main.js — not tsx — comes up against the test PostgreSQL and Temporal, loads the
// prebuilt workflow bundle and the per-process modules, serves the API and runs cases.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject, describe, expect, it } from 'vitest';
import { freePort } from '../../src/embedded/processes';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('compiled start', () => {
  it('builds dist/ and node dist/main.js serves the API and runs a case', async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const port = await freePort();
    const adminToken = randomBytes(16).toString('hex');
    const dataDir = mkdtempSync(join(tmpdir(), 'pdg-compiled-'));
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TASK_QUEUE: `compiled-${randomUUID()}`,
        PORT: String(port),
        ADMIN_TOKEN: adminToken,
        DATA_DIR: dataDir,
        TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      for (let i = 0; i < 600 && !out.includes('Ready in') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('Ready in');
      const base = `http://127.0.0.1:${port}`;
      const call = async (method: string, path: string, token: string, body?: unknown) => {
        const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const tag = randomBytes(3).toString('hex');
      expect((await call('POST', '/v1/agencies', adminToken, { id: `cs-req-${tag}`, name: 'r', jurisdiction: 'suzhou' })).status).toBe(201);
      expect((await call('POST', '/v1/agencies', adminToken, { id: `cs-prov-${tag}`, name: 'p', jurisdiction: 'suzhou' })).status).toBe(201);
      const requester = (await call('POST', '/v1/principals', adminToken, { name: 'r', agencyId: `cs-req-${tag}`, roles: ['requester'] })).json as { token: string };
      const ds = await call('POST', '/v1/datasets', adminToken, {
        id: `cs-ds-${tag}`,
        name: 'compiled',
        providerAgencyId: `cs-prov-${tag}`,
        shareClass: 'conditional',
        openClass: 'none',
        legalBasis: 'test',
        fields: ['a'],
      });
      expect(ds.status).toBe(201);
      // A case runs on the compiled worker: its workflow from dist/workflow-bundle.js, its activities' modules found by name.
      const created = await call('POST', '/v1/share-requests', requester.token, { datasetId: `cs-ds-${tag}`, purpose: 'p', scenario: 's', legalDuty: 'd', accessMode: 'api', commitment: true });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      expect(created.json.status).toBe('pending_review');
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^temporal_/m); // the core's runtime metrics, appended
      // The compiled bundle finds the console's build beside it (console/dist), as `npm start` prints.
      expect(out).toMatch(/Console\s+http:\/\/\S+\/console\//);
      const page = await fetch(`${base}/console/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app"');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
