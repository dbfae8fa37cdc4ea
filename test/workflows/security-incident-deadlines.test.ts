// Deadlines of P9 security incidents on Temporal's time-skipping server: every period runs in
// hours from detection, rest days included ("a leak does not wait for Monday"), and a missed one
// escalates to the competent department (js-2020:49). Real activities and PostgreSQL.
//
// Detected Friday 2037-03-06 18:00 Shanghai (10:00Z): the report is due 24 hours later, Saturday
// 2037-03-07 18:00 Shanghai — counted in working days it would have been the end of Monday.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { SecurityIncidentInput } from '../../src/domain/security-incident';
import type { Caller } from '../../src/domain/tasks';
import { caseActionUpdate, decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const provider: Caller = { principalId: 'prn-si-provider', agencyId: 'agency-si-prov', roles: ['provider'], jurisdiction: 'suzhou-sip' };
const competent: Caller = { principalId: 'prn-si-competent', agencyId: 'agency-si-bureau', roles: ['competent'], jurisdiction: 'suzhou-sip' };
const cyberspace: Caller = { principalId: 'prn-si-cac', agencyId: 'agency-si-cac', roles: ['cyberspace'], jurisdiction: 'suzhou-sip' };

function start(): Promise<WorkflowHandle> {
  return c.start<SecurityIncidentInput>('securityIncident', 'security-incident', (caseId, receivedAt) => ({
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: provider.principalId,
    jurisdiction: 'suzhou-sip',
    policy: resolveRules(POLICIES, 'suzhou-sip', 'security-incident', shanghaiDate(receivedAt)),
    reporter: { principalId: provider.principalId, agencyId: provider.agencyId!, role: 'provider' },
    incident: { kind: 'leak', description: '接口被批量调用', personalInformation: true, detectedAt: '2037-03-06T10:00:00.000Z' } // Fri 18:00 Shanghai,
  }));
}

async function openTask(h: WorkflowHandle, kind: string, role?: string) {
  const rows = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
  return rows.find((t) => !role || t.assigneeRole === role);
}

async function decide(h: WorkflowHandle, kind: string, caller: Caller, action: string, fields: Record<string, unknown>) {
  const t = (await openTask(h, kind, caller.roles[0]))!;
  await h.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action, caller, fields }] });
}

describe('a security incident counts its periods in hours, rest days included', () => {
  it('detected Friday 18:00 Shanghai: the report is due Saturday 18:00, and escalates when it passes', async () => {
    await c.env.sleepUntil('2037-03-06T10:00:00Z');
    const h = await start();
    const opened = await c.view(h, (v) => v.deadlines.length === 4);
    expect(opened.status).toBe('responding');
    expect(opened.deadlines.map((d) => [d.key, d.unit, d.hours, d.dueDate, d.dueAt, d.provisional])).toEqual([
      ['remediation', 'hours', 24, '2037-03-07', '2037-03-07T10:00:00.000Z', false],
      ['report.competent', 'hours', 24, '2037-03-07', '2037-03-07T10:00:00.000Z', false],
      ['report.cyberspace', 'hours', 24, '2037-03-07', '2037-03-07T10:00:00.000Z', false],
      ['notification', 'hours', 72, '2037-03-09', '2037-03-09T10:00:00.000Z', false],
    ]);
    expect(await openTask(h, 'report', 'competent')).toMatchObject({ dueDate: '2037-03-07', citation: 'sip-2021:35', onMissed: 'escalate' });

    // Friday night: the agency remedies and the cyberspace department acknowledges; the competent department does not.
    await c.env.sleepUntil('2037-03-06T14:00:00Z');
    await decide(h, 'remediation', provider, 'complete', { measures: '关闭接口，吊销密钥' });
    await decide(h, 'report', cyberspace, 'acknowledge', {});

    // Saturday 17:59:59 Shanghai: nothing is late yet.
    await c.env.sleepUntil(Date.parse('2037-03-07T10:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    expect(await openTask(h, 'supervision')).toBeUndefined();

    // Saturday 18:00 Shanghai, exactly 24 hours after detection: the report is missed and escalates.
    await c.env.sleepUntil(Date.parse('2037-03-07T10:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late.overdue).toBe(true);
    expect(late.deadlines.map((d) => [d.key, d.state])).toEqual([
      ['remediation', 'met'],
      ['report.competent', 'missed'],
      ['report.cyberspace', 'met'],
      ['notification', 'running'],
    ]);
    expect(await openTask(h, 'supervision')).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou-sip', citation: 'js-2020:49' });
    const missed = (await c.view(h)).status;
    expect(missed).toBe('responding');

    // Late, but done: the supervision ends with the acknowledgement; then the notification and the close.
    await decide(h, 'report', competent, 'acknowledge', { note: '周末值班补签' });
    expect(await openTask(h, 'supervision')).toBeUndefined();
    await decide(h, 'notification', provider, 'notify', { notifiedCount: 37, channel: '短信' });
    await h.executeUpdate(caseActionUpdate, { args: [{ action: 'close', caller: competent, fields: { summary: '已处置' } }] });
    expect(await c.view(h)).toMatchObject({ status: 'closed', outcome: { basis: 'closed', summary: '已处置' } });
  });
});
