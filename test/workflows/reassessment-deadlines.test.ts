// Time in P11 periodic reassessment on Temporal's time-skipping server: the provider's review
// period (a setting, 15 working days: js-2020:25¶3 sets none) escalates to the competent
// department when missed and deems nothing; the provider may still decide after. Real activities
// and PostgreSQL.
//
// Year 2037 (statutory calendar; provisional). March is free of holidays (Qingming is Apr 4–6).
// The day of receipt is not counted; 24:00 Shanghai is 16:00Z.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { ReassessmentInput } from '../../src/domain/reassessment';
import type { Caller } from '../../src/domain/tasks';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const provider: Caller = { principalId: 'prn-rs-provider', agencyId: 'agency-rs-provider', roles: ['provider'], jurisdiction: 'suzhou-sip' };

describe('the review period', () => {
  it('escalates at 24:00 Shanghai of the 15th working day, deeming nothing; the provider still decides after', async () => {
    // Received Mon 2037-03-02 10:00 Shanghai: Tue 3 = 1 … Fri 6 = 4, 9–13 = 5–9, 16–20 = 10–14, Mon 23 = 15.
    await c.env.sleepUntil('2037-03-02T02:00:00Z');
    const h = await c.start<ReassessmentInput>('reassessment', 'reassessment', (caseId, receivedAt) => ({
      version: 1,
      caseId,
      receivedAt,
      receivedVia: 'api',
      createdBy: 'prn-rs-bureau',
      jurisdiction: 'suzhou-sip',
      policy: resolveRules(POLICIES, 'suzhou-sip', 'reassessment', shanghaiDate(receivedAt)),
      scheduleId: 'reassessment-schedule-ts',
      runAt: receivedAt,
      dataset: { id: 'ds-ts-rs', name: 'test data', providerAgencyId: 'agency-rs-provider', jurisdiction: 'suzhou-sip', openClass: 'conditional', version: 1 },
    }));
    const opened = await c.view(h, (v) => v.status === 'pending_reassessment');
    const due = '2037-03-23T16:00:00.000Z';
    expect(opened.deadlines[0]).toMatchObject({ key: 'review', workingDays: 15, dueDate: '2037-03-23', dueAt: due, citation: 'js-2020:25' });

    await c.env.sleepUntil(Date.parse(due) - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse(due) + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'pending_reassessment', overdue: true, outcome: null });
    const [supervision] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, 'supervision'), eq(tasks.status, 'open')));
    expect(supervision).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou-sip', citation: 'js-2020:49' });

    const [review] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, 'review')));
    await h.executeUpdate(decideUpdate, { args: [{ taskId: review!.taskId, action: 'keep', caller: provider, fields: { reason: '仍涉及个人信息' } }] });
    const kept = await c.view(h, (v) => v.status === 'kept');
    expect(kept.outcome).toMatchObject({ basis: 'kept', openClass: 'conditional', citation: 'js-2020:25' });
    expect(kept.deadlines[0]).toMatchObject({ key: 'review', state: 'missed' });
  });
});
