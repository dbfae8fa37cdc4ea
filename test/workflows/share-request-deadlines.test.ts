// Statutory deadlines of P1 on Temporal's time-skipping server: real deadlines (never shortened),
// real activities and PostgreSQL, the server's clock moved to the days that matter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { accessGrants, auditLog, calendarYears, tasks } from '../../src/db/schema';
import type { CaseView } from '../../src/domain/cases';
import type { ShareRequestInput } from '../../src/domain/share-request';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { loadYear } from '../../src/api/services/calendar';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';
import { shareRequestInput } from '../fixtures/case-inputs';

const SECOND = 1000;
let c: CaseEnv;
let env: CaseEnv['env'];
let db: CaseEnv['db'];

beforeAll(async () => {
  c = await startCaseEnv();
  ({ env, db } = c);
});

afterAll(async () => {
  await db?.delete(calendarYears).where(eq(calendarYears.year, 2031));
  await c?.close();
});

/** Starts a share request received at the server's current time (the cases' clock). */
function start(shareClass: 'conditional' | 'none', request: Partial<ShareRequestInput['request']> = {}): Promise<WorkflowHandle> {
  return c.start<ShareRequestInput>('shareRequest', 'share-request', (caseId, receivedAt) => shareRequestInput(caseId, receivedAt, shareClass, request));
}

const view = (h: WorkflowHandle, until?: (v: CaseView) => boolean) => c.view(h, until);

const provider = { principalId: 'prn-provider', agencyId: 'agency-prov', roles: ['provider'], jurisdiction: 'suzhou' };

describe('deemed consent (js-2020:21)', () => {
  it('fires at 24:00 on the 5th working day after receipt — across the National Day holiday — not one second before', async () => {
    // Received Mon 2030-09-30 10:00 in Shanghai. 2030 has no published arrangement: the statutory
    // holidays Oct 1–3 (Tue–Thu) are off; Fri 4 = 1, Mon 7 = 2, Tue 8 = 3, Wed 9 = 4, Thu 10 = 5.
    await env.sleepUntil('2030-09-30T02:00:00Z');
    const h = await start('conditional');
    const opened = await view(h, (v) => v.status === 'pending_review');
    expect(opened.deadlines[0]).toMatchObject({ key: 'provider_review', dueDate: '2030-10-10', dueAt: '2030-10-10T16:00:00.000Z', provisional: true, state: 'running' });

    await env.sleepUntil(Date.parse('2030-10-10T16:00:00Z') - SECOND);
    const before = await view(h);
    expect(before.status).toBe('pending_review');
    // The reminder came one working day ahead: at the end of Wed 2030-10-09 (the inbox's dueSoon).
    const reminders = await db.select().from(auditLog).where(and(eq(auditLog.caseId, h.workflowId), eq(auditLog.event, 'deadline_reminder')));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse('2030-10-09T16:00:00Z'));
    expect(reminders[0]!.at.getTime()).toBeLessThan(Date.parse('2030-10-09T16:01:00Z'));
    const [open] = await db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(open!.remindAt?.toISOString()).toBe('2030-10-09T16:00:00.000Z');

    await env.sleepUntil(Date.parse('2030-10-10T16:00:00Z') + SECOND);
    const after = await view(h, (v) => v.status === 'granted');
    expect(after).toMatchObject({ status: 'granted', outcome: { basis: 'deemed_consent', citation: 'js-2020:21' } });
    expect(after.deadlines[0].state).toBe('missed');
    const [row] = await db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(row).toMatchObject({ status: 'closed', outcome: { deemed: true } });
  });

  it('is cancelled by a decision that lands first', async () => {
    await env.sleepUntil('2030-11-04T02:00:00Z'); // Mon; due Mon 2030-11-11
    const h = await start('conditional');
    const v = await view(h, (x) => x.status === 'pending_review');
    expect(v.deadlines[0].dueDate).toBe('2030-11-11');
    await env.sleep('2 days');
    await h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.provider_review.1`, action: 'approve', caller: provider, fields: {} }] });
    await env.sleepUntil('2030-11-12T00:00:00Z');
    const after = await view(h);
    expect(after).toMatchObject({ status: 'granted', outcome: { basis: 'approved' } });
    expect(after.deadlines[0].state).toBe('met');
  });
});

describe('escalation (js-2020:49)', () => {
  it('marks the case overdue and opens a supervision task when a deadline that decides nothing passes', async () => {
    // Not-shared data: the provider answers within the policy setting (5 working days), then escalates.
    // (Tests share one clock that only moves forward: each starts later than the one before.)
    await env.sleepUntil('2030-11-18T02:00:00Z'); // Mon 10:00 Shanghai; Tue 19 = 1 … Mon 25 = 5
    const h = await start('none');
    const v = await view(h, (x) => x.status === 'pending_review');
    expect(v.deadlines[0]).toMatchObject({ key: 'not_shared_review', dueDate: '2030-11-25', state: 'running' });
    await env.sleepUntil(Date.parse('2030-11-25T16:00:00Z') - SECOND);
    expect((await view(h)).overdue).toBe(false);
    await env.sleepUntil(Date.parse('2030-11-25T16:00:00Z') + SECOND);
    const late = await view(h, (x) => x.overdue);
    expect(late).toMatchObject({ status: 'pending_review', overdue: true });
    expect(late.deadlines[0].state).toBe('missed');
    const open = await db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(open.find((t) => t.kind === 'supervision')).toMatchObject({ status: 'open', assigneeRole: 'competent', assigneeJurisdiction: 'suzhou', citation: 'js-2020:49' });
    // The provider may still answer; the supervision ends with the answer.
    await h.executeUpdate(decideUpdate, {
      args: [{ taskId: `${h.workflowId}.not_shared_review.1`, action: 'refuse', caller: provider, fields: { legalBasis: '《个人信息保护法》第十三条' } }],
    });
    expect((await view(h)).status).toBe('rejected');
    const closed = await db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(closed.every((t) => t.status === 'closed')).toBe(true);
  });
});

describe('provisional deadlines', () => {
  it('move when the year’s official arrangement is loaded, and the timer moves with them', async () => {
    // Received Tue 2031-09-30. Statutory 2031: Oct 1–3 off (Mid-Autumn falls on Oct 1 too);
    // Mon 6 = 1 … Fri 10 = 5 → 2031-10-10, provisional.
    await env.sleepUntil('2031-09-30T02:00:00Z');
    const h = await start('conditional');
    const v = await view(h, (x) => x.status === 'pending_review');
    expect(v.deadlines[0]).toMatchObject({ dueDate: '2031-10-10', provisional: true });

    // The official notice (as an administrator loads it): Oct 1–7 off, Sat Oct 11 worked.
    // Wed 8 = 1, Thu 9 = 2, Fri 10 = 3, Sat 11 = 4, Mon 13 = 5 → 2031-10-13, no longer provisional.
    const holidays = ['2031-01-01', '2031-10-01', '2031-10-02', '2031-10-03', '2031-10-06', '2031-10-07'];
    const admin = { id: 'admin', name: 'admin', agencyId: null, roles: ['admin' as const], jurisdiction: null };
    const res = await loadYear(db, env.client, 2031, { holidays, workdays: ['2031-10-11'] }, admin);
    expect(res.recomputed).toContainEqual(
      expect.objectContaining({ caseId: h.workflowId, key: 'provider_review', after: { dueDate: '2031-10-13', dueAt: '2031-10-13T16:00:00.000Z', provisional: false } }),
    );
    const moved = await view(h, (x) => x.deadlines[0].dueDate === '2031-10-13');
    expect(moved.deadlines[0]).toMatchObject({ dueDate: '2031-10-13', dueAt: '2031-10-13T16:00:00.000Z', provisional: false, state: 'running' });

    await env.sleepUntil(Date.parse('2031-10-10T16:00:00Z') + SECOND); // the old deadline passes: nothing happens
    expect((await view(h)).status).toBe('pending_review');
    await env.sleepUntil(Date.parse('2031-10-13T16:00:00Z') + SECOND);
    expect(await view(h, (x) => x.status === 'granted')).toMatchObject({ outcome: { basis: 'deemed_consent' } });
  });
});

describe('access grants', () => {
  it('expire at 24:00 (Shanghai) of their last day; the data must still be disposed of', async () => {
    await env.sleepUntil('2032-03-01T02:00:00Z');
    const h = await start('conditional', { accessUntil: '2032-03-31' });
    await view(h, (x) => x.status === 'pending_review');
    await h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.provider_review.1`, action: 'approve', caller: provider, fields: {} }] });
    const grantOf = async () => (await db.select().from(accessGrants).where(eq(accessGrants.caseId, h.workflowId)))[0]!;
    expect(await grantOf()).toMatchObject({ status: 'active' });
    expect((await grantOf()).validTo?.toISOString()).toBe('2032-03-31T16:00:00.000Z');
    await env.sleepUntil(Date.parse('2032-03-31T16:00:00Z') - SECOND);
    expect((await grantOf()).status).toBe('active');
    await env.sleepUntil(Date.parse('2032-03-31T16:00:00Z') + SECOND);
    for (let i = 0; i < 100 && (await grantOf()).status !== 'expired'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await grantOf()).status).toBe('expired');
    expect((await view(h)).status).toBe('granted');
  });
});
