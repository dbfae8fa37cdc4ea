// P2 deadlines on the time-skipping server: the reply within 5 working days is met, then the
// delivery due 10 working days from the reply is missed and escalates (js-2020:22, js-2020:49).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tasks } from '../../src/db/schema';
import type { ShareDemandInput } from '../../src/domain/share-demand';
import { decideUpdate } from '../../src/workflows/kernel/messages';
import { startCaseEnv, type CaseEnv } from '../fixtures/case-env';
import { shareDemandInput } from '../fixtures/case-inputs';

const SECOND = 1000;
let c: CaseEnv;
beforeAll(async () => {
  c = await startCaseEnv();
});
afterAll(async () => c?.close());

const provider = { principalId: 'prn-provider', agencyId: 'agency-prov', roles: ['provider'], jurisdiction: 'taizhou' };

describe('share demand deadlines', () => {
  it('escalates a delivery missed 10 working days after the reply, not one second before', async () => {
    // Received Mon 2033-03-07 10:00 Shanghai (no holiday in March 2033): reply due Mon 2033-03-14
    // (Tue 8 = 1 … Fri 11 = 4, Mon 14 = 5).
    await c.env.sleepUntil('2033-03-07T02:00:00Z');
    const h = await c.start<ShareDemandInput>('shareDemand', 'share-demand', shareDemandInput);
    const opened = await c.view(h, (v) => v.status === 'pending_response');
    expect(opened.deadlines[0]).toMatchObject({ key: 'provider_response', dueDate: '2033-03-14', citation: 'js-2020:22' });

    // The provider agrees on Wed 2033-03-09 at 10:00: delivery is due 10 working days later,
    // Thu 10 = 1, Fri 11 = 2, Mon 14 … Fri 18 = 3–7, Mon 21 = 8, Tue 22 = 9, Wed 23 = 10.
    await c.env.sleepUntil('2033-03-09T02:00:00Z');
    await h.executeUpdate(decideUpdate, { args: [{ taskId: `${h.workflowId}.provider_response.1`, action: 'agree', caller: provider, fields: {} }] });
    const agreed = await c.view(h, (v) => v.status === 'pending_delivery');
    expect(agreed.deadlines.map((d) => [d.key, d.dueDate, d.state])).toEqual([
      ['provider_response', '2033-03-14', 'met'],
      ['delivery', '2033-03-23', 'running'],
    ]);

    await c.env.sleepUntil(Date.parse('2033-03-23T16:00:00Z') - SECOND);
    expect((await c.view(h)).overdue).toBe(false);
    await c.env.sleepUntil(Date.parse('2033-03-23T16:00:00Z') + SECOND);
    const late = await c.view(h, (v) => v.overdue);
    expect(late).toMatchObject({ status: 'pending_delivery', overdue: true });
    const rows = await c.db.select().from(tasks).where(eq(tasks.caseId, h.workflowId));
    expect(rows.find((t) => t.kind === 'supervision')).toMatchObject({ status: 'open', assigneeRole: 'competent', assigneeJurisdiction: 'taizhou' });
  });
});
