// P2 share demand 需求响应 (js-2020:22). One workflow per case (workflow id = caseId); the law's
// steps are in src/domain/share-demand.ts, waiting, deadlines and escalation in kernel/task-kernel.ts.
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  DEMAND_CITATION,
  demandActionRefusal,
  demandPlan,
  responseOutcome,
  shareDemandView,
  type DemandStep,
  type ShareDemandInput,
} from '../domain/share-demand';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskRequest, TaskResult } from './kernel/task-kernel';

export const shareDemand = caseWorkflow(async (input: ShareDemandInput): Promise<CaseView> => {
  let action: CaseActionInput | null = null;
  const requesterAgency = input.requester.agencyId;
  const { record, kernel } = openCase(input, shareDemandView(input), {
    refusal: (a) => demandActionRefusal(a, { status: record.view.status, requesterAgencyId: requesterAgency, actionPending: action !== null }),
    accept: (a) => {
      action = a;
    },
  });
  const plan = planOrFail(() => demandPlan(input.policy));

  const withdrawn = () => action?.action === 'withdraw';
  const provider: Assignee = { agencyId: input.provider.agencyId, role: 'provider', jurisdiction: input.jurisdiction };
  const task = (step: DemandStep, status: string, from: string, events: AuditEvent[] = []): TaskRequest => ({
    kind: step.rule.key,
    assignee: provider,
    actions: step.actions,
    requiredFields: step.requiredFields,
    citation: step.rule.citation,
    status,
    events,
    deadline: { from, workingDays: step.workingDays, onMissed: step.onMissed, citation: step.rule.citation },
  });
  const endWithdrawn = async (): Promise<CaseView> => {
    const w = action!;
    await kernel.closeAll('withdrawn', {
      status: 'withdrawn',
      outcome: { basis: 'withdrawn', citation: DEMAND_CITATION, stage: record.view.status },
      events: [{ actor: w.caller.principalId, event: 'share_demand_withdrawn', detail: { reason: w.fields.reason ?? null, stage: record.view.status } }],
    });
    kernel.finish();
    return record.view;
  };

  const registered = input.receivedVia === 'registered';
  const submitted: AuditEvent = {
    actor: registered ? input.registeredBy ?? input.createdBy : input.requester.principalId,
    event: registered ? 'share_demand_registered' : 'share_demand_submitted',
    detail: { providerAgencyId: input.provider.agencyId, purpose: input.demand.purpose, receivedAt: input.receivedAt, channel: input.channel ?? 'api' },
    citation: DEMAND_CITATION,
  };

  // js-2020:22 — the provider replies within 5 working days of receipt.
  let replyAt = input.receivedAt;
  const reply = await kernel.awaitTask(
    task(plan.response, 'pending_response', input.receivedAt, [submitted]),
    (r: TaskResult): Change => {
      // The reply instant: workflow time of this activation, so it equals the `at` of the decision's
      // audit entry committed together with this change — and the delivery period counts from it.
      replyAt = new Date().toISOString();
      const o = responseOutcome(...decided(r));
      if (o.agreed) {
        return { events: [{ actor: SYSTEM_ACTOR, event: 'share_demand_agreed', detail: { replyAt }, citation: plan.response.rule.citation }] };
      }
      return {
        status: 'rejected',
        outcome: { basis: 'refused', legalBasis: o.legalBasis, reason: o.reason, citation: plan.response.rule.citation },
        events: [{ actor: SYSTEM_ACTOR, event: 'share_demand_rejected', detail: { legalBasis: o.legalBasis }, citation: plan.response.rule.citation }],
      };
    },
    withdrawn,
  );
  if (!reply) return endWithdrawn();
  if (!responseOutcome(...decided(reply)).agreed) {
    kernel.finish();
    return record.view;
  }

  // js-2020:22 — aggregation and sharing within 10 working days counted from the reply. The grant
  // is committed with the task's closing, so the delivery and the access appear at once.
  const grantId = `grant-${input.caseId}`;
  const delivered = await kernel.awaitTask(
    task(plan.delivery, 'pending_delivery', replyAt),
    (r: TaskResult): Change => {
      const [, fields] = decided(r);
      const datasetId = String(fields.datasetId);
      const citation = plan.delivery.rule.citation;
      return {
        status: 'delivered',
        outcome: { basis: 'delivered', datasetId, grantId, citation },
        events: [{ actor: SYSTEM_ACTOR, event: 'access_granted', detail: { grantId, datasetId, basis: 'delivered', mode: 'api' }, citation }],
        grants: [
          {
            id: grantId,
            datasetId,
            granteeAgencyId: requesterAgency,
            granteePrincipalId: null,
            mode: 'api',
            scope: {
              purpose: input.demand.purpose,
              legalDuty: input.demand.legalDuty,
              onwardSharing: 'prohibited (sip-2021:39(6), cm-draft:18)',
            },
            basis: 'delivered',
            citation,
            status: 'active',
            validFrom: new Date().toISOString(),
            validTo: null,
          },
        ],
      };
    },
    withdrawn,
  );
  if (!delivered) return endWithdrawn();
  kernel.finish();
  return record.view;
});

/** Both steps escalate when missed (js-2020:22 deems nothing), so every result is a decision. */
const decided = (r: TaskResult) => decisionOf(r, `${DEMAND_CITATION} deems nothing: a missed deadline only escalates`);
