// One message at a time per case (API-2.md "Integrity"): the pair table of P6 rights claims — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { expectError } from '../../fixtures/errors';
import { APPROVAL, Json, ON_ANSWER, P6, act, active, applicant, application, decide, ended, events, inOrder, ok, openData, operations, pairTable, post, provider, provider2, refused, revoked, rightsClaim, row, view, viewWhen } from '../../fixtures/message-pairs';

const P6_ROWS = [
  row<P6>({
    process: 'P6 rights claim',
    kind: 'decision × decision',
    behaviour: 'two providers withdraw the data and keep it open at once: one measure is taken and the claim ends with it',
    setup: () => rightsClaim(),
    a: { label: 'provider withdraws the data', send: (c) => decide(c.taskId, provider, { action: 'withdraw' }) },
    b: { label: 'colleague keeps it open', send: (c) => decide(c.taskId, provider2, { action: 'keep_open', reason: '数据已脱敏' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      const [won, lost] = final.status === 'withdrawn_data' ? [a, b!] : [b!, a];
      expect(ok(won).status).toBe(final.status);
      refused(lost, ['task_not_open'], final);
      expect(final.history.filter((e: Json) => e.event === 'task_decided')).toHaveLength(1);
      await ended(c.caseId, final.status);
    },
  }),
  row<P6>({
    process: 'P6 rights claim',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and the measure: the measure is refused as the task is taken, or the claim meets a decided task",
    setup: () => rightsClaim(),
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider keeps it open', send: (c) => decide(c.taskId, provider, { action: 'keep_open', reason: '数据已脱敏' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        refused(b!, ['task_claimed'], final);
        ok(await decide(c.taskId, provider2, { action: 'keep_open', reason: '数据已脱敏' }));
      } else {
        expect(ok(b!).status).toBe('kept_open');
        refused(a, ['task_not_open'], final);
      }
      await ended(c.caseId, 'kept_open');
    },
  }),
  row<P6 & { grantCase: string }>({
    process: 'P6 rights claim',
    kind: 'decision × case action',
    behaviour: "the data's withdrawal and the lifting of a breach restriction on an open-data grant: lifted then suspended again, or the lifting is refused — access ends suspended either way",
    leads: [0, ON_ANSWER],
    async setup() {
      const ds = await openData();
      const grantCase = await active(ds);
      ok(await act(grantCase.caseId, 'report-breach', provider, { measure: 'restrict', description: '超出约定范围调用', basis: '协议第二条' }));
      return { ...(await rightsClaim(ds)), grantCase: grantCase.caseId };
    },
    a: { label: 'provider withdraws the data', send: (c) => decide(c.taskId, provider, { action: 'withdraw' }) },
    b: { label: 'operations lift the restriction', send: (c) => act(c.grantCase, 'lift-restriction', operations, { reason: '已整改' }) },
    async check(c, a, b) {
      expect(ok(a)).toMatchObject({ status: 'withdrawn_data', outcome: { suspendedGrants: [`grant-${c.grantCase}`] } });
      await ended(c.caseId, 'withdrawn_data');
      // The open-data case records the withdrawal itself (a signal), after or instead of the lifting.
      const held = await viewWhen(c.grantCase, (v) => !!v.use?.withdrawnBy);
      expect(held).toMatchObject({ status: 'restricted', use: { withdrawnBy: { claimCaseId: c.caseId } }, grants: [{ status: 'suspended' }] });
      if (b!.statusCode === 200) inOrder(held, 'access_restriction_lifted', 'grant_suspended');
      else {
        refused(b!, ['data_withdrawn', 'action_in_progress'], held);
        expect(events(held)).not.toContain('access_restriction_lifted');
      }
      expectError(await act(c.grantCase, 'lift-restriction', operations, { reason: '已整改' }), 409, 'data_withdrawn');
      await revoked(c.grantCase);
    },
  }),
  row<P6 & { grantCase: string }>({
    process: 'P6 rights claim',
    kind: 'decision × case action',
    behaviour:
      "the data's withdrawal and the last signature of an open-data agreement on the same data: whichever comes first, no open-data grant on withdrawn data stays active",
    leads: [-60, ON_ANSWER],
    // Across two cases, so no case's mailbox orders them: the withdrawal is a catalog fact (issue
    // 15) that reaches every unfinished open-data case on the data, and signing checks it.
    async setup() {
      const ds = await openData();
      const app = await application(ds);
      ok(await decide(app.taskId, provider, APPROVAL));
      ok(await act(app.caseId, 'sign-agreement', applicant));
      return { ...(await rightsClaim(ds)), grantCase: app.caseId };
    },
    a: { label: 'provider withdraws the data', send: (c) => decide(c.taskId, provider, { action: 'withdraw' }) },
    b: { label: 'the provider signs the agreement', send: (c) => act(c.grantCase, 'sign-agreement', provider) },
    async check(c, a, b) {
      expect(ok(a).status).toBe('withdrawn_data');
      await ended(c.caseId, 'withdrawn_data');
      if (b!.statusCode !== 200) {
        // The application had already ended on withdrawn data: the signature is refused.
        expectError(b!, 409);
      }
      // Either access never opened (the application ends, closed on withdrawn data), or it opened
      // first and the withdrawal then suspended it (sz-open-2023:38, js-2020:36).
      const held = await viewWhen(c.grantCase, (v) => v.status === 'closed' || v.grants?.[0]?.status === 'suspended');
      if (held.status === 'closed') {
        expect(held).toMatchObject({ grants: [], outcome: { basis: 'data_withdrawn' } });
        return;
      }
      expect(held.grants, `open-data grant ${held.grants[0]?.id} on data withdrawn by ${c.caseId}`).toMatchObject([{ status: 'suspended' }]);
      expect(held).toMatchObject({ status: 'restricted', use: { withdrawnBy: { claimCaseId: c.caseId } } });
      await revoked(c.grantCase);
    },
  }),
];

pairTable(P6_ROWS);
