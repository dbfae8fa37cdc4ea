export type YearSource = 'official' | 'statutory';

/** One calendar year's arrangement. Dates are 'YYYY-MM-DD', sorted, without duplicates. */
export interface YearArrangement {
  year: number;
  source: YearSource;
  /** Days off that would otherwise be working days (and holiday days that fall on weekends). */
  holidays: string[];
  /** Adjusted working days (调休上班): weekend days that are worked. */
  workdays: string[];
}

export interface Deadline {
  /** The instant given, normalised with toISOString(). */
  from: string;
  workingDays: number;
  /** Day of receipt in Asia/Shanghai (not counted). */
  receivedDate: string;
  /** The N-th working day strictly after receivedDate. */
  dueDate: string;
  /** 24:00 Asia/Shanghai at the end of dueDate. */
  dueAt: string;
  /** True when any year consulted had no official arrangement (statutory holidays only). */
  provisional: boolean;
  /** The years whose arrangements were consulted, ascending. */
  yearsUsed: number[];
}

/**
 * A year's notice may reach back into the last days of the previous December: the New Year block
 * can start on the weekend before 1 January (the 2007, 2008, 2012, 2019 and 2023 notices did).
 * From this month-day on, a December date is also governed by the next year's arrangement.
 */
export const CROSS_YEAR_FROM = '12-25';

/** Working-day counts accepted by deadline(). */
export const MAX_WORKING_DAYS = 366;
