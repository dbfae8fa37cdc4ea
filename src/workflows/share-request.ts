// P1 share request 共享申请. One workflow per case (workflow id = caseId); the law's branching is
// in src/domain/share-request.ts, waiting and deadlines in kernel/task-kernel.ts.
import { patched } from '@temporalio/workflow';
import { endOfShanghaiDay } from '../domain/calendar/dates';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { reviewOutcome, shareActionRefusal, sharePlan, shareRequestView, type ReviewStep, type ShareRequestInput } from '../domain/share-request';
import type { Assignee } from '../domain/tasks';
import type { GrantDraft } from '../domain/transition';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, continueAsNewDue, continueAsNewIfDue, openCase, type CaseInput } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskResult } from './kernel/task-kernel';

/** What a granted share request carries into a continued run (kernel/case-shell.ts continueAsNewIfLong). */
interface Granted {
  grant: GrantDraft;
  grantBasis: { basis: string; citation: string };
  expired: boolean;
}

export const shareRequest = caseWorkflow(async (input: CaseInput<ShareRequestInput, Granted>): Promise<CaseView> => {
  const resumed = input.carried?.process;
  let action: CaseActionInput | null = null;
  const requesterAgency = input.requester.agencyId;
  const { record, kernel } = openCase(input, shareRequestView(input), {
    refusal: (a) => shareActionRefusal(a, { status: record.view.status, requesterAgencyId: requesterAgency, pending: action !== null }),
    accept: (a) => {
      action = a;
    },
  });

  const plan = sharePlan(input.dataset, input.request, input.policy);
  const submitted: AuditEvent = {
    actor: input.receivedVia === 'registered' ? input.registeredBy ?? input.createdBy : input.requester.principalId,
    event: input.receivedVia === 'registered' ? 'share_request_registered' : 'share_request_submitted',
    detail: { datasetId: input.dataset.id, accessMode: input.request.accessMode, purpose: input.request.purpose, receivedAt: input.receivedAt, channel: input.channel ?? 'api' },
    citation: 'js-2020:20',
  };
  const withdrawn = () => action?.action === 'withdraw';

  const assigneeOf = (step: ReviewStep): Assignee =>
    step.decidedBy === 'provider'
      ? { agencyId: input.dataset.providerAgencyId, role: 'provider', jurisdiction: input.jurisdiction }
      : { agencyId: null, role: step.decidedBy, jurisdiction: input.jurisdiction };

  const grantId = `grant-${input.caseId}`;
  const validTo = input.request.accessUntil ? endOfShanghaiDay(input.request.accessUntil) : null;
  const recorded: AuditEvent[] = plan.recordFirst
    ? [{ actor: `operations@${input.jurisdiction}`, event: 'share_request_recorded', detail: { note: 'recorded (备案) by the operations agency before access is opened' }, citation: plan.grantCitation }]
    : [];
  type Basis = { basis: string; citation: string };
  let grant: GrantDraft | null = null;
  /** Access opens (js-2020:21): the grant, its scope and expiry, recorded with the case. */
  const opening = (b: Basis, events: AuditEvent[]): Change => {
    grant = {
      id: grantId,
      datasetId: input.dataset.id,
      granteeAgencyId: requesterAgency,
      granteePrincipalId: null,
      mode: input.request.accessMode,
      scope: {
        fields: input.request.fields?.length ? input.request.fields : input.dataset.fields,
        purpose: input.request.purpose,
        desensitised: b.basis === 'desensitised',
        onwardSharing: 'prohibited (sip-2021:39(6), cm-draft:18)',
      },
      basis: b.basis,
      citation: b.citation,
      status: 'active',
      validFrom: new Date().toISOString(),
      validTo,
    };
    return {
      status: 'granted',
      outcome: { ...b, grantId },
      events: [...events, ...recorded, { actor: SYSTEM_ACTOR, event: 'access_granted', detail: { grantId, basis: b.basis, mode: input.request.accessMode }, citation: b.citation }],
      grants: [grant],
    };
  };
  let grantBasis: Basis = { basis: 'unconditional', citation: plan.grantCitation };
  const steps: [ReviewStep, string][] = [];
  if (plan.copyConsent) steps.push([plan.copyConsent, 'pending_consent']);
  if (plan.review) steps.push([plan.review, 'pending_review']);
  const last = steps[steps.length - 1]?.[0];

  // One review: returns the outcome, or null when the request was withdrawn meanwhile.
  type Outcome = ReturnType<typeof reviewOutcome>;
  const review = async (step: ReviewStep, status: string, from: string, events: AuditEvent[]): Promise<Outcome | null> => {
    const box: { outcome?: Outcome } = {};
    const res = await kernel.awaitTask(
      {
        kind: step.rule.key,
        assignee: assigneeOf(step),
        actions: step.rule.actions ?? ['approve', 'refuse'],
        requiredFields: step.rule.requiredFields ?? { refuse: ['legalBasis'] },
        citation: step.rule.citation,
        status,
        events,
        deadline: { from, workingDays: step.rule.workingDays!, onMissed: step.rule.onMissed ?? 'escalate', citation: step.rule.citation },
      },
      (r: TaskResult) => {
        const outcome = (box.outcome = reviewOutcome(step, r));
        if (outcome.granted) {
          // The last review's consent opens access in the same transition as the decision
          // (earlier histories granted in a transition of its own).
          if (step === last && patched('grant-with-decision')) return opening(step === plan.copyConsent ? grantBasis : { basis: outcome.basis, citation: outcome.citation }, []);
          return { events: [] };
        }
        return {
          status: 'rejected',
          outcome: { basis: 'refused', citation: outcome.citation, legalBasis: outcome.legalBasis, reason: outcome.reason, stage: step.rule.key },
          events: [{ actor: SYSTEM_ACTOR, event: 'share_request_rejected', detail: { stage: step.rule.key, legalBasis: outcome.legalBasis }, citation: outcome.citation }],
        };
      },
      withdrawn,
    );
    return res ? box.outcome! : null;
  };

  if (resumed) {
    // A continued run of a granted case: access is open, only disposal (and expiry) remain.
    grant = resumed.grant;
    grantBasis = resumed.grantBasis;
  } else {
    let pendingEvents: AuditEvent[] = [submitted];
    let from = input.receivedAt;
    for (const [step, status] of steps) {
      const outcome = await review(step, status, from, pendingEvents);
      pendingEvents = [];
      if (!outcome) {
        await kernel.closeAll('withdrawn', {
          status: 'withdrawn',
          outcome: { basis: 'withdrawn', citation: 'js-2020:20' },
          events: [{ actor: action!.caller.principalId, event: 'share_request_withdrawn', detail: { reason: action!.fields.reason ?? null } }],
        });
        kernel.finish();
        return record.view;
      }
      if (!outcome.granted) {
        kernel.finish();
        return record.view;
      }
      if (step !== plan.copyConsent) grantBasis = { basis: outcome.basis, citation: outcome.citation };
      // The provider receives the request once the competent department has consented to copying.
      from = new Date().toISOString();
    }

    if (!grant) await record.commit(opening(grantBasis, pendingEvents)); // unconditional, or an older history
  }
  const granted: GrantDraft = grant!;

  // cm-draft:19 — when the purpose is achieved or no longer necessary, the requester disposes of
  // the data as the provider requires and confirms it; the grant ends with it.
  const disposing = () => action?.action === 'dispose';
  // The grant ends at 24:00 (Shanghai) of its last day, by a durable timer; the data must still
  // be disposed of and confirmed. A long-lived grant continues as new when its history grows
  // (every message, even a refused one, adds to it).
  let expired = resumed?.expired ?? false;
  while (!disposing()) {
    await continueAsNewIfDue(input, () => ({ grant: granted, grantBasis, expired }));
    const untilExpiry = validTo && !expired && patched('grant-expiry') ? Math.max(1, Date.parse(validTo) - Date.now()) : undefined;
    const woke = await kernel.wait(() => disposing() || continueAsNewDue(), untilExpiry);
    if (!woke) {
      expired = true;
      await record.commit({
        events: [{ actor: SYSTEM_ACTOR, event: 'access_expired', detail: { grantId, validTo }, citation: grantBasis.citation }],
        grants: [{ ...granted, status: 'expired' }],
      });
    }
  }
  const d = action!;
  await record.commit({
    status: 'disposed',
    events: [{ actor: d.caller.principalId, event: 'data_disposed', detail: { method: d.fields.method ?? null, note: d.fields.note ?? null }, citation: 'cm-draft:19' }],
    grants: [{ ...granted, status: 'revoked', validTo: new Date().toISOString() }],
  });
  kernel.finish();
  return record.view;
});
