// Chinese lunisolar (农历) dates → Gregorian dates.
//
// Month lengths and leap months come from the pinned `chinese-days` package: its `monthDays` and
// `getYearLeapMonth` read the standard 1900–2100 bit-encoded lunar table (astronomical data from
// the Purple Mountain Observatory computations). We only read month lengths from it; the day
// counting below is ours, in integer day numbers, so the machine's time zone never matters (the
// package's own date-taking helpers do depend on it). Epoch: lunar 1900-01-01 = 1900-01-31.
// The UMD build is imported (see chinese-days-umd.d.ts): the Temporal bundler rejects the ESM one.
import chineseDays from 'chinese-days/dist/index.min.js';
import { CalendarError, dayNumberOf, fromDayNumber } from './dates';

export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2100;

const EPOCH = dayNumberOf(1900, 1, 31);

function checkYear(lunarYear: number): void {
  if (!Number.isInteger(lunarYear) || lunarYear < LUNAR_MIN_YEAR || lunarYear > LUNAR_MAX_YEAR) {
    throw new CalendarError(
      'YEAR_NOT_SUPPORTED',
      `lunar year ${lunarYear} outside the lunar table ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`,
    );
  }
}

interface LunarYearInfo {
  /** Lengths of the regular months 1..12 (index 0 = month 1). */
  months: number[];
  /** Regular month after which the leap month comes, 0 if none. */
  leapMonth: number;
  leapDays: number;
  total: number;
}

const yearInfo = new Map<number, LunarYearInfo>();
const yearStart = new Map<number, number>(); // lunar year → day number of its 1st day (正月初一)

function info(lunarYear: number): LunarYearInfo {
  checkYear(lunarYear);
  let v = yearInfo.get(lunarYear);
  if (!v) {
    const months = Array.from({ length: 12 }, (_, i) => chineseDays.monthDays(lunarYear, i + 1));
    const leap = chineseDays.getYearLeapMonth(lunarYear);
    const leapMonth = leap.leapMonth ?? 0;
    const leapDays = leapMonth ? leap.days : 0;
    for (const n of [...months, ...(leapMonth ? [leapDays] : [])]) {
      if (n !== 29 && n !== 30) throw new Error(`lunar table: month of ${n} days in ${lunarYear}`);
    }
    const total = months.reduce((a, b) => a + b, 0) + leapDays;
    v = { months, leapMonth, leapDays, total };
    yearInfo.set(lunarYear, v);
  }
  return v;
}

function startOfLunarYear(lunarYear: number): number {
  checkYear(lunarYear);
  const cached = yearStart.get(lunarYear);
  if (cached !== undefined) return cached;
  let n = EPOCH;
  for (let y = LUNAR_MIN_YEAR; y < lunarYear; y++) n += info(y).total;
  yearStart.set(lunarYear, n);
  return n;
}

/** Number of days of a lunar month (leap = the leap month that follows `month`). */
export function lunarMonthLength(lunarYear: number, month: number, leap = false): number {
  const v = info(lunarYear);
  if (leap) {
    if (v.leapMonth !== month) throw new CalendarError('INVALID_DATE', `no leap month ${month} in ${lunarYear}`);
    return v.leapDays;
  }
  return v.months[month - 1];
}

/** Leap month of a lunar year (0 if none). */
export function lunarLeapMonth(lunarYear: number): number {
  return info(lunarYear).leapMonth;
}

/** Gregorian 'YYYY-MM-DD' of a lunar date. */
export function lunarToSolar(lunarYear: number, month: number, day: number, leap = false): string {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new CalendarError('INVALID_DATE', `lunar month ${month}`);
  }
  const v = info(lunarYear);
  const length = lunarMonthLength(lunarYear, month, leap);
  if (!Number.isInteger(day) || day < 1 || day > length) {
    throw new CalendarError('INVALID_DATE', `lunar day ${day} of month ${month} (${length} days) in ${lunarYear}`);
  }
  let n = startOfLunarYear(lunarYear);
  for (let m = 1; m < month; m++) n += v.months[m - 1];
  if (v.leapMonth && v.leapMonth < month) n += v.leapDays; // the leap month follows month leapMonth
  if (leap) n += v.months[month - 1]; // a leap month follows its regular namesake
  return fromDayNumber(n + day - 1);
}

/** 春节: 1st day of the 1st lunar month of lunar year `year`. */
export function springFestival(year: number): string {
  return lunarToSolar(year, 1, 1);
}

/** 除夕: last day of the 12th month of the previous lunar year (its 29th or 30th). */
export function lunarNewYearsEve(year: number): string {
  return fromDayNumber(startOfLunarYear(year) - 1);
}

/** 端午: 5th day of the 5th lunar month. */
export function dragonBoatFestival(year: number): string {
  return lunarToSolar(year, 5, 5);
}

/** 中秋: 15th day of the 8th lunar month. */
export function midAutumnFestival(year: number): string {
  return lunarToSolar(year, 8, 15);
}
