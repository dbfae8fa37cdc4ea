// P5 quality rectification 质量整改. One workflow per case (workflow id = caseId); the law's rules
// are in src/domain/quality-rectification.ts, waiting, deadlines and escalation in the kernel.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  auditorAssignee,
  findingReports,
  RECHECK_TASK,
  rectificationPlan,
  RectificationPlanError,
  rectificationTask,
  qualityRectificationView,
  type QualityRectificationInput,
  type RectificationPlan,
} from '../domain/quality-rectification';
import type { Assignee } from '../domain/tasks';
import { CaseRecord, type AuditEvent, type Change } from './kernel/case-record';
import { caseActionUpdate, caseQuery, openedUpdate } from './kernel/messages';
import { refuse, TaskKernel, type TaskResult } from './kernel/task-kernel';

export async function qualityRectification(input: QualityRectificationInput): Promise<CaseView> {
  const record = new CaseRecord(input, qualityRectificationView(input));
  const kernel = new TaskKernel(record, input.policy.reminderLeadWorkingDays);
  const plan = planOf(input);
  const { citation } = plan;
  const findings = input.rectification.findings;

  setHandler(caseQuery, () => record.view);
  setHandler(openedUpdate, async () => {
    await kernel.settledOnce(() => record.revision > 0);
    return { revision: record.revision };
  });
  // Every step is a task decision; a case action is answered, not left unhandled.
  setHandler(caseActionUpdate, async () => ({ revision: record.revision }), {
    validator: (a) => refuse({ status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a quality rectification: its steps are task decisions` }),
  });

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
}

/** Every step here escalates when missed; nothing is deemed. */
function decided(r: TaskResult) {
  if (r.kind !== 'decided') throw ApplicationFailure.nonRetryable('a quality rectification deems nothing: a missed deadline only escalates', 'unexpected_deemed');
  return r;
}

function planOf(input: QualityRectificationInput): RectificationPlan {
  try {
    return rectificationPlan(input.policy);
  } catch (err) {
    if (err instanceof RectificationPlanError) throw ApplicationFailure.nonRetryable(err.message, 'no_rule_in_force');
    throw err;
  }
}
