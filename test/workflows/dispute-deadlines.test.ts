// Time in P8 disputes on Temporal's time-skipping server: the negotiation period (a setting: 10
// working days, js-2020:45 sets none) ending is negotiation failing — the open tasks close and the
// competent department takes the dispute up (coordinating); its own step (a setting too) escalates
// when missed. Real activities and PostgreSQL.
//
// Year 2037 (statutory calendar; provisional). March is free of holidays (Qingming is Apr 4–6).
// The day of receipt is not counted; 24:00 Shanghai is 16:00Z.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { DisputeInput } from '../../src/domain/dispute';
import type { Caller } from '../../src/domain/tasks';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const providerA: Caller = { principalId: 'prn-dp-a', agencyId: 'agency-dp-a', roles: ['provider'], jurisdiction: 'suzhou-sip' };

const openTasks = (caseId: string, kind: string) => c.db.select().from(tasks).where(and(eq(tasks.caseId, caseId), eq(tasks.kind, kind), eq(tasks.status, 'open')));

describe('the negotiation period', () => {
  it('ends at 24:00 of the 10th working day: the open tasks close and the competent department coordinates; its step escalates when missed', async () => {
    // Received Mon 2037-03-02 10:00 Shanghai: Tue 3 = 1 … Fri 13 = 9, Mon 16 = 10.
    await c.env.sleepUntil('2037-03-02T02:00:00Z');
    const h = await c.start<DisputeInput>('dispute', 'dispute', (caseId, receivedAt) => ({
      version: 1,
      caseId,
      receivedAt,
      receivedVia: 'api',
      createdBy: 'prn-dp-a',
      jurisdiction: 'suzhou-sip',
      policy: resolveRules(POLICIES, 'suzhou-sip', 'dispute', shanghaiDate(receivedAt)),
      filer: { principalId: 'prn-dp-a', agencyId: 'agency-dp-a' },
      parties: [
        { agencyId: 'agency-dp-a', jurisdiction: 'suzhou-sip' },
        { agencyId: 'agency-dp-b', jurisdiction: 'suzhou-sip' },
      ],
      subject: 'sharing',
      dataset: null,
      description: '共享范围争议',
    }));
    const opened = await c.view(h, (v) => v.status === 'negotiating' && v.deadlines.length === 2);
    expect(opened.deadlines.map((d) => [d.key, d.dueAt, d.citation])).toEqual([
      ['negotiation.agency-dp-a', '2037-03-16T16:00:00.000Z', 'js-2020:45'],
      ['negotiation.agency-dp-b', '2037-03-16T16:00:00.000Z', 'js-2020:45'],
    ]);
    await c.env.sleepUntil('2037-03-03T02:00:00Z');
    const a = (await openTasks(h.workflowId, 'negotiation')).find((t) => t.assigneeAgencyId === 'agency-dp-a')!;
    await h.executeUpdate(decideUpdate, { args: [{ taskId: a.taskId, action: 'agree', caller: providerA, fields: { resolution: '按季度共享' } }] });

    await c.env.sleepUntil(Date.parse('2037-03-16T16:00:00Z') - SECOND);
    expect((await c.view(h)).status).toBe('negotiating');
    await c.env.sleepUntil(Date.parse('2037-03-16T16:00:00Z') + SECOND);
    const coordinating = await c.view(h, (v) => v.status === 'coordinating');
    // The period ending is negotiation failing (协商不成): nothing escalates, nothing is deemed agreed.
    expect(coordinating.overdue).toBe(false);
    expect(await openTasks(h.workflowId, 'negotiation')).toEqual([]);
    expect(await openTasks(h.workflowId, 'supervision')).toEqual([]);
    const [coordination] = await openTasks(h.workflowId, 'coordination');
    expect(coordination).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou-sip' });
    const [ended] = await c.db.select().from(auditLog).where(and(eq(auditLog.caseId, h.workflowId), eq(auditLog.event, 'negotiation_period_ended')));
    expect(ended!.detail).toMatchObject({ agreed: ['agency-dp-a'], workingDays: 10 });
    expect(ended!.citation).toBe('js-2020:45');
    // The department's step: 10 working days (the setting) from the period's end, 00:00 Tue 17 Shanghai — a
    // day not counted: Wed 18 = 1 … Tue 31 = 10.
    const step = coordinating.deadlines.find((d) => d.key === 'coordination')!;
    expect(step).toMatchObject({ workingDays: 10, dueAt: '2037-03-31T16:00:00.000Z', citation: 'js-2020:45', state: 'running' });

    await c.env.sleepUntil(Date.parse('2037-03-31T16:00:00Z') + SECOND);
    expect(await c.view(h, (v) => v.overdue)).toMatchObject({ status: 'coordinating', overdue: true });
    expect(await openTasks(h.workflowId, 'supervision')).toHaveLength(1);
  });
});
