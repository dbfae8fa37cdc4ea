// Webhooks to agency systems (API-2.md "Agency systems"), on real servers: a local receiver gets
// signed deliveries that verify with the standardwebhooks library, in order; a receiver answering
// 500 gets retries under the same webhook-id; a worker killed (kill -9) mid-delivery loses nothing
// and a de-duplicating receiver keeps it once; loopback is refused with the setting off; another
// agency sees neither the subscription nor the events.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../src/api/app';
import type { WebhookSettings } from '../../src/config';
import { HARNESS_LIMITS, startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { eventually, startReceiver, type Receiver } from '../fixtures/webhook-receiver';

// Short backoff for tests (the product retries for 25 hours, from 10 s up to 1 h between attempts).
const SETTINGS: WebhookSettings = { allowLoopback: true, dispatch: { initialIntervalMs: 200, maximumIntervalMs: 1_000, retryForMs: 8_000, attemptTimeoutMs: 2_000, pollMs: 1_000 } };
const ALL = ['case.created', 'case.status_changed', 'task.opened', 'task.due_soon', 'task.overdue'];

let h: Harness;
let rx: Receiver;
let requester: Actor;
let provider: Actor;
let outsider: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness({ webhooks: SETTINGS });
  rx = await startReceiver();
  const requesterAgency = await agency(h, 'wh-market', 'suzhou');
  providerAgency = await agency(h, 'wh-social', 'suzhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency);
  outsider = await principal(h, ['requester', 'provider'], await agency(h, 'wh-taizhou', 'taizhou'));
});
afterAll(async () => {
  await h?.close();
  await rx?.close();
});

async function subscribe(a: Actor, path: string, events = ALL) {
  const res = await h.call('POST', '/v1/webhooks', { token: a.token, body: { url: rx.url(path), events } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; url: string; events: string[]; agencyId: string };
}

async function shareRequest(shareClass: 'conditional' | 'unconditional') {
  const ds = await dataset(h, providerAgency, shareClass);
  const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { caseId: string; status: string };
}

const deliveries = async (a: Actor, subId: string) => (await h.call('GET', `/v1/webhooks/${subId}/deliveries`, { token: a.token })).json() as {
  webhookId: string;
  type: string;
  caseId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  deliveredAt: string | null;
}[];
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as { type: string; timestamp: string; data: { caseId: string; caseType: string; status: string; taskId?: string } };
const ofCase = (path: string, caseId: string) => rx.on(path).filter((r) => bodyOf(r).data.caseId === caseId);

describe('signed deliveries (Standard Webhooks)', () => {
  it('reach the party agency in order, verify with the library, and are logged; another agency sees nothing', async () => {
    const sub = await subscribe(requester, '/requester');
    expect(sub.secret).toMatch(/^whsec_/);
    expect(sub.events).toEqual(ALL);
    const other = await subscribe(outsider, '/outsider');
    // The secret is shown once.
    const listed = (await h.call('GET', '/v1/webhooks', { token: requester.token })).json();
    expect(listed).toEqual([expect.objectContaining({ id: sub.id, url: sub.url })]);
    expect(listed[0].secret).toBeUndefined();

    const c = await shareRequest('conditional');
    const first = await eventually(() => ofCase('/requester', c.caseId).length >= 2 && ofCase('/requester', c.caseId), 30_000, 'two deliveries');
    expect(first.map((r) => bodyOf(r).type)).toEqual(['case.created', 'task.opened']);
    const wh = new Webhook(sub.secret);
    for (const r of first) {
      expect(r.headers['webhook-signature']).toMatch(/^v1,/);
      const verified = wh.verify(r.body, { 'webhook-id': r.headers['webhook-id']!, 'webhook-timestamp': r.headers['webhook-timestamp']!, 'webhook-signature': r.headers['webhook-signature']! });
      expect(verified).toMatchObject({ data: { caseId: c.caseId, caseType: 'share-request' } });
    }
    // A signature under another secret does not verify.
    expect(() => new Webhook(other.secret).verify(first[0]!.body, first[0]!.headers)).toThrow();
    expect(bodyOf(first[1]!).data).toMatchObject({ status: 'pending_review', taskId: expect.stringContaining(c.caseId) });

    // The provider decides: the status changes.
    const task = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items.find((t: { caseId: string }) => t.caseId === c.caseId);
    const ok = await h.call('POST', `/v1/tasks/${task.taskId}/decision`, { token: provider.token, body: { action: 'approve', reason: '符合履职需要' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const changed = await eventually(() => ofCase('/requester', c.caseId).find((r) => bodyOf(r).type === 'case.status_changed'), 30_000, 'status change');
    expect(bodyOf(changed).data).toMatchObject({ caseId: c.caseId, status: 'granted', previousStatus: 'pending_review' });
    expect(() => wh.verify(changed.body, changed.headers)).not.toThrow();

    const log = await eventually(async () => {
      const l = (await deliveries(requester, sub.id)).filter((d) => d.caseId === c.caseId);
      return l.length === 3 && l.every((d) => d.status === 'delivered') && l;
    }, 30_000, 'the delivery log');
    for (const d of log) expect(d).toMatchObject({ attempts: 1, lastStatus: 200, deliveredAt: expect.any(String) });
    expect(new Set(log.map((d) => d.webhookId))).toEqual(new Set(ofCase('/requester', c.caseId).map((r) => r.headers['webhook-id'])));

    // The outsider's agency is no party: none of this case's events, and no sight of the requester's subscription.
    expect(ofCase('/outsider', c.caseId)).toEqual([]);
    expect((await h.call('GET', '/v1/webhooks', { token: outsider.token })).json().map((s: { id: string }) => s.id)).toEqual([other.id]);
    expect((await h.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { token: outsider.token })).statusCode).toBe(404);
    expect((await h.call('DELETE', `/v1/webhooks/${sub.id}`, { token: outsider.token })).statusCode).toBe(404);
    expect((await h.call('POST', `/v1/webhooks/${sub.id}/deliveries/${log[0]!.webhookId}/replay`, { token: outsider.token })).statusCode).toBe(404);
    expect(await deliveries(outsider, other.id)).toEqual([]);

    // Deleted: nothing more is sent.
    expect((await h.call('DELETE', `/v1/webhooks/${sub.id}`, { token: requester.token })).statusCode).toBe(204);
    expect((await h.call('GET', '/v1/webhooks', { token: requester.token })).json()).toEqual([]);
    expect((await h.call('DELETE', `/v1/webhooks/${other.id}`, { token: outsider.token })).statusCode).toBe(204);
    const after = await shareRequest('unconditional');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ofCase('/requester', after.caseId)).toEqual([]);
  });
});

describe('retries', () => {
  it('a receiver answering 500 gets the same webhook-id again, with backoff, until it accepts', async () => {
    const sub = await subscribe(provider, '/flaky', ['case.created']);
    rx.answer('/flaky', (_r, nth) => (nth <= 2 ? 500 : 204));
    const c = await shareRequest('unconditional');
    const log = await eventually(async () => (await deliveries(provider, sub.id)).find((d) => d.caseId === c.caseId && d.status === 'delivered'), 30_000, 'delivery');
    const got = ofCase('/flaky', c.caseId);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([log.webhookId]));
    // Retried after a delay (the policy's backoff: 200 ms doubling here; 10 s doubling to 1 h in the product).
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(150);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(150);
    for (const r of got) expect(() => new Webhook(sub.secret).verify(r.body, r.headers)).not.toThrow();
    expect(log).toMatchObject({ attempts: 3, lastStatus: 204 });
    await h.call('DELETE', `/v1/webhooks/${sub.id}`, { token: provider.token });
  });

  it('a delivery whose retries ran out is logged failed, and a replay sends it again under the same id', async () => {
    const sub = await subscribe(provider, '/down', ['case.created']);
    let up = false;
    rx.answer('/down', () => (up ? 200 : 503));
    const c = await shareRequest('unconditional');
    const failed = await eventually(async () => (await deliveries(provider, sub.id)).find((d) => d.caseId === c.caseId && d.status === 'failed'), 30_000, 'failure');
    expect(failed.attempts).toBeGreaterThan(1);
    expect(failed.lastStatus).toBe(503);
    const stored = (await h.db.$client.query('SELECT last_response FROM webhook_deliveries WHERE id = $1', [failed.webhookId])).rows[0];
    expect(stored.last_response.length).toBeLessThanOrEqual(1024); // the receiver sent 4 KB
    up = true;
    const replay = await h.call('POST', `/v1/webhooks/${sub.id}/deliveries/${failed.webhookId}/replay`, { token: provider.token });
    expect(replay.statusCode, replay.body).toBe(202);
    const done = await eventually(async () => (await deliveries(provider, sub.id)).find((d) => d.webhookId === failed.webhookId && d.status === 'delivered'), 30_000, 'replayed');
    expect(done.lastStatus).toBe(200);
    expect(new Set(ofCase('/down', c.caseId).map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.webhookId]));
    const again = await h.call('POST', `/v1/webhooks/${sub.id}/deliveries/${failed.webhookId}/replay`, { token: provider.token });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('delivery_not_failed');
    await h.call('DELETE', `/v1/webhooks/${sub.id}`, { token: provider.token });
  });
});

describe('a worker killed (kill -9) mid-delivery', () => {
  it('loses nothing: another worker delivers it under the same id, once for a de-duplicating receiver', async () => {
    const settings: WebhookSettings = { allowLoopback: true, dispatch: { initialIntervalMs: 200, maximumIntervalMs: 1_000, retryForMs: 120_000, attemptTimeoutMs: 1_000, pollMs: 1_000 } };
    const taskQueue = `test-kill-${randomUUID()}`;
    // The API on a task queue that only the child processes below serve.
    const app = await buildApp({ db: h.db, temporal: h.client, taskQueue, adminToken: h.adminToken, limits: HARNESS_LIMITS, webhooks: settings });
    const h2: Harness = {
      ...h,
      app,
      taskQueue,
      call: (method, url, opts = {}) =>
        app.inject({ method: method as 'GET', url, headers: { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) }, payload: opts.body as object | undefined }),
    };
    const children: ChildProcess[] = [];
    const startChild = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../fixtures/webhook-worker-child.ts', import.meta.url))], {
        env: {
          ...process.env,
          DATABASE_URL: inject('databaseUrl'),
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE: inject('workflowBundlePath'),
          WEBHOOK_SETTINGS: JSON.stringify(settings),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let err = '';
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
      });
      return child;
    };
    try {
      const reqAgency = await agency(h2, 'wh-kill-req', 'suzhou');
      const provAgency = await agency(h2, 'wh-kill-prov', 'suzhou');
      const req = await principal(h2, ['requester'], reqAgency);
      const sub = (await h2.call('POST', '/v1/webhooks', { token: req.token, body: { url: rx.url('/kill'), events: ['case.created'] } })).json();
      rx.answer('/kill', (_r, nth) => (nth === 1 ? 'hang' : 200));
      const first = await startChild();
      const ds = await dataset(h2, provAgency, 'unconditional');
      const res = await h2.call('POST', '/v1/share-requests', { token: req.token, body: shareBody(ds) });
      expect(res.statusCode, res.body).toBe(201);
      const { caseId } = res.json();
      // The transition is committed and the delivery is on the wire: kill the worker now.
      await eventually(() => ofCase('/kill', caseId).length === 1, 30_000, 'the first attempt');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const log1 = (await (await h2.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { token: req.token })).json()) as { status: string; attempts: number }[];
      expect(log1).toMatchObject([{ status: 'pending', attempts: 1 }]);
      await startChild();
      const delivered = await eventually(async () => {
        const l = (await h2.call('GET', `/v1/webhooks/${sub.id}/deliveries`, { token: req.token })).json() as { status: string; attempts: number; webhookId: string }[];
        return l[0]?.status === 'delivered' && l[0];
      }, 60_000, 'delivery after the kill');
      expect(delivered.attempts).toBe(2);
      const got = ofCase('/kill', caseId);
      expect(got).toHaveLength(2);
      expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivered.webhookId]));
      // A receiver that de-duplicates by webhook-id keeps it exactly once.
      expect(rx.unique('/kill').filter((r) => bodyOf(r).data.caseId === caseId)).toHaveLength(1);
      for (const r of got) expect(() => new Webhook(sub.secret).verify(r.body, r.headers)).not.toThrow();
      await h2.call('DELETE', `/v1/webhooks/${sub.id}`, { token: req.token });
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await app.close();
    }
  });
});

describe('safe targets', () => {
  it('refuses loopback with the setting off, and private, link-local and non-https URLs always (422)', async () => {
    const off = await buildApp({ db: h.db, temporal: h.client, taskQueue: h.taskQueue, adminToken: h.adminToken, limits: HARNESS_LIMITS, webhooks: { allowLoopback: false } });
    try {
      for (const url of [rx.url('/x'), 'https://127.0.0.1/hook', 'https://localhost/hook', 'https://[::1]/hook', 'https://10.1.2.3/hook', 'https://192.168.0.1/', 'https://169.254.169.254/latest', 'https://[fe80::1]/', 'http://example.org/hook', 'ftp://example.org/', 'not a url']) {
        const res = await off.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${requester.token}` }, payload: { url, events: ['case.created'] } });
        expect(res.statusCode, url).toBe(422);
        expect(res.json().error.code, url).toBe('webhook_url_refused');
      }
      const ok = await off.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${requester.token}` }, payload: { url: 'https://agency.example.org/hooks', events: ['case.created'] } });
      expect(ok.statusCode, ok.body).toBe(201);
      await off.inject({ method: 'DELETE', url: `/v1/webhooks/${ok.json().id}`, headers: { authorization: `Bearer ${requester.token}` } });
    } finally {
      await off.close();
    }
    // With the setting on, private addresses stay refused.
    const priv = await h.call('POST', '/v1/webhooks', { token: requester.token, body: { url: 'https://10.0.0.1/', events: ['case.created'] } });
    expect(priv.statusCode).toBe(422);
  });

  it('asks an administrator for the agency, and refuses unknown events (400)', async () => {
    const noAgency = await h.call('POST', '/v1/webhooks', { token: h.adminToken, body: { url: rx.url('/admin'), events: ['case.created'] } });
    expect(noAgency.statusCode).toBe(422);
    expect(noAgency.json().error.code).toBe('agency_required');
    expect((await h.call('POST', '/v1/webhooks', { token: requester.token, body: { url: rx.url('/x'), events: ['case.deleted'] } })).statusCode).toBe(400);
    expect((await h.call('POST', '/v1/webhooks', { token: requester.token, body: { url: rx.url('/x'), events: [] } })).statusCode).toBe(400);
    expect((await h.call('GET', '/v1/webhooks')).statusCode).toBe(401);
  });
});
