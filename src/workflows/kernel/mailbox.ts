// One message at a time per case (API-2.md "Integrity"). Decisions, case actions, claims and
// retries that arrive together are taken in order of arrival; each is judged only once the case
// has settled from the one before it — its consequences committed, and every deadline that fell
// due before the message arrived applied — and is then applied or refused on that state. So two
// messages can never both be accepted on a state only one of them could leave, and a message that
// arrives after a deadline meets the deadline's consequence, not the state before it.
import { condition } from '@temporalio/workflow';

export class Mailbox {
  private issued = 0;
  private served = 0;

  /** @param settled whether the case has settled for a message that arrived at `arrivedAt` (ms, workflow time). */
  constructor(private readonly settled: (arrivedAt: number) => boolean) {}

  /** No message is waiting or being applied. */
  get empty(): boolean {
    return this.issued === this.served;
  }

  /**
   * Waits for the message's turn and for the case to settle, then runs `handle` (which judges and
   * applies the message, and returns once its consequences are committed). `arrivedAt` is the
   * workflow time at which the message arrived: the time its judgment is made for.
   */
  async take<T>(handle: (arrivedAt: number) => Promise<T>): Promise<T> {
    const ticket = ++this.issued;
    const arrivedAt = Date.now();
    try {
      await condition(() => this.served === ticket - 1 && this.settled(arrivedAt));
      return await handle(arrivedAt);
    } finally {
      this.served = ticket;
    }
  }
}
