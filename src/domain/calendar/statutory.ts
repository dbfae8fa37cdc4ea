// The "statutory" year: holidays fixed by 《全国年节及纪念日放假办法》 as revised in 2024 (in force
// 1 January 2025), for a year whose official arrangement has not been published or loaded.
//
// Art. 2 (holidays for all citizens): 元旦 1 Jan; 春节 除夕 and lunar 1/1–1/3 (4 days); 清明 the
// day of the 清明 solar term; 劳动节 1–2 May; 端午 lunar 5/5; 中秋 lunar 8/15; 国庆节 1–3 Oct.
// Art. 6: a holiday for all citizens falling on a Saturday or Sunday is compensated on a working
// day (补假). We place each such day on the first Monday–Friday after its holiday block that is not
// already a holiday (earlier compensations count as holidays). A date that is two holidays at once
// (e.g. 中秋 on 1 October, as in 2031) is one day off: the text grants no extra day for it (the
// State Council usually adds one by 调休; the official year will say), and counting too few days
// off errs towards an earlier provisional deadline rather than a later one.
import { CalendarError, addDays, dayNumberOf, fromDayNumber, toDayNumber, weekdayOfDayNumber } from './dates';
import { dragonBoatFestival, lunarNewYearsEve, midAutumnFestival, springFestival } from './lunar';
import { qingmingDate } from './solar-terms';
import type { YearArrangement } from './types';

/** The revised 办法 applies from 2025; earlier years all have published arrangements. */
export const STATUTORY_MIN_YEAR = 2025;
/** Last year covered by the lunar table and tested solar-term computation. */
export const STATUTORY_MAX_YEAR = 2099;

export type Festival =
  | 'new-year'
  | 'spring-festival'
  | 'qingming'
  | 'labour-day'
  | 'dragon-boat'
  | 'mid-autumn'
  | 'national-day';

export interface FestivalBlock {
  festival: Festival;
  /** Consecutive dates of the holiday, ascending. */
  dates: string[];
}

function run(first: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(first, i));
}

export function checkStatutoryYear(year: number): void {
  if (!Number.isInteger(year) || year < STATUTORY_MIN_YEAR || year > STATUTORY_MAX_YEAR) {
    throw new CalendarError(
      'YEAR_NOT_SUPPORTED',
      `no official arrangement for ${year}, and statutory years are computed for ` +
        `${STATUTORY_MIN_YEAR}–${STATUTORY_MAX_YEAR} only`,
    );
  }
}

/** The statutory holidays of `year` (Art. 2), before compensation, in calendar order. */
export function festivalBlocks(year: number): FestivalBlock[] {
  checkStatutoryYear(year);
  const blocks: FestivalBlock[] = [
    { festival: 'new-year', dates: [fromDayNumber(dayNumberOf(year, 1, 1))] },
    { festival: 'spring-festival', dates: [lunarNewYearsEve(year), ...run(springFestival(year), 3)] },
    { festival: 'qingming', dates: [qingmingDate(year)] },
    { festival: 'labour-day', dates: run(`${year}-05-01`, 2) },
    { festival: 'dragon-boat', dates: [dragonBoatFestival(year)] },
    { festival: 'mid-autumn', dates: [midAutumnFestival(year)] },
    { festival: 'national-day', dates: run(`${year}-10-01`, 3) },
  ];
  return blocks.sort((a, b) => (a.dates[0] < b.dates[0] ? -1 : a.dates[0] > b.dates[0] ? 1 : 0));
}

/** Compensation days (补假, Art. 6), each with the weekend holiday it compensates. */
export function compensationDays(year: number): { date: string; for: string; festival: Festival }[] {
  const blocks = festivalBlocks(year);
  const off = new Set(blocks.flatMap((b) => b.dates));
  const compensated = new Set<string>();
  const result: { date: string; for: string; festival: Festival }[] = [];
  for (const block of blocks) {
    let cursor = toDayNumber(block.dates[block.dates.length - 1]);
    for (const date of block.dates) {
      const w = weekdayOfDayNumber(toDayNumber(date));
      if ((w !== 0 && w !== 6) || compensated.has(date)) continue;
      compensated.add(date);
      do cursor++;
      while (weekdayOfDayNumber(cursor) === 0 || weekdayOfDayNumber(cursor) === 6 || off.has(fromDayNumber(cursor)));
      const day = fromDayNumber(cursor);
      off.add(day);
      result.push({ date: day, for: date, festival: block.festival });
    }
  }
  return result;
}

/** The statutory arrangement of `year`: Art. 2 holidays plus Art. 6 compensation, no workdays. */
export function statutoryYear(year: number): YearArrangement {
  const holidays = new Set(festivalBlocks(year).flatMap((b) => b.dates));
  for (const c of compensationDays(year)) holidays.add(c.date);
  return { year, source: 'statutory', holidays: [...holidays].sort(), workdays: [] };
}
