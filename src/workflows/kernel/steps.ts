// Every side effect of a case goes through here (commits, deadline computations, stored
// documents, signals to other cases), for two reasons:
// - the case knows when nothing is in flight, i.e. it waits for a person or for time: that is when
//   a message may be judged and an update answered (kernel/mailbox.ts);
// - a step that fails in a way retrying cannot fix (the activity failed non-retryably: bad data, a
//   violated constraint, a bug) does not wedge the case silently. The case is marked as needing
//   attention — `needsAttention` on the case, the `NeedsAttention` search attribute, an `attention`
//   task for the operations agency of its jurisdiction — and the step waits until someone asks for
//   a retry (`POST /v1/cases/:caseId/retry`). Its deadlines are not suspended: once the step goes
//   through, whatever fell due meanwhile takes effect at once (API-2.md "Integrity").
import { ActivityFailure, ApplicationFailure, condition, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { KernelActivities } from '../../activities';
import type { Attention, TransitionInput } from '../../domain/transition';
import type { Refusal } from '../../domain/tasks';
import { SA } from '../../temporal/search-attributes';

// Recording attention carries no case data, so only transient failures can stop it: retried until done.
const { markNeedsAttention, resolveNeedsAttention } = proxyActivities<KernelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Why a failed step cannot be fixed by retrying it, or null when it is not that kind of failure. */
function unfixable(err: unknown): string | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) return err.cause.message;
  return null;
}

export const NOTHING_TO_RETRY: Refusal = { status: 409, code: 'nothing_to_retry', message: 'the case is not stuck on any step: there is nothing to retry' };

export interface StepContext {
  caseId: string;
  jurisdiction: string;
  /** The next audit event key of the case (deterministic, unique). */
  nextEventKey(): string;
  /** The case row as it stands, to create it when the very first step is the one failing. */
  projection(): TransitionInput['projection'];
  /** The article of the step the case is at, cited by the attention task. */
  citation(): string;
}

export class Steps {
  /** Side effects started and not finished: 0 means the case waits for a person or for time. */
  inFlight = 0;
  /** Set while a step waits for a retry. */
  attention: Attention | null = null;
  /** Finished retry attempts, so a retry request learns how its attempt went. */
  attempts = 0;
  private retryBy: string | null = null;
  private marks = 0;

  constructor(private readonly ctx: StepContext) {}

  /**
   * Runs one side effect; when it fails in a way retrying cannot fix, marks the case and runs it
   * again on each retry request until it goes through. Other failures propagate.
   */
  async run<T>(step: string, call: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      for (;;) {
        try {
          const result = await call();
          if (this.attention) await this.resolve(step);
          return result;
        } catch (err) {
          const reason = unfixable(err);
          if (reason === null) throw err;
          if (this.attention) {
            // The retry failed too: the case keeps needing attention, with the latest reason.
            this.attention = { ...this.attention, reason };
            this.retryBy = null;
            this.attempts++;
          } else await this.mark(step, reason);
          await condition(() => this.retryBy !== null);
        }
      }
    } finally {
      this.inFlight--;
    }
  }

  /** 409 needs_attention while a step waits for a retry (a message would otherwise wait with it). */
  refusal(): Refusal | null {
    const a = this.attention;
    return a
      ? { status: 409, code: 'needs_attention', message: `the case is stuck on a step (${a.step}: ${a.reason}); operations have been told, and it goes on once retried`, details: a }
      : null;
  }

  /**
   * The waiting step tries again, on behalf of `by` (admin or operations); resolves when the
   * attempt is over, with null when it went through, else why not (nothing to retry, or it failed
   * again: 409 retry_failed with the latest reason).
   */
  async retry(by: string): Promise<Refusal | null> {
    if (!this.attention) return NOTHING_TO_RETRY;
    const before = this.attempts;
    this.retryBy = by;
    await condition(() => this.attempts > before);
    const a = this.attention as Attention | null;
    return a ? { status: 409, code: 'retry_failed', message: `the step failed again: ${a.step}: ${a.reason}`, details: a } : null;
  }

  private async mark(step: string, reason: string): Promise<void> {
    const attention: Attention = { since: new Date().toISOString(), reason, step };
    const taskId = `${this.ctx.caseId}.attention.${++this.marks}`;
    await markNeedsAttention({ eventKey: this.ctx.nextEventKey(), attention, projection: this.ctx.projection(), taskId, citation: this.ctx.citation() });
    // Only once the mark is recorded: whoever is answered `needs_attention` then finds it on the case.
    this.attention = attention;
    upsertSearchAttributes([{ key: SA.needsAttention, value: true }]);
  }

  private async resolve(step: string): Promise<void> {
    const by = this.retryBy ?? 'system';
    await resolveNeedsAttention({
      eventKey: this.ctx.nextEventKey(),
      caseId: this.ctx.caseId,
      at: new Date().toISOString(),
      taskId: `${this.ctx.caseId}.attention.${this.marks}`,
      actor: by,
      step,
    });
    this.attention = null;
    this.retryBy = null;
    this.attempts++;
    upsertSearchAttributes([{ key: SA.needsAttention, value: false }]);
  }
}
