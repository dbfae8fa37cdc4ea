// The console in a real browser (issue 14), on the real stack (the API listening on a port, a
// worker, Temporal and PostgreSQL): an approver signs in, sees a new task with its due state, opens
// the case by keyboard, is told beside the field that a refusal needs its legal basis, refuses with
// one and no longer sees the task; a supervisor sees the timeliness report drawn as one bar per row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { launchChromium, watchProblems } from './fixtures';

let h: Harness;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let provider: Actor;
let competent: Actor;
let caseId: string;
let taskId: string;

const LEGAL_BASIS = '法律依据：所依据的法律、法规或规章';
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Asia/Shanghai

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchChromium()]);
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const providerAgency = await agency(h, 'con-prov', 'taizhou', '泰州市税务局');
  const requester = await principal(h, ['requester'], await agency(h, 'con-req', 'taizhou'));
  provider = await principal(h, ['provider'], providerAgency, '王五');
  competent = await principal(h, ['competent'], await agency(h, 'con-comp', 'taizhou'), '赵六');
  const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(await dataset(h, providerAgency, 'conditional')) });
  expect(res.statusCode, res.body).toBe(201);
  caseId = res.json().caseId;
  // A second provider agency with a case of its own: the report has a row for each.
  const other = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(await dataset(h, await agency(h, 'con-prov2', 'taizhou'), 'conditional')) });
  expect(other.statusCode, other.body).toBe(201);
  const inbox = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json();
  taskId = inbox.items.find((t: { caseId: string }) => t.caseId === caseId).taskId;
  context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  problems = watchProblems(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** PDG_CONSOLE_SHOTS=<dir> keeps a screenshot of each page the tests reach (for the note). */
async function shot(name: string) {
  const dir = process.env.PDG_CONSOLE_SHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

async function signIn(token: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
}

describe('an approver', () => {
  it('signs in with a bearer token, kept in session storage and never in the URL', async () => {
    await signIn(provider.token);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: '待办' }).isVisible()).toBe(true);
    expect(page.url()).not.toContain(provider.token);
    expect(await page.evaluate(() => sessionStorage.getItem('pdg.console.token'))).toBe(provider.token);
    expect(await page.evaluate(() => localStorage.getItem('pdg.console.token'))).toBeNull();
  });

  it('sees the new task in the inbox, green and marked 正常, with its due date and article', async () => {
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.waitFor();
    const badge = row.locator('.due');
    expect(await badge.getAttribute('data-due')).toBe('ok');
    expect(await badge.textContent()).toBe('正常');
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(26, 127, 55)');
    const task = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items.find((t: { taskId: string }) => t.taskId === taskId);
    await expect.poll(() => row.textContent()).toContain(task.dueDate);
    expect(await row.textContent()).toContain('js-2020:21');
    await shot('1-inbox');
  });

  it('shows a task overdue in red (已逾期) and one due soon in amber (即将到期), as the inbox marks them', async () => {
    // The server's marks are tested with its deadlines (test/api); here the page's reading of them.
    await page.route('**/v1/inbox?*', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      const mine = body.items.find((t: { taskId: string }) => t.taskId === taskId);
      body.items.unshift({ ...mine, taskId: `${taskId}.late`, overdue: true, dueSoon: false }, { ...mine, taskId: `${taskId}.soon`, overdue: false, dueSoon: true });
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    for (const [id, state, words, colour] of [
      [`${taskId}.late`, 'overdue', '已逾期', 'rgb(198, 40, 40)'],
      [`${taskId}.soon`, 'soon', '即将到期', 'rgb(154, 103, 0)'],
    ]) {
      const badge = page.locator(`tr[data-task-id="${id}"] .due`);
      await badge.waitFor();
      expect(await badge.getAttribute('data-due')).toBe(state);
      expect(await badge.textContent()).toBe(words);
      expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(colour);
    }
    await page.unroute('**/v1/inbox?*');
    await page.reload();
    await page.locator(`tr[data-task-id="${taskId}"]`).waitFor();
    expect(await page.locator(`tr[data-task-id="${taskId}.late"]`).count()).toBe(0);
  });

  it('claims the task from the inbox and releases it again', async () => {
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    await row.getByRole('button', { name: /^认领/ }).click();
    await row.getByRole('button', { name: /^释放/ }).waitFor();
    expect(await row.textContent()).toContain('王五');
    const claimed = (await h.call('GET', '/v1/inbox?claim=mine', { token: provider.token })).json().items;
    expect(claimed.map((t: { taskId: string }) => t.taskId)).toEqual([taskId]);
    await row.getByRole('button', { name: /^释放/ }).click();
    await row.getByRole('button', { name: /^认领/ }).waitFor();
    expect((await h.call('GET', '/v1/inbox?claim=mine', { token: provider.token })).json().items).toEqual([]);
  });

  it('reaches the task with Tab and opens its case with Enter: timeline, deadlines and their articles', async () => {
    await page.locator('body').focus();
    let onTask = false;
    for (let i = 0; i < 40 && !onTask; i++) {
      await page.keyboard.press('Tab');
      onTask = await page.evaluate((id) => document.activeElement?.closest('tr')?.getAttribute('data-task-id') === id && document.activeElement?.tagName === 'A', taskId);
    }
    expect(onTask, 'the task row\'s link is reachable by Tab').toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /共享申请/ }).waitFor();
    expect(decodeURIComponent(page.url())).toContain(`#/case/${caseId}`);
    const deadlines = page.getByRole('region', { name: '办理时限' });
    await expect.poll(() => deadlines.textContent()).toContain('js-2020:21');
    expect(await deadlines.textContent()).toContain('5 个工作日');
    expect(await page.getByRole('region', { name: '办理过程' }).textContent()).toContain('share_request_submitted');
    await shot('2-case');
  });

  it('labels every field of the decision form for screen readers', async () => {
    const form = page.getByRole('form', { name: /决定/ });
    await form.waitFor();
    const unlabeled = await form.locator('input, textarea, select').evaluateAll(
      (els) => els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).length,
    );
    expect(unlabeled).toBe(0);
    await page.getByRole('radio', { name: '不予同意（refuse）' }).check();
    expect(await page.getByLabel(LEGAL_BASIS).count()).toBe(1);
  });

  it('is told beside the legal-basis field when refusing without one (422), and nothing is decided', async () => {
    await page.getByRole('button', { name: '提交' }).click();
    const field = page.getByLabel(LEGAL_BASIS);
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await field.getAttribute('aria-describedby'))!;
    const message = await page.locator(`[id="${errorId}"]`).textContent();
    expect(message).toContain('legalBasis');
    expect(message).toContain('js-2020:21');
    await shot('3-decision-field-error');
    expect((await h.call('GET', `/v1/cases/${caseId}`, { token: provider.token })).json().status).toBe('pending_review');
  });

  it('refuses with a legal basis: the case is rejected and the inbox no longer shows the task', async () => {
    await page.getByLabel(LEGAL_BASIS).fill('《江苏省公共数据管理办法》第二十一条');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('heading', { level: 1, name: '待办' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`已提交。 共享申请 ${caseId}: rejected`);
    await expect.poll(() => page.locator(`tr[data-task-id="${taskId}"]`).count()).toBe(0);
    await page.getByText('暂无待办事项。').waitFor();
    await shot('5-inbox-after-refusal');
    expect((await h.call('GET', `/v1/cases/${caseId}`, { token: provider.token })).json().status).toBe('rejected');
  });

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: '切换为英文' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.getByRole('heading', { level: 1, name: '待办' }).waitFor();
  });
});

describe('a supervisor', () => {
  it('sees the timeliness report as a chart with one bar per row of the report, and the notices', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await signIn(competent.token);
    await page.getByRole('link', { name: '监督考核' }).click();
    await page.getByRole('heading', { level: 1, name: '办理时效统计' }).waitFor();
    const query = `jurisdiction=taizhou&from=${today().slice(0, 4)}-01-01&to=${today()}`;
    const rows = (await h.call('GET', `/v1/reports/timeliness?${query}`, { token: competent.token })).json().rows;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const bars = page.locator('#chart-received svg path[fill="#2f6fb5"], #chart-received svg path[fill="rgb(47,111,181)"]');
    await expect.poll(() => bars.count()).toBe(rows.length);
    expect(await page.locator('table.report tbody tr').count()).toBe(rows.length);
    // The tooltip (styled by ECharts at run time) shows under the page's policy too.
    await bars.first().hover();
    await expect.poll(() => page.locator('#chart-received').innerText()).toContain('收件数');
    await page.getByRole('heading', { level: 2, name: '通报批评' }).waitFor();
    await shot('4-supervision');
  });

  it('met no Content-Security-Policy violation or script error on any page', () => {
    expect(problems).toEqual([]);
  });
});
