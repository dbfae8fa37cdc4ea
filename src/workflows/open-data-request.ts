// P3 request for data outside the open catalog (sz-open-2023:23). One workflow per case: the
// provider evaluates (sz-open-2023:15), may first ask the expert committee, and answers within the
// period counted from receipt; a missed deadline escalates. Rules in src/domain/open-data-request.ts.
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { evaluationPlan, openDataRequestView, requestActionRefusal, type EvaluationPlan, type OpenDataRequestInput } from '../domain/open-data-request';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskResult } from './kernel/task-kernel';

export const openDataRequest = caseWorkflow(async (input: OpenDataRequestInput): Promise<CaseView> => {
  const applicantId = input.applicant.principalId;
  let action: CaseActionInput | null = null;
  const { record, kernel } = openCase(input, openDataRequestView(input), {
    refusal: (a) => requestActionRefusal(a, { status: record.view.status, applicantId, actionPending: action !== null }),
    accept: (a) => {
      action = a;
    },
  });
  const plan = planOrFail(() => evaluationPlan(input.policy));
  const step = plan.evaluation;
  const citation = step.rule.citation;

  const withdrawing = () => action?.action === 'withdraw';

  const provider: Assignee = { agencyId: input.provider.agencyId, role: 'provider', jurisdiction: input.jurisdiction };
  const experts: Assignee = { agencyId: null, role: 'expert_committee', jurisdiction: input.jurisdiction };
  // Every step answers within the one period counted from receipt (自收到申请之日起).
  const deadline = { from: input.receivedAt, workingDays: step.workingDays, onMissed: step.onMissed, citation };
  let events: AuditEvent[] = [
    {
      actor: applicantId,
      event: 'out_of_catalog_request_submitted',
      detail: { providerAgencyId: input.provider.agencyId, title: input.request.title, fallback: plan.fallback },
      citation,
    },
  ];
  let expertOpinion: string | null = null;

  for (;;) {
    const box: { expert?: string } = {};
    const r = await kernel.awaitTask(
      {
        kind: step.rule.key,
        assignee: provider,
        // One round with the experts; then the provider answers.
        actions: expertOpinion === null ? step.actions : step.actions.filter((a) => a !== 'request_expert_opinion'),
        requiredFields: step.requiredFields,
        // An approval may state the purpose and scope of the data to be opened.
        optionalFields: { approve: ['purpose', 'scope'] },
        citation,
        status: 'pending_evaluation',
        events,
        deadline,
      },
      (res) => {
        const [a, f] = decided(res);
        if (a === 'request_expert_opinion') {
          box.expert = String(f.question);
          return { events: [{ actor: SYSTEM_ACTOR, event: 'expert_opinion_requested', detail: { question: box.expert }, citation: plan.expertCitation }] };
        }
        return answer(plan, a, f, expertOpinion);
      },
      withdrawing,
    );
    events = [];
    if (!r) break;
    if (box.expert === undefined) {
      kernel.finish();
      return record.view;
    }
    const o = await kernel.awaitTask(
      {
        kind: 'expert_opinion',
        assignee: experts,
        actions: ['give_opinion'],
        requiredFields: { give_opinion: ['opinion'] },
        citation: plan.expertCitation,
        status: 'pending_expert_opinion',
        deadline,
      },
      (res) => {
        expertOpinion = String(decided(res)[1].opinion);
        return { events: [{ actor: SYSTEM_ACTOR, event: 'expert_opinion_given', detail: { opinion: expertOpinion }, citation: plan.expertCitation }] };
      },
      withdrawing,
    );
    if (!o) break;
  }

  const w = action!;
  await kernel.closeAll('withdrawn', {
    status: 'withdrawn',
    outcome: { basis: 'withdrawn', citation, stage: record.view.status },
    events: [{ actor: w.caller.principalId, event: 'out_of_catalog_request_withdrawn', detail: { reason: w.fields.reason ?? null }, citation }],
  });
  kernel.finish();
  return record.view;
});

/** The provider's answer, with the evaluation it rests on (sz-open-2023:15). */
function answer(plan: EvaluationPlan, action: string, f: Record<string, unknown>, expertOpinion: string | null): Change {
  const citation = plan.evaluation.rule.citation;
  if (action === 'approve') {
    const evaluation = { privacyReview: String(f.privacyReview), legalityReview: String(f.legalityReview), expertOpinion };
    const terms = Object.fromEntries(['purpose', 'scope'].filter((k) => f[k] !== undefined).map((k) => [k, String(f[k])]));
    return {
      status: 'answered',
      outcome: { basis: 'to_be_opened', citation, answer: String(f.answer), ...terms, evaluation },
      events: [
        { actor: SYSTEM_ACTOR, event: 'evaluation_recorded', detail: evaluation, citation: plan.evaluationCitation },
        { actor: SYSTEM_ACTOR, event: 'out_of_catalog_answered', detail: { answer: String(f.answer), ...terms }, citation },
      ],
    };
  }
  const refusal = { reason: String(f.reason), legalBasis: String(f.legalBasis) };
  return {
    status: 'rejected',
    outcome: { basis: 'refused', citation, ...refusal, expertOpinion },
    events: [{ actor: SYSTEM_ACTOR, event: 'out_of_catalog_refused', detail: refusal, citation }],
  };
}


const decided = (r: TaskResult) => decisionOf(r, 'sz-open-2023:23 deems nothing: a missed deadline only escalates');
