// Correction orders on the time-skipping server (js-2020:49 责令限期改正 … 逾期不改正的，给予通报批评):
// an overdue step escalates, the competent department orders the agency to correct within 2
// working days, the agency lets them pass too, and a public notice is recorded and audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, publicNotices, tasks } from '../../src/db/schema';
import type { ShareDemandInput } from '../../src/domain/share-demand';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { notices } from '../../src/api/services/supervision';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';
import { shareDemandInput } from '../fixtures/case-inputs';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const competent = { principalId: 'prn-competent', agencyId: 'agency-bureau', roles: ['competent'], jurisdiction: 'taizhou' };

describe('correction orders', () => {
  it('overdue → order to correct in 2 working days → missed → public notice, not one second before', async () => {
    // Received Mon 2034-03-06 10:00 Shanghai: the reply is due Mon 2034-03-13 (5 working days).
    await c.env.sleepUntil('2034-03-06T02:00:00Z');
    const h = await c.start<ShareDemandInput>('shareDemand', 'share-demand', shareDemandInput);
    const opened = await c.view(h, (v) => v.status === 'pending_response');
    expect(opened.deadlines[0]).toMatchObject({ key: 'provider_response', dueDate: '2034-03-13' });

    await c.env.sleepUntil(Date.parse('2034-03-13T16:00:00Z') + SECOND);
    await c.view(h, (v) => v.overdue);
    const rowsOf = () => c.db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    const supervision = (await rowsOf()).find((t) => t.kind === 'supervision')!;
    expect(supervision).toMatchObject({ status: 'open', assigneeRole: 'competent', requiredFields: { order_correction: ['workingDays', 'reason'] } });

    // Ordered Wed 2034-03-15 10:00: 2 working days end Fri 2034-03-17 24:00.
    await c.env.sleepUntil('2034-03-15T02:00:00Z');
    await h.executeUpdate(decideUpdate, {
      args: [{ taskId: supervision.taskId, action: 'order_correction', caller: competent, fields: { workingDays: 2, reason: '逾期未答复共享需求' } }],
    });
    const ordered = await c.view(h, (v) => v.deadlines.some((d) => d.key.startsWith('correction')));
    expect(ordered.deadlines.find((d) => d.key.startsWith('correction'))).toMatchObject({ dueDate: '2034-03-17', workingDays: 2, citation: 'js-2020:49', state: 'running' });
    const correction = (await rowsOf()).find((t) => t.kind === 'correction')!;
    expect(correction).toMatchObject({ status: 'open', assigneeAgencyId: 'agency-prov', assigneeRole: 'provider', citation: 'js-2020:49', dueDate: '2034-03-17' });

    await c.env.sleepUntil(Date.parse('2034-03-17T16:00:00Z') - SECOND);
    expect(await c.db.select().from(publicNotices).where(eq(publicNotices.caseId, h.workflowId))).toEqual([]);
    await c.env.sleepUntil(Date.parse('2034-03-17T16:00:00Z') + SECOND);
    const noticed = await c.view(h, (v) => v.deadlines.some((d) => d.key.startsWith('correction') && d.state === 'missed'));
    expect(noticed.deadlines.find((d) => d.key.startsWith('correction'))?.state).toBe('missed');
    const [notice] = await c.db.select().from(publicNotices).where(eq(publicNotices.caseId, h.workflowId));
    expect(notice).toMatchObject({
      caseType: 'share-demand',
      taskId: correction.taskId,
      agencyId: 'agency-prov',
      jurisdiction: 'taizhou',
      reason: '逾期未答复共享需求',
      orderedBy: 'prn-competent',
      citation: 'js-2020:49',
    });
    expect(notice!.dueAt.toISOString()).toBe('2034-03-17T16:00:00.000Z');
    expect(notice!.issuedAt.getTime()).toBeGreaterThanOrEqual(Date.parse('2034-03-17T16:00:00Z'));
    const audited = await c.db.select().from(auditLog).where(and(eq(auditLog.caseId, h.workflowId), eq(auditLog.event, 'public_notice')));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ citation: 'js-2020:49', detail: { noticeId: notice!.id, agencyId: 'agency-prov' } });
    expect((await rowsOf()).find((t) => t.kind === 'correction')).toMatchObject({ status: 'closed', outcome: { missed: true, noticeId: notice!.id } });
    // Listed for the province (Taizhou lies within it), not for Suzhou.
    expect((await notices(c.db, 'jiangsu')).map((n) => n.id)).toContain(notice!.id);
    expect((await notices(c.db, 'suzhou')).map((n) => n.id)).not.toContain(notice!.id);
  });
});
