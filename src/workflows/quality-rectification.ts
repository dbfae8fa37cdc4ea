// P5 quality rectification 质量整改. One workflow per case (workflow id = caseId); the law's rules
// are in src/domain/quality-rectification.ts, waiting, deadlines and escalation in the kernel.
import { ApplicationFailure } from '@temporalio/workflow';
import type { CaseView } from '../domain/cases';
import {
  auditorAssignee,
  findingReports,
  RECHECK_TASK,
  rectificationPlan,
  rectificationTask,
  qualityRectificationView,
  type QualityRectificationInput,
} from '../domain/quality-rectification';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, openCase, planOrFail } from './kernel/case-shell';
import type { TaskResult } from './kernel/task-kernel';

export const qualityRectification = caseWorkflow(async (input: QualityRectificationInput): Promise<CaseView> => {
  // Every step is a task decision: a case action is refused, not left unhandled.
  const { record, kernel } = openCase(input, qualityRectificationView(input));
  const plan = planOrFail(() => rectificationPlan(input.policy));
  const { citation } = plan;
  const findings = input.rectification.findings;


  const provider: Assignee = { agencyId: input.dataset.providerAgencyId, role: 'provider', jurisdiction: input.jurisdiction };
  const auditor = auditorAssignee(input, plan);

  let from = input.receivedAt;
  let events: AuditEvent[] = [
    {
      actor: input.auditor.principalId,
      event: 'rectification_issued',
      detail: { datasetId: input.dataset.id, findings, by: input.auditor.role ?? 'admin' },
      citation,
    },
  ];
  for (let round = 1; ; round++) {
    // sz-open-2023:16 — verify and correct within 10 working days of receiving the task.
    await kernel.awaitTask(
      {
        kind: 'rectification',
        assignee: provider,
        ...rectificationTask(findings),
        citation,
        status: 'open',
        events,
        deadline: { from, workingDays: plan.workingDays, onMissed: 'escalate', citation },
      },
      (r: TaskResult): Change => ({
        status: 'submitted',
        events: [{ actor: decided(r).by.principalId, event: 'rectification_submitted', detail: { round, reports: findingReports(findings, decided(r).fields) }, citation }],
      }),
    );

    // The auditor re-checks: close, or reopen — which starts a new period from the reopening.
    let reopenedAt = '';
    const check = await kernel.awaitTask(
      { kind: 'recheck', assignee: auditor, ...RECHECK_TASK, citation, status: 'submitted' },
      (r: TaskResult): Change => {
        const d = decided(r);
        if (d.action === 'close') {
          return {
            status: 'closed',
            outcome: { basis: 'rectified', citation, rounds: round },
            events: [{ actor: d.by.principalId, event: 'rectification_closed', detail: { round, note: d.fields.note ?? null }, citation }],
          };
        }
        reopenedAt = new Date().toISOString(); // workflow time: the new period counts from here
        return { events: [] };
      },
    );
    if (decided(check!).action === 'close') break;
    from = reopenedAt;
    events = [{ actor: decided(check!).by.principalId, event: 'rectification_reopened', detail: { round, reason: decided(check!).fields.reason }, citation }];
  }
  kernel.finish();
  return record.view;
});

/** Every step here escalates when missed; nothing is deemed. */
function decided(r: TaskResult) {
  if (r.kind !== 'decided') throw ApplicationFailure.nonRetryable('a quality rectification deems nothing: a missed deadline only escalates', 'unexpected_deemed');
  return r;
}

