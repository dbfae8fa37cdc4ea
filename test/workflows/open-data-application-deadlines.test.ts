// P3 deadlines and the usage period on the time-skipping server, with real activities and
// PostgreSQL: the provider's review escalates when missed (open data deems nothing), and access
// ends at 24:00 Shanghai on the last day of the usage period by a durable timer.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import proto from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import type { WorkflowHandle } from '@temporalio/client';
import { accessGrants, tasks } from '../../src/db/schema';
import { agreements } from '../../src/db/processes/open-data-application';
import type { OpenDataApplicationInput } from '../../src/domain/open-data-application';
import type { UsagePeriod } from '../../src/domain/open-data-terms';
import { POLICIES, type PolicyState } from '../../src/domain/policies';
import type { Caller } from '../../src/domain/tasks';
import { caseActionUpdate, decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';
import { openDataApplicationInput } from '../fixtures/case-inputs';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const applicant: Caller = { principalId: 'prn-applicant', agencyId: null, roles: ['data_user'], jurisdiction: null };
const provider: Caller = { principalId: 'prn-provider', agencyId: 'agency-transport', roles: ['provider'], jurisdiction: 'suzhou' };
const competent: Caller = { principalId: 'prn-bureau', agencyId: 'agency-bureau', roles: ['competent'], jurisdiction: 'suzhou' };

/** sz-open-2023 as if extended without end (an act recorded by PATCH in a deployment). */
const EXTENDED: PolicyState[] = POLICIES.map((p) => (p.id === 'sz-open-2023' ? { ...p, effectiveTo: null } : p));

function start(policies: readonly PolicyState[], usagePeriod: UsagePeriod): Promise<WorkflowHandle> {
  return c.start<OpenDataApplicationInput>('openDataApplication', 'open-data-application', (caseId, receivedAt) => openDataApplicationInput(caseId, receivedAt, usagePeriod, policies));
}

const decide = (h: WorkflowHandle, task: string, caller: Caller, action: string, fields: Record<string, unknown> = {}) =>
  h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.${task}`, action, caller, fields }] });

describe('review under sz-open-2023:20 (10 working days from acceptance)', () => {
  it('escalates to the competent department at 24:00 of the 10th working day, not one second before, and deems nothing', async () => {
    // Received Mon 2034-03-06 10:00 Shanghai. 2034 is not published: statutory holidays only,
    // none in March. Acceptance (setting: 2 working days): Tue 7 = 1, Wed 8 = 2 → 2034-03-08.
    await c.env.sleepUntil('2034-03-06T02:00:00Z');
    const h = await start(EXTENDED, { start: '2034-03-06', end: '2034-12-31' });
    const opened = await c.view(h, (v) => v.status === 'pending_acceptance');
    expect(opened.policy.id).toBe('sz-open-2023');
    expect(opened.deadlines[0]).toMatchObject({ key: 'acceptance', dueDate: '2034-03-08', dueAt: '2034-03-08T16:00:00.000Z', provisional: true, citation: 'sz-open-2023:20' });

    // Accepted the same day: the provider receives it on Mon 6, so Tue 7 = 1 … Fri 10 = 4,
    // Mon 13 … Fri 17 = 5–9, Mon 20 = 10 → end of 2034-03-20.
    await decide(h, 'acceptance.1', competent, 'accept');
    const review = await c.view(h, (v) => v.status === 'pending_review');
    expect(review.deadlines.map((d) => [d.key, d.dueDate, d.state])).toEqual([
      ['acceptance', '2034-03-08', 'met'],
      ['provider_review', '2034-03-20', 'running'],
    ]);
    expect(review.deadlines[1]).toMatchObject({ workingDays: 10, citation: 'sz-open-2023:20', dueAt: '2034-03-20T16:00:00.000Z' });

    await c.env.sleepUntil(Date.parse('2034-03-20T16:00:00Z') - SECOND);
    expect(await c.view(h)).toMatchObject({ status: 'pending_review', overdue: false });
    await c.env.sleepUntil(Date.parse('2034-03-20T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'pending_review', overdue: true, outcome: null });
    expect(late.deadlines[1].state).toBe('missed');
    const rows = await c.db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(rows.find((t) => t.kind === 'supervision')).toMatchObject({ status: 'open', assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', citation: 'js-2020:49' });
    expect(rows.find((t) => t.kind === 'provider_review')).toMatchObject({ status: 'open', escalated: true });

    // Weeks later nothing has been deemed; the provider still answers, and the supervision ends.
    await c.env.sleep('20 days');
    expect((await c.view(h)).status).toBe('pending_review');
    await decide(h, 'provider_review.2', provider, 'approve', { purpose: '线路优化', scope: '站点级客流' });
    expect(await c.view(h, (v) => v.status === 'pending_agreement')).toMatchObject({ outcome: { basis: 'approved', citation: 'sz-open-2023:20' } });
    const after = await c.db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(after.every((t) => t.status === 'closed')).toBe(true);
  });
});

describe('usage period (sz-open-2023:22 / js-2020:26)', () => {
  it('under js-2020 alone the review has 15 working days; access opens on the first day of use and expires at 24:00 of the last', async () => {
    // Received Mon 2034-05-08 10:00 (sz-open-2023 expired in 2026, so js-2020:27 governs, no
    // acceptance). May 1–2 are the only holidays near: Tue 9 = 1 … Fri 12 = 4, Mon 15 … Fri 19 =
    // 5–9, Mon 22 … Fri 26 = 10–14, Mon 29 = 15 → end of 2034-05-29.
    await c.env.sleepUntil('2034-05-08T02:00:00Z');
    const h = await start(POLICIES, { start: '2034-05-20', end: '2034-06-30' });
    const opened = await c.view(h, (v) => v.status === 'pending_review');
    expect(opened.policy.id).toBe('js-2020');
    expect(opened.deadlines).toEqual([expect.objectContaining({ key: 'provider_review', workingDays: 15, dueDate: '2034-05-29', citation: 'js-2020:27' })]);

    await decide(h, 'provider_review.1', provider, 'approve', { purpose: '线路优化', scope: '站点级客流' });
    await c.view(h, (v) => (v as { agreement?: unknown }).agreement != null);
    const [stored] = await c.db.select().from(agreements).where(eq(agreements.caseId, h.workflowId));
    expect(stored!.citation).toBe('js-2020:26');
    await h.executeUpdate(caseActionUpdate, { args: [{ action: 'sign-agreement', caller: applicant, fields: { sha256: stored!.sha256 } }] });
    await h.executeUpdate(caseActionUpdate, { args: [{ action: 'sign-agreement', caller: provider, fields: {} }] });
    expect((await c.view(h, (v) => v.status === 'active')).status).toBe('active');
    // Signed before the period starts: the grant is valid from 00:00 Shanghai on 2034-05-20.
    const [grant] = await c.db.select().from(accessGrants).where(eq(accessGrants.caseId, h.workflowId));
    expect(grant).toMatchObject({ status: 'active', mode: 'api', granteePrincipalId: applicant.principalId, citation: 'js-2020:26' });
    expect(grant!.validFrom.toISOString()).toBe('2034-05-19T16:00:00.000Z');
    expect(grant!.validTo!.toISOString()).toBe('2034-06-30T16:00:00.000Z');

    await c.env.sleepUntil(Date.parse('2034-06-30T16:00:00Z') - SECOND);
    expect((await c.view(h)).status).toBe('active');
    await c.env.sleepUntil(Date.parse('2034-06-30T16:00:00Z') + SECOND);
    const ended = await c.view(h, (v) => v.status === 'expired');
    expect(ended.status).toBe('expired');
    const [expired] = await c.db.select().from(accessGrants).where(eq(accessGrants.caseId, h.workflowId));
    expect(expired).toMatchObject({ status: 'expired' });
    expect(expired!.validTo!.toISOString()).toBe('2034-06-30T16:00:00.000Z');
    const result = await h.result();
    expect(result.status).toBe('expired');
    // The expiry path exists only with time skipping: its history joins the replay fixtures.
    if (process.env.RECORD_HISTORIES) {
      const History = proto.temporal.api.history.v1.History;
      const file = new URL('../fixtures/histories/open-data-application-signed-expired.json', import.meta.url);
      writeFileSync(file, JSON.stringify(History.toObject(History.fromObject(await h.fetchHistory()), { longs: String, enums: String, bytes: String }), null, 1));
    }
  });
});
