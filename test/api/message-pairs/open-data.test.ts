// One message at a time per case (API-2.md "Integrity"): the pair table of P3 open-data applications and out-of-catalog requests — every pair of
// messages that can meet on one case, sent together round after round (test/fixtures/message-pairs.ts).
import { expect } from 'vitest';
import { APPROVAL, BASIS, BREACH, EVALUATED, EXPERTS, Json, P3, act, active, applicant, application, approved, decide, ended, events, experts, inOrder, notAccepted, ok, operations, outOfCatalog, pairTable, post, provider, provider2, refused, revoked, row, taskOf, view, withdrawApplication } from '../../fixtures/message-pairs';

const P3_ROWS = [
  row<P3>({
    process: 'P3 open data',
    kind: 'decision × decision',
    behaviour: 'two providers approve and refuse an application at once: one review stands — the agreement follows, or it is rejected',
    setup: () => application(),
    a: { label: 'provider approves', send: (c) => decide(c.taskId, provider, APPROVAL) },
    b: { label: 'colleague refuses', send: (c) => decide(c.taskId, provider2, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      expect(final.history.filter((e: Json) => e.event === 'task_decided')).toHaveLength(1);
      if (final.status === 'pending_agreement') {
        expect(ok(a).status).toBe('pending_agreement');
        refused(b!, ['task_not_open'], final);
        ok(await act(c.caseId, 'sign-agreement', applicant));
        expect(ok(await act(c.caseId, 'sign-agreement', provider)).grants).toMatchObject([{ status: 'active' }]);
        await revoked(c.caseId);
      } else {
        expect(ok(b!).status).toBe('rejected');
        refused(a, ['task_not_open'], final);
        await ended(c.caseId, 'rejected');
      }
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'decision × case action',
    behaviour: 'the review and the withdrawal: both apply in turn (approved, then withdrawn before any agreement is signed) or the review meets a withdrawn application',
    setup: () => application(),
    a: { label: 'provider approves', send: (c) => decide(c.taskId, provider, APPROVAL) },
    b: withdrawApplication,
    async check(c, a, b) {
      expect(ok(b!).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      expect(final.grants).toEqual([]);
      if (a.statusCode === 200) {
        expect(['pending_agreement', 'withdrawn']).toContain(a.json().status);
        expect(a.json().agreement).toMatchObject({ status: 'pending_signatures', signatures: [] });
        inOrder(final, 'agreement_drafted', 'application_withdrawn');
        expect(final.outcome).toMatchObject({ stage: 'pending_agreement' });
      } else {
        refused(a, ['task_not_open'], final);
        expect(final.outcome).toMatchObject({ stage: 'pending_review' });
      }
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'claim × decision',
    behaviour: "a colleague's claim and the review: the review is refused as the task is taken, or the claim meets a reviewed application",
    setup: () => application(),
    a: { label: 'colleague claims', send: (c) => post(`/v1/tasks/${c.taskId}/claim`, provider2) },
    b: { label: 'provider approves', send: (c) => decide(c.taskId, provider, APPROVAL) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (a.statusCode === 200) {
        refused(b!, ['task_claimed'], final);
        expect(final.status).toBe('pending_review');
        ok(await decide(c.taskId, provider2, APPROVAL));
      } else {
        expect(ok(b!).status).toBe('pending_agreement');
        refused(a, ['task_not_open'], final);
      }
      ok(await act(c.caseId, 'withdraw', applicant));
      await ended(c.caseId, 'withdrawn');
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'case action × case action',
    behaviour: 'the two signatures of the data-use agreement arrive together: both are recorded and access opens once',
    setup: approved,
    a: { label: 'the applicant signs', send: (c) => act(c.caseId, 'sign-agreement', applicant) },
    b: { label: 'the provider signs', send: (c) => act(c.caseId, 'sign-agreement', provider) },
    async check(c, a, b) {
      const answers = [ok(a), ok(b!)].map((x) => x.status);
      expect(answers).toContain('active'); // the second signature opened access (the first answer may show it too)
      for (const x of answers) expect(['pending_agreement', 'active']).toContain(x);
      const final = await view(c.caseId);
      expect(final).toMatchObject({ status: 'active', agreement: { status: 'signed' }, grants: [{ status: 'active' }] });
      expect(final.agreement.signatures.map((x: Json) => x.party).sort()).toEqual(['applicant', 'provider']);
      expect(events(final).filter((e) => e === 'access_granted')).toHaveLength(1);
      await revoked(c.caseId);
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'case action × case action',
    behaviour: "the provider's signature (the applicant signed before) and the applicant's withdrawal: access opens, or the application is withdrawn and nothing is granted",
    async setup() {
      const c = await approved();
      ok(await act(c.caseId, 'sign-agreement', applicant));
      return c;
    },
    a: { label: 'the provider signs', send: (c) => act(c.caseId, 'sign-agreement', provider) },
    b: withdrawApplication,
    async check(c, a, b) {
      const final = await view(c.caseId);
      if (final.status === 'active') {
        expect(ok(a).status).toBe('active');
        refused(b!, ['invalid_state'], final);
        expect(final.grants).toMatchObject([{ status: 'active' }]);
        await revoked(c.caseId);
      } else {
        expect(ok(b!).status).toBe('withdrawn');
        refused(a, ['invalid_state'], final);
        expect(final.grants).toEqual([]);
        expect(final.agreement.signatures).toHaveLength(1);
        await ended(c.caseId, 'withdrawn');
      }
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'case action × case action',
    behaviour: "result materials and a breach that closes access: both recorded in turn, or the submission meets closed access; the grant ends revoked",
    setup: () => active(),
    a: { label: 'the applicant submits results', send: (c) => act(c.caseId, 'submit-results', applicant, { description: '研究报告', materials: ['report.pdf'] }) },
    b: { label: 'the provider closes access', send: (c) => act(c.caseId, 'report-breach', provider, { measure: 'close', ...BREACH }) },
    async check(c, a, b) {
      expect(ok(b!).status).toBe('revoked');
      const final = await ended(c.caseId, 'revoked');
      expect(final.grants).toMatchObject([{ status: 'revoked' }]);
      if (a.statusCode === 200) {
        expect(a.json().use.results).toHaveLength(1);
        inOrder(final, 'result_materials_submitted', 'access_closed');
        expect(final.use.results).toHaveLength(1);
      } else {
        refused(a, ['invalid_state'], final);
        expect(final.use.results).toEqual([]);
      }
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'case action × case action',
    behaviour: 'a restriction and its lifting sent together: restricted then lifted, or the lifting meets active access and is refused',
    setup: () => active(),
    a: { label: 'the provider restricts access', send: (c) => act(c.caseId, 'report-breach', provider, { measure: 'restrict', description: '超出约定范围调用', basis: '协议第二条' }) },
    b: { label: 'operations lift the restriction', send: (c) => act(c.caseId, 'lift-restriction', operations, { reason: '已整改' }) },
    async check(c, a, b) {
      expect(['restricted', 'active']).toContain(ok(a).status);
      const final = await view(c.caseId);
      if (b!.statusCode === 200) {
        expect(final).toMatchObject({ status: 'active', grants: [{ status: 'active' }] });
        inOrder(final, 'access_restricted', 'access_restriction_lifted');
      } else {
        refused(b!, ['invalid_state'], final);
        expect(final).toMatchObject({ status: 'restricted', grants: [{ status: 'suspended' }] });
      }
      await revoked(c.caseId);
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'case action × case action',
    behaviour: 'a supplement of a not-accepted application and its withdrawal: resubmitted then withdrawn, or the supplement meets a withdrawn application',
    setup: notAccepted,
    a: { label: 'the applicant supplements', send: (c) => act(c.caseId, 'supplement', applicant, { resultForm: '研究报告及线路优化方案', note: '已按告知补正' }) },
    b: withdrawApplication,
    async check(c, a, b) {
      expect(ok(b!).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      if (a.statusCode === 200) {
        expect(['pending_acceptance', 'withdrawn']).toContain(a.json().status);
        inOrder(final, 'application_supplemented', 'application_withdrawn');
      } else {
        refused(a, ['invalid_state'], final);
        expect(events(final)).not.toContain('application_supplemented');
      }
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'decision × decision',
    behaviour: 'out of catalog: two providers answer and refuse at once: one answer stands',
    setup: outOfCatalog,
    a: { label: 'provider answers', send: (c) => decide(c.taskId, provider, EVALUATED) },
    b: { label: 'colleague refuses', send: (c) => decide(c.taskId, provider2, { action: 'refuse', ...BASIS }) },
    async check(c, a, b) {
      const final = await view(c.caseId);
      const [won, lost] = final.status === 'answered' ? [a, b!] : [b!, a];
      expect(ok(won).status).toBe(final.status);
      refused(lost, ['task_not_open'], final);
      expect(final.history.filter((e: Json) => e.event === 'task_decided')).toHaveLength(1);
      await ended(c.caseId, final.status);
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'decision × case action',
    behaviour: 'out of catalog: asking the experts and the withdrawal — both apply in turn (the expert task then closes) or the question meets a withdrawn request',
    setup: outOfCatalog,
    a: { label: 'provider asks the experts', send: (c) => decide(c.taskId, provider, EXPERTS) },
    b: withdrawApplication,
    async check(c, a, b) {
      expect(ok(b!).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      if (a.statusCode === 200) {
        expect(['pending_expert_opinion', 'withdrawn']).toContain(a.json().status);
        inOrder(final, 'expert_opinion_requested', 'out_of_catalog_request_withdrawn');
      } else refused(a, ['task_not_open'], final);
    },
  }),
  row<P3>({
    process: 'P3 open data',
    kind: 'decision × case action',
    behaviour: "out of catalog: the experts' opinion and the withdrawal — both apply in turn or the opinion meets a withdrawn request",
    async setup() {
      const c = await outOfCatalog();
      ok(await decide(c.taskId, provider, EXPERTS));
      return { caseId: c.caseId, taskId: await taskOf(c.caseId, 'expert_opinion') };
    },
    a: { label: 'the experts give their opinion', send: (c) => decide(c.taskId, experts, { action: 'give_opinion', opinion: '汇总粒度不低于500人时可开放' }) },
    b: withdrawApplication,
    async check(c, a, b) {
      expect(ok(b!).status).toBe('withdrawn');
      const final = await ended(c.caseId, 'withdrawn');
      if (a.statusCode === 200) inOrder(final, 'expert_opinion_given', 'out_of_catalog_request_withdrawn');
      else refused(a, ['task_not_open'], final);
    },
  }),
];

pairTable(P3_ROWS);
