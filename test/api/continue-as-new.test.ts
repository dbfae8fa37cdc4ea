// A long-lived case does not outgrow its workflow (API-2.md "Integrity"): an open-data grant in
// use continues as a new run when Temporal suggests it (the test server suggests it after 250
// events, see test/global-setup.ts), carrying its state — nothing is lost or repeated, and the case
// goes on answering and committing as before. On real servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, type Actor } from '../fixtures/actors';
import { SUGGEST_CONTINUE_AS_NEW_AFTER } from '../global-setup';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { caseActionUpdate } from '../../src/workflows/kernel/messages';
import { openDataApplicationInput } from '../fixtures/case-inputs';

let h: Harness;
let applicant: Actor;
let provider: Actor;
let operations: Actor;
let providerAgency: string;

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'can-prov', 'suzhou');
  applicant = await principal(h, ['data_user']);
  provider = await principal(h, ['provider'], providerAgency);
  operations = await principal(h, ['operations'], await agency(h, 'can-centre', 'suzhou'));
});
afterAll(async () => h?.close());

const post = async (url: string, token: string, body: unknown = {}) => {
  const res = await h.call('POST', url, { token, body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('continue-as-new', () => {
  it('an open-data grant in use continues as a new run when its history grows, and goes on exactly where it was', async () => {
    const created = await h.call('POST', '/v1/open-data-applications', {
      token: applicant.token,
      body: {
        datasetId: await dataset(h, providerAgency, 'conditional', { openClass: 'conditional' }),
        title: '客流研究', reason: '线路优化', deliveryType: 'api', usagePeriod: { start: day(0), end: day(365) }, resultForm: '报告', scenario: '交通规划', commitment: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json().caseId as string;
    const inbox = (await h.call('GET', '/v1/inbox', { token: provider.token })).json().items as { taskId: string; caseId: string }[];
    await post(`/v1/tasks/${inbox.find((t) => t.caseId === caseId)!.taskId}/decision`, provider.token, { action: 'approve', purpose: '线路优化', scope: '站点级客流' });
    await post(`/v1/cases/${caseId}/sign-agreement`, applicant.token);
    expect((await post(`/v1/cases/${caseId}/sign-agreement`, provider.token)).status).toBe('active');

    const handle = h.client.workflow.getHandle(caseId);
    const firstRun = (await handle.describe()).runId;
    let submitted = 0;
    while ((await handle.describe()).runId === firstRun) {
      expect(submitted, 'the case should have continued as new by now').toBeLessThan(SUGGEST_CONTINUE_AS_NEW_AFTER / 5);
      await post(`/v1/cases/${caseId}/request-results`, operations.token, { materials: `第${submitted + 1}次成果材料` });
      await post(`/v1/cases/${caseId}/submit-results`, applicant.token, { description: `报告 ${++submitted}`, materials: [`r-${submitted}.pdf`] });
    }
    // The first run ended by continuing as new; the new run carries the case on.
    const first = await h.client.workflow.getHandle(caseId, firstRun).fetchHistory();
    expect(first.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    // Everything before is still there, once; the next submissions carry on the numbering.
    const again = await post(`/v1/cases/${caseId}/submit-results`, applicant.token, { description: '续期后的报告', materials: ['after.pdf'] });
    expect(again.status).toBe('active');
    expect(again.use.results.map((r: { id: number }) => r.id)).toEqual(Array.from({ length: submitted + 1 }, (_, i) => i + 1));
    expect(again.use.resultRequests.every((r: { status: string }) => r.status === 'answered')).toBe(true);
    const events = again.history.map((e: { event: string }) => e.event);
    expect(events.filter((e: string) => e === 'result_materials_submitted')).toHaveLength(submitted + 1);
    expect(events.filter((e: string) => e === 'access_granted')).toHaveLength(1);

    // And it still ends as the law says: closed for a breach, the grant revoked, the workflow done.
    const closed = await post(`/v1/cases/${caseId}/report-breach`, provider.token, { measure: 'close', description: '转供第三方', basis: '协议第五条' });
    expect(closed.status).toBe('revoked');
    expect(closed.grants[0].status).toBe('revoked');
    expect((await handle.result()) as { status: string }).toMatchObject({ status: 'revoked' });
    const audit = await h.call('GET', '/v1/audit/verify', { token: h.adminToken });
    expect(audit.json().ok).toBe(true);
  });

  it("judges a case action that reaches a run in its first activation (as actions sent during a continue-as-new do) with the case's own state", async () => {
    // Update-with-start delivers the action with the start, as Temporal delivers the actions that
    // arrived while a run continued as new: before the process has set up its state.
    const caseId = `open-data-application-first-activation-${Date.now()}`;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const input = openDataApplicationInput(caseId, new Date().toISOString(), { start: today, end: '2099-12-31' });
    const answer = await h.client.workflow.executeUpdateWithStart(caseActionUpdate, {
      args: [{ action: 'withdraw', caller: { principalId: 'prn-applicant', agencyId: null, roles: ['data_user'], jurisdiction: null }, fields: { reason: '不再需要' } }],
      startWorkflowOperation: new WithStartWorkflowOperation('openDataApplication', { workflowId: caseId, taskQueue: h.taskQueue, args: [input], workflowIdConflictPolicy: 'FAIL' }),
    });
    expect(answer.revision).toBeGreaterThan(0);
    const view = (await h.client.workflow.getHandle(caseId).result()) as { status?: string } | undefined;
    expect(view?.status ?? (await h.call('GET', `/v1/cases/${caseId}`, { token: h.adminToken })).json().status).toBe('withdrawn');
  });
});
