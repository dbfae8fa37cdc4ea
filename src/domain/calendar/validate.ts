// Hard rules for a year's official arrangement loaded by an administrator
// (PUT /v1/calendar/years/:year {holidays, workdays, source?}).
import { isIsoDate, ymd, isWeekend } from './dates';
import { CROSS_YEAR_FROM, type YearArrangement } from './types';

export interface Violation {
  /** 'year', 'body', 'source', 'holidays', 'workdays', or an element such as 'holidays[3]'. */
  field: string;
  message: string;
}

export const LOADABLE_MIN_YEAR = 1900;
export const LOADABLE_MAX_YEAR = 2100;
const MAX_DATES = 366;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Violations of an arrangement body for `year` (empty when acceptable). Rules:
 * - year is an integer in 1900–2100; body.year, if given, equals it; source, if given, is 'official';
 * - holidays and workdays are arrays (at most 366) of real 'YYYY-MM-DD' dates inside the year —
 *   or from 25 December of the previous year, where a New Year block may start;
 * - no date twice in a list, and none in both lists;
 * - every workday (调休上班) is a Saturday or Sunday;
 * - 1 January of the year is a holiday (元旦 is a holiday for all citizens, Art. 2 of the 办法).
 */
export function validateYearArrangement(year: number, body: unknown): Violation[] {
  const out: Violation[] = [];
  if (!Number.isInteger(year) || year < LOADABLE_MIN_YEAR || year > LOADABLE_MAX_YEAR) {
    return [{ field: 'year', message: `must be an integer from ${LOADABLE_MIN_YEAR} to ${LOADABLE_MAX_YEAR}` }];
  }
  if (!isRecord(body)) return [{ field: 'body', message: 'must be an object {holidays, workdays, source?}' }];
  if (body.year !== undefined && body.year !== year) {
    out.push({ field: 'year', message: `body says ${String(body.year)} but the year is ${year}` });
  }
  if (body.source !== undefined && body.source !== 'official') {
    out.push({ field: 'source', message: "only an 'official' arrangement can be loaded" });
  }
  const first = `${year - 1}-${CROSS_YEAR_FROM}`;
  const last = ymd(year, 12, 31);
  const lists: Record<'holidays' | 'workdays', Set<string>> = { holidays: new Set(), workdays: new Set() };
  for (const name of ['holidays', 'workdays'] as const) {
    const list = body[name];
    if (!Array.isArray(list)) {
      out.push({ field: name, message: 'must be an array of dates YYYY-MM-DD' });
      continue;
    }
    if (list.length > MAX_DATES) out.push({ field: name, message: `at most ${MAX_DATES} dates` });
    list.forEach((date: unknown, i) => {
      const field = `${name}[${i}]`;
      if (!isIsoDate(date)) {
        out.push({ field, message: `not a real date YYYY-MM-DD: ${JSON.stringify(date)}` });
      } else if (date < first || date > last) {
        out.push({ field, message: `${date} is outside ${year} (allowed ${first} to ${last})` });
      } else if (lists[name].has(date)) {
        out.push({ field, message: `${date} is listed twice` });
      } else {
        lists[name].add(date);
        if (name === 'workdays' && !isWeekend(date)) {
          out.push({ field, message: `${date} is not a Saturday or Sunday; an adjusted working day is a weekend day` });
        }
      }
    });
  }
  for (const date of lists.workdays) {
    if (lists.holidays.has(date)) out.push({ field: 'workdays', message: `${date} is both a holiday and a workday` });
  }
  if (Array.isArray(body.holidays) && !lists.holidays.has(ymd(year, 1, 1))) {
    out.push({ field: 'holidays', message: `must include ${ymd(year, 1, 1)} (元旦 is always a holiday)` });
  }
  return out;
}

export type ParseResult = { ok: true; value: YearArrangement } | { ok: false; violations: Violation[] };

/** Validates and normalises (sorted, source 'official') an administrator's body for `year`. */
export function parseYearArrangement(year: number, body: unknown): ParseResult {
  const violations = validateYearArrangement(year, body);
  if (violations.length > 0) return { ok: false, violations };
  const b = body as { holidays: string[]; workdays: string[] };
  return {
    ok: true,
    value: { year, source: 'official', holidays: [...b.holidays].sort(), workdays: [...b.workdays].sort() },
  };
}
