// Every case reaches a lawful outcome, or says why (API-2.md "Integrity"), on real servers: a step
// that cannot be committed marks the case and waits for a retry instead of retrying silently;
// messages that meet are taken one after the other; concurrent creates with one Idempotency-Key
// make one case; an older, retried write never undoes a newer one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { kernelActivities } from '../../src/activities';
import { findCase } from '../../src/db/repositories/cases';
import { grantsOfCase } from '../../src/db/repositories/grants';
import { findTask } from '../../src/db/repositories/tasks';
import { shanghaiDate } from '../../src/domain/calendar';
import type { ObjectionInput } from '../../src/domain/objection';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { SA } from '../../src/temporal/search-attributes';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let provider2: Actor;
let operations: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness();
  const requesterAgency = await agency(h, 'int-req', 'suzhou');
  providerAgency = await agency(h, 'int-prov', 'suzhou');
  requester = await principal(h, ['requester'], requesterAgency);
  provider = await principal(h, ['provider'], providerAgency, '李四');
  provider2 = await principal(h, ['provider'], providerAgency, '王五');
  operations = await principal(h, ['operations'], await agency(h, 'int-centre', 'suzhou'));
});
afterAll(async () => h?.close());

const post = (url: string, token: string, body?: unknown, headers?: Record<string, string>) => h.call('POST', url, { token, body: body ?? {}, headers });
const getCase = async (caseId: string) => (await h.call('GET', `/v1/cases/${caseId}`, { token: h.adminToken })).json();
const inboxOf = async (a: Actor) => (await h.call('GET', '/v1/inbox?limit=200', { token: a.token })).json().items as { taskId: string; caseId: string; kind: string; actions: string[] }[];

/** Polls until `until` holds for the case as the API shows it (or fails after ~10 s). */
async function caseWhen(caseId: string, until: (c: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 200; i++) {
    const res = await h.call('GET', `/v1/cases/${caseId}`, { token: h.adminToken });
    if (res.statusCode === 200 && until(res.json())) return res.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`case ${caseId} did not reach the expected state: ${JSON.stringify(await getCase(caseId)).slice(0, 500)}`);
}

async function conditionalRequest() {
  const res = await post('/v1/share-requests', requester.token, shareBody(await dataset(h, providerAgency, 'conditional')));
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json();
  const task = (await inboxOf(provider)).find((t) => t.caseId === c.caseId)!;
  return { caseId: c.caseId as string, datasetId: c.datasetId as string, taskId: task.taskId };
}

describe('a step that retrying cannot fix', () => {
  it('marks the case at once instead of retrying forever: the case appears with needsAttention, operations get a task (input 1: a lone surrogate reaching a workflow)', async () => {
    // The API refuses such text at its boundary; a workflow started by any other client must not wedge either.
    const ds = await dataset(h, providerAgency, 'conditional');
    const caseId = `objection-int-${h.tag}-${Date.now()}`;
    const receivedAt = new Date().toISOString();
    const input: ObjectionInput = {
      version: 1,
      caseId,
      receivedAt,
      receivedVia: 'api',
      createdBy: requester.id,
      jurisdiction: 'suzhou',
      policy: resolveRules(POLICIES, 'suzhou', 'objection', shanghaiDate(receivedAt)),
      reporter: { principalId: requester.id, agencyId: null },
      dataset: { id: ds, name: 'x', providerAgencyId: providerAgency, jurisdiction: 'suzhou' },
      objection: { datasetId: ds, kind: 'error', description: '\ud800' },
    };
    const handle = await h.client.workflow.start('objection', { taskQueue: h.taskQueue, workflowId: caseId, args: [input] });
    const c = await caseWhen(caseId, (v) => v.needsAttention != null);
    expect(c.needsAttention).toMatchObject({ step: 'commit: objection_submitted' });
    expect(c.needsAttention.reason).toMatch(/PostgreSQL 22P02/);
    expect(c.history.map((e: { event: string }) => e.event)).toEqual(['needs_attention']);
    const task = (await inboxOf(operations)).find((t) => t.caseId === caseId);
    expect(task).toMatchObject({ kind: 'attention', actions: ['retry'] });
    // One attempt, not one a minute for ever.
    const history = await handle.fetchHistory();
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1, 1]); // the deadline, then the commit
    // The search attribute follows the mark (administrators filter `NeedsAttention = true` in the Temporal UI).
    let attr: unknown;
    for (let i = 0; i < 100 && attr === undefined; i++) {
      attr = (await handle.describe()).typedSearchAttributes.get(SA.needsAttention);
      if (attr === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(attr).toBe(true);

    expectError(await post(`/v1/cases/${caseId}/retry`, provider.token), [403, 404]);
    const again = await post(`/v1/cases/${caseId}/retry`, operations.token);
    expectError(again, 409, 'retry_failed');
    expect((await getCase(caseId)).needsAttention.reason).toMatch(/22P02/);
    await handle.terminate('test over');
  });

  it('waits for a retry while refusing messages, then goes on from the same step; the attention task closes (a constraint that held, then was lifted)', async () => {
    const c = await conditionalRequest();
    // A CHECK that refuses this case's grant: the provider's approval cannot be committed.
    await h.db.execute(sql.raw(`ALTER TABLE access_grants ADD CONSTRAINT int_block CHECK (dataset_id <> '${c.datasetId}')`));
    try {
      const approve = await post(`/v1/tasks/${c.taskId}/decision`, provider.token, { action: 'approve' });
      const refused = expectError(approve, 409, 'needs_attention');
      expect(refused.details).toMatchObject({ accepted: true, step: 'commit: task_decided' });
      expect(refused.message).toMatch(/sqlstate|23514|check/i);
      const stuck = await getCase(c.caseId);
      expect(stuck.needsAttention).toMatchObject({ step: 'commit: task_decided' });
      expect(stuck.status).toBe('pending_review');
      // Meanwhile every message is refused at once, not left waiting.
      expectError(await post(`/v1/cases/${c.caseId}/withdraw`, requester.token), 409, 'needs_attention');
      expectError(await post(`/v1/cases/${c.caseId}/retry`, operations.token), 409, 'retry_failed');
    } finally {
      await h.db.execute(sql.raw('ALTER TABLE access_grants DROP CONSTRAINT IF EXISTS int_block'));
    }
    const attention = (await inboxOf(operations)).find((t) => t.caseId === c.caseId)!;
    // The inbox's attention task takes the same retry as POST /v1/cases/:id/retry.
    const retried = await post(`/v1/tasks/${attention.taskId}/decision`, operations.token, { action: 'retry' });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'granted', needsAttention: null, outcome: { basis: 'approved' } });
    expect((await findTask(h.db, attention.taskId))!.status).toBe('closed');
    const events = retried.json().history.map((e: { event: string }) => e.event);
    expect(events).toEqual(expect.arrayContaining(['needs_attention', 'attention_resolved', 'task_decided', 'access_granted']));
    // The step went through first, then the mark was lifted.
    expect(events.indexOf('needs_attention')).toBeLessThan(events.indexOf('access_granted'));
    expect(events.indexOf('access_granted')).toBeLessThan(events.indexOf('attention_resolved'));
    expectError(await post(`/v1/cases/${c.caseId}/retry`, operations.token), 409, 'nothing_to_retry');
  });

  it('a process that fails closes its open tasks and ends failed, marked for attention', async () => {
    const ds = await dataset(h, providerAgency, 'conditional');
    const caseId = `objection-int-fail-${h.tag}-${Date.now()}`;
    const receivedAt = new Date().toISOString();
    // A policy snapshot without the objection rule: the workflow cannot plan the case (the API refuses such a case; another client might not).
    const policy = { ...resolveRules(POLICIES, 'suzhou', 'objection', shanghaiDate(receivedAt)), rules: {} };
    const handle = await h.client.workflow.start('objection', {
      taskQueue: h.taskQueue,
      workflowId: caseId,
      args: [{ version: 1, caseId, receivedAt, receivedVia: 'api', createdBy: requester.id, jurisdiction: 'suzhou', policy, reporter: { principalId: requester.id, agencyId: null }, dataset: { id: ds, name: 'x', providerAgencyId: providerAgency, jurisdiction: 'suzhou' }, objection: { datasetId: ds, kind: 'error', description: 'x' } }],
    });
    await expect(handle.result()).rejects.toThrow();
    const c = await caseWhen(caseId, (v) => v.status === 'failed');
    expect(c.needsAttention).toMatchObject({ step: 'process' });
    expect(c.outcome).toMatchObject({ basis: 'failed' });
    expect((await inboxOf(provider)).filter((t) => t.caseId === caseId)).toEqual([]);
  });
});

describe('messages that meet are taken one after the other', () => {
  it("the provider's approval and the requester's withdrawal sent together: one applies, the other meets its result, and the case can still end (input 2)", async () => {
    for (let round = 0; round < 4; round++) {
      const c = await conditionalRequest();
      const [approve, withdraw] = await Promise.all([
        post(`/v1/tasks/${c.taskId}/decision`, provider.token, { action: 'approve' }),
        post(`/v1/cases/${c.caseId}/withdraw`, requester.token, { reason: '不再需要' }),
      ]);
      const after = await getCase(c.caseId);
      if (after.status === 'granted') {
        expect(approve.statusCode, approve.body).toBe(200);
        expectError(withdraw, 409, 'invalid_state');
        const disposed = await post(`/v1/cases/${c.caseId}/dispose`, requester.token, { method: '删除' });
        expect(disposed.statusCode, disposed.body).toBe(200);
        expect(disposed.json().status).toBe('disposed');
      } else {
        expect(after.status).toBe('withdrawn');
        expect(withdraw.statusCode, withdraw.body).toBe(200);
        expectError(approve, 409, 'task_not_open');
        expect((await grantsOfCase(h.db, c.caseId)).length).toBe(0);
      }
    }
  });

  it("a colleague's claim and a decision sent together never both succeed", async () => {
    for (let round = 0; round < 4; round++) {
      const c = await conditionalRequest();
      const [claim, decision] = await Promise.all([
        post(`/v1/tasks/${c.taskId}/claim`, provider2.token),
        post(`/v1/tasks/${c.taskId}/decision`, provider.token, { action: 'approve' }),
      ]);
      if (claim.statusCode === 200) {
        expectError(decision, 409, 'task_claimed');
        expect(claim.json().claimedBy).toBe(provider2.id);
        const history = (await getCase(c.caseId)).history.map((e: { event: string }) => e.event);
        expect(history).toContain('task_claimed');
      } else {
        expect(decision.statusCode, decision.body).toBe(200);
        expectError(claim, 409, 'task_not_open');
      }
    }
  });
});

describe('Idempotency-Key', () => {
  it('five concurrent creates with one key and body: one case, one 201, the others 200 or 409 with Retry-After (input 3)', async () => {
    const body = shareBody(await dataset(h, providerAgency, 'conditional'));
    const headers = { 'idempotency-key': `five-${h.tag}` };
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post('/v1/share-requests', requester.token, body, headers)));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((s) => s === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 201)) {
      if (a.statusCode === 409) {
        expectError(a, 409, 'idempotency_in_progress');
        expect(a.headers['retry-after']).toBe('1');
      } else expect(a.statusCode, a.body).toBe(200);
    }
    const ids = new Set(answers.filter((a) => a.statusCode < 300).map((a) => a.json().caseId));
    expect(ids.size).toBe(1);
    const again = await post('/v1/share-requests', requester.token, body, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().caseId).toBe([...ids][0]);
  });

  it('a retry gets the stored case before any validation: after the rules changed it is still the same case, not a 422', async () => {
    const body = shareBody(await dataset(h, providerAgency, 'conditional'));
    const headers = { 'idempotency-key': `rules-${h.tag}` };
    const first = await post('/v1/share-requests', requester.token, body, headers);
    expect(first.statusCode, first.body).toBe(201);
    // Today's rules no longer cover the case: a new request would be refused…
    const off = await h.call('PATCH', '/v1/policies/js-2020', { token: h.adminToken, body: { adopted: false } });
    expect(off.statusCode, off.body).toBe(200);
    try {
      expectError(await post('/v1/share-requests', requester.token, body, { 'idempotency-key': `rules-new-${h.tag}` }), 422, 'no_rule_in_force');
      // …but the retry of the one received gets it back.
      const retry = await post('/v1/share-requests', requester.token, body, headers);
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json().caseId).toBe(first.json().caseId);
    } finally {
      await h.call('PATCH', '/v1/policies/js-2020', { token: h.adminToken, body: { adopted: true } });
    }
  });
});

describe('projection writes are revision-guarded', () => {
  it('a slow retried attempt of an older transition changes nothing: a revoked grant never turns active again (input 6)', async () => {
    const c = await conditionalRequest();
    const approved = await post(`/v1/tasks/${c.taskId}/decision`, provider.token, { action: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    const disposed = await post(`/v1/cases/${c.caseId}/dispose`, requester.token, {});
    expect(disposed.statusCode, disposed.body).toBe(200);
    const [grant] = await grantsOfCase(h.db, c.caseId);
    expect(grant!.status).toBe('revoked');
    const row = (await findCase(h.db, c.caseId))!;
    // The attempt that granted access, arriving late (its revision is older than the row's).
    const { commitTransition } = kernelActivities({ db: h.db });
    await commitTransition({
      revision: row.revision - 1,
      projection: { caseId: c.caseId, type: row.type, status: 'granted', jurisdiction: row.jurisdiction, requesterAgencyId: row.requesterAgencyId, providerAgencyId: row.providerAgencyId, datasetId: row.datasetId, createdBy: row.createdBy, receivedAt: row.receivedAt.toISOString(), viewOps: [{ path: ['status'], set: 'granted' }] },
      audit: [],
      grants: [{ id: grant!.id, datasetId: grant!.datasetId, granteeAgencyId: grant!.granteeAgencyId, granteePrincipalId: null, mode: grant!.mode, scope: grant!.scope, basis: grant!.basis, citation: grant!.citation, status: 'active', validFrom: grant!.validFrom.toISOString(), validTo: null }],
      tasks: [],
    });
    expect((await grantsOfCase(h.db, c.caseId))[0]!.status).toBe('revoked');
    expect((await findCase(h.db, c.caseId))!).toMatchObject({ status: 'disposed', revision: row.revision });
  });
});
