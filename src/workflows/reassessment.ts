// P11 periodic reassessment 定期评估 (js-2020:25¶3, sz-open-2023:8). One workflow per dataset and
// run (workflow id = caseId, opened by the schedule's run, workflows/reassessment-run.ts): the
// provider keeps the open class, with reasons, or reclassifies the data — which opens the
// catalog-entry case (P7) that reviews and publishes the new class. A missed review escalates.
// The rules are in src/domain/reassessment.ts; waiting, deadlines and escalation in the kernel.
import { proxyActivities } from '@temporalio/workflow';
import type { activities as catalogActivities } from '../activities/catalog-entry';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { catalogEntryView } from '../domain/catalog-entry';
import type { DataClass } from '../domain/catalog';
import {
  catalogEntryCaseIdOf,
  reassessmentPlan,
  reassessmentView,
  reclassifyRefusal,
  REASSESSMENT_ACTIONS,
  REASSESSMENT_FIELDS,
  type ReassessmentInput,
} from '../domain/reassessment';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import { openRelatedCase } from './kernel/related-case';

const { catalogEntryInput } = proxyActivities<ReturnType<typeof catalogActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const reassessment = caseWorkflow(async (input: ReassessmentInput): Promise<CaseView> => {
  const { record, kernel } = openCase(input, reassessmentView(input));
  const plan = planOrFail(() => reassessmentPlan(input.policy));
  const { citation } = plan;
  const ds = input.dataset;
  const entryCaseId = catalogEntryCaseIdOf(input.caseId);

  const r = await kernel.awaitTask(
    {
      kind: 'review',
      assignee: { agencyId: ds.providerAgencyId, role: plan.rule.decidedBy ?? 'provider', jurisdiction: ds.jurisdiction },
      actions: plan.rule.actions?.length ? [...plan.rule.actions] : REASSESSMENT_ACTIONS,
      requiredFields: plan.rule.requiredFields ? { ...plan.rule.requiredFields } : REASSESSMENT_FIELDS,
      citation,
      status: 'pending_reassessment',
      events: [
        {
          actor: input.createdBy,
          event: 'reassessment_opened',
          detail: { scheduleId: input.scheduleId, runAt: input.runAt, datasetId: ds.id, openClass: ds.openClass, version: ds.version },
          citation,
        },
      ],
      context: { datasetId: ds.id, datasetName: ds.name, openClass: ds.openClass, version: ds.version },
      check: (d) => reclassifyRefusal(d, ds.openClass, citation),
      deadline: { from: input.receivedAt, workingDays: plan.workingDays, onMissed: 'escalate', citation },
    },
    (res) => {
      const [action, fields] = decisionOf(res, `${citation} deems nothing: a missed reassessment only escalates`);
      if (action === 'reclassify') {
        const to = fields.openClass as string;
        return {
          status: 'reclassified',
          outcome: { basis: 'reclassified', citation, from: ds.openClass, openClass: to, reason: fields.reason, catalogEntryCaseId: entryCaseId },
          events: [{ actor: SYSTEM_ACTOR, event: 'data_reclassified', detail: { datasetId: ds.id, from: ds.openClass, to, reason: fields.reason }, citation }],
        };
      }
      return {
        status: 'kept',
        outcome: { basis: 'kept', citation, openClass: ds.openClass, reason: fields.reason },
        events: [{ actor: SYSTEM_ACTOR, event: 'class_kept', detail: { datasetId: ds.id, openClass: ds.openClass, reason: fields.reason }, citation }],
      };
    },
  );

  const [action, fields] = decisionOf(r!, `${citation} deems nothing`);
  if (action === 'reclassify') {
    // The catalog is changed by its own process (P7): the entry with the new class, reviewed and
    // published on the dataset's hash chain. Its id follows from this case's, so it is opened once.
    const decider = r!.kind === 'decided' ? r!.by.principalId : input.createdBy;
    const entry = await kernel.step('compile catalog entry', () =>
      catalogEntryInput({
        caseId: entryCaseId,
        datasetId: ds.id,
        changes: { openClass: fields.openClass as DataClass },
        reason: 'correction',
        receivedAt: new Date().toISOString(),
        compiler: { principalId: decider },
      }),
    );
    await kernel.step('open catalog entry', () => openRelatedCase('catalogEntry', entry, catalogEntryView(entry)));
    await record.commit({
      events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_opened', detail: { catalogEntryCaseId: entryCaseId, datasetId: ds.id, openClass: fields.openClass }, citation }],
    });
  }
  return record.view;
});
