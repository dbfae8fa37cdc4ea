// Pure calendar-date arithmetic on 'YYYY-MM-DD' strings and integer day numbers.
// Never uses the machine's local time zone: every Date call is Date.UTC / getUTC*.

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai is UTC+8 all year (no DST since 1991).

export type CalendarErrorCode =
  | 'INVALID_DATE'
  | 'INVALID_INSTANT'
  | 'INVALID_WORKING_DAYS'
  | 'INVALID_HOURS'
  | 'INVALID_ARRANGEMENT'
  | 'YEAR_NOT_SUPPORTED';

/** Typed error for every bad input or unsupported year in the calendar. */
export class CalendarError extends RangeError {
  readonly code: CalendarErrorCode;
  constructor(code: CalendarErrorCode, message: string) {
    super(message);
    this.name = 'CalendarError';
    this.code = code;
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when s is 'YYYY-MM-DD' naming a real Gregorian date. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function assertIsoDate(s: string): void {
  if (!isIsoDate(s)) throw new CalendarError('INVALID_DATE', `not a real date 'YYYY-MM-DD': ${String(s)}`);
}

/** Days since 1970-01-01 (that day is 0). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 as written
  return Math.round(d.getTime() / MS_PER_DAY);
}

export function toDayNumber(date: string): number {
  assertIsoDate(date);
  return dayNumberOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

export function fromDayNumber(n: number): string {
  const d = new Date(n * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function ymd(year: number, month: number, day: number): string {
  return fromDayNumber(dayNumberOf(year, month, day));
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekday(date: string): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

// An instant must carry its offset ('Z' or ±hh:mm): a bare local time would depend on the machine.
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an ISO-8601 instant with an explicit offset into epoch milliseconds. */
export function parseInstant(instant: string): number {
  const m = typeof instant === 'string' ? INSTANT_RE.exec(instant) : null;
  const bad = () => new CalendarError('INVALID_INSTANT', `not an ISO instant with offset: ${String(instant)}`);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s = '0', frac = '0', off] = m;
  if (!isIsoDate(`${y}-${mo}-${d}`)) throw bad();
  const hh = Number(h);
  const mm = Number(mi);
  const ss = Number(s);
  if (hh > 23 || mm > 59 || ss > 59) throw bad();
  let offsetMin = 0;
  if (off.toUpperCase() !== 'Z') {
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) throw bad();
    offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Math.floor(Number(`0.${frac}`) * 1000);
  const t = dayNumberOf(Number(y), Number(mo), Number(d)) * MS_PER_DAY;
  return t + ((hh * 60 + mm - offsetMin) * 60 + ss) * 1000 + ms;
}

/** The instant normalised to `toISOString()` form (UTC, milliseconds). */
export function normaliseInstant(instant: string): string {
  return new Date(parseInstant(instant)).toISOString();
}

/** The calendar day of the instant in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiDate(instant: string): string {
  return fromDayNumber(Math.floor((parseInstant(instant) + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** 24:00 Asia/Shanghai at the end of `date` (= next day 00:00 +08:00), as an ISO instant. */
export function endOfShanghaiDay(date: string): string {
  assertIsoDate(date);
  return new Date(toDayNumber(date) * MS_PER_DAY + MS_PER_DAY - SHANGHAI_OFFSET_MS).toISOString();
}
