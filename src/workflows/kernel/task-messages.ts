// How messages reach a case's tasks: decisions, claims and retries, each an Update taken in turn
// by the case's mailbox (kernel/mailbox.ts) and judged on the state the previous one left —
// including the deadline that decides at dueAt and a colleague's claim — then applied. Split from
// task-kernel.ts, which holds the waiting on tasks and deadlines.
import { condition, setHandler } from '@temporalio/workflow';
import type { TaskState } from '../../domain/transition';
import { claimRefusal, decisionRefusal, timingOrClaimRefusal, type Caller, type DecisionInput, type Refusal } from '../../domain/tasks';
import type { CaseRecord } from './case-record';
import type { Mailbox } from './mailbox';
import { claimUpdate, decideUpdate, retryUpdate, type ClaimInput } from './messages';
import { NOTHING_TO_RETRY } from './steps';
import { refuse } from './task-types';

const CLAIM_EVENTS = { claim: 'task_claimed', release: 'task_released', assign: 'task_handed_over' } as const;

/** The kernel's task book, shared (not copied): what a message is judged on and hands over. */
export interface TaskBook {
  tasks: Map<string, TaskState>;
  /** Decisions taken and not yet applied by the waiting task. */
  decisions: Map<string, DecisionInput>;
  /** Tasks whose decision has been committed. */
  settled: Set<string>;
  /** A process's own checks of a task's decisions. */
  checks: Map<string, (d: DecisionInput) => Refusal | null>;
  openTasks: () => TaskState[];
  /** Histories before 'serial-messages': the process waits, so an update's change is committed. */
  idle: () => boolean;
  finished: () => boolean;
}

export class TaskMessages {
  private readonly record: CaseRecord;
  private readonly mailbox: Mailbox;
  private readonly serial: boolean;

  constructor(
    c: { record: CaseRecord; mailbox: Mailbox; serial: boolean },
    private readonly book: TaskBook,
  ) {
    ({ record: this.record, mailbox: this.mailbox, serial: this.serial } = c);
    if (this.serial) {
      setHandler(
        decideUpdate,
        (d) =>
          this.mailbox.take(async (arrivedAt) => {
            const r = this.decisionRefusal(d, arrivedAt);
            if (r) refuse(r);
            book.decisions.set(d.taskId, d);
            await this.answered(() => book.settled.has(d.taskId));
            return { revision: this.record.revision };
          }),
        {
          // Synchronous, so the SDK runs it (an async validator is ignored). It refuses early only
          // when nothing is pending, i.e. when its judgment is the one the handler would make.
          validator: (d) => {
            const r = this.quiet() ? this.decisionRefusal(d, Date.now()) : null;
            if (r) refuse(r);
          },
        },
      );
    } else {
      setHandler(
        decideUpdate,
        async (d) => {
          book.decisions.set(d.taskId, d);
          await this.settledOnce(() => book.settled.has(d.taskId));
          return { revision: this.record.revision };
        },
        {
          // Two decisions in one activation: the first handler records its decision before the second is validated.
          validator: (d) => {
            const task = book.tasks.get(d.taskId);
            const open = task?.status === 'open' && !book.decisions.has(d.taskId) ? task : undefined;
            const r = decisionRefusal(open, d) ?? book.checks.get(d.taskId)?.(d) ?? null;
            if (r) refuse(r);
          },
        },
      );
    }
    setHandler(claimUpdate, (c) => this.mailbox.take(() => this.claim(c)), {
      validator: (c) => {
        const r = this.quiet() ? this.claimRefusal(c) : null;
        if (r) refuse(r);
      },
    });
    setHandler(retryUpdate, ({ caller }) => this.mailbox.take(() => this.retry(caller)), {
      validator: (_r: { caller: Caller }) => {
        if (this.mailbox.empty && !this.record.steps.attention) refuse(NOTHING_TO_RETRY);
      },
    });
  }

  /**
   * The case has settled for a message that arrived at `arrivedAt` (ms): nothing is in flight and
   * every deadline due by then has been applied — or the case has ended, or needs attention (then
   * the message is refused at once rather than left waiting).
   */
  settledFor(arrivedAt: number): boolean {
    const steps = this.record.steps;
    if (this.book.finished() || steps.attention) return true;
    return steps.inFlight === 0 && !this.book.openTasks().some((t) => t.deadline && !t.escalated && Date.parse(t.deadline.dueAt) <= arrivedAt);
  }

  /** Nothing is waiting and the case has settled now: a validator's judgment is then final. */
  quiet(): boolean {
    return this.mailbox.empty && this.settledFor(Date.now());
  }

  /** 409 while the case is stuck on a step (the message would otherwise wait for the retry). */
  attentionRefusal(): Refusal | null {
    return this.record.steps.refusal();
  }

  /**
   * Waits until `done()` holds and the process has committed its consequences (or ended). Refused
   * with 409 needs_attention when a step fails meanwhile: the message was taken and takes effect
   * once the case is retried.
   */
  async answered(done: () => boolean): Promise<void> {
    const steps = this.record.steps;
    await condition(() => (done() && steps.inFlight === 0) || this.book.finished() || steps.attention !== null);
    if (!done() && steps.attention) {
      const r = this.attentionRefusal()!;
      refuse({ ...r, message: `taken, but ${r.message}`, details: { ...steps.attention, accepted: true } });
    }
  }

  /** `answered`, or in histories recorded before, the process's own waiting point. */
  async settledOnce(done: () => boolean): Promise<void> {
    if (this.serial) return this.answered(done);
    await condition(() => done() && (this.book.idle() || this.book.finished()));
  }

  private decisionRefusal(d: DecisionInput, arrivedAt: number): Refusal | null {
    const task = this.book.tasks.get(d.taskId);
    return (
      this.attentionRefusal() ??
      timingOrClaimRefusal(task, d, arrivedAt) ??
      decisionRefusal(task?.status === 'open' && !this.book.decisions.has(d.taskId) ? task : undefined, d) ??
      this.book.checks.get(d.taskId)?.(d) ??
      null
    );
  }

  private claimRefusal(c: ClaimInput): Refusal | null {
    return this.attentionRefusal() ?? claimRefusal(this.book.tasks.get(c.taskId), c.op, c.caller, c.to);
  }

  /** Claim, release or hand over (judged in turn): the claim and its audit entry commit together. */
  private async claim(c: ClaimInput): Promise<{ revision: number; claimedBy: string | null }> {
    const r = this.claimRefusal(c);
    if (r) refuse(r);
    const task = this.book.tasks.get(c.taskId)!;
    const claimedBy = c.op === 'release' ? null : c.op === 'assign' ? c.to!.principalId : c.caller.principalId;
    if ((task.claimedBy ?? null) !== claimedBy) {
      task.claimedBy = claimedBy;
      await this.record.commit({
        events: [{ actor: c.caller.principalId, event: CLAIM_EVENTS[c.op], detail: { taskId: task.taskId, ...(c.op === 'assign' ? { to: claimedBy } : {}) } }],
        tasks: [task],
      });
    }
    return { revision: this.record.revision, claimedBy };
  }

  private async retry(caller: Caller): Promise<{ revision: number }> {
    const r = await this.record.steps.retry(caller.principalId);
    if (r) refuse(r);
    await this.answered(() => true);
    return { revision: this.record.revision };
  }
}
