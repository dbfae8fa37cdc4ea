// Tasks describe their own forms (API-2.md): each open task carries, for each action, the JSON
// Schema of its fields; the API and the case's own validator check a decision against it, and the
// audit entry keeps the caller's fields under their own key. On real servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { tasks } from '../../src/db/schema';
import { formsFor } from '../../src/domain/decision-forms';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'forms-prov', 'suzhou');
  requester = await principal(h, ['requester'], await agency(h, 'forms-req', 'suzhou'));
  provider = await principal(h, ['provider'], providerAgency);
});
afterAll(async () => h?.close());

interface InboxItem {
  taskId: string;
  caseId: string;
  actions: string[];
  requiredFields: Record<string, string[]>;
  forms: Record<string, { type: string; properties: Record<string, { type: string; description: string }>; required: string[]; additionalProperties: boolean }>;
}

async function reviewTask(): Promise<InboxItem> {
  const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(await dataset(h, providerAgency, 'conditional')) });
  expect(res.statusCode, res.body).toBe(201);
  const items = (await h.call('GET', '/v1/inbox?limit=200', { token: provider.token })).json().items as InboxItem[];
  return items.find((t) => t.caseId === res.json().caseId)!;
}

const decide = (t: InboxItem, body: Record<string, unknown>) => h.call('POST', `/v1/tasks/${t.taskId}/decision`, { token: provider.token, body });

describe('forms on tasks', () => {
  it('each inbox item carries, for each action, a JSON Schema of its fields with Chinese and English descriptions', async () => {
    const t = await reviewTask();
    expect(Object.keys(t.forms).sort()).toEqual([...t.actions].sort());
    const refuse = t.forms.refuse!;
    expect(refuse).toMatchObject({ type: 'object', required: ['legalBasis'], additionalProperties: false });
    expect(refuse.properties.legalBasis).toMatchObject({ type: 'string', minLength: 1, maxLength: 4000 });
    expect(refuse.properties.legalBasis.description).toMatch(/法律依据.*—.*legal basis/);
    // requiredFields stays, derived from the forms.
    expect(t.requiredFields.refuse).toEqual(t.forms.refuse!.required);
    expect(t.forms.approve!.required).toEqual([]);
  });
});

describe('a decision is checked against its form', () => {
  it('refuses a legal basis that is a number (422 invalid_decision_fields naming the path), and records nothing', async () => {
    const t = await reviewTask();
    const err = expectError(await decide(t, { action: 'refuse', legalBasis: 42 }), 422, 'invalid_decision_fields');
    expect(JSON.stringify(err.details)).toContain('legalBasis');
    const c = (await h.call('GET', `/v1/cases/${t.caseId}`, { token: requester.token })).json();
    expect(c.status).toBe('pending_review');
    expect(c.history.map((e: { event: string }) => e.event)).not.toContain('task_decided');
  });

  it('refuses fields no decision takes and fields its action does not take, with their paths', async () => {
    const t = await reviewTask();
    const unknown = expectError(await decide(t, { action: 'approve', event: 'forged', extra: { deep: 'x'.repeat(3000) } }), 422, 'invalid_decision_fields');
    expect(JSON.stringify(unknown.details)).toMatch(/event/);
    expect(JSON.stringify(unknown.details)).toMatch(/extra/);
    // workingDays is a field of some decisions (an extension's approval), not of this review.
    const notHere = expectError(await decide(t, { action: 'approve', workingDays: 10 }), 422, 'invalid_decision_fields');
    expect(notHere.details).toMatchObject({ paths: ['/workingDays'] });
    // taskId may not stand in for the task either.
    expectError(await decide(t, { action: 'approve', taskId: 'someone-else' }), 422, 'invalid_decision_fields');
  });

  it("keeps the caller's fields under their own key in the audit entry: they never replace taskId, action or event", async () => {
    const t = await reviewTask();
    const ok = await decide(t, { action: 'approve', reason: '符合履职需要', note: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    const entry = ok.json().history.find((e: { event: string }) => e.event === 'task_decided');
    expect(entry.detail).toEqual({ taskId: t.taskId, action: 'approve', fields: { reason: '符合履职需要', note: '同意' } });
  });

  it("is checked by the case's own validator too: a client that bypasses the API meets the same form", async () => {
    const t = await reviewTask();
    const caller = { principalId: provider.id, agencyId: providerAgency, roles: ['provider'], jurisdiction: 'suzhou' };
    const refused = await h.client.workflow
      .getHandle(t.caseId)
      .executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action: 'refuse', caller, fields: { legalBasis: 42 } }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('invalid_decision_fields');
    expect((cause.details?.[0] as { details: { paths: string[] } }).details.paths).toEqual(['/legalBasis']);
  });
});

describe('forms in answers (written once per content, issue 17)', () => {
  /** The stored forms of `taskId`, parsed plainly from PostgreSQL's text of the jsonb. */
  const storedForms = async (taskId: string) => {
    const { rows } = await h.db.execute<{ forms: string | null }>(sql`SELECT forms::text AS forms FROM tasks WHERE task_id = ${taskId}`);
    return rows[0]!.forms === null ? null : JSON.parse(rows[0]!.forms);
  };

  it('answer each inbox item with exactly its stored forms, for tasks of several kinds side by side', async () => {
    const review = await reviewTask();
    // Tasks of other kinds (and one opened before forms were recorded) for the same agency.
    const kinds: [string, string[], Record<string, string[]>, Record<string, Record<string, unknown>> | null][] = [
      ['return-review', ['approve', 'return'], { return: ['issues'] }, formsFor(['approve', 'return'], { return: ['issues'] }, { approve: ['purpose'] })],
      ['correction', ['order_correction'], { order_correction: ['reason', 'workingDays'] }, formsFor(['order_correction'], { order_correction: ['reason', 'workingDays'] })],
      ['odd', ['decide'], {}, { decide: { type: 'object', properties: { 说明: { type: 'string', description: '含"引号"与\\和\n' } }, required: [], additionalProperties: false } }],
      ['before-forms', ['approve', 'refuse'], { refuse: ['legalBasis'] }, null],
    ];
    for (const [kind, actions, requiredFields, forms] of kinds) {
      await h.db.insert(tasks).values({
        taskId: `forms-${kind}-${h.tag}`, caseId: review.caseId, caseType: 'share-request', kind, assigneeAgencyId: providerAgency, assigneeRole: 'provider',
        assigneeJurisdiction: 'suzhou', status: 'open', actions, requiredFields, forms, citation: 'js-2020:21', revision: 1, openedAt: new Date(),
      });
    }
    const res = await h.call('GET', '/v1/inbox?limit=200', { token: provider.token });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const items = res.json().items as (InboxItem & { kind: string })[];
    const ours = items.filter((t) => t.caseId === review.caseId);
    expect(ours.map((t) => t.kind).sort()).toEqual(['before-forms', 'correction', 'odd', 'provider_review', 'return-review']);
    for (const t of ours) {
      const stored = await storedForms(t.taskId);
      expect(t.forms, t.kind).toEqual(stored ?? formsFor(t.actions, t.requiredFields));
    }
    // The other answers read alike: a page of one, and the task a claim answers.
    const one = (await h.call('GET', '/v1/inbox?limit=1', { token: provider.token })).json().items[0];
    expect(one).toEqual(items[0]);
    const claimed = await h.call('POST', `/v1/tasks/${review.taskId}/claim`, { token: provider.token });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ taskId: review.taskId, claimedBy: provider.id, forms: await storedForms(review.taskId) });
  });

  it('compresses an inbox answer for a client that accepts gzip, to the same JSON', async () => {
    await reviewTask();
    const plain = await h.call('GET', '/v1/inbox?limit=200', { token: provider.token });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await h.call('GET', '/v1/inbox?limit=200', { token: provider.token, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const body = gunzipSync(gz.rawPayload);
    expect(JSON.parse(body.toString('utf8'))).toEqual(plain.json());
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
  });
});
