// P7 update duty 目录动态更新 (cm-draft:8, js-2020:10). One workflow per case: the agency's task
// is met when a catalog entry naming the duty is published (that case signals this one), or by
// `no_change` with reasons; a missed period escalates (kernel/task-kernel.ts).
import { defineSignal, setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { catalogUpdatePlan, catalogUpdateView, UPDATE_TASK, type CatalogUpdateInput } from '../domain/catalog-update';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';

/** A catalog entry naming this duty was published (sent by the catalog-entry case). */
export interface CatalogPublished {
  caseId: string;
  datasetId: string;
  version: number;
  actor: string;
}

export const catalogPublishedSignal = defineSignal<[CatalogPublished]>('catalogPublished');

export const catalogUpdate = caseWorkflow(async (input: CatalogUpdateInput): Promise<CaseView> => {
  const { record, kernel } = openCase(input, catalogUpdateView(input));
  const plan = planOrFail(() => catalogUpdatePlan(input.policy));
  const citation = plan.rule.citation;
  const published: CatalogPublished[] = [];
  setHandler(catalogPublishedSignal, (p) => void published.push(p));

  const res = await kernel.awaitTask(
    {
      kind: 'update',
      assignee: { agencyId: input.agency.id, role: 'provider', jurisdiction: input.jurisdiction },
      ...UPDATE_TASK,
      citation,
      status: 'pending_update',
      events: [
        {
          actor: input.issuer.principalId,
          event: 'catalog_update_required',
          detail: { agencyId: input.agency.id, trigger: input.duty.trigger, basis: input.duty.basis },
          citation,
        },
      ],
      deadline: { from: input.receivedAt, workingDays: plan.workingDays, onMissed: 'escalate', citation },
    },
    (r) => {
      const [, fields] = decisionOf(r, `${citation} deems nothing: a missed update only escalates`);
      return {
        status: 'unchanged',
        outcome: { basis: 'no_change', citation, reason: fields.reason },
        events: [{ actor: SYSTEM_ACTOR, event: 'catalog_unchanged', detail: { reason: fields.reason }, citation }],
      };
    },
    () => published.length > 0,
  );
  if (!res) {
    const p = published[0]!;
    await kernel.closeAll('updated', {
      status: 'updated',
      outcome: { basis: 'updated', citation, entryCaseId: p.caseId, datasetId: p.datasetId, version: p.version },
      events: [{ actor: SYSTEM_ACTOR, event: 'catalog_updated', detail: { entryCaseId: p.caseId, datasetId: p.datasetId, version: p.version, by: p.actor }, citation }],
    });
  }
  kernel.finish();
  return record.view;
});
