// P9 security incident 安全事件. One workflow per case (workflow id = caseId); the law's rules are in
// src/domain/security-incident.ts, waiting, deadlines in hours and escalation in the kernel.
import { condition } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  closeRefusal,
  departmentAssignee,
  incidentPlan,
  NOTIFICATION_TASK,
  REMEDIATION_TASK,
  REPORT_TASK,
  REPORTED_TO,
  reporterAssignee,
  securityIncidentView,
  type IncidentStep,
  type SecurityIncidentInput,
} from '../domain/security-incident';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskRequest, TaskResult } from './kernel/task-kernel';

interface Step {
  request: TaskRequest;
  /** The audit event its decision records. */
  event: string;
}

export const securityIncident = caseWorkflow(async (input: SecurityIncidentInput): Promise<CaseView> => {
  let stepsLeft = Number.POSITIVE_INFINITY; // until the plan is known, nothing can be closed
  let citation = input.policy.governingPolicy?.id ?? 'none';
  const close: { request: CaseActionInput | null } = { request: null };
  const { record, kernel } = openCase(input, securityIncidentView(input), {
    refusal: (a) =>
      a.action === 'close'
        ? closeRefusal(a.caller, a.fields, { status: record.view.status, jurisdiction: input.jurisdiction, stepsLeft, citation })
        : { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a security incident: close, once every step is done` },
    accept: (a) => {
      close.request = a;
    },
  });
  // After openCase, so that a case no rule covers still closes as failed (kernel/case-shell.ts).
  const plan = planOrFail(() => incidentPlan(input.policy));
  citation = plan.report.citation;
  const incident = input.incident;
  const from = incident.detectedAt;

  const step = (kind: string, s: IncidentStep, assignee: Assignee, task: Pick<TaskRequest, 'actions' | 'requiredFields'>, event: string, key?: string): Step => ({
    request: {
      kind,
      assignee,
      ...task,
      citation: s.citation,
      status: 'responding',
      deadline: { from, hours: s.hours, onMissed: 'escalate', citation: s.citation, ...(key ? { key } : {}) },
    },
    event,
  });
  const reporter = reporterAssignee(input);
  const steps: Step[] = [
    step('remediation', plan.remediation, reporter, REMEDIATION_TASK, 'remediation_completed'),
    ...REPORTED_TO.map((role) => step('report', plan.report, departmentAssignee(input, role), REPORT_TASK, 'report_acknowledged', `report.${role}`)),
    ...(incident.personalInformation && plan.notification ? [step('notification', plan.notification, reporter, NOTIFICATION_TASK, 'persons_notified')] : []),
  ];
  stepsLeft = steps.length;

  // "立即启动应急预案" (sip-2021:33, cm-draft:30): recorded with the case's first commit.
  const started: AuditEvent = {
    actor: input.reporter.principalId,
    event: 'emergency_plan_started',
    detail: { kind: incident.kind, detectedAt: from, personalInformation: incident.personalInformation, datasetIds: incident.datasetIds ?? [], steps: steps.map((s) => s.request.deadline?.key ?? s.request.kind) },
    citation: plan.emergencyPlanCitation,
  };

  // Every step runs at once, each against its own clock. Each opens once the one before is
  // committed, so the first commit carries the emergency plan and the case's order is fixed; the
  // opening is one step of the case, so the API answers the report with every task open.
  const running: Promise<unknown>[] = [];
  await kernel.step('open the response', async () => {
    for (const [i, s] of steps.entries()) {
      const before = record.revision;
      const done = kernel.awaitTask({ ...s.request, events: i === 0 ? [started] : [] }, (r: TaskResult): Change => {
        const [action, fields] = decisionOf(r, 'a security incident deems nothing: a missed period only escalates');
        stepsLeft--;
        const by = r.kind === 'decided' ? r.by.principalId : SYSTEM_ACTOR;
        return { events: [{ actor: by, event: s.event, detail: { action, role: s.request.assignee.role, ...fields }, citation: s.request.citation }] };
      });
      running.push(done);
      await Promise.race([done, condition(() => record.revision > before)]);
    }
  });
  await Promise.all(running);

  // The competent department closes once every step is done (the case action `close`).
  await kernel.wait(() => close.request !== null);
  const c = close.request!;
  const summary = String(c.fields.summary).trim();
  await record.commit({
    status: 'closed',
    outcome: { basis: 'closed', citation, summary },
    events: [{ actor: c.caller.principalId, event: 'incident_closed', detail: { summary }, citation }],
  });
  kernel.finish();
  return record.view;
});
