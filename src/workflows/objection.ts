// P4 objection and correction 异议与纠错. One workflow per case (workflow id = caseId); the law's
// rules are in src/domain/objection.ts, waiting, deadlines and escalation in kernel/task-kernel.ts.
import { ApplicationFailure } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  answerOf,
  CORRECTION_TASK,
  DETERMINATION_TASK,
  DISPUTE_CITATION,
  EXTENSION_REVIEW_TASK,
  extensionTotalRefusal,
  objectionActionRefusal,
  objectionPlan,
  objectionView,
  ORDER_CITATION,
  ORDERED_CORRECTION_TASK,
  type Answer,
  type ObjectionInput,
  type ObjectionPlan,
} from '../domain/objection';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskKernel, TaskResult } from './kernel/task-kernel';

export const objection = caseWorkflow(async (input: ObjectionInput): Promise<CaseView> => {
  // A provider's request for more time, and the reporter's confirmation or dispute, each waiting
  // to be taken up by the step that answers it.
  let extension: CaseActionInput | null = null;
  let reply: CaseActionInput | null = null;
  let reviewOpen = false;
  const { record, kernel } = openCase(input, objectionView(input), {
    refusal: (a) => {
      const t = period();
      return objectionActionRefusal(a, {
        status: record.view.status,
        reporterPrincipalId: input.reporter.principalId,
        providerAgencyId: input.dataset.providerAgencyId,
        period: t?.deadline ? { workingDays: t.deadline.workingDays!, escalated: t.escalated } : null,
        maxWorkingDays: plan.maxWorkingDays,
        citation,
        extensionPending: extension !== null || reviewOpen,
        answerPending: reply !== null,
      });
    },
    accept: (a) => {
      if (a.action === 'request-extension') extension = a;
      else reply = a;
    },
  });
  // After openCase, so that a case no rule covers still closes as failed (kernel/case-shell.ts).
  const plan = planOrFail(() => objectionPlan(input.policy));
  const citation = plan.correction.citation;
  const period = () => kernel.openTasks.find((t) => t.kind === 'correction');

  const provider: Assignee = { agencyId: input.dataset.providerAgencyId, role: 'provider', jurisdiction: input.jurisdiction };
  const department: Assignee = { agencyId: null, role: plan.extensionApprovedBy, jurisdiction: input.jurisdiction };
  const lapsed = (why: string): AuditEvent => ({ actor: SYSTEM_ACTOR, event: 'extension_request_lapsed', detail: { why }, citation });

  /**
   * One handling period: the provider investigates and answers (sip-2021:21 排查 → 纠错 / 反馈).
   * Meanwhile it may ask for more time; the request is reviewed alongside, and only an approval
   * moves the running deadline (sz-open-2023:10).
   *
   * Two coroutines wait on the kernel here, because the period's timer must keep running while
   * the competent department reviews. Each goes back to a kernel wait only once its own commits
   * are done, and the review side never starts a new wait after the period is over, so an update
   * answered while "idle" always sees every consequence committed.
   */
  const handle = async (from: string, events: AuditEvent[]): Promise<Answer> => {
    let over = false;
    let answer: Answer = { answer: 'rejected' };
    const investigate = async () => {
      await kernel.awaitTask(
        {
          kind: 'correction',
          assignee: provider,
          ...CORRECTION_TASK,
          citation,
          status: 'open',
          events,
          deadline: { from, workingDays: plan.workingDays, onMissed: 'escalate', citation },
        },
        (r: TaskResult): Change => {
          if (r.kind !== 'decided') throw ApplicationFailure.nonRetryable(`${citation} deems nothing: a missed deadline only escalates`, 'unexpected_deemed');
          answer = answerOf(r.action, r.fields);
          return {
            status: 'resolved',
            events: [
              { actor: r.by.principalId, event: answer.answer === 'corrected' ? 'data_corrected' : 'objection_rejected', detail: { ...answer }, citation },
              { actor: SYSTEM_ACTOR, event: 'feedback_to_reporter', detail: { to: input.reporter.principalId, ...answer }, citation: plan.loopCitation },
            ],
          };
        },
      );
      over = true;
      // The answer makes a pending request for more time moot.
      if (reviewOpen) await kernel.closeAll('answered', { events: [lapsed('the provider answered before the request was reviewed')] });
      else if (extension) {
        extension = null;
        await record.commit({ events: [lapsed('the provider answered before the request was taken up')] });
      }
    };
    const extensions = async () => {
      for (;;) {
        if (over) return;
        await kernel.wait(() => extension !== null || over);
        if (over) return;
        const req = extension!;
        extension = null;
        const t = period();
        if (!t?.deadline) {
          await record.commit({ events: [lapsed('no handling period is running')] });
          continue;
        }
        const requested = Number(req.fields.workingDays);
        const current = t.deadline.workingDays!; // the correction period is counted in working days
        reviewOpen = true;
        const res = await kernel.awaitTask(
          {
            kind: 'extension_review',
            assignee: department,
            ...EXTENSION_REVIEW_TASK,
            citation,
            status: 'extension_requested',
            // The competent department may approve a different total than asked (sz-open-2023:10):
            // still longer than the period, and at most the cap from receipt.
            check: (d) =>
              d.action === 'approve' && d.fields.workingDays !== undefined
                ? extensionTotalRefusal(d.fields.workingDays, current, plan.maxWorkingDays, citation)
                : null,
            events: [
              {
                actor: req.caller.principalId,
                event: 'extension_requested',
                detail: { taskId: t.taskId, currentWorkingDays: current, requestedWorkingDays: requested, dueDate: t.deadline.dueDate, reason: req.fields.reason },
                citation,
              },
            ],
          },
          (r: TaskResult): Change => {
            if (r.kind === 'decided' && r.action === 'approve') return { events: [] }; // the move follows in its own transition
            return {
              status: period() ? 'open' : undefined,
              events: [{ actor: SYSTEM_ACTOR, event: 'extension_refused', detail: { requestedWorkingDays: requested, workingDays: current, dueDate: t.deadline!.dueDate }, citation }],
            };
          },
          () => over,
        );
        reviewOpen = false;
        if (!res) return; // the provider answered meanwhile: the review was closed with the period
        if (res.kind !== 'decided' || res.action !== 'approve') continue;
        const total = typeof res.fields.workingDays === 'number' ? res.fields.workingDays : requested;
        const approved: AuditEvent = {
          actor: res.by.principalId,
          event: 'extension_approved',
          detail: { taskId: t.taskId, previousWorkingDays: current, requestedWorkingDays: requested, workingDays: total },
          citation,
        };
        const moved = await kernel.retime(t.taskId, total, { status: 'open', events: [approved] });
        if (!moved) {
          await record.commit({
            status: period() ? 'open' : undefined,
            events: [approved, lapsed('the handling period had already ended or passed: the approval moves nothing')],
          });
        }
      }
    };
    await Promise.all([investigate(), extensions()]);
    return answer;
  };

  const received: AuditEvent[] = [
    {
      actor: input.reporter.principalId,
      event: 'objection_submitted',
      detail: { datasetId: input.dataset.id, kind: input.objection.kind, recordRef: input.objection.recordRef ?? null, receivedAt: input.receivedAt },
      citation,
    },
    { actor: SYSTEM_ACTOR, event: 'data_marked_disputed', detail: { datasetId: input.dataset.id, recordRef: input.objection.recordRef ?? null }, citation: plan.markCitation },
  ];
  const cleared = (): AuditEvent => ({ actor: SYSTEM_ACTOR, event: 'dispute_mark_cleared', detail: { datasetId: input.dataset.id }, citation: plan.markCitation });
  const end = (): CaseView => {
    kernel.finish();
    return record.view;
  };

  // sip-2021:21 — the reporter confirms, or disputes: the provider answers once more, and a second
  // dispute goes to the competent department.
  let answer = await handle(input.receivedAt, received);
  for (let round = 1; ; round++) {
    await kernel.wait(() => reply !== null);
    const r = reply!;
    reply = null;
    if (r.action === 'confirm') {
      await record.commit({
        status: 'confirmed',
        outcome: { basis: 'confirmed', citation: plan.loopCitation, ...answer },
        events: [{ actor: r.caller.principalId, event: 'objection_confirmed', detail: { note: r.fields.note ?? null }, citation: plan.loopCitation }, cleared()],
      });
      return end();
    }
    const disputed: AuditEvent = { actor: r.caller.principalId, event: 'answer_disputed', detail: { round, reason: r.fields.reason }, citation: plan.loopCitation };
    if (round === 1) {
      answer = await handle(new Date().toISOString(), [disputed]);
      continue;
    }
    await determine({ plan, input, kernel, provider, disputed, cleared });
    return end();
  }
});

interface Determination {
  plan: ObjectionPlan;
  input: ObjectionInput;
  kernel: TaskKernel;
  provider: Assignee;
  disputed: AuditEvent;
  cleared: () => AuditEvent;
}

/**
 * The reporter disputed the second answer too: the competent department determines (js-2020:45¶1
 * 协调解决) — it upholds the answer, or orders the provider to correct within the period
 * (js-2020:49 责令限期改正). Either ends the case and clears the mark.
 */
async function determine({ plan, input, kernel, provider, disputed, cleared }: Determination): Promise<void> {
  const det = await kernel.awaitTask(
    {
      kind: 'dispute_determination',
      assignee: { agencyId: null, role: 'competent', jurisdiction: input.jurisdiction },
      ...DETERMINATION_TASK,
      citation: DISPUTE_CITATION,
      status: 'disputed',
      events: [disputed, { actor: SYSTEM_ACTOR, event: 'dispute_referred', detail: { to: { role: 'competent', jurisdiction: input.jurisdiction } }, citation: DISPUTE_CITATION }],
    },
    (r: TaskResult): Change =>
      r.kind === 'decided' && r.action === 'uphold'
        ? { status: 'closed', outcome: { basis: 'answer_upheld', citation: DISPUTE_CITATION, reason: r.fields.reason }, events: [{ actor: r.by.principalId, event: 'answer_upheld', detail: { reason: r.fields.reason }, citation: DISPUTE_CITATION }, cleared()] }
        : { events: [] },
  );
  if (!det || det.kind !== 'decided' || det.action === 'uphold') return;
  await kernel.awaitTask(
    {
      kind: 'ordered_correction',
      assignee: provider,
      ...ORDERED_CORRECTION_TASK,
      citation: ORDER_CITATION,
      status: 'open',
      events: [{ actor: det.by.principalId, event: 'correction_ordered', detail: { instruction: det.fields.instruction, workingDays: plan.workingDays }, citation: ORDER_CITATION }],
      deadline: { from: new Date().toISOString(), workingDays: plan.workingDays, onMissed: 'escalate', citation: ORDER_CITATION },
    },
    (r: TaskResult): Change => {
      const correction = r.kind === 'decided' ? r.fields.correction : null;
      return {
        status: 'closed',
        outcome: { basis: 'corrected_as_ordered', citation: ORDER_CITATION, answer: 'corrected', correction },
        events: [{ actor: r.kind === 'decided' ? r.by.principalId : SYSTEM_ACTOR, event: 'data_corrected', detail: { answer: 'corrected', correction, ordered: true }, citation: ORDER_CITATION }, cleared()],
      };
    },
  );
}
