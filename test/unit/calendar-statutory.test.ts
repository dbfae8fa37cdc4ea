import { describe, expect, it } from 'vitest';
import {
  arrangementsFromPackageData,
  CalendarError,
  compensationDays,
  dragonBoatFestival,
  lunarNewYearsEve,
  lunarToSolar,
  midAutumnFestival,
  packageYear,
  packageYears,
  qingmingDate,
  springFestival,
  statutoryYear,
  WorkingDayCalendar,
} from '../../src/domain/calendar';
import { qingmingMarginMinutes } from '../../src/domain/calendar/solar-terms';

/** Inclusive list of dates, computed here with Date.UTC (independent of the code under test). */
function range(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

describe('package (chinese-days 1.5.7) years', () => {
  it('publishes 2004–2026 and not 2027', () => {
    expect(packageYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(packageYear(2027)).toBeUndefined();
  });

  // Transcribed from the State Council notices.
  const official: Record<number, { holidays: string[]; workdays: string[] }> = {
    2024: {
      holidays: ['2024-01-01', ...range('2024-02-10', '2024-02-17'), ...range('2024-04-04', '2024-04-06'),
        ...range('2024-05-01', '2024-05-05'), '2024-06-10', ...range('2024-09-15', '2024-09-17'),
        ...range('2024-10-01', '2024-10-07')],
      workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
    },
    2025: {
      holidays: ['2025-01-01', ...range('2025-01-28', '2025-02-04'), ...range('2025-04-04', '2025-04-06'),
        ...range('2025-05-01', '2025-05-05'), ...range('2025-05-31', '2025-06-02'), ...range('2025-10-01', '2025-10-08')],
      workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    },
    2026: {
      holidays: [...range('2026-01-01', '2026-01-03'), ...range('2026-02-15', '2026-02-23'), ...range('2026-04-04', '2026-04-06'),
        ...range('2026-05-01', '2026-05-05'), ...range('2026-06-19', '2026-06-21'), ...range('2026-09-25', '2026-09-27'),
        ...range('2026-10-01', '2026-10-07')],
      workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    },
  };

  it.each([2024, 2025, 2026])('%i agrees with the State Council notice', (year) => {
    expect(packageYear(year)).toEqual({ year, source: 'official', ...official[year] });
  });

  it('counts a year as published only when its Spring Festival is listed', () => {
    const years = arrangementsFromPackageData({
      holidays: {
        '2026-01-01': "New Year's Day,元旦,1",
        '2026-02-17': 'Spring Festival,春节,4',
        '2026-12-31': "New Year's Day,元旦,1", // a 2027 notice reaching back, without the rest of 2027
        '2027-01-01': "New Year's Day,元旦,1",
        '2027-05-01': 'Labour Day,劳动节,2',
      },
      workdays: { '2026-12-26': "New Year's Day,元旦,1", '2026-02-28': 'Spring Festival,春节,4' },
    });
    expect([...years.keys()]).toEqual([2026]);
    expect(years.get(2026)).toEqual({
      year: 2026, source: 'official', holidays: ['2026-01-01', '2026-02-17'], workdays: ['2026-02-28'],
    });
  });

  it('files late-December New Year dates under the next year (2019 notice)', () => {
    const y2019 = packageYear(2019)!;
    expect(y2019.workdays).toContain('2018-12-29');
    expect(y2019.holidays).toEqual(expect.arrayContaining(['2018-12-30', '2018-12-31', '2019-01-01']));
    expect(packageYear(2018)!.holidays).not.toContain('2018-12-31');
    expect(packageYear(2023)!.holidays).toContain('2022-12-31');
  });

  // The package's holiday data is an independent source for the computed lunar and solar dates.
  const cal = new WorkingDayCalendar();
  it.each(Array.from({ length: 19 }, (_, i) => 2008 + i))(
    '%i: computed 春节, 清明, 端午 and 中秋 are official days off',
    (year) => {
      for (const d of [springFestival(year), qingmingDate(year), dragonBoatFestival(year), midAutumnFestival(year)]) {
        expect(cal.isWorkingDay(d), d).toBe(false);
        if (d !== '2012-06-23') expect(packageYear(year)!.holidays).toContain(d);
      }
    },
  );

  it('package data gaps are weekend days inside 端午 blocks only (harmless for counting)', () => {
    // 2011 端午 6/4–6/6, 2012 6/22–6/24, 2015 6/20–6/22: the package omits one weekend day of each.
    for (const d of ['2011-06-05', '2012-06-23', '2015-06-21']) {
      expect(packageYear(Number(d.slice(0, 4)))!.holidays).not.toContain(d);
      expect(cal.isWorkingDay(d)).toBe(false);
    }
  });
});

describe('lunar dates (computed from the lunar month table)', () => {
  // year: [春节, 除夕, 端午, 中秋]
  const known: Record<number, [string, string, string, string]> = {
    2024: ['2024-02-10', '2024-02-09', '2024-06-10', '2024-09-17'],
    2025: ['2025-01-29', '2025-01-28', '2025-05-31', '2025-10-06'], // 除夕 on 腊月廿九
    2026: ['2026-02-17', '2026-02-16', '2026-06-19', '2026-09-25'],
    2027: ['2027-02-06', '2027-02-05', '2027-06-09', '2027-09-15'],
    2028: ['2028-01-26', '2028-01-25', '2028-05-28', '2028-10-03'],
    2029: ['2029-02-13', '2029-02-12', '2029-06-16', '2029-09-22'],
    2030: ['2030-02-03', '2030-02-02', '2030-06-05', '2030-09-12'],
    2031: ['2031-01-23', '2031-01-22', '2031-06-24', '2031-10-01'],
    2032: ['2032-02-11', '2032-02-10', '2032-06-12', '2032-09-19'],
    2033: ['2033-01-31', '2033-01-30', '2033-06-01', '2033-09-08'],
    2034: ['2034-02-19', '2034-02-18', '2034-06-20', '2034-09-27'],
    2035: ['2035-02-08', '2035-02-07', '2035-06-10', '2035-09-16'],
  };
  it.each(Object.keys(known).map(Number))('%i', (year) => {
    expect([springFestival(year), lunarNewYearsEve(year), dragonBoatFestival(year), midAutumnFestival(year)])
      .toEqual(known[year]);
  });

  it('handles leap months (2025 has a leap 6th month, 闰六月 from 7/25)', () => {
    expect(lunarToSolar(2025, 6, 1)).toBe('2025-06-25');
    expect(lunarToSolar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(lunarToSolar(2025, 7, 1)).toBe('2025-08-23');
    expect(() => lunarToSolar(2025, 5, 1, true)).toThrow(CalendarError);
    expect(() => lunarToSolar(2101, 1, 1)).toThrow(CalendarError);
  });
});

describe('清明 (computed from the Sun\'s apparent longitude)', () => {
  const known = ['2020-04-04', '2021-04-04', '2022-04-05', '2023-04-05', '2024-04-04', '2025-04-04', '2026-04-05',
    '2027-04-05', '2028-04-04', '2029-04-04', '2030-04-05', '2031-04-05', '2032-04-04', '2033-04-04',
    '2034-04-05', '2035-04-05'];
  it.each(known)('%s', (date) => {
    expect(qingmingDate(Number(date.slice(0, 4)))).toBe(date);
  });

  it('is far from Beijing midnight in the years statutory calendars will serve first (2027–2037)', () => {
    // The solar theory is good to ~15 minutes; a term nearer midnight than that could shift a day.
    for (let year = 2027; year <= 2037; year++) expect(qingmingMarginMinutes(year), String(year)).toBeGreaterThan(45);
  });

  // Independent check: the 寿星 formula [Y·D + C] − L (21st century, C = 4.81) for 2001–2099.
  it('agrees with the 寿星 formula for 2001–2099', () => {
    for (let year = 2001; year <= 2099; year++) {
      const Y = year % 100;
      const day = Math.floor(Y * 0.2422 + 4.81) - Math.floor(Y / 4);
      expect(qingmingDate(year), String(year)).toBe(`${year}-04-0${day}`);
    }
  });
});

describe('statutory years (放假办法 2024 revision)', () => {
  it('2027: Art. 2 holidays plus 补假 for those falling on weekends', () => {
    expect(statutoryYear(2027)).toEqual({
      year: 2027,
      source: 'statutory',
      holidays: [
        '2027-01-01', // 元旦, Fri
        '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', // 除夕 Fri, 初一 Sat, 初二 Sun, 初三 Mon
        '2027-02-09', '2027-02-10', // 补假 for Sat 2/6 and Sun 2/7
        '2027-04-05', // 清明, Mon
        '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', // 劳动节 Sat, Sun; 补假 Mon, Tue
        '2027-06-09', // 端午, Wed
        '2027-09-15', // 中秋, Wed
        '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', // 国庆 Fri–Sun; 补假 Mon, Tue
      ],
      workdays: [],
    });
  });

  it('补假 goes to the first weekday after the block that is not already a holiday', () => {
    // 2028: 元旦 Sat → Mon 1/3; 端午 Sun 5/28 → Mon 5/29; 国庆 Sun 10/1 → 10/4 (中秋 Tue 10/3 is inside 国庆).
    expect(compensationDays(2028).map((c) => [c.for, c.date])).toEqual([
      ['2028-01-01', '2028-01-03'],
      ['2028-05-28', '2028-05-29'],
      ['2028-10-01', '2028-10-04'],
    ]);
    // 2030: 除夕 Sat 2/2, 初一 Sun 2/3; 初二–初三 Mon–Tue → 补假 Wed 2/6, Thu 2/7.
    expect(compensationDays(2030).map((c) => c.date)).toEqual(['2030-02-06', '2030-02-07']);
    // 2029: 端午 Sat 6/16 → Mon 6/18; 中秋 Sat 9/22 → Mon 9/24.
    expect(compensationDays(2029).map((c) => c.date)).toEqual(['2029-06-18', '2029-09-24']);
  });

  it('a day that is two holidays at once is one day off (中秋 on 国庆, 2031)', () => {
    const y = statutoryYear(2031);
    expect(y.holidays.filter((d) => d >= '2031-09-01' && d <= '2031-10-31')).toEqual(['2031-10-01', '2031-10-02', '2031-10-03']);
  });

  it.each([2025, 2026])('%i: every statutory day off is also off in the official arrangement', (year) => {
    const official = packageYear(year)!.holidays;
    for (const d of statutoryYear(year).holidays) expect(official, d).toContain(d);
  });

  it('is only defined for 2025–2099', () => {
    expect(() => statutoryYear(2024)).toThrow(expect.objectContaining({ code: 'YEAR_NOT_SUPPORTED' }));
    expect(() => statutoryYear(2100)).toThrow(CalendarError);
    expect(statutoryYear(2099).holidays).toContain('2099-01-01');
  });
});
