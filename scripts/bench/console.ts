// The console (issue 14): what a browser downloads (raw, gzip and brotli — the API serves the
// compressed files ensure-console wrote — beside the whole of ECharts as
// its floor) and how long the inbox takes to show a task in headless Chromium, beside the inbox
// request alone. Needs the built console (node scripts/ensure-console.mjs; `npm run bench` builds it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { findChromium } from '../chromium.mjs';
import type { Stack } from './stack';
import { pct, ms, type BenchRow } from './table';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const size = (files: string[]) => {
  const raw = files.reduce((a, f) => a + readFileSync(f).length, 0);
  const gz = files.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const br = files.reduce((a, f) => a + brotliCompressSync(readFileSync(f), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0);
  return { raw, gz, text: `${kb(raw)} raw, ${kb(gz)} gzip, ${kb(br)} br` };
};

/** Bundle sizes, and the time from loading /console/ to a task row shown (n runs). */
export async function consoleBench(s: Stack, { runs = 20 }: { runs?: number } = {}): Promise<BenchRow[]> {
  const dist = join(root, 'console', 'dist');
  const assets = readdirSync(join(dist, 'assets')).filter((f) => !/\.(br|gz)$/.test(f)).map((f) => join(dist, 'assets', f));
  const initial = size([join(dist, 'index.html'), ...assets.filter((f) => /\/index-[^/]+\.(js|css)$/.test(f))]);
  const charts = size(assets.filter((f) => /\/chart-[^/]+\.js$/.test(f)));
  const wholeEcharts = size([join(root, 'node_modules', 'echarts', 'dist', 'echarts.min.js')]);

  // One open task for a provider, as in the browser tests.
  const { call, adminToken, base } = s;
  for (const id of ['cb-prov', 'cb-req']) await call('POST', '/v1/agencies', adminToken, { id, name: id, jurisdiction: 'suzhou' });
  const requester = await call('POST', '/v1/principals', adminToken, { name: 'req', agencyId: 'cb-req', roles: ['requester'] });
  const provider = await call('POST', '/v1/principals', adminToken, { name: 'prov', agencyId: 'cb-prov', roles: ['provider'] });
  const ds = await call('POST', '/v1/datasets', adminToken, { name: 'd', providerAgencyId: 'cb-prov', shareClass: 'conditional', openClass: 'none', legalBasis: '《个人信息保护法》第十三条' });
  await call('POST', '/v1/share-requests', requester.token, { datasetId: ds.id, purpose: '核验', scenario: '审批', legalDuty: '《行政许可法》第三十四条', accessMode: 'api', commitment: true });

  const inboxLat: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await call('GET', '/v1/inbox?limit=50', provider.token);
    inboxLat.push(performance.now() - t);
  }
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium: run node scripts/ensure-chromium.mjs');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const shown: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A fresh context each run: an empty cache, as an official's first visit of the day.
      const context = await browser.newContext();
      // Signed in as the console does it (session storage), before any page script runs.
      await context.addInitScript({ content: `sessionStorage.setItem('pdg.console.token', ${JSON.stringify(provider.token)})` });
      const page = await context.newPage();
      const t = performance.now();
      await page.goto(`${base}/console/#/inbox`);
      await page.locator('tr[data-task-id]').first().waitFor({ timeout: 15_000 });
      shown.push(performance.now() - t);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return [
    { measure: 'console first load: index.html + app JS + CSS', figure: initial.text, floor: '—', target: '≤ 50 KB gzip', met: initial.gz <= 50 * 1024 },
    { measure: 'console charts chunk (ECharts by module, loaded on supervision)', figure: charts.text, floor: `whole ECharts ${wholeEcharts.text}`, target: '≤ 0.6 × floor (gzip)', met: charts.gz <= 0.6 * wholeEcharts.gz },
    {
      measure: `console: load /console/ (empty cache) to the inbox's first task row, Chromium headless, n=${runs}`,
      figure: `p50 ${ms(pct(shown, 50))}, p99 ${ms(pct(shown, 99))}`,
      floor: `GET /v1/inbox alone p50 ${ms(pct(inboxLat, 50))}`,
      target: 'p50 ≤ 500 ms',
      met: pct(shown, 50) <= 500,
    },
  ];
}
