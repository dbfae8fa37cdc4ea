// Deadlines of P5 quality rectification on Temporal's time-skipping server: 10 working days from
// receiving the task (sz-open-2023:16; js-2020:17 setting), a reopening that starts a new period,
// and escalation when it passes. Real activities and PostgreSQL.
//
// Year 2037 (statutory calendar; provisional). March is free of holidays (Qingming is Apr 4–6).
// The day of receipt is not counted; a deadline is 24:00 Shanghai (16:00Z).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { QualityRectificationInput } from '../../src/domain/quality-rectification';
import type { Caller } from '../../src/domain/tasks';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const provider: Caller = { principalId: 'prn-provider', agencyId: 'agency-prov', roles: ['provider'], jurisdiction: 'suzhou' };
const auditor: Caller = { principalId: 'prn-auditor', agencyId: 'agency-bureau', roles: ['competent'], jurisdiction: 'suzhou' };
const findings = ['“注册资本”字段存在空值', '更新频率与目录不符'];

function start(): Promise<WorkflowHandle> {
  return c.start<QualityRectificationInput>('qualityRectification', 'quality-rectification', (caseId, receivedAt) => ({
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: auditor.principalId,
    jurisdiction: 'suzhou',
    policy: resolveRules(POLICIES, 'suzhou', 'quality-rectification', shanghaiDate(receivedAt)),
    auditor: { principalId: auditor.principalId, agencyId: auditor.agencyId, role: 'competent' },
    dataset: { id: 'ds-ts-quality', name: 'test data', providerAgencyId: 'agency-prov', jurisdiction: 'suzhou' },
    rectification: { datasetId: 'ds-ts-quality', findings },
  }));
}

async function openTask(h: WorkflowHandle, kind: string) {
  const [t] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
  return t;
}

async function decide(h: WorkflowHandle, kind: string, caller: Caller, action: string, fields: Record<string, unknown>) {
  const t = (await openTask(h, kind))!;
  await h.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action, caller, fields }] });
}

const reports = { finding1: '已补全空值 1,204 条', finding2: '目录更新频率已改为“每日”' };

describe('rectification within 10 working days of receiving the task', () => {
  it('a reopening starts a new 10-day period from the reopening; the old deadline then passes quietly, the new one escalates', async () => {
    // Received Mon 2037-03-02 10:00 Shanghai: Tue 3 = 1 … Fri 6 = 4, Mon 9 … Fri 13 = 9, Mon 16 = 10
    // → due end of Mon 2037-03-16 (js-2020:17, whose "规定的期限" is the setting's 10 days).
    await c.env.sleepUntil('2037-03-02T02:00:00Z');
    const h = await start();
    const opened = await c.view(h, (v) => v.status === 'open');
    expect(opened.deadlines[0]).toMatchObject({ key: 'rectification', workingDays: 10, dueDate: '2037-03-16', dueAt: '2037-03-16T16:00:00.000Z', citation: 'js-2020:17' });

    // A report that skips a finding is refused before anything is recorded.
    await c.env.sleepUntil('2037-03-04T02:00:00Z');
    const skipped = await decide(h, 'rectification', provider, 'submit', { finding1: reports.finding1 }).catch((e: unknown) => e);
    expect(skipped).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((skipped as WorkflowUpdateFailedError).cause as ApplicationFailure).details![0]).toMatchObject({ status: 422, code: 'missing_fields' });
    await decide(h, 'rectification', provider, 'submit', reports);
    expect((await c.view(h)).status).toBe('submitted');

    // Reopened Mon 2037-03-09 14:00 Shanghai: Tue 10 = 1 … Fri 13 = 4, Mon 16 … Fri 20 = 9,
    // Mon 23 = 10 → due end of Mon 2037-03-23.
    await c.env.sleepUntil('2037-03-09T06:00:00Z');
    await decide(h, 'recheck', auditor, 'reopen', { reason: '空值仍有 12 条' });
    const reopened = await c.view(h);
    expect(reopened.status).toBe('open');
    expect(reopened.deadlines.map((d) => [d.dueDate, d.state])).toEqual([
      ['2037-03-16', 'met'],
      ['2037-03-23', 'running'],
    ]);

    await c.env.sleepUntil(Date.parse('2037-03-16T16:00:00Z') + SECOND);
    expect(await c.view(h)).toMatchObject({ status: 'open', overdue: false });
    await c.env.sleepUntil(Date.parse('2037-03-23T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2037-03-23T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'open', overdue: true });
    expect(late.deadlines[1].state).toBe('missed');
    expect(await openTask(h, 'supervision')).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', citation: 'js-2020:49' });

    // Late, but done: the supervision ends with the submission, and the auditor closes.
    await decide(h, 'rectification', provider, 'submit', reports);
    expect(await openTask(h, 'supervision')).toBeUndefined();
    await decide(h, 'recheck', auditor, 'close', { note: '复核通过' });
    expect(await c.view(h)).toMatchObject({ status: 'closed', outcome: { basis: 'rectified', rounds: 2, citation: 'js-2020:17' } });
  });
});
