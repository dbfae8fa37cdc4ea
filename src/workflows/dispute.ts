// P8 dispute between agencies 争议处理 (js-2020:45¶1, sz-open-2023:11). One workflow per case
// (workflow id = caseId): every agency involved negotiates at once; all agree → resolved. One
// fails, or the period ends → the competent department determines (js-2020:45), or, for an
// open-provider dispute where sz-open-2023:11 governs, consults the expert committee and the
// government determines. A determination that names the provider opens the catalog-entry case that
// records it. The rules are in src/domain/dispute.ts; waiting, deadlines and escalation in the kernel.
import { condition, proxyActivities } from '@temporalio/workflow';
import type { activities as catalogActivities } from '../activities/catalog-entry';
import { catalogEntryView } from '../domain/catalog-entry';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { determinationFields, disputePlan, disputeView, PROVIDER_SUBJECTS, providerRefusal, type DisputeInput } from '../domain/dispute';
import type { TaskState } from '../domain/transition';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import { openRelatedCase } from './kernel/related-case';
import type { TaskResult } from './kernel/task-kernel';

const { catalogEntryInput } = proxyActivities<ReturnType<typeof catalogActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const dispute = caseWorkflow(async (input: DisputeInput): Promise<CaseView> => {
  // No party actions: every step is a task decision.
  const { record, kernel } = openCase(input, disputeView(input), {
    refusal: (a) => ({ status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a dispute: its steps are task decisions` }),
    accept: () => undefined,
  });
  // After openCase, so that a case no rule covers still closes as failed (kernel/case-shell.ts).
  const plan = planOrFail(() => disputePlan(input.policy, input.subject));
  const department = (role: Assignee['role']): Assignee => ({ agencyId: null, role, jurisdiction: input.jurisdiction });
  const neg = plan.negotiation;

  // Negotiation: a task for each agency involved, all open at once against one period.
  const agreed = new Map<string, string>();
  let failed: { agencyId: string; by: string; reason: string } | null = null;
  const negotiating: TaskState[] = [];
  // The period has ended once any negotiation task's due instant has passed (they share one; a
  // loaded calendar year moves them alike). Read before the kernel's own deadline handling, so the
  // tasks end here rather than escalate.
  const ended = () => negotiating.some((t) => t.deadline !== null && Date.now() >= Date.parse(t.deadline.dueAt));
  const stop = () => failed !== null || ended();
  const submitted: AuditEvent = {
    actor: input.filer.principalId,
    event: 'dispute_filed',
    detail: { subject: input.subject, datasetId: input.dataset?.id ?? null, agencies: input.parties.map((p) => p.agencyId), receivedAt: input.receivedAt },
    citation: neg.citation,
  };
  const running: Promise<unknown>[] = [];
  await kernel.step('open the negotiation', async () => {
    for (const [i, party] of input.parties.entries()) {
      const before = record.revision;
      const done = kernel.awaitTask(
        {
          kind: 'negotiation',
          assignee: { agencyId: party.agencyId, role: neg.rule.decidedBy ?? 'provider', jurisdiction: party.jurisdiction },
          actions: ['agree', 'fail'],
          requiredFields: { agree: ['resolution'], fail: ['reason'] },
          citation: neg.citation,
          status: 'negotiating',
          events: i === 0 ? [submitted] : [],
          deadline: { from: input.receivedAt, workingDays: neg.workingDays, onMissed: 'escalate', citation: neg.citation, key: `negotiation.${party.agencyId}` },
        },
        (r: TaskResult): Change => {
          const [action, fields] = decisionOf(r, `${neg.citation}: a negotiation is never deemed`);
          const by = r.kind === 'decided' ? r.by.principalId : SYSTEM_ACTOR;
          if (action === 'fail') {
            failed = { agencyId: party.agencyId, by, reason: String(fields.reason) };
            return { events: [{ actor: by, event: 'negotiation_failed', detail: { agencyId: party.agencyId, reason: fields.reason }, citation: neg.citation }] };
          }
          agreed.set(party.agencyId, String(fields.resolution));
          const event: AuditEvent = { actor: by, event: 'negotiation_agreed', detail: { agencyId: party.agencyId, resolution: fields.resolution }, citation: neg.citation };
          if (agreed.size < input.parties.length) return { events: [event] };
          const resolutions = input.parties.map((p) => ({ agencyId: p.agencyId, resolution: agreed.get(p.agencyId)! }));
          return {
            status: 'resolved',
            outcome: { basis: 'resolved', citation: neg.citation, resolutions },
            events: [event, { actor: SYSTEM_ACTOR, event: 'dispute_resolved', detail: { resolutions }, citation: neg.citation }],
          };
        },
        stop,
      );
      running.push(done);
      await Promise.race([done, condition(() => record.revision > before)]);
      negotiating.push(...kernel.openTasks.filter((t) => t.kind === 'negotiation' && !negotiating.includes(t)));
    }
  });
  await Promise.all(running);
  if (agreed.size === input.parties.length) {
    kernel.finish();
    return record.view;
  }

  // Negotiation failed (协商不成): the other agencies' tasks close, and the department takes it up.
  // Read through a cast: `failed` is set by a task's settlement, which control flow cannot see.
  const f = failed as { agencyId: string; by: string; reason: string } | null;
  await kernel.closeAll(f ? 'negotiation_failed' : 'negotiation_period_ended', {
    events: f
      ? []
      : [{ actor: SYSTEM_ACTOR, event: 'negotiation_period_ended', detail: { agreed: [...agreed.keys()], workingDays: neg.workingDays }, citation: neg.citation }],
  });

  const determineFields = determinationFields(input.subject);
  const check = (citation: string) => (d: Parameters<typeof providerRefusal>[0]) => providerRefusal(d, input.parties, citation);
  const coord = plan.coordination;
  const coordination = await kernel.awaitTask(
    {
      kind: 'coordination',
      assignee: department(coord.rule.decidedBy ?? 'competent'),
      actions: coord.actions,
      requiredFields: coord.actions.includes('determine') ? { determine: determineFields } : {},
      citation: coord.citation,
      status: 'coordinating',
      check: check(coord.citation),
      deadline: { from: new Date().toISOString(), workingDays: coord.workingDays, onMissed: 'escalate', citation: coord.citation },
    },
    (r) => settleStep(r, coord.citation, 'competent'),
  );
  let determined = coordination!;
  if (decisionOf(determined, 'never deemed')[0] === 'refer_to_experts') {
    const experts = plan.experts!;
    await kernel.awaitTask(
      {
        kind: 'expert_opinion',
        assignee: department(experts.opinion.rule.decidedBy ?? 'expert_committee'),
        actions: ['opinion'],
        requiredFields: { opinion: ['opinion'] },
        citation: experts.opinion.citation,
        status: 'coordinating',
        deadline: { from: new Date().toISOString(), workingDays: experts.opinion.workingDays, onMissed: 'escalate', citation: experts.opinion.citation },
      },
      (r) => settleStep(r, experts.opinion.citation, 'expert_committee'),
    );
    determined = (await kernel.awaitTask(
      {
        kind: 'determination',
        assignee: department(experts.government.rule.decidedBy ?? 'government'),
        actions: ['determine'],
        requiredFields: { determine: determineFields },
        citation: experts.government.citation,
        status: 'coordinating',
        check: check(experts.government.citation),
        deadline: { from: new Date().toISOString(), workingDays: experts.government.workingDays, onMissed: 'escalate', citation: experts.government.citation },
      },
      (r) => settleStep(r, experts.government.citation, 'government'),
    ))!;
  }

  // A determination of who provides the data is a catalog fact: a catalog-entry case records it.
  const [, fields] = decisionOf(determined, 'never deemed');
  if (PROVIDER_SUBJECTS.includes(input.subject) && input.dataset && determined.kind === 'decided') {
    const by = determined.by.principalId;
    const providerAgencyId = String(fields.providerAgencyId);
    const entryInput = await kernel.step('catalog entry input', () =>
      catalogEntryInput({
        caseId: `catalog-entry-from-${input.caseId}`,
        datasetId: input.dataset!.id,
        changes: { providerAgencyId },
        reason: 'correction',
        receivedAt: new Date().toISOString(),
        compiler: { principalId: by },
      }),
    );
    const catalogEntryCaseId = await kernel.step('open the catalog entry', () => openRelatedCase('catalogEntry', entryInput, catalogEntryView(entryInput)));
    await record.commit({
      outcome: { ...record.view.outcome!, catalogEntryCaseId },
      events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_opened', detail: { catalogEntryCaseId, datasetId: input.dataset.id, providerAgencyId }, citation: String(record.view.outcome!.citation) }],
    });
  }
  kernel.finish();
  return record.view;

  /** The audit entry of a coordination step, and the determination's status and outcome. */
  function settleStep(r: TaskResult, citation: string, decidedBy: Assignee['role']): Change {
    const [action, fields] = decisionOf(r, `${citation}: a missed step only escalates`);
    const by = r.kind === 'decided' ? r.by.principalId : SYSTEM_ACTOR;
    if (action === 'refer_to_experts') {
      return { events: [{ actor: by, event: 'referred_to_experts', detail: { note: fields.note ?? null }, citation }] };
    }
    if (action === 'opinion') {
      return { events: [{ actor: by, event: 'expert_opinion_given', detail: { opinion: fields.opinion }, citation }] };
    }
    const outcome = {
      basis: 'determined',
      citation,
      by: decidedBy,
      determination: fields.determination,
      ...(fields.providerAgencyId !== undefined ? { providerAgencyId: fields.providerAgencyId } : {}),
      ...(failed ? { negotiation: 'failed' } : { negotiation: 'period_ended' }),
    };
    return { status: 'determined', outcome, events: [{ actor: by, event: 'dispute_determined', detail: { ...outcome }, citation }] };
  }
});
