// Time in P10 third-party authorisation filing on Temporal's time-skipping server: a filed
// authorisation expires exactly at 24:00 Shanghai of `until` (a durable timer); the filing task's
// period (a setting: 5 working days, sip-2021:34 sets none) escalates when missed, and an
// authorisation never filed still ends at `until`. Real activities and PostgreSQL.
//
// Year 2037 (statutory calendar; provisional). March is free of holidays (Qingming is Apr 4–6).
// The day of receipt is not counted; 24:00 Shanghai is 16:00Z.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { auditLog, tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import { creditCodeCheck, type ThirdPartyAuthorisationInput } from '../../src/domain/third-party-authorisation';
import type { Caller } from '../../src/domain/tasks';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const competent: Caller = { principalId: 'prn-tp-bureau', agencyId: 'agency-tp-bureau', roles: ['competent'], jurisdiction: 'suzhou-sip' };

function start(until: string): Promise<WorkflowHandle> {
  return c.start<ThirdPartyAuthorisationInput>('thirdPartyAuthorisation', 'third-party-authorisation', (caseId, receivedAt) => ({
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: 'prn-tp-provider',
    jurisdiction: 'suzhou-sip',
    policy: resolveRules(POLICIES, 'suzhou-sip', 'third-party-authorisation', shanghaiDate(receivedAt)),
    provider: { principalId: 'prn-tp-provider', agencyId: 'agency-tp-provider' },
    datasets: [{ id: 'ds-ts-tp', name: 'test data' }],
    authorisation: {
      thirdParty: { name: '园区数据服务有限公司', creditCode: `91320594MA1P7Q8R0${creditCodeCheck('91320594MA1P7Q8R0')}` },
      purpose: '清洗建库',
      datasetIds: ['ds-ts-tp'],
      scope: '仅清洗',
      from: '2037-03-02',
      until,
    },
  }));
}

async function openTask(h: WorkflowHandle, kind: string) {
  const [t] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
  return t;
}

describe('a filed authorisation is in force until 24:00 Shanghai of `until`', () => {
  it('expires exactly then, by a durable timer', async () => {
    // Received Mon 2037-03-02 10:00 Shanghai, filed the next day; last day Fri 2037-03-20.
    await c.env.sleepUntil('2037-03-02T02:00:00Z');
    const h = await start('2037-03-20');
    const opened = await c.view(h, (v) => v.status === 'pending_filing');
    // 5 working days (the setting): Tue 3 = 1 … Fri 6 = 4, Mon 9 = 5.
    expect(opened.deadlines[0]).toMatchObject({ key: 'filing', workingDays: 5, dueDate: '2037-03-09', dueAt: '2037-03-09T16:00:00.000Z', citation: 'sip-2021:34' });
    await c.env.sleepUntil('2037-03-03T02:00:00Z');
    const t = (await openTask(h, 'filing'))!;
    await h.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action: 'file', caller: competent, fields: {} }] });
    const validTo = '2037-03-20T16:00:00.000Z';
    const filed = await c.view(h);
    expect(filed).toMatchObject({ status: 'filed', outcome: { basis: 'filed', validTo } });
    expect(String(filed.outcome!.validFrom)).toMatch(/^2037-03-03T02:00:00/); // from the filing: the first day had begun

    await c.env.sleepUntil(Date.parse(validTo) - SECOND);
    expect((await c.view(h)).status).toBe('filed');
    await c.env.sleepUntil(Date.parse(validTo) + SECOND);
    const expired = await c.view(h, (v) => v.status === 'expired');
    expect(expired).toMatchObject({ status: 'expired', outcome: { basis: 'expired', until: '2037-03-20', validTo, stage: 'filed', citation: 'sip-2021:34' } });
    const [entry] = await c.db.select().from(auditLog).where(and(eq(auditLog.caseId, h.workflowId), eq(auditLog.event, 'authorisation_expired')));
    // The timer fires at `until`'s end (never before: it counts from workflow time, which trails the
    // server's); the entry names the legal end itself.
    expect(entry!.at.getTime() - Date.parse(validTo)).toBeGreaterThanOrEqual(0);
    expect(entry!.at.getTime() - Date.parse(validTo)).toBeLessThan(SECOND);
    expect(entry!.detail).toMatchObject({ validTo, until: '2037-03-20', stage: 'filed' });
  });
});

describe('the filing period', () => {
  it('escalates when missed, and an authorisation never filed ends at `until` with its tasks closed', async () => {
    // Received Mon 2037-03-23 10:00 Shanghai (after the first case's days): Tue 24 = 1 … Mon 30 = 5.
    await c.env.sleepUntil('2037-03-23T02:00:00Z');
    const h = await start('2037-04-02');
    await c.view(h, (v) => v.status === 'pending_filing');
    await c.env.sleepUntil(Date.parse('2037-03-30T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2037-03-30T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'pending_filing', overdue: true });
    expect(await openTask(h, 'supervision')).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou-sip' });

    await c.env.sleepUntil(Date.parse('2037-04-02T16:00:00Z') + SECOND);
    const ended = await c.view(h, (v) => v.status === 'expired');
    expect(ended.outcome).toMatchObject({ basis: 'expired_unfiled', stage: 'pending_filing', validTo: '2037-04-02T16:00:00.000Z' });
    expect(await openTask(h, 'filing')).toBeUndefined();
    expect(await openTask(h, 'supervision')).toBeUndefined();
  });
});
