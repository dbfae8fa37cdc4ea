// Deadlines counted in hours ("a leak does not wait for Monday", API-2.md P9): the period runs on
// the clock, rest days and holidays included, from the instant given to the same instant N hours
// later. Pure, like the working-day calendar: workflows compute it themselves, with no calendar to
// read, so nothing of it is recorded but the timer that waits for it.
import { CalendarError, normaliseInstant, shanghaiDate } from './dates';

/** Hour counts accepted by hoursDeadline(): up to a leap year's worth. */
export const MAX_HOURS = 8784;

const MS_PER_HOUR = 3_600_000;

export interface HoursDeadline {
  /** The instant given, normalised with toISOString(). */
  from: string;
  hours: number;
  /** Day of `from` in Asia/Shanghai (shown like a working-day deadline's day of receipt). */
  receivedDate: string;
  /** Day of dueAt in Asia/Shanghai. */
  dueDate: string;
  /** Exactly `hours` hours after `from`. */
  dueAt: string;
  /**
   * Halfway through the period (product choice, not law: a lead counted in working days means
   * nothing for a period of hours).
   */
  remindAt: string;
  /** Hours depend on no year's arrangement: never provisional. */
  provisional: false;
}

/** "Within N hours" of `fromInstant`: dueAt is N × 60 minutes later, whatever the day. */
export function hoursDeadline(fromInstant: string, hours: number): HoursDeadline {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
    throw new CalendarError('INVALID_HOURS', `hours must be an integer from 1 to ${MAX_HOURS}, got ${String(hours)}`);
  }
  const from = normaliseInstant(fromInstant);
  const start = Date.parse(from);
  const dueAt = new Date(start + hours * MS_PER_HOUR).toISOString();
  return {
    from,
    hours,
    receivedDate: shanghaiDate(from),
    dueDate: shanghaiDate(dueAt),
    dueAt,
    remindAt: new Date(start + Math.floor((hours * MS_PER_HOUR) / 2)).toISOString(),
    provisional: false,
  };
}
