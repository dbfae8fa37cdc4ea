// P7 catalog entry 目录编制、审核、发布 (sip-2021:8, jy-2023:8, js-2020:10, cm-draft:9). One
// workflow per case: the competent department's review (一数一源 conflicts found by the catalog
// at each round), a return and resubmission as often as needed, the government's approval where
// a text requires it, then a new version of the dataset on its hash chain. The rules are in
// src/domain/catalog-entry.ts; waiting, deadlines and escalation in the kernel.
import { getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { activities } from '../activities/catalog-entry';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  APPROVAL_ACTIONS,
  catalogEntryActionRefusal,
  catalogEntryPlan,
  catalogEntryView,
  resubmitted,
  REVIEW_ACTIONS,
  reviewFields,
  sourceOfRefusal,
  type CatalogEntryInput,
  type SourceConflict,
} from '../domain/catalog-entry';
import type { Assignee } from '../domain/tasks';
import { catalogPublishedSignal } from './catalog-update';
import type { AuditEvent } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';

const { publishCatalogEntry, sourceConflicts } = proxyActivities<ReturnType<typeof activities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const catalogEntry = caseWorkflow(async (input: CatalogEntryInput): Promise<CaseView> => {
  let entry = input.entry;
  let resubmission: CaseActionInput | null = null;
  const compiler = input.compiler.agencyId;
  const { record, kernel } = openCase(input, catalogEntryView(input), {
    refusal: (a) => catalogEntryActionRefusal(a, { status: record.view.status, compilerAgencyId: compiler, entry, pending: resubmission !== null }),
    accept: (a) => {
      resubmission = a;
    },
  });
  const plan = planOrFail(() => catalogEntryPlan(input.policy));
  const competent: Assignee = { agencyId: null, role: 'competent', jurisdiction: input.jurisdiction };

  let events: AuditEvent[] = [
    {
      actor: input.compiler.principalId,
      event: 'catalog_entry_submitted',
      detail: { datasetId: input.datasetId, isNew: input.isNew, reason: entry.reason, dutyCaseId: entry.dutyCaseId ?? null },
      citation: plan.publication.citation,
    },
  ];
  let sourceOf: Record<string, string> | undefined;

  // The review, round after round until it approves or refuses (sip-2021:8, js-2020:10).
  if (plan.review) {
    const review = plan.review;
    const citation = review.rule.citation;
    let from = input.receivedAt; // then each resubmission
    for (let round = 1; ; round++) {
      const conflicts: SourceConflict[] = await kernel.step('find source conflicts', () =>
        sourceConflicts({ datasetId: input.datasetId, providerAgencyId: compiler, dataItems: entry.dataItems }),
      );
      let returned = false;
      const r = await kernel.awaitTask(
        {
          kind: 'review',
          assignee: competent,
          actions: REVIEW_ACTIONS,
          requiredFields: reviewFields(conflicts),
          citation,
          status: 'pending_review',
          events,
          context: { conflicts, round },
          check: (d) => sourceOfRefusal(d, conflicts, compiler, citation),
          deadline: { from, workingDays: review.workingDays, onMissed: 'escalate', citation },
        },
        (res) => {
          const [action, fields] = decisionOf(res, `${citation} deems nothing: a missed review only escalates`);
          if (action === 'approve') {
            sourceOf = conflicts.length ? (fields.sourceOf as Record<string, string>) : undefined;
            return { events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_reviewed', detail: { round, conflicts, sourceOf: sourceOf ?? null }, citation }] };
          }
          if (action === 'return') {
            returned = true;
            return {
              status: 'returned',
              outcome: { basis: 'returned', citation, issues: fields.issues, round },
              events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_returned', detail: { round, issues: fields.issues }, citation }],
            };
          }
          return {
            status: 'refused',
            outcome: { basis: 'refused', citation, legalBasis: fields.legalBasis, reason: fields.reason ?? null },
            events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_refused', detail: { legalBasis: fields.legalBasis }, citation }],
          };
        },
      );
      const [action] = decisionOf(r!, `${citation} deems nothing`);
      if (action === 'refuse') {
        kernel.finish();
        return record.view;
      }
      if (!returned) break;
      // Returned: the compiler corrects and resubmits in this case; the review starts again.
      await kernel.wait(() => resubmission !== null);
      const a = resubmission!;
      entry = resubmitted(entry, a.fields);
      record.view = { ...record.view, request: { ...record.view.request, ...entry }, outcome: null };
      events = [{ actor: a.caller.principalId, event: 'catalog_entry_resubmitted', detail: { round: round + 1, note: a.fields.note ?? null }, citation }];
      resubmission = null;
      from = new Date().toISOString();
    }
  }

  // sip-2021:8, jy-2023:8 — the government approves the reviewed entry before it is published.
  if (plan.approval) {
    const approval = plan.approval;
    const citation = approval.rule.citation;
    const r = await kernel.awaitTask(
      {
        kind: 'approval',
        assignee: { agencyId: null, role: 'government', jurisdiction: input.jurisdiction },
        actions: APPROVAL_ACTIONS,
        requiredFields: { refuse: ['legalBasis'] },
        citation,
        status: 'pending_approval',
        events,
        deadline: { from: new Date().toISOString(), workingDays: approval.workingDays, onMissed: 'escalate', citation },
      },
      (res) => {
        const [action, fields] = decisionOf(res, `${citation} deems nothing: a missed approval only escalates`);
        if (action === 'approve') return { events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_approved', detail: {}, citation }] };
        return {
          status: 'refused',
          outcome: { basis: 'refused', citation, legalBasis: fields.legalBasis, reason: fields.reason ?? null },
          events: [{ actor: SYSTEM_ACTOR, event: 'catalog_entry_refused', detail: { legalBasis: fields.legalBasis, by: 'government' }, citation }],
        };
      },
    );
    if (decisionOf(r!, `${citation} deems nothing`)[0] === 'refuse') {
      kernel.finish();
      return record.view;
    }
    events = [];
  }

  // Published: the next version of the dataset on its hash chain (cm-draft:9).
  const citation = plan.publication.citation;
  const v = await kernel.step('publish dataset version', () =>
    publishCatalogEntry({ caseId: input.caseId, datasetId: input.datasetId, at: new Date().toISOString(), createdBy: input.createdBy, jurisdiction: input.jurisdiction, entry, ...(sourceOf ? { sourceOf } : {}) }),
  );
  await record.commit({
    status: 'published',
    outcome: { basis: 'published', citation, datasetId: v.datasetId, version: v.version, hash: v.hash },
    events: [...events, { actor: SYSTEM_ACTOR, event: 'dataset_version_published', detail: { datasetId: v.datasetId, version: v.version, hash: v.hash }, citation: 'cm-draft:9' }],
  });
  // The update duty this entry discharges (cm-draft:8) learns of it; a duty already ended ignores it.
  const duty = entry.dutyCaseId;
  if (duty) {
    try {
      await kernel.step('tell the update duty', () =>
        getExternalWorkflowHandle(duty).signal(catalogPublishedSignal, { caseId: input.caseId, datasetId: v.datasetId, version: v.version, actor: input.compiler.principalId }),
      );
    } catch {
      // The duty ended meanwhile (met otherwise, or closed): nothing left to tell.
    }
  }
  kernel.finish();
  return record.view;
});
