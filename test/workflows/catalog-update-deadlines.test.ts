// The catalog update duty on Temporal's time-skipping server (cm-draft:8; js-2020:10 with the
// 15-working-day setting): the period crosses the National Day holiday, and a missed duty
// escalates at 24:00 Shanghai of its 15th working day — not a second before. Real activities and
// PostgreSQL.
//
// Year 2037 (statutory calendar; provisional): Oct 1–3 and Oct 5 are rest days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { CatalogUpdateInput } from '../../src/domain/catalog-update';
import type { Caller } from '../../src/domain/tasks';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const provider: Caller = { principalId: 'prn-provider', agencyId: 'agency-cu-prov', roles: ['provider'], jurisdiction: 'suzhou' };

function start(): Promise<WorkflowHandle> {
  return c.start<CatalogUpdateInput>('catalogUpdate', 'catalog-update', (caseId, receivedAt) => ({
    version: 1,
    caseId,
    receivedAt,
    receivedVia: 'api',
    createdBy: 'prn-competent',
    jurisdiction: 'suzhou',
    policy: resolveRules(POLICIES, 'suzhou', 'catalog-update', shanghaiDate(receivedAt)),
    issuer: { principalId: 'prn-competent' },
    agency: { id: provider.agencyId!, name: '苏州市市场监督管理局' },
    duty: { agencyId: provider.agencyId!, trigger: 'law_change', basis: '《市场主体登记管理条例》修订', description: '登记事项调整' },
  }));
}

async function openTask(h: WorkflowHandle, kind: string) {
  const [t] = await c.db.select().from(tasks).where(and(eq(tasks.caseId, h.workflowId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
  return t;
}

describe('the catalog update duty (cm-draft:8; js-2020:10 setting)', () => {
  it('counts 15 working days across the National Day holiday and escalates at 24:00 of the 15th', async () => {
    // Received Mon 2037-09-28 10:00 Shanghai: Sep 29 = 1, Sep 30 = 2, Oct 1–5 rest, Oct 6–9 = 3–6,
    // Oct 12–16 = 7–11, Oct 19–22 = 12–15 → due end of Thu 2037-10-22 (not Oct 19, as weekdays alone).
    await c.env.sleepUntil('2037-09-28T02:00:00Z');
    const h = await start();
    const opened = await c.view(h, (v) => v.status === 'pending_update');
    expect(opened.deadlines[0]).toMatchObject({ key: 'update', workingDays: 15, dueDate: '2037-10-22', dueAt: '2037-10-22T16:00:00.000Z', provisional: true, citation: 'js-2020:10' });

    await c.env.sleepUntil(Date.parse('2037-10-22T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    expect(await openTask(h, 'supervision')).toBeUndefined();
    await c.env.sleepUntil(Date.parse('2037-10-22T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'pending_update', overdue: true });
    expect(late.deadlines[0].state).toBe('missed');
    expect(await openTask(h, 'supervision')).toMatchObject({ assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', citation: 'js-2020:49' });

    // Late, but done: the agency states that nothing changes, and the supervision ends with it.
    const t = (await openTask(h, 'update'))!;
    await h.executeUpdate(decideUpdate, { args: [{ taskId: t.taskId, action: 'no_change', caller: provider, fields: { reason: '本单位目录不受影响' } }] });
    expect(await c.view(h)).toMatchObject({ status: 'unchanged', outcome: { basis: 'no_change', citation: 'js-2020:10' } });
    expect(await openTask(h, 'supervision')).toBeUndefined();
  });
});
