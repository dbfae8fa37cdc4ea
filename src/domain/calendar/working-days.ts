// Working days of the official PRC calendar in Asia/Shanghai, and "N 个工作日内" deadlines.
//
// Year sources, by precedence: years loaded by administrators (official) > years the pinned
// `chinese-days` package publishes (official) > the statutory year computed from the 办法.
// A date is off when its year lists it as a holiday, worked when listed as a workday, and
// otherwise worked Monday–Friday. A date from 25 December on is first looked up in the next
// year's arrangement, whose New Year block may reach back into December.
import {
  CalendarError,
  assertIsoDate,
  endOfShanghaiDay,
  fromDayNumber,
  isWeekend,
  normaliseInstant,
  shanghaiDate,
  toDayNumber,
  yearOf,
} from './dates';
import { packageYear } from './package-years';
import { statutoryYear } from './statutory';
import { CROSS_YEAR_FROM, MAX_WORKING_DAYS, type Deadline, type YearArrangement, type YearSource } from './types';
import { validateYearArrangement } from './validate';

interface CompiledYear {
  arrangement: YearArrangement;
  holidays: Set<string>;
  workdays: Set<string>;
}

function compile(a: YearArrangement): CompiledYear {
  return { arrangement: a, holidays: new Set(a.holidays), workdays: new Set(a.workdays) };
}

function copy(a: YearArrangement): YearArrangement {
  return { year: a.year, source: a.source, holidays: [...a.holidays], workdays: [...a.workdays] };
}

export class WorkingDayCalendar {
  private readonly loaded = new Map<number, YearArrangement>();
  private readonly compiled = new Map<number, CompiledYear>();

  /**
   * @param loaded official arrangements loaded by administrators (from the database); each must
   *   pass validateYearArrangement, and a year may appear once. They win over the package.
   */
  constructor(loaded: readonly YearArrangement[] = []) {
    for (const a of loaded) {
      if (this.loaded.has(a.year)) {
        throw new CalendarError('INVALID_ARRANGEMENT', `year ${a.year} loaded twice`);
      }
      const violations = validateYearArrangement(a.year, a);
      if (violations.length > 0) {
        const list = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
        throw new CalendarError('INVALID_ARRANGEMENT', `loaded year ${a.year} is invalid: ${list}`);
      }
      this.loaded.set(a.year, {
        year: a.year,
        source: 'official',
        holidays: [...new Set(a.holidays)].sort(),
        workdays: [...new Set(a.workdays)].sort(),
      });
    }
  }

  private get(y: number): CompiledYear {
    let c = this.compiled.get(y);
    if (!c) {
      c = compile(this.loaded.get(y) ?? packageYear(y) ?? statutoryYear(y));
      this.compiled.set(y, c);
    }
    return c;
  }

  /** The arrangement in force for `year`: loaded > package > statutory (throws outside range). */
  year(year: number): YearArrangement {
    if (!Number.isInteger(year)) throw new CalendarError('YEAR_NOT_SUPPORTED', `year ${year}`);
    return copy(this.get(year).arrangement);
  }

  /** 'official' when the year's State Council arrangement is known, else 'statutory'. */
  source(year: number): YearSource {
    return this.get(year).arrangement.source;
  }

  /** The years whose arrangements decide whether `date` is worked. */
  private governingYears(date: string): number[] {
    const y = yearOf(date);
    return date.slice(5) >= CROSS_YEAR_FROM ? [y + 1, y] : [y];
  }

  isWorkingDay(date: string): boolean {
    assertIsoDate(date);
    return this.isWorking(date);
  }

  private isWorking(date: string): boolean {
    for (const y of this.governingYears(date)) {
      const c = this.get(y);
      if (c.holidays.has(date)) return false;
      if (c.workdays.has(date)) return true;
    }
    return !isWeekend(date);
  }

  /**
   * "Within N working days" of `fromInstant`: the day of receipt (its Asia/Shanghai calendar day)
   * is not counted; the deadline is 24:00 Asia/Shanghai of the N-th working day after it.
   */
  deadline(fromInstant: string, workingDays: number): Deadline {
    if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > MAX_WORKING_DAYS) {
      throw new CalendarError(
        'INVALID_WORKING_DAYS',
        `workingDays must be an integer from 1 to ${MAX_WORKING_DAYS}, got ${String(workingDays)}`,
      );
    }
    const from = normaliseInstant(fromInstant);
    const receivedDate = shanghaiDate(from);
    const touched = new Set<number>();
    let day = toDayNumber(receivedDate);
    let left = workingDays;
    let date = receivedDate;
    while (left > 0) {
      day += 1;
      date = fromDayNumber(day);
      for (const y of this.governingYears(date)) touched.add(y);
      if (this.isWorking(date)) left -= 1;
    }
    const yearsUsed = [...touched].sort((a, b) => a - b);
    return {
      from,
      workingDays,
      receivedDate,
      dueDate: date,
      dueAt: endOfShanghaiDay(date),
      provisional: yearsUsed.some((y) => this.source(y) === 'statutory'),
      yearsUsed,
    };
  }
}
