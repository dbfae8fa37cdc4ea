// One message at a time per case (API-2.md "Integrity"): the pair table of P4 objections — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { CORRECT, Json, P4, REJECT, act, answeredObjection, askForMore, competent, competent2, confirmed, decide, ended, events, inOrder, objection, ok, openTasks, pairTable, post, provider, provider2, refused, reporter, row, taskOf, view } from '../../fixtures/message-pairs';

const P4_ROWS = [
  row<P4>({
    process: 'P4 objection',
    kind: 'decision × decision',
    behaviour: 'two providers correct and reject at once: one answer goes to the reporter, who confirms it',
    setup: objection,
    a: { label: 'provider corrects', send: (c) => decide(c.taskId, provider, CORRECT) },
    b: { label: 'colleague rejects', send: (c) => decide(c.taskId, provider2, REJECT) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      expect(final.status).toBe('resolved');
      const answers = final.history.filter((e: Json) => e.event === 'feedback_to_reporter');
      expect(answers).toHaveLength(1);
      const [won, lost] = answers[0].detail.answer === 'corrected' ? [a, b!] : [b!, a];
      expect(ok(won).status).toBe('resolved');
      refused(lost, ['task_not_open'], final);
      await confirmed(c.caseId);
    },
  }),
  row<P4>({
    process: 'P4 objection',
    kind: 'decision × case action',
    behaviour: "the provider's answer and its own request for more time: the request lapses with the answer, or meets an answered objection",
    setup: objection,
    a: { label: 'provider corrects', send: (c) => decide(c.taskId, provider, CORRECT) },
    b: askForMore,
    async check(c, a, b) {
      expect(ok(a).status).toBe('resolved');
      const final = await view(c.caseId);
      expect(final.status).toBe('resolved');
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual([]); // no review left waiting
      if (b!.statusCode === 200) {
        expect(['extension_requested', 'resolved']).toContain(b!.json().status);
        inOrder(final, 'extension_requested', 'extension_request_lapsed');
      } else {
        refused(b!, ['invalid_state'], final);
        expect(events(final)).not.toContain('extension_requested');
      }
      expect(final.deadlines).toHaveLength(1);
      expect(final.deadlines[0]).toMatchObject({ workingDays: 5, state: 'met' });
      await confirmed(c.caseId);
    },
  }),
  row<P4 & { review: string }>({
    process: 'P4 objection',
    kind: 'decision × decision',
    behaviour: "the competent department's approval of more time and the provider's answer: the period moves and then the answer is recorded, or the approval meets an answered objection",
    async setup() {
      const c = await objection();
      expect(ok(await askForMore.send(c)).status).toBe('extension_requested');
      return { ...c, review: await taskOf(c.caseId, 'extension_review') };
    },
    a: { label: 'competent approves 15 working days', send: (c) => decide(c.review, competent, { action: 'approve', workingDays: 15 }) },
    b: { label: 'provider corrects', send: (c) => decide(c.taskId, provider, CORRECT) },
    async check(c, a, b) {
      expect(ok(b!).status).toBe('resolved');
      const final = await view(c.caseId);
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual([]);
      if (a.statusCode === 200) {
        expect(['open', 'resolved']).toContain(a.json().status);
        expect(a.json().deadlines[0].workingDays).toBe(15);
        inOrder(final, 'extension_approved', 'data_corrected');
        expect(final.deadlines[0]).toMatchObject({ workingDays: 15, state: 'met' });
      } else {
        refused(a, ['task_not_open'], final);
        expect(events(final)).toContain('extension_request_lapsed');
        expect(final.deadlines[0]).toMatchObject({ workingDays: 5, state: 'met' });
      }
      await confirmed(c.caseId);
    },
  }),
  row<P4>({
    process: 'P4 objection',
    kind: 'case action × case action',
    behaviour: 'the reporter confirms and disputes at once: confirmed, or the answer goes back to the provider and the loop ends confirmed',
    setup: answeredObjection,
    a: { label: 'the reporter confirms', send: (c) => act(c.caseId, 'confirm', reporter) },
    b: { label: 'the reporter disputes', send: (c) => act(c.caseId, 'dispute', reporter, { reason: '营业执照上的地址已变更' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'confirmed') {
        expect(ok(a).status).toBe('confirmed');
        refused(b!, ['invalid_state'], final);
        await ended(c.caseId, 'confirmed');
      } else {
        expect(ok(b!).status).toBe('open');
        refused(a, ['invalid_state'], final);
        expect(events(final)).not.toContain('objection_confirmed');
        ok(await decide(await taskOf(c.caseId, 'correction'), provider, CORRECT));
        await confirmed(c.caseId);
      }
    },
  }),
  row<P4>({
    process: 'P4 objection',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and the answer: the answer is refused as the task is taken, or the claim meets an answered objection",
    setup: objection,
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider corrects', send: (c) => decide(c.taskId, provider, CORRECT) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        refused(b!, ['task_claimed'], final);
        expect(final.status).toBe('open');
        ok(await decide(c.taskId, provider2, CORRECT));
      } else {
        expect(ok(b!).status).toBe('resolved');
        refused(a, ['task_not_open'], final);
      }
      await confirmed(c.caseId);
    },
  }),
  row<P4>({
    process: 'P4 objection',
    kind: 'decision × decision',
    behaviour: 'a second dispute: two officials of the competent department uphold and order a correction at once — closed either way, once',
    async setup() {
      const c = await answeredObjection();
      ok(await act(c.caseId, 'dispute', reporter, { reason: '不对' }));
      ok(await decide(await taskOf(c.caseId, 'correction'), provider, REJECT));
      expect(ok(await act(c.caseId, 'dispute', reporter, { reason: '还是不对' })).status).toBe('disputed');
      return { caseId: c.caseId, taskId: await taskOf(c.caseId, 'dispute_determination') };
    },
    a: { label: 'competent upholds', send: (c) => decide(c.taskId, competent, { action: 'uphold', reason: '答复有据' }) },
    b: { label: 'colleague orders correction', send: (c) => decide(c.taskId, competent2, { action: 'order_correction', instruction: '按登记信息更正' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'closed') {
        expect(ok(a).status).toBe('closed');
        refused(b!, ['task_not_open'], final);
        expect(final.outcome).toMatchObject({ basis: 'answer_upheld' });
      } else {
        expect(ok(b!).status).toBe('open');
        refused(a, ['task_not_open'], final);
        expect(ok(await decide(await taskOf(c.caseId, 'ordered_correction'), provider, CORRECT)).outcome).toMatchObject({ basis: 'corrected_as_ordered' });
      }
      await ended(c.caseId, 'closed');
    },
  }),
];

pairTable(P4_ROWS);
