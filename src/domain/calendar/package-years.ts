// Official arrangements published by the pinned `chinese-days` package.
//
// We read the package's built data file, not its functions: the package's date helpers format
// dates in the machine's local time zone, so west of UTC they shift every date by one day
// (e.g. with TZ=America/New_York, getDayDetail('2026-10-01') reports 2026-09-30 as National Day).
// The package's isWorkday() also treats any year it does not know as plain weekdays; here a year
// counts as published only if the data holds that year's Spring Festival holidays.
import data from 'chinese-days/dist/chinese-days.json';
import { isIsoDate, yearOf } from './dates';
import { CROSS_YEAR_FROM, type YearArrangement } from './types';

/** Shape of chinese-days' data file: date → "English name,中文名,days". */
export interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const packageData = data as unknown as PackageData;
const SPRING_FESTIVAL = 'Spring Festival';
const NEW_YEAR = "New Year's Day";

function festivalOf(description: string): string {
  return description.split(',')[0] ?? '';
}

/**
 * The arrangement year a package entry belongs to: its calendar year, except that late-December
 * entries of the New Year block belong to the next year's notice (e.g. 2018-12-29…31 → 2019).
 */
function noticeYear(date: string, description: string): number {
  const y = yearOf(date);
  return date.slice(5) >= CROSS_YEAR_FROM && festivalOf(description) === NEW_YEAR ? y + 1 : y;
}

let cache: Map<number, YearArrangement> | undefined;

/** The official arrangements in a chinese-days data file, by year (exported for tests). */
export function arrangementsFromPackageData(raw: PackageData): Map<number, YearArrangement> {
  const published = new Set<number>();
  for (const [date, description] of Object.entries(raw.holidays)) {
    if (isIsoDate(date) && festivalOf(description) === SPRING_FESTIVAL) published.add(yearOf(date));
  }
  const years = new Map<number, YearArrangement>();
  for (const y of published) years.set(y, { year: y, source: 'official', holidays: [], workdays: [] });
  const add = (list: 'holidays' | 'workdays', entries: Record<string, string>) => {
    for (const [date, description] of Object.entries(entries)) {
      if (!isIsoDate(date)) throw new Error(`chinese-days data: bad date ${date}`);
      const arrangement = years.get(noticeYear(date, description));
      // Entries of an unpublished year (a December date of a notice we lack) are dropped with it.
      if (arrangement) arrangement[list].push(date);
    }
  };
  add('holidays', raw.holidays);
  add('workdays', raw.workdays);
  for (const a of years.values()) {
    a.holidays.sort();
    a.workdays.sort();
  }
  return years;
}

function all(): Map<number, YearArrangement> {
  cache ??= arrangementsFromPackageData(packageData);
  return cache;
}

/** Years whose official arrangement the package really publishes, ascending. */
export function packageYears(): number[] {
  return [...all().keys()].sort((a, b) => a - b);
}

/** The package's official arrangement of `year`, or undefined when it does not publish it. */
export function packageYear(year: number): YearArrangement | undefined {
  const a = all().get(year);
  return a && { ...a, holidays: [...a.holidays], workdays: [...a.workdays] };
}
