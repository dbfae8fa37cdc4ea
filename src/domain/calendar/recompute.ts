// The calendar side of "loading a year recomputes every running case whose deadline was
// provisional": which held deadlines change under the new calendar.
import type { Deadline } from './types';
import type { WorkingDayCalendar } from './working-days';

export interface HeldDeadline {
  id: string;
  from: string;
  workingDays: number;
  /** As held by the case; when absent, recomputed with the `before` calendar. */
  dueDate?: string;
  dueAt?: string;
  provisional?: boolean;
}

export interface DeadlineChange {
  id: string;
  before: { dueDate: string; dueAt: string; provisional: boolean };
  after: Deadline;
  /** What differs: the due date (and so dueAt) and/or the provisional flag. */
  changed: ('dueDate' | 'dueAt' | 'provisional')[];
  /**
   * The new due date is earlier than the old one. Loading an official year can do this (its
   * adjusted working weekends count; a statutory year has none): the caller must decide what a
   * deadline that is already past under the new calendar means for the case.
   */
  movedEarlier: boolean;
}

/**
 * Recomputes `deadlines` with `after` and returns those whose dueDate, dueAt or provisional flag
 * changes. Pass the running deadlines that are provisional (or any set: unchanged ones are left out).
 */
export function changedDeadlines(
  before: WorkingDayCalendar,
  after: WorkingDayCalendar,
  deadlines: readonly HeldDeadline[],
): DeadlineChange[] {
  const changes: DeadlineChange[] = [];
  for (const held of deadlines) {
    const old =
      held.dueDate !== undefined && held.dueAt !== undefined && held.provisional !== undefined
        ? { dueDate: held.dueDate, dueAt: held.dueAt, provisional: held.provisional }
        : pick(before.deadline(held.from, held.workingDays), held);
    const next = after.deadline(held.from, held.workingDays);
    const changed: DeadlineChange['changed'] = [];
    if (next.dueDate !== old.dueDate) changed.push('dueDate');
    if (next.dueAt !== old.dueAt) changed.push('dueAt');
    if (next.provisional !== old.provisional) changed.push('provisional');
    if (changed.length > 0) {
      changes.push({ id: held.id, before: old, after: next, changed, movedEarlier: next.dueDate < old.dueDate });
    }
  }
  return changes;
}

function pick(d: Deadline, held: HeldDeadline) {
  return {
    dueDate: held.dueDate ?? d.dueDate,
    dueAt: held.dueAt ?? d.dueAt,
    provisional: held.provisional ?? d.provisional,
  };
}
