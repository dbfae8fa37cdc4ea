// GET /metrics (issue 17, README "Operating"): Prometheus text for operators, not for the public —
// open tasks counted from PostgreSQL, a decision's latency, a deadline fired, the HTTP durations.
// On a database of its own: the task counts are this file's only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app';
import { startHarness, HARNESS_LIMITS, type Harness } from '../fixtures/harness';
import { freshDatabase } from '../fixtures/fuzz-stack';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';

let h: Harness;
let drop: () => Promise<void>;
let requester: Actor;
let provider: Actor;
let operations: Actor;
let providerAgency: string;

beforeAll(async () => {
  const database = await freshDatabase();
  drop = database.drop;
  h = await startHarness({ databaseUrl: database.url });
  const requesterAgency = await agency(h, 'mx-market', 'suzhou');
  providerAgency = await agency(h, 'mx-social', 'suzhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency);
  operations = await principal(h, ['operations'], await agency(h, 'mx-centre', 'suzhou'));
});
afterAll(async () => {
  await h?.close();
  await drop?.();
});

const scrape = async () => {
  const res = await h.call('GET', '/metrics', { token: h.adminToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
};
/** The value of one sample, e.g. value(text, 'pdg_tasks_open{case_type="share-request"}'); undefined when absent. */
const value = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
};

describe('GET /metrics', () => {
  it('is refused without the admin or metrics token, even to a principal', async () => {
    const anonymous = await h.call('GET', '/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    expect((await h.call('GET', '/metrics', { token: provider.token })).statusCode).toBe(401);
    expect(anonymous.body).not.toContain('pdg_');
  });

  it('answers Prometheus text to the metrics token', async () => {
    const metricsToken = 'm'.repeat(12) + 'etrics-token-1234';
    const app = await buildApp({ db: h.db, temporal: h.client, taskQueue: h.taskQueue, limits: HARNESS_LIMITS, metricsToken });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('# TYPE pdg_tasks_open gauge');
      expect(res.body).toContain('# TYPE pdg_decision_duration_seconds histogram');
      expect(res.body).toContain('# TYPE process_resident_memory_bytes gauge');
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('counts an open task once a case opens one, and records the decision that closes it', async () => {
    const before = await scrape();
    const openBefore = value(before, 'pdg_tasks_open{case_type="share-request"}') ?? 0;
    const ds = await dataset(h, providerAgency, 'conditional');
    const created = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(ds) });
    expect(created.statusCode, created.body).toBe(201);
    const { caseId } = created.json();
    const task = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items.find((t: { caseId: string }) => t.caseId === caseId);
    expect(task).toBeDefined();
    const during = await scrape();
    expect(value(during, 'pdg_tasks_open{case_type="share-request"}')).toBe(openBefore + 1);
    expect(value(during, 'pdg_tasks_overdue{case_type="share-request"}') ?? 0).toBe(0);

    const decisionsBefore = value(during, 'pdg_decision_duration_seconds_count{status="200"}') ?? 0;
    const decided = await h.call('POST', `/v1/tasks/${encodeURIComponent(task.taskId)}/decision`, { token: provider.token, body: { action: 'approve' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const after = await scrape();
    expect(value(after, 'pdg_decision_duration_seconds_count{status="200"}')).toBe(decisionsBefore + 1);
    expect(value(after, 'pdg_decision_duration_seconds_sum{status="200"}')).toBeGreaterThan(0);
    expect(value(after, 'pdg_tasks_open{case_type="share-request"}') ?? 0).toBe(openBefore);
    expect(value(after, 'pdg_http_request_duration_seconds_count{method="POST",route="/v1/share-requests",status="201"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts a deadline fired: a review period already past deems consent', async () => {
    const sample = 'pdg_deadlines_fired_total{case_type="share-request",event="deadline_passed"}';
    const before = value(await scrape(), sample) ?? 0;
    const ds = await dataset(h, providerAgency, 'conditional');
    const registration = { requesterAgencyId: requester.agencyId, receivedAt: '2026-09-30T10:00:00+08:00', channel: 'paper' };
    const res = await h.call('POST', '/v1/share-requests', { token: operations.token, body: shareBody(ds, { registration }) });
    expect(res.statusCode, res.body).toBe(201);
    let fired = before;
    for (let i = 0; i < 100 && fired === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      fired = value(await scrape(), sample) ?? 0;
    }
    expect(fired).toBe(before + 1);
  });
});
