// What every case workflow sets up the same way: its record and task kernel, one mailbox for every
// message (decisions, case actions, claims, retries), the `case` query, the `opened` update the API
// waits on, the party actions it accepts, and how the case ends — with a small result, and, when
// its code fails, with its tasks closed and the case marked as needing attention.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  ContinueAsNew,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  WorkflowError,
} from '@temporalio/workflow';
import { SYSTEM_ACTOR, type CaseStart, type CaseView } from '../../domain/cases';
import { PlanError } from '../../domain/plan-error';
import { storableText } from '../../domain/storable-text';
import type { Refusal } from '../../domain/tasks';
import { SA } from '../../temporal/search-attributes';
import { CaseRecord, type RecordState } from './case-record';
import { Mailbox } from './mailbox';
import { caseActionUpdate, caseQuery, openedUpdate, type CaseActionInput } from './messages';
import { refuse, TaskKernel, type TaskResult } from './task-kernel';

export interface CaseActions {
  /** Why this action cannot be taken now (null: it may). Pure and synchronous: an update validator. */
  refusal(a: CaseActionInput): Refusal | null;
  /**
   * Hands the accepted action to the process. May return when its answer is complete; by default
   * the update answers once the process has committed something after it and settled again.
   */
  accept(a: CaseActionInput): (() => boolean) | void;
}

/** What a long-lived case carries into its next run (continue-as-new): its record, task counter and own state. */
export interface Carried<P> {
  record: RecordState;
  taskSeq: number;
  process: P;
}

/** A workflow input, possibly continuing an earlier run of the same case. */
export type CaseInput<I extends CaseStart, P> = I & { carried?: Carried<P> };

/** What a case workflow returns: small, whatever the case holds (Temporal payloads are limited). */
export interface CaseResult {
  caseId: string;
  type: string;
  status: string;
  outcome: CaseView['outcome'];
}

interface OpenedCase {
  record: CaseRecord;
  kernel: TaskKernel;
  mailbox: Mailbox;
  serial: boolean;
}

// The case of this workflow execution (each execution has its own module state in the sandbox).
let current: OpenedCase | undefined;

/** Histories run longer than this continue as new even when the server suggests nothing. */
const MAX_HISTORY_EVENTS = 10_000;

export function openCase(input: CaseInput<CaseStart, unknown>, view: CaseView, actions?: CaseActions): { record: CaseRecord; kernel: TaskKernel } {
  // Histories recorded before messages were taken one at a time replay the way they ran.
  const serial = patched('serial-messages');
  const record = new CaseRecord(input, view, input.carried?.record);
  const mailbox: Mailbox = new Mailbox((at: number): boolean => kernel.messages.settledFor(at));
  const kernel: TaskKernel = new TaskKernel(record, input.policy.reminderLeadWorkingDays, mailbox, serial);
  if (input.carried) kernel.resume(input.carried.taskSeq);
  current = { record, kernel, mailbox, serial };
  setHandler(caseQuery, () => record.view);
  setHandler(openedUpdate, async () => {
    await kernel.settledOnce(() => record.revision > 0);
    return { revision: record.revision };
  });
  const judge = (a: CaseActionInput): Refusal | null =>
    actions
      ? actions.refusal(a)
      : { status: 422, code: 'action_not_offered', message: `"${a.action}" is not an action on a ${view.type}: its steps are task decisions` };
  const apply = async (a: CaseActionInput) => {
    const before = record.revision;
    const done = actions!.accept(a) ?? (() => record.revision > before);
    await kernel.settledOnce(done);
    return { revision: record.revision };
  };
  // The process judges its case actions with its own state, which it sets up once openCase has
  // returned: the handler is registered after that (a microtask, still in this activation). A
  // continued run's first activation carries the actions that arrived meanwhile, and they would
  // otherwise be judged before the process's state exists.
  void Promise.resolve().then(() => listenToCaseActions(serial, judge, apply, kernel, mailbox));
  return { record, kernel };
}

function listenToCaseActions(
  serial: boolean,
  judge: (a: CaseActionInput) => Refusal | null,
  apply: (a: CaseActionInput) => Promise<{ revision: number }>,
  kernel: TaskKernel,
  mailbox: Mailbox,
): void {
  if (serial) {
    setHandler(
      caseActionUpdate,
      (a) =>
        mailbox.take(async () => {
          const r = kernel.messages.attentionRefusal() ?? judge(a);
          if (r) refuse(r);
          return apply(a);
        }),
      {
        validator: (a) => {
          const r = kernel.messages.quiet() ? (kernel.messages.attentionRefusal() ?? judge(a)) : null;
          if (r) refuse(r);
        },
      },
    );
  } else {
    setHandler(caseActionUpdate, apply, {
      validator: (a) => {
        const r = judge(a);
        if (r) refuse(r);
      },
    });
  }
}

/**
 * Wraps a case workflow: it returns a small result once every message handler has answered, and
 * when the process itself fails (a bug, a plan it cannot follow) the case does not vanish with its
 * tasks left open: they are closed, the case ends `failed` and shows that it needs attention.
 */
export function caseWorkflow<I extends CaseStart>(body: (input: I) => Promise<CaseView>): (input: I) => Promise<CaseResult> {
  return async (input: I) => {
    let view: CaseView;
    try {
      view = await body(input);
    } catch (err) {
      if (err instanceof ContinueAsNew || isCancellation(err) || err instanceof WorkflowError || !current) throw err;
      throw await failCase(current, err);
    }
    const c = current!;
    c.kernel.finish();
    if (c.serial) await condition(allHandlersFinished);
    return { caseId: view.caseId, type: view.type, status: view.status, outcome: view.outcome };
  };
}

async function failCase(c: OpenedCase, err: unknown): Promise<ApplicationFailure> {
  const reason = storableText(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  const since = new Date().toISOString();
  await c.kernel.closeAll('case_failed', {
    status: 'failed',
    outcome: { basis: 'failed', citation: c.record.view.outcome?.citation ?? c.record.view.policy.id, reason },
    events: [{ actor: SYSTEM_ACTOR, event: 'case_failed', detail: { reason, at: since } }],
    attention: { since, reason, step: 'process' },
  });
  upsertSearchAttributes([{ key: SA.needsAttention, value: true }]);
  c.kernel.finish();
  return err instanceof ApplicationFailure && err.nonRetryable ? err : ApplicationFailure.nonRetryable(reason, 'case_failed');
}

/**
 * For long-lived waits (a granted share, an open-data grant in use): the case should continue as
 * a new run now — its history has grown long (Temporal suggests it, or it passed
 * MAX_HISTORY_EVENTS) and nothing is pending: no message, no open task, no step in flight, nothing
 * the process itself says it holds (`pending`). Usable in a wait's condition: it turns true by
 * itself as the history grows, even through refused messages.
 */
export function continueAsNewDue(pending = false): boolean {
  const c = current!;
  if (!c.serial || pending) return false;
  const info = workflowInfo();
  if (!(info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS)) return false;
  return c.mailbox.empty && allHandlersFinished() && c.kernel.openTasks.length === 0 && c.record.steps.inFlight === 0;
}

/**
 * Continues the case as a new run carrying `process` (the process's own state, from which it can
 * resume) with its record and task counter, when continueAsNewDue(); otherwise returns at once.
 */
export async function continueAsNewIfDue<I extends CaseStart, P>(input: CaseInput<I, P>, process: () => P, pending = false): Promise<void> {
  if (!continueAsNewDue(pending)) return;
  const c = current!;
  const carried: Carried<P> = { record: c.record.carry(), taskSeq: c.kernel.carry(), process: process() };
  await continueAsNew<(i: CaseInput<I, P>) => Promise<CaseResult>>({ ...input, carried });
}

/** The API refuses a case no policy covers; should one arrive anyway, fail the case, never wedge it. */
export function planOrFail<P>(plan: () => P): P {
  try {
    return plan();
  } catch (err) {
    if (err instanceof PlanError) throw ApplicationFailure.nonRetryable(err.message, 'no_rule_in_force');
    throw err;
  }
}

/** For steps whose deadlines deem nothing (they escalate): every result is a decision. */
export function decisionOf(r: TaskResult, why: string): [string, Record<string, unknown>] {
  if (r.kind !== 'decided') throw ApplicationFailure.nonRetryable(why, 'unexpected_deemed');
  return [r.action, r.fields];
}
