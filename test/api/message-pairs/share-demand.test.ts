// One message at a time per case (API-2.md "Integrity"): the pair table of P2 share demands — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { BASIS, Json, ONCE, P2, agreed, competent, datasetOf, decide, delivered, demand, ended, inOrder, ok, openTasks, operations, pairTable, post, provider, provider2, refused, registration, row, taskOf, view, withdrawDemand } from '../../fixtures/message-pairs';

const P2_ROWS = [
  row<P2>({
    process: 'P2 share demand',
    kind: 'decision × decision',
    behaviour: 'two providers agree and refuse at once: one reply stands — delivery follows, or the demand is rejected',
    setup: () => demand(),
    a: { label: 'provider agrees', send: (c) => decide(c.taskId, provider, { action: 'agree' }) },
    b: { label: 'colleague refuses', send: (c) => decide(c.taskId, provider2, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      expect(final.history.filter((e: Json) => e.event === 'task_decided')).toHaveLength(1);
      if (final.status === 'pending_delivery') {
        expect(ok(a).status).toBe('pending_delivery');
        refused(b!, ['task_not_open'], final);
        await delivered(c.caseId);
      } else {
        expect(ok(b!).status).toBe('rejected');
        refused(a, ['task_not_open'], final);
        await ended(c.caseId, 'rejected');
      }
    },
  }),
  row<P2>({
    process: 'P2 share demand',
    kind: 'decision × case action',
    behaviour: 'the reply and the withdrawal: both apply in turn (agreed, then withdrawn before delivery) or the reply meets a withdrawn demand',
    setup: () => demand(),
    a: { label: 'provider agrees', send: (c) => decide(c.taskId, provider, { action: 'agree' }) },
    b: withdrawDemand,
    async check(c, a, b) {
      expect(ok(b!).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      expect(final.grants).toEqual([]);
      if (a.statusCode === 200) {
        expect(['pending_delivery', 'withdrawn']).toContain(a.json().status);
        inOrder(final, 'share_demand_agreed', 'share_demand_withdrawn');
        expect(final.deadlines.map((d: Json) => d.state)).toEqual(['met', 'cancelled']);
      } else {
        refused(a, ['task_not_open'], final);
        expect(final.deadlines.map((d: Json) => d.state)).toEqual(['cancelled']);
      }
    },
  }),
  row<P2>({
    process: 'P2 share demand',
    kind: 'decision × case action',
    behaviour: 'delivery and the withdrawal: delivered with access, or withdrawn with no grant — never a grant on a withdrawn demand',
    setup: agreed,
    a: { label: 'provider delivers', send: async (c) => decide(c.taskId, provider, { action: 'deliver', datasetId: await datasetOf('conditional') }) },
    b: withdrawDemand,
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'delivered') {
        expect(ok(a).status).toBe('delivered');
        refused(b!, ['invalid_state'], final);
        expect(final.grants).toMatchObject([{ status: 'active' }]);
      } else {
        expect(ok(b!).status).toBe('withdrawn');
        refused(a, ['task_not_open'], final);
        expect(final.grants).toEqual([]);
      }
      await ended(c.caseId, final.status);
    },
  }),
  row<P2>({
    process: 'P2 share demand',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and the reply: the reply is refused as the task is taken, or the claim meets an answered task",
    setup: () => demand(),
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider agrees', send: (c) => decide(c.taskId, provider, { action: 'agree' }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        refused(b!, ['task_claimed'], final);
        expect(final.status).toBe('pending_response');
        ok(await decide(c.taskId, provider2, { action: 'agree' }));
      } else {
        expect(ok(b!).status).toBe('pending_delivery');
        refused(a, ['task_not_open'], final);
      }
      await delivered(c.caseId);
    },
  }),
  row<P2>({
    process: 'P2 share demand',
    kind: 'case action × deadline',
    behaviour: 'a withdrawal of a demand whose reply was overdue when registered: it follows the escalation, and closes the supervision too',
    leads: ONCE,
    setup: () => demand(registration(), operations),
    a: withdrawDemand,
    b: { label: 'escalation (js-2020:49), due at registration', deadline: true },
    async check(c, a) {
      expect(ok(a).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      inOrder(final, 'escalated', 'share_demand_withdrawn');
    },
  }),
  row<P2>({
    process: 'P2 share demand',
    kind: 'decision × deadline',
    behaviour: 'a late agreement to a demand registered overdue: it follows the escalation, ends the supervision, and delivery follows',
    leads: ONCE,
    setup: () => demand(registration(), operations),
    a: { label: 'provider agrees', send: (c) => decide(c.taskId, provider, { action: 'agree' }) },
    b: { label: 'escalation (js-2020:49), due at registration', deadline: true },
    async check(c, a) {
      expect(ok(a).status).toBe('pending_delivery');
      const final = await view(c.caseId);
      inOrder(final, 'escalated', 'task_decided');
      expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual(['delivery']);
      await delivered(c.caseId);
    },
  }),
  row<P2 & { supervision: string }>({
    process: 'P2 share demand',
    kind: 'decision × decision',
    behaviour: "after escalation, the competent department's order and the provider's late refusal: the order is recorded first or meets an answered demand",
    async setup() {
      const c = await demand(registration(), operations);
      return { ...c, supervision: await taskOf(c.caseId, 'supervision') };
    },
    a: { label: 'competent orders correction', send: (c) => decide(c.supervision, competent, { action: 'order_correction', workingDays: 5, reason: '限期答复' }) },
    b: { label: 'provider refuses', send: (c) => decide(c.taskId, provider, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      expect(ok(b!).status).toBe('rejected');
      const final = await ended(c.caseId, 'rejected');
      if (a.statusCode === 200) inOrder(final, 'supervision_ordered', 'task_decided');
      else refused(a, ['task_not_open'], final);
    },
  }),
];

pairTable(P2_ROWS);
