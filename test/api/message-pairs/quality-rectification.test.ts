// One message at a time per case (API-2.md "Integrity"): the pair table of P5 quality rectifications — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { expectError } from '../../fixtures/errors';
import { Json, P5, REPORTS, act, competent, competent2, decide, ended, ok, pairTable, post, provider, provider2, rectification, rectified, refused, row, taskOf, view } from '../../fixtures/message-pairs';

const P5_ROWS = [
  row<P5>({
    process: 'P5 quality rectification',
    kind: 'decision × decision',
    behaviour: "two providers submit different reports at once: one report is recorded, and the issuer's re-check closes the case",
    setup: rectification,
    a: { label: 'provider submits', send: (c) => decide(c.taskId, provider, { action: 'submit', ...REPORTS }) },
    b: { label: 'colleague submits', send: (c) => decide(c.taskId, provider2, { action: 'submit', finding1: '格式已统一', finding2: '重复记录已删除' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      const submitted = final.history.filter((e: Json) => e.event === 'rectification_submitted');
      expect(submitted).toHaveLength(1);
      const [won, lost, by] = submitted[0].actor === provider.id ? [a, b!, provider] : [b!, a, provider2];
      expect(submitted[0].actor).toBe(by.id);
      expect(ok(won).status).toBe('submitted');
      refused(lost, ['task_not_open'], final);
      await rectified(c.caseId);
    },
  }),
  row<P5>({
    process: 'P5 quality rectification',
    kind: 'decision × decision',
    behaviour: "two officials of the issuing department close and reopen the re-check at once: closed, or a new round that then closes",
    async setup() {
      const c = await rectification();
      ok(await decide(c.taskId, provider, { action: 'submit', ...REPORTS }));
      return { caseId: c.caseId, taskId: await taskOf(c.caseId, 'recheck') };
    },
    a: { label: 'the issuer closes', send: (c) => decide(c.taskId, competent, { action: 'close' }) },
    b: { label: 'a colleague reopens', send: (c) => decide(c.taskId, competent2, { action: 'reopen', reason: '重复记录仍有 3 条' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'closed') {
        expect(ok(a).status).toBe('closed');
        refused(b!, ['task_not_open'], final);
        await ended(c.caseId, 'closed');
      } else {
        expect(ok(b!).status).toBe('open');
        refused(a, ['task_not_open'], final);
        ok(await decide(await taskOf(c.caseId, 'rectification'), provider, { action: 'submit', ...REPORTS }));
        await rectified(c.caseId);
      }
    },
  }),
  row<P5>({
    process: 'P5 quality rectification',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and a submission: the submission is refused as the task is taken, or the claim meets a submitted task",
    setup: rectification,
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider submits', send: (c) => decide(c.taskId, provider, { action: 'submit', ...REPORTS }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        refused(b!, ['task_claimed'], final);
        ok(await decide(c.taskId, provider2, { action: 'submit', ...REPORTS }));
      } else {
        expect(ok(b!).status).toBe('submitted');
        refused(a, ['task_not_open'], final);
      }
      await rectified(c.caseId);
    },
  }),
  row<P5>({
    process: 'P5 quality rectification',
    kind: 'decision × case action',
    behaviour: 'a case action, which this process does not offer, sent with a submission: refused 422 whatever it meets; the submission applies',
    setup: rectification,
    a: { label: 'provider submits', send: (c) => decide(c.taskId, provider, { action: 'submit', ...REPORTS }) },
    b: { label: 'the issuer tries to withdraw', send: (c) => act(c.caseId, 'withdraw', competent) },
    async check(c, a, b) {
      expect(ok(a).status).toBe('submitted');
      expectError(b!, 422, 'action_not_offered');
      await rectified(c.caseId);
    },
  }),
];

pairTable(P5_ROWS);
