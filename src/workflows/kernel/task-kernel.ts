// The one primitive every process uses for a person's decision (ARCHITECTURE.md): open a task
// with a statutory deadline, wait for a `decide` update or the deadline, and let the policy say
// what the deadline does — deem consent, or escalate to the competent department.
import { condition, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { KernelActivities } from '../../activities';
import type { TaskState } from '../../domain/transition';
import { SYSTEM_ACTOR } from '../../domain/cases';
import { hoursDeadline } from '../../domain/calendar/hours';
import { formsFor } from '../../domain/decision-forms';
import type { DecisionInput, Refusal } from '../../domain/tasks';
import { CORRECTION_CITATION, CORRECTION_ORDER_FIELDS, CORRECTION_TASK } from '../../domain/supervision';
import type { CaseRecord, Change } from './case-record';
import type { Mailbox } from './mailbox';
import { TaskMessages } from './task-messages';
import { calendarChangedSignal } from './messages';
import { copyFieldLists, deadlineKey, deadlineView, taskDetail, type TaskRequest, type TaskResult } from './task-types';

export { refuse, type TaskRequest, type TaskResult } from './task-types';

type Activities = KernelActivities;
const remote = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// A short read of the calendar: run in the worker itself (a local activity, its result still
// recorded in history), saving a round trip through the task queue on every deadline.
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
type DeadlineRequest = Parameters<Activities['computeDeadline']>[0];
/** Earlier histories computed deadlines with a (remote) activity; they replay that way. */
const computeDeadline = (r: DeadlineRequest) => (patched('deadline-local-activity') ? local.computeDeadline(r) : remote.computeDeadline(r));
/**
 * js-2020:49 责令限期改正: the supervision task orders a correction within N working days (a
 * `correction` task for the late agency), missed → a public notice. Histories recorded before
 * took a `note` and recorded the order only; they replay that way.
 */
const CORRECTION_ORDERS = 'supervision-correction-orders';


export class TaskKernel {
  private readonly tasks = new Map<string, TaskState>();
  private readonly decisions = new Map<string, DecisionInput>();
  private readonly settled = new Set<string>();
  private readonly checks = new Map<string, (d: DecisionInput) => Refusal | null>();
  private seq = 0;
  private calendarChanged = false;
  /** Histories before `serial-messages`: the process is waiting, so an update's change is committed. */
  private idle = false;
  private finished = false;
  /** Bumped when a running deadline moves (extension): waiting loops re-arm their timers. */
  private retimed = 0;

  /** How messages reach the tasks (kernel/task-messages.ts); `answered` and the rest are its. */
  readonly messages: TaskMessages;

  /**
   * @param serial messages are taken one at a time through `mailbox` and judged on the state the
   *   previous one left (patched 'serial-messages'); false only for histories recorded before.
   */
  constructor(
    private readonly record: CaseRecord,
    private readonly leadWorkingDays: number,
    mailbox: Mailbox,
    serial: boolean,
  ) {
    this.messages = new TaskMessages(
      { record, mailbox, serial },
      {
        tasks: this.tasks,
        decisions: this.decisions,
        settled: this.settled,
        checks: this.checks,
        openTasks: () => this.openTasks,
        idle: () => this.idle,
        finished: () => this.finished,
      },
    );
    setHandler(calendarChangedSignal, () => {
      this.calendarChanged = true;
    });
  }

  /** The task counter a continued run goes on from (task ids stay unique within the case). */
  carry(): number {
    return this.seq;
  }

  resume(seq: number): void {
    this.seq = seq;
  }

  /** Runs a side effect of the case (an activity or a command), see kernel/steps.ts. */
  step<T>(name: string, call: () => Promise<T>): Promise<T> {
    return this.record.steps.run(name, call);
  }

  /**
   * Resolves once `done()` holds and the process has committed its consequences (or ended), so an
   * update's answer — and the inbox — show every consequence, e.g. the grant, or the next task.
   */
  settledOnce(done: () => boolean): Promise<void> {
    return this.messages.settledOnce(done);
  }

  /** The process waits here (for people or time); updates answered meanwhile see it settled. */
  async wait(until: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.idle = true;
    try {
      return timeoutMs === undefined ? (await condition(until), true) : await condition(until, timeoutMs);
    } finally {
      this.idle = false;
    }
  }

  /** The process has ended: nothing further will be committed. */
  finish(): void {
    this.finished = true;
  }

  openTask(taskId: string): TaskState | undefined {
    const t = this.tasks.get(taskId);
    return t?.status === 'open' ? t : undefined;
  }

  get openTasks(): TaskState[] {
    return [...this.tasks.values()].filter((t) => t.status === 'open');
  }

  /**
   * Opens the task, waits, and commits `settle(result)` together with the task's closing in one
   * transition — so the inbox, the case and the audit chain change at once.
   */
  async awaitTask(req: TaskRequest, settle: (r: TaskResult) => Change, cancelled: () => boolean = () => false): Promise<TaskResult | null> {
    const taskId = `${this.record.start.caseId}.${req.kind}.${++this.seq}`;
    const now = new Date().toISOString();
    const task: TaskState = {
      taskId,
      kind: req.kind,
      // Copies: the request's parts may be a domain template's own (frozen, shared by every case).
      assignee: { ...req.assignee },
      actions: [...req.actions],
      requiredFields: copyFieldLists(req.requiredFields),
      forms: formsFor(req.actions, req.requiredFields, req.optionalFields),
      ...(req.context ? { context: req.context } : {}),
      citation: req.citation,
      deadline: null,
      status: 'open',
      escalated: false,
      openedAt: now,
      closedAt: null,
      outcome: null,
      claimedBy: null,
    };
    const deadline = req.deadline;
    if (deadline?.hours !== undefined) {
      // Hours run on the clock and need no calendar: computed here (pure, deterministic), so no
      // command is added; the wait below is the same durable timer as for working days.
      const due = hoursDeadline(deadline.from, deadline.hours);
      const { receivedDate, dueDate, dueAt, remindAt, provisional } = due;
      task.deadline = { unit: 'hours', hours: due.hours, ...(deadline.key ? { key: deadline.key } : {}), from: deadline.from, receivedDate, dueDate, dueAt, remindAt, provisional, citation: deadline.citation, onMissed: deadline.onMissed };
    } else if (deadline) {
      // The same activity, with the same arguments, as before hours existed: histories replay as recorded.
      const workingDays = deadline.workingDays;
      const due = await this.step('deadline', () => computeDeadline({ from: deadline.from, workingDays, leadWorkingDays: this.leadWorkingDays }));
      task.deadline = { ...due, ...(deadline.key ? { key: deadline.key } : {}), from: deadline.from, unit: 'working_days', workingDays, citation: deadline.citation, onMissed: deadline.onMissed };
    }
    this.tasks.set(taskId, task);
    if (req.check) this.checks.set(taskId, req.check);
    await this.record.commit({
      status: req.status,
      deadlines: task.deadline ? [...this.record.view.deadlines, deadlineView(task)] : undefined,
      events: [...(req.events ?? []), { actor: SYSTEM_ACTOR, event: 'task_opened', detail: taskDetail(task), citation: req.citation }],
      tasks: [task],
      documents: req.documents,
    });

    let reminded = false;
    for (;;) {
      const decision = this.decisions.get(taskId);
      if (decision) {
        const r: TaskResult = { kind: 'decided', action: decision.action, fields: decision.fields, by: decision.caller };
        await this.close(task, 'met', { action: decision.action, by: decision.caller.principalId }, settle(r), decision);
        return r;
      }
      if (cancelled()) return null; // the caller closes every open task (withdrawal)
      if (this.calendarChanged) {
        await this.recomputeProvisional();
        continue;
      }
      const nowMs = Date.now();
      const d = task.deadline;
      if (!d || task.escalated) {
        // After escalation the task waits without a deadline; the supervisor's order is recorded
        // here, and the correction it orders waits for the agency or its own deadline.
        const supervision = this.openTasks.find((t) => t.kind === 'supervision' && t.outcome?.supervises === taskId);
        if (supervision && this.decisions.has(supervision.taskId)) {
          await this.recordSupervision(supervision, task);
          continue;
        }
        const correction = this.openTasks.find((t) => t.kind === CORRECTION_TASK.kind && t.outcome?.corrects === taskId);
        if (correction && this.decisions.has(correction.taskId)) {
          await this.closeCorrection(correction, 'met');
          continue;
        }
        const correctionDue = correction?.deadline ? Date.parse(correction.deadline.dueAt) : undefined;
        if (correction && correctionDue !== undefined && Date.now() >= correctionDue) {
          await this.closeCorrection(correction, 'missed');
          continue;
        }
        const woken = () =>
          this.decisions.has(taskId) ||
          cancelled() ||
          this.calendarChanged ||
          (!!supervision && this.decisions.has(supervision.taskId)) ||
          (!!correction && this.decisions.has(correction.taskId));
        if (correctionDue === undefined) await this.wait(woken);
        else await this.wait(woken, correctionDue - Date.now());
        continue;
      }
      const dueMs = Date.parse(d.dueAt);
      if (nowMs >= dueMs) {
        if (d.onMissed === 'deem_consent') {
          const r: TaskResult = { kind: 'deemed' };
          await this.close(task, 'missed', { deemed: true }, settle(r));
          return r;
        }
        await this.escalate(task);
        continue;
      }
      const remindMs = Date.parse(d.remindAt);
      if (!reminded && nowMs >= remindMs) {
        reminded = true;
        await this.record.commit({
          events: [{ actor: SYSTEM_ACTOR, event: 'deadline_reminder', detail: { taskId, dueAt: d.dueAt, dueDate: d.dueDate }, citation: d.citation }],
        });
        continue;
      }
      const wakeMs = (reminded ? dueMs : Math.min(remindMs, dueMs)) - nowMs;
      const seen = this.retimed;
      await this.wait(() => this.decisions.has(taskId) || cancelled() || this.calendarChanged || this.retimed !== seen, wakeMs);
      if (this.retimed !== seen && Date.parse(task.deadline!.remindAt) > Date.now()) reminded = false;
    }
  }

  /**
   * Moves a running deadline to a new total of working days from the same start (e.g. an
   * approved extension, sz-open-2023:10): the timer waiting on it re-arms at the new instant.
   * Refused (false) when the task is not open, has no deadline, has already escalated, or its
   * period is in hours.
   */
  async retime(taskId: string, workingDays: number, change: Change): Promise<boolean> {
    const task = this.openTask(taskId);
    const d = task?.deadline;
    if (!task || !d || task.escalated || d.unit === 'hours') return false;
    const due = await this.step('deadline', () => computeDeadline({ from: d.from, workingDays, leadWorkingDays: this.leadWorkingDays }));
    task.deadline = { ...d, ...due, workingDays };
    await this.record.commit({
      ...change,
      deadlines: this.record.view.deadlines.map((x) => (x.key === deadlineKey(task) && x.state === 'running' ? deadlineView(task) : x)),
      tasks: [task, ...(change.tasks ?? [])],
    });
    this.retimed++;
    return true;
  }

  /** Closes every open task (e.g. withdrawal) in the same transition as `change`. */
  async closeAll(reason: string, change: Change): Promise<void> {
    const open = this.openTasks;
    const at = new Date().toISOString();
    for (const t of open) {
      t.status = 'closed';
      t.closedAt = at;
      t.outcome = { closedBy: reason };
    }
    const keys = new Set(open.filter((t) => t.deadline).map(deadlineKey));
    await this.record.commit({
      ...change,
      deadlines: this.record.view.deadlines.map((d) => (keys.has(d.key) && d.state === 'running' ? { ...d, state: 'cancelled' } : d)),
      tasks: [...open, ...(change.tasks ?? [])],
    });
  }

  private async close(task: TaskState, state: 'met' | 'missed', outcome: Record<string, unknown>, change: Change, decision?: DecisionInput) {
    const at = new Date().toISOString();
    task.status = 'closed';
    task.closedAt = at;
    task.outcome = outcome;
    const closing: TaskState[] = [task];
    // A supervision opened by escalation, or the correction it ordered, ends with the decision it was waiting for.
    const following = this.openTasks.filter((t) => (t.kind === 'supervision' && t.outcome?.supervises === task.taskId) || (t.kind === CORRECTION_TASK.kind && t.outcome?.corrects === task.taskId));
    for (const s of following) {
      s.status = 'closed';
      s.closedAt = at;
      s.outcome = { ...s.outcome, closedBy: 'decision' };
      closing.push(s);
    }
    const corrected = new Set(following.filter((t) => t.deadline).map(deadlineKey));
    const deadlines = this.record.view.deadlines.map((d) =>
      d.key === deadlineKey(task) && d.state === 'running'
        ? { ...d, state: task.escalated ? ('missed' as const) : state }
        : corrected.has(d.key) && d.state === 'running'
          ? { ...d, state: 'met' as const }
          : d,
    );
    const decided = decision
      ? // The caller's fields under their own key: they never stand in for the task, action or event.
        [{ actor: decision.caller.principalId, event: 'task_decided', detail: { taskId: task.taskId, action: decision.action, fields: decision.fields }, citation: task.citation }]
      : [{ actor: SYSTEM_ACTOR, event: 'deadline_passed', detail: { taskId: task.taskId, dueAt: task.deadline?.dueAt, onMissed: task.deadline?.onMissed }, citation: task.deadline?.citation ?? task.citation }];
    await this.record.commit({ ...change, deadlines: change.deadlines ?? deadlines, events: [...decided, ...change.events], tasks: [...closing, ...(change.tasks ?? [])] });
    this.settled.add(task.taskId);
  }

  /** js-2020:49 责令限期改正: the competent department of the case's jurisdiction supervises. */
  private async escalate(task: TaskState): Promise<void> {
    task.escalated = true;
    const required = patched(CORRECTION_ORDERS) ? { order_correction: [...CORRECTION_ORDER_FIELDS] } : { order_correction: ['note'] };
    const supervision: TaskState = {
      taskId: `${this.record.start.caseId}.supervision.${++this.seq}`,
      kind: 'supervision',
      assignee: { agencyId: null, role: 'competent', jurisdiction: this.record.start.jurisdiction },
      actions: ['order_correction'],
      requiredFields: required,
      forms: formsFor(['order_correction'], required),
      citation: 'js-2020:49',
      deadline: null,
      status: 'open',
      escalated: false,
      openedAt: new Date().toISOString(),
      closedAt: null,
      outcome: { supervises: task.taskId },
      claimedBy: null,
    };
    this.tasks.set(supervision.taskId, supervision);
    await this.record.commit({
      overdue: true,
      deadlines: this.record.view.deadlines.map((d) => (d.key === deadlineKey(task) && d.state === 'running' ? { ...d, state: 'missed' } : d)),
      events: [
        { actor: SYSTEM_ACTOR, event: 'deadline_missed', detail: { taskId: task.taskId, dueAt: task.deadline?.dueAt }, citation: task.deadline?.citation },
        { actor: SYSTEM_ACTOR, event: 'escalated', detail: { taskId: task.taskId, supervisionTaskId: supervision.taskId, to: supervision.assignee }, citation: 'js-2020:49' },
      ],
      tasks: [task, supervision],
    });
  }

  private async recordSupervision(s: TaskState, late: TaskState): Promise<void> {
    const d = this.decisions.get(s.taskId)!;
    const workingDays = d.fields.workingDays;
    // A supervision task of a history recorded before correction orders takes a note only.
    if (typeof workingDays !== 'number') {
      s.status = 'closed';
      s.closedAt = new Date().toISOString();
      s.outcome = { ...s.outcome, action: d.action, by: d.caller.principalId };
      await this.record.commit({
        events: [{ actor: d.caller.principalId, event: 'supervision_ordered', detail: { taskId: s.taskId, note: d.fields.note }, citation: s.citation }],
        tasks: [s],
      });
      this.settled.add(s.taskId);
      return;
    }
    const from = new Date().toISOString();
    const due = await this.step('deadline', () => computeDeadline({ from, workingDays, leadWorkingDays: this.leadWorkingDays }));
    const reason = String(d.fields.reason ?? '');
    s.status = 'closed';
    s.closedAt = from;
    s.outcome = { ...s.outcome, action: d.action, by: d.caller.principalId, workingDays, reason };
    const correction: TaskState = {
      taskId: `${this.record.start.caseId}.${CORRECTION_TASK.kind}.${++this.seq}`,
      kind: CORRECTION_TASK.kind,
      assignee: { ...late.assignee },
      actions: [...CORRECTION_TASK.actions],
      requiredFields: copyFieldLists(CORRECTION_TASK.requiredFields),
      forms: formsFor(CORRECTION_TASK.actions, CORRECTION_TASK.requiredFields),
      context: { order: { reason, workingDays, orderedBy: d.caller.principalId, supervisionTaskId: s.taskId, lateTaskId: late.taskId } },
      citation: CORRECTION_CITATION,
      deadline: { ...due, key: `${CORRECTION_TASK.kind}.${late.taskId}`, from, unit: 'working_days', workingDays, citation: CORRECTION_CITATION, onMissed: 'none' },
      status: 'open',
      escalated: false,
      openedAt: from,
      closedAt: null,
      outcome: { corrects: late.taskId, orderedBy: d.caller.principalId, reason },
      claimedBy: null,
    };
    this.tasks.set(correction.taskId, correction);
    await this.record.commit({
      deadlines: [...this.record.view.deadlines, deadlineView(correction)],
      events: [
        { actor: d.caller.principalId, event: 'supervision_ordered', detail: { taskId: s.taskId, lateTaskId: late.taskId, workingDays, reason, correctionTaskId: correction.taskId, dueAt: due.dueAt }, citation: CORRECTION_CITATION },
        { actor: SYSTEM_ACTOR, event: 'task_opened', detail: taskDetail(correction), citation: CORRECTION_CITATION },
      ],
      tasks: [s, correction],
    });
    this.settled.add(s.taskId);
  }

  /**
   * The ordered correction ends: reported by the agency in time (met), or its period passed
   * (missed) — then a public notice (通报批评, js-2020:49) is issued with the audit entry.
   */
  private async closeCorrection(c: TaskState, state: 'met' | 'missed'): Promise<void> {
    const d = state === 'met' ? this.decisions.get(c.taskId) : undefined;
    c.status = 'closed';
    c.closedAt = new Date().toISOString();
    const orderedBy = String(c.outcome?.orderedBy ?? SYSTEM_ACTOR);
    const reason = String(c.outcome?.reason ?? '');
    const notice = state === 'missed' ? `${c.taskId}.notice` : undefined;
    c.outcome = { ...c.outcome, ...(d ? { action: d.action, by: d.caller.principalId } : { missed: true, noticeId: notice }) };
    const key = deadlineKey(c);
    await this.record.commit({
      deadlines: this.record.view.deadlines.map((x) => (x.key === key && x.state === 'running' ? { ...x, state } : x)),
      events: d
        ? [{ actor: d.caller.principalId, event: 'task_decided', detail: { taskId: c.taskId, action: d.action, fields: d.fields }, citation: CORRECTION_CITATION }]
        : [
            { actor: SYSTEM_ACTOR, event: 'deadline_missed', detail: { taskId: c.taskId, dueAt: c.deadline?.dueAt }, citation: CORRECTION_CITATION },
            { actor: SYSTEM_ACTOR, event: 'public_notice', detail: { noticeId: notice, taskId: c.taskId, agencyId: c.assignee.agencyId, reason, orderedBy }, citation: CORRECTION_CITATION },
          ],
      tasks: [c],
      ...(notice
        ? { notices: [{ id: notice, taskId: c.taskId, agencyId: c.assignee.agencyId, reason, orderedBy, dueAt: c.deadline!.dueAt, citation: CORRECTION_CITATION }] }
        : {}),
    });
    if (d) this.settled.add(c.taskId);
  }

  /** A loaded calendar year may move provisional deadlines: recompute them and their timers. */
  private async recomputeProvisional(): Promise<void> {
    this.calendarChanged = false;
    const changed: TaskState[] = [];
    for (const t of this.openTasks) {
      const d = t.deadline;
      // Only working days depend on a year's arrangement; hours are never provisional.
      if (!d || !d.provisional || t.escalated || d.unit === 'hours') continue;
      const due = await this.step('deadline', () => computeDeadline({ from: d.from, workingDays: d.workingDays, leadWorkingDays: this.leadWorkingDays }));
      if (due.dueAt !== d.dueAt || due.provisional !== d.provisional) {
        t.deadline = { ...d, ...due };
        changed.push(t);
      }
    }
    if (!changed.length) return;
    const byKind = new Map(changed.map((t) => [deadlineKey(t), t]));
    await this.record.commit({
      deadlines: this.record.view.deadlines.map((d) => {
        const t = byKind.get(d.key);
        return t && d.state === 'running' ? deadlineView(t) : d;
      }),
      events: changed.map((t) => ({ actor: SYSTEM_ACTOR, event: 'deadline_recomputed', detail: { taskId: t.taskId, dueDate: t.deadline!.dueDate, dueAt: t.deadline!.dueAt, provisional: t.deadline!.provisional }, citation: t.deadline!.citation })),
      tasks: changed,
    });
  }
}
