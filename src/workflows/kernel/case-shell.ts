// What every case workflow sets up the same way: its record and task kernel, the `case` query, the
// `opened` update the API waits on, and the party actions it accepts (validated synchronously).
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { CaseStart, CaseView } from '../../domain/cases';
import { PlanError } from '../../domain/plan-error';
import type { Refusal } from '../../domain/tasks';
import { CaseRecord } from './case-record';
import { caseActionUpdate, caseQuery, openedUpdate, type CaseActionInput } from './messages';
import { refuse, TaskKernel, type TaskResult } from './task-kernel';

export interface CaseActions {
  /** Why this action cannot be taken now (null: it may). Pure and synchronous: an update validator. */
  refusal(a: CaseActionInput): Refusal | null;
  /**
   * Hands the accepted action to the process. May return when its answer is complete; by default
   * the update answers once the process has committed something after it and waits again.
   */
  accept(a: CaseActionInput): (() => boolean) | void;
}

export function openCase(input: CaseStart, view: CaseView, actions?: CaseActions): { record: CaseRecord; kernel: TaskKernel } {
  const record = new CaseRecord(input, view);
  const kernel = new TaskKernel(record, input.policy.reminderLeadWorkingDays);
  setHandler(caseQuery, () => record.view);
  setHandler(openedUpdate, async () => {
    await kernel.settledOnce(() => record.revision > 0);
    return { revision: record.revision };
  });
  setHandler(
    caseActionUpdate,
    async (a) => {
      const before = record.revision;
      const done = actions!.accept(a) ?? (() => record.revision > before);
      await kernel.settledOnce(done);
      return { revision: record.revision };
    },
    {
      validator: (a) => {
        const r = actions
          ? actions.refusal(a)
          : { status: 422 as const, code: 'action_not_offered', message: `"${a.action}" is not an action on a ${view.type}: its steps are task decisions` };
        if (r) refuse(r);
      },
    },
  );
  return { record, kernel };
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
