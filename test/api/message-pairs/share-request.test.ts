// One message at a time per case (API-2.md "Integrity"): the pair table of P1 share requests — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { BASIS, Json, ONCE, P1, THREE, competent, decide, disposed, ended, events, inOrder, ok, pairTable, post, provider, provider2, refused, registered, review, row, shareRequest, taskOf, view, viewWhen, withdrawShare } from '../../fixtures/message-pairs';

const P1_ROWS = [
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × decision',
    behaviour: 'two providers approve and refuse the same review: one decision stands, the case is granted (then disposed) or rejected',
    leads: THREE,
    setup: review,
    a: { label: 'provider approves', send: (c) => decide(c.taskId, provider, { action: 'approve' }) },
    b: { label: 'colleague refuses', send: (c) => decide(c.taskId, provider2, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      expect(final.history.filter((e: Json) => e.event === 'task_decided')).toHaveLength(1);
      if (final.status === 'granted') {
        expect(ok(a).status).toBe('granted');
        refused(b!, ['task_not_open'], final);
        expect(final.grants).toMatchObject([{ status: 'active', basis: 'approved' }]);
        await disposed(c.caseId);
      } else {
        expect(ok(b!).status).toBe('rejected');
        refused(a, ['task_not_open'], final);
        expect(final.grants).toEqual([]);
        await ended(c.caseId, 'rejected');
      }
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × case action',
    behaviour: "the provider's approval and the requester's withdrawal: granted and then disposed, or withdrawn with no grant",
    leads: THREE,
    setup: review,
    a: { label: 'provider approves', send: (c) => decide(c.taskId, provider, { action: 'approve' }) },
    b: withdrawShare(),
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'granted') {
        expect(ok(a).status).toBe('granted');
        refused(b!, ['invalid_state'], final);
        await disposed(c.caseId);
      } else {
        expect(ok(b!).status).toBe('withdrawn');
        refused(a, ['task_not_open'], final);
        expect(final.grants).toEqual([]);
        expect(events(final)).not.toContain('task_decided');
        await ended(c.caseId, 'withdrawn');
      }
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × case action',
    behaviour: "the provider's refusal and the requester's withdrawal: rejected or withdrawn, never both",
    setup: review,
    a: { label: 'provider refuses', send: (c) => decide(c.taskId, provider, { action: 'refuse', ...BASIS }) },
    b: withdrawShare(),
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'rejected') {
        expect(ok(a).status).toBe('rejected');
        refused(b!, ['invalid_state'], final);
        expect(events(final)).not.toContain('share_request_withdrawn');
      } else {
        expect(ok(b!).status).toBe('withdrawn');
        refused(a, ['task_not_open'], final);
        expect(events(final)).not.toContain('share_request_rejected');
      }
      await ended(c.caseId, final.status);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × case action',
    behaviour: "copy mode: the competent department's consent and the withdrawal — both apply in turn (consent, then withdrawn) or the consent meets a withdrawn case",
    async setup() {
      const c = await shareRequest('conditional', { accessMode: 'copy' });
      return { caseId: c.caseId, taskId: await taskOf(c.caseId, 'copy_consent') };
    },
    a: { label: 'competent consents', send: (c) => decide(c.taskId, competent, { action: 'consent' }) },
    b: withdrawShare(),
    async check(c, a, b) {
      const final = await ended(c.caseId, 'withdrawn');
      expect(ok(b!).status).toBe('withdrawn');
      if (a.statusCode === 200) {
        expect(['pending_review', 'withdrawn']).toContain(a.json().status); // answered once the provider's review was open (or already withdrawn)
        inOrder(final, 'task_decided', 'share_request_withdrawn');
        expect(final.deadlines.map((d: Json) => [d.key, d.state])).toEqual([['copy_consent', 'met'], ['provider_review', 'cancelled']]);
      } else {
        refused(a, ['task_not_open'], final);
        expect(events(final)).not.toContain('task_decided');
      }
      expect(final.grants).toEqual([]);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'case action × case action',
    behaviour: 'two colleagues of the requester agency withdraw at once: one withdrawal, the other meets a withdrawn case',
    setup: review,
    a: withdrawShare(),
    b: withdrawShare(true),
    async check(c, a, b) {
      const final = await ended(c.caseId, 'withdrawn');
      const [won, lost] = a.statusCode === 200 ? [a, b!] : [b!, a];
      expect(ok(won).status).toBe('withdrawn');
      refused(lost, ['invalid_state'], final);
      expect(events(final).filter((e) => e === 'share_request_withdrawn')).toHaveLength(1);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and a decision: the decision is refused as the task is taken, or the claim meets a decided task",
    leads: THREE,
    setup: review,
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider approves', send: (c) => decide(c.taskId, provider, { action: 'approve' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        expect(a.json().claimedBy).toBe(provider2.id);
        refused(b!, ['task_claimed'], final);
        expect(final.status).toBe('pending_review');
        expect(events(final)).toContain('task_claimed');
        ok(await decide(c.taskId, provider2, { action: 'approve' })); // the holder decides
      } else {
        expect(ok(b!).status).toBe('granted');
        refused(a, ['task_not_open'], final);
      }
      await disposed(c.caseId);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'claim × decision',
    behaviour: "the holder releases while a colleague decides: the decision applies after the release, or is refused as still taken",
    leads: [120, -30],
    async setup() {
      const c = await review();
      ok(await post(`/v1/tasks/${c.taskId}/claim`, provider));
      return c;
    },
    a: { label: 'holder releases', send: (c) => post(`/v1/tasks/${c.taskId}/release`, provider) },
    b: { label: 'colleague approves', send: (c) => decide(c.taskId, provider2, { action: 'approve' }) },
    async check(c, a, b) {
      expect(ok(a).claimedBy).toBeNull();
      const final = await view(c.caseId);
      if (b!.statusCode === 200) {
        expect(final.status).toBe('granted');
        inOrder(final, 'task_released', 'task_decided');
      } else {
        refused(b!, ['task_claimed'], final);
        expect(final.status).toBe('pending_review');
        ok(await decide(c.taskId, provider2, { action: 'approve' }));
      }
      await disposed(c.caseId);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × deadline',
    behaviour: 'a refusal of a request whose review period had passed when it was registered: 409 deadline_passed, consent deemed, then disposed',
    leads: ONCE,
    setup: () => registered('conditional'),
    a: { label: 'provider refuses', send: (c) => decide(c.taskId, provider, { action: 'refuse', ...BASIS }) },
    b: { label: 'deemed consent (js-2020:21), due at registration', deadline: true },
    async check(c, a) {
      const final = await viewWhen(c.caseId, (v) => v.status === 'granted');
      refused(a, ['deadline_passed'], final);
      expect(final.outcome).toMatchObject({ basis: 'deemed_consent', citation: 'js-2020:21' });
      expect(events(final)).not.toContain('task_decided');
      await disposed(c.caseId);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'case action × deadline',
    behaviour: 'a withdrawal of a request whose review period had passed when it was registered: it meets the deemed consent (409 invalid_state), then disposal ends it',
    leads: ONCE,
    setup: () => registered('conditional'),
    a: withdrawShare(),
    b: { label: 'deemed consent (js-2020:21), due at registration', deadline: true },
    async check(c, a) {
      const final = await viewWhen(c.caseId, (v) => v.status === 'granted');
      refused(a, ['invalid_state'], final);
      expect(final.outcome).toMatchObject({ basis: 'deemed_consent' });
      await disposed(c.caseId);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'decision × deadline',
    behaviour: 'not-shared data: a late decision meets the escalation and still applies, closing the supervision',
    leads: ONCE,
    setup: () => registered('none'),
    a: { label: 'provider provides desensitised', send: (c) => decide(c.taskId, provider, { action: 'provide_desensitised' }) },
    b: { label: 'escalation (js-2020:49), due at registration', deadline: true },
    async check(c, a) {
      expect(ok(a)).toMatchObject({ status: 'granted', outcome: { basis: 'desensitised' } });
      const final = await view(c.caseId);
      inOrder(final, 'escalated', 'task_decided');
      expect(final.deadlines[0].state).toBe('missed');
      await disposed(c.caseId);
    },
  }),
  row<P1>({
    process: 'P1 share request',
    kind: 'case action × deadline',
    behaviour: 'not-shared data: a withdrawal meets the escalation and still applies, closing the review and the supervision',
    leads: ONCE,
    setup: () => registered('none'),
    a: withdrawShare(),
    b: { label: 'escalation (js-2020:49), due at registration', deadline: true },
    async check(c, a) {
      expect(ok(a).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      inOrder(final, 'escalated', 'share_request_withdrawn');
      expect(final.grants).toEqual([]);
    },
  }),
  row<P1 & { supervision: string }>({
    process: 'P1 share request',
    kind: 'decision × decision',
    behaviour: "after escalation, the competent department's order and the provider's late refusal: the order is recorded first or meets a decided review",
    async setup() {
      const c = await registered('none');
      return { ...c, supervision: await taskOf(c.caseId, 'supervision') };
    },
    a: { label: 'competent orders correction', send: (c) => decide(c.supervision, competent, { action: 'order_correction', workingDays: 5, reason: '限期答复' }) },
    b: { label: 'provider refuses', send: (c) => decide(c.taskId, provider, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      expect(ok(b!).status).toBe('rejected');
      const final = await ended(c.caseId, 'rejected');
      if (a.statusCode === 200) inOrder(final, 'supervision_ordered', 'task_decided');
      else {
        refused(a, ['task_not_open'], final);
        expect(events(final)).not.toContain('supervision_ordered');
      }
    },
  }),
];

pairTable(P1_ROWS);
