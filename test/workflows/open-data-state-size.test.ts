// State stays small (API-2.md "Integrity"): an open-data case in use takes a hundred result
// submissions of the largest size the API accepts and still expires on time, on the time-skipping
// server with real activities and PostgreSQL (its own server: no other test's timers move its clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import proto from '@temporalio/proto';
import { and, eq } from 'drizzle-orm';
import type { WorkflowHandle } from '@temporalio/client';
import { withDocuments } from '../../src/api/services/case-actions';
import { accessGrants, caseDocuments } from '../../src/db/schema';
import type { OpenDataApplicationInput } from '../../src/domain/open-data-application';
import type { UsagePeriod } from '../../src/domain/open-data-terms';
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

function start(usagePeriod: UsagePeriod): Promise<WorkflowHandle> {
  return c.start<OpenDataApplicationInput>('openDataApplication', 'open-data-application', (caseId, receivedAt) => openDataApplicationInput(caseId, receivedAt, usagePeriod));
}

const decide = (h: WorkflowHandle, task: string, caller: Caller, action: string, fields: Record<string, unknown> = {}) =>
  h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.${task}`, action, caller, fields }] });

describe('a case that accepts a hundred result submissions of the largest allowed size (API-2.md "Integrity")', () => {
  it('keeps its state small — materials go to the document store by reference — and still expires at the end of its usage period (input 4)', async () => {
    // Received Mon 2035-03-05 10:00 under js-2020 alone (15 working days to review); in use until 2035-12-31.
    await c.env.sleepUntil('2035-03-05T02:00:00Z');
    const h = await start({ start: '2035-03-10', end: '2035-12-31' });
    await c.view(h, (v) => v.status === 'pending_review');
    await decide(h, 'provider_review.1', provider, 'approve', { purpose: '线路优化', scope: '站点级客流' });
    await c.view(h, (v) => (v as { agreement?: unknown }).agreement != null);
    await h.executeUpdate(caseActionUpdate, { args: [{ action: 'sign-agreement', caller: applicant, fields: {} }] });
    await h.executeUpdate(caseActionUpdate, { args: [{ action: 'sign-agreement', caller: provider, fields: {} }] });
    expect((await c.view(h, (v) => v.status === 'active')).status).toBe('active');

    // The largest body the API accepts: a 4,000-character description and 100 materials of 2,000
    // characters each (about 600 KB in UTF-8 each time), staged by the API's own code.
    for (let i = 1; i <= 100; i++) {
      const fields = await withDocuments(c.db, {
        description: `第${i}次成果报告`.padEnd(4000, '述'),
        materials: Array.from({ length: 100 }, (_, k) => `${i}-${k} `.padEnd(2000, '数')),
      });
      await h.executeUpdate(caseActionUpdate, { args: [{ action: 'submit-results', caller: applicant, fields }] });
    }
    const during = await c.view(h);
    const results = (during as unknown as { use: { results: { materials: { count: number; document: string } }[] } }).use.results;
    expect(results).toHaveLength(100);
    expect(results[99]!.materials).toMatchObject({ count: 100 });
    const [row] = await c.db.select().from(caseDocuments).where(and(eq(caseDocuments.caseId, h.workflowId), eq(caseDocuments.sha256, results[99]!.materials.document)));
    expect(row).toBeDefined();

    await c.env.sleepUntil(Date.parse('2035-12-31T16:00:00Z') - SECOND);
    expect((await c.view(h)).status).toBe('active');
    await c.env.sleepUntil(Date.parse('2035-12-31T16:00:00Z') + SECOND);
    expect((await c.view(h, (v) => v.status === 'expired')).status).toBe('expired');
    const [expired] = await c.db.select().from(accessGrants).where(eq(accessGrants.caseId, h.workflowId));
    expect(expired).toMatchObject({ status: 'expired' });
    expect((await h.result()).status).toBe('expired');

    const History = proto.temporal.api.history.v1.History;
    const history = History.fromObject(await h.fetchHistory());
    const bytes = History.encode(history).finish().length;
    // Far from Temporal's limits (2 MB per payload, 50 MB and 51,200 events per history).
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    console.log(`open-data case with 100 maximum-size submissions: ${history.events.length} events, ${(bytes / 1024).toFixed(0)} KiB of history`);
  });
});
