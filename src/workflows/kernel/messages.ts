import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseView } from '../../domain/cases';
import type { Caller, ClaimOp, DecisionInput } from '../../domain/tasks';

/**
 * An update, not a query: the API must not answer 201 before the case's first state is committed
 * to PostgreSQL, and the update returns only once it is.
 */
export const openedUpdate = defineUpdate<{ revision: number }>('opened');

/**
 * A person's decision on a task. An update, not a signal: the caller must know whether it was
 * accepted (the validator refuses the wrong actor, an action not offered, a refusal without legal
 * basis, a task no longer open) and the answer comes only once the decision is committed.
 */
export const decideUpdate = defineUpdate<{ revision: number }, [DecisionInput]>('decide');

export interface CaseActionInput {
  action: string;
  caller: Caller;
  fields: Record<string, unknown>;
}

/** A party's action on the case itself (withdraw, dispose, …), validated like a decision. */
export const caseActionUpdate = defineUpdate<{ revision: number }, [CaseActionInput]>('caseAction');

export interface ClaimInput {
  taskId: string;
  op: ClaimOp;
  caller: Caller;
  /** For a hand-over: the colleague, as the API found them. */
  to?: Caller;
}

/**
 * Claim, release or hand over a task. An update judged in turn with decisions (kernel/mailbox.ts),
 * so a colleague's claim and a decision can never both succeed; the claim and its audit entry are
 * committed in one transaction.
 */
export const claimUpdate = defineUpdate<{ revision: number; claimedBy: string | null }, [ClaimInput]>('claim');

/**
 * Try again the step a case is stuck on (it needs attention, API-2.md "Integrity"). Answers once
 * the attempt is over: refused with `retry_failed` when it failed again.
 */
export const retryUpdate = defineUpdate<{ revision: number }, [{ caller: Caller }]>('retry');

/** The case as the workflow holds it (for administrators and debugging; the API reads PostgreSQL). */
export const caseQuery = defineQuery<CaseView>('case');

/**
 * A calendar year's official arrangement was loaded: a case holding a provisional deadline
 * recomputes it (through the calendar activity, so the result is in history) and moves its timer.
 * A signal, not an update: the administrator's PUT must not wait on every running case.
 */
export const calendarChangedSignal = defineSignal<[{ year: number }]>('calendarChanged');

export interface DataWithdrawn {
  claimCaseId: string;
  /** Who decided the withdrawal, and under which article. */
  actor: string;
  citation: string;
}

/**
 * A rights claim withdrew the dataset from open use: an open-data case holding a grant on it
 * suspends that grant itself (its state stays its own) and refuses to lift it again. A signal:
 * the claim must not wait on every open-data case.
 */
export const dataWithdrawnSignal = defineSignal<[DataWithdrawn]>('dataWithdrawn');
