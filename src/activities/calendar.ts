import type { Db } from '../db/client';
import { loadedYears } from '../db/repositories/calendar-years';
import { WorkingDayCalendar } from '../domain/calendar';

export interface DeadlineRequest {
  from: string;
  workingDays: number;
  /** Working days before the deadline at which a reminder is due (policy, default 1). */
  leadWorkingDays: number;
}

export interface ComputedDeadline {
  receivedDate: string;
  dueDate: string;
  dueAt: string;
  remindAt: string;
  provisional: boolean;
}

export function calendarActivities({ db }: { db: Db }) {
  return {
    /**
     * The calendar read happens here, in an activity, so the result is recorded in history and a
     * replay never depends on the years table as it is today.
     */
    async computeDeadline(r: DeadlineRequest): Promise<ComputedDeadline> {
      const cal = new WorkingDayCalendar(await loadedYears(db));
      const due = cal.deadline(r.from, r.workingDays);
      const leadDays = r.workingDays - r.leadWorkingDays;
      const remindAt = leadDays >= 1 ? cal.deadline(r.from, leadDays).dueAt : due.from;
      return { receivedDate: due.receivedDate, dueDate: due.dueDate, dueAt: due.dueAt, remindAt, provisional: due.provisional };
    },
  };
}
