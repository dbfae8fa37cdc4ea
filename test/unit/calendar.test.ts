import { describe, expect, it } from 'vitest';
import {
  CalendarError,
  WorkingDayCalendar,
  endOfShanghaiDay,
  shanghaiDate,
  type YearArrangement,
} from '../../src/domain/calendar';

// Every expected date below was counted by hand against the State Council notices:
// 2024 国办发明电〔2023〕7号, 2025 国办发明电〔2024〕12号, 2026 (gov.cn content_7047091), and, for
// 2027 (not published in chinese-days 1.5.7), the statutory holidays of the 2024 放假办法.
const cal = new WorkingDayCalendar();

type Case = [from: string, workingDays: number, dueDate: string, provisional: boolean, reason: string];

const cases: Case[] = [
  // ---- 2024 ----
  ['2024-02-08T09:00:00+08:00', 3, '2024-02-19', false, 'Fri 2/9 (除夕, worked in 2024) 1; 2/10–2/17 春节 off; Sun 2/18 调休 2; Mon 2/19 3'],
  ['2024-02-03T10:00:00+08:00', 1, '2024-02-04', false, 'received Sat; Sun 2/4 is a 调休 working day'],
  ['2024-02-12T10:00:00+08:00', 2, '2024-02-19', false, 'received on a 春节 holiday; 2/13–2/17 off; Sun 2/18 1; Mon 2/19 2'],
  ['2024-04-03T10:00:00+08:00', 2, '2024-04-08', false, '清明 4/4–4/6 off; Sun 4/7 调休 1; Mon 4/8 2'],
  ['2024-04-26T10:00:00+08:00', 5, '2024-05-07', false, 'Sat 4/27 off; Sun 4/28 调休 1; 4/29 2; 4/30 3; 5/1–5/5 off; 5/6 4; 5/7 5'],
  ['2024-05-09T10:00:00+08:00', 2, '2024-05-11', false, 'Fri 5/10 1; Sat 5/11 调休 2'],
  ['2024-06-07T10:00:00+08:00', 1, '2024-06-11', false, '端午 Mon 6/10 off after the weekend'],
  ['2024-09-13T10:00:00+08:00', 2, '2024-09-18', false, 'Sat 9/14 调休 1; 中秋 9/15–9/17 off; Wed 9/18 2'],
  ['2024-09-27T10:00:00+08:00', 3, '2024-10-08', false, 'Sat 9/28 off; Sun 9/29 调休 1; Mon 9/30 2; 国庆 10/1–10/7 off; 10/8 3'],
  ['2024-09-30T10:00:00+08:00', 5, '2024-10-12', false, '国庆 off; 10/8–10/11 1–4; Sat 10/12 调休 5'],
  ['2024-12-30T10:00:00+08:00', 3, '2025-01-03', false, 'year crossing: Tue 12/31 1; 元旦 1/1 off; Thu 1/2 2; Fri 1/3 3'],
  // ---- 2025 ----
  ['2025-01-24T10:00:00+08:00', 2, '2025-01-27', false, 'Sat 1/25 off; Sun 1/26 调休 1; Mon 1/27 2'],
  ['2025-01-27T10:00:00+08:00', 1, '2025-02-05', false, '春节 1/28 (除夕)–2/4 off'],
  ['2025-02-05T10:00:00+08:00', 3, '2025-02-08', false, 'Thu 2/6 1; Fri 2/7 2; Sat 2/8 调休 3'],
  ['2025-04-03T10:00:00+08:00', 1, '2025-04-07', false, '清明 4/4–4/6 off'],
  ['2025-04-25T10:00:00+08:00', 1, '2025-04-27', false, 'Sat 4/26 off; Sun 4/27 调休'],
  ['2025-04-30T10:00:00+08:00', 1, '2025-05-06', false, '劳动节 5/1–5/5 off'],
  ['2025-05-30T10:00:00+08:00', 1, '2025-06-03', false, '端午 5/31–6/2 off'],
  ['2025-09-26T10:00:00+08:00', 5, '2025-10-10', false, 'Sun 9/28 调休 1; 9/29 2; 9/30 3; 国庆中秋 10/1–10/8 off; 10/9 4; 10/10 5'],
  ['2025-10-09T10:00:00+08:00', 2, '2025-10-11', false, 'Fri 10/10 1; Sat 10/11 调休 2'],
  ['2025-10-03T23:59:00+08:00', 1, '2025-10-09', false, 'received on a holiday; 10/4–10/8 off'],
  ['2025-12-31T10:00:00+08:00', 1, '2026-01-04', false, 'year crossing: 元旦 1/1–1/3 off; Sun 1/4 调休'],
  // ---- 2026 ----
  ['2025-12-31T20:00:00Z', 1, '2026-01-04', false, '12/31 in UTC but 1/1 04:00 in Shanghai: received on 元旦; Sun 1/4 调休'],
  ['2026-01-04T10:00:00+08:00', 1, '2026-01-05', false, 'received on a 调休 Sunday, which is not counted'],
  ['2026-02-13T10:00:00+08:00', 2, '2026-02-24', false, 'Sat 2/14 调休 1; 春节 2/15–2/23 off; Tue 2/24 2'],
  ['2026-02-20T10:00:00+08:00', 5, '2026-02-28', false, 'received on a 春节 holiday; 2/24–2/27 1–4; Sat 2/28 调休 5'],
  ['2026-04-03T10:00:00+08:00', 1, '2026-04-07', false, '清明 4/4–4/6 off'],
  ['2026-04-30T10:00:00+08:00', 3, '2026-05-08', false, '劳动节 5/1–5/5 off; 5/6 1; 5/7 2; 5/8 3'],
  ['2026-05-07T16:30:00Z', 1, '2026-05-09', false, '5/7 in UTC but Fri 5/8 00:30 in Shanghai; Sat 5/9 调休'],
  ['2026-06-18T10:00:00+08:00', 1, '2026-06-22', false, '端午 6/19–6/21 off'],
  ['2026-09-18T10:00:00+08:00', 1, '2026-09-20', false, 'Sat 9/19 off; Sun 9/20 调休'],
  ['2026-09-24T10:00:00+08:00', 1, '2026-09-28', false, '中秋 9/25–9/27 off'],
  ['2026-09-30T10:00:00+08:00', 5, '2026-10-13', false, 'spec example: 10/1–10/7 off; 10/8 1; 10/9 2; Sat 10/10 调休 3; 10/12 4; 10/13 5'],
  ['2026-09-30T18:30:00Z', 5, '2026-10-13', false, 'received 10/1 in Shanghai (holiday); same count as the spec example'],
  ['2026-09-29T16:30:00Z', 1, '2026-10-08', false, '9/29 in UTC but 9/30 00:30 in Shanghai; 国庆 off'],
  ['2026-09-29T15:59:59Z', 1, '2026-09-30', false, 'still 9/29 23:59:59 in Shanghai; Wed 9/30 1'],
  ['2026-10-10T09:00:00+08:00', 1, '2026-10-12', false, 'received on a 调休 Saturday; Sun 10/11 off'],
  ['2026-11-21T09:00:00+08:00', 1, '2026-11-23', false, 'received on a plain Saturday; Sun off; Mon 11/23'],
  ['2026-11-24T10:00:00+08:00', 10, '2026-12-08', false, '11/25–11/27 1–3; 11/30–12/4 4–8; 12/7 9; 12/8 10'],
  ['2026-12-21T10:00:00+08:00', 3, '2026-12-24', false, '12/22–12/24: before 12/25 only 2026 is consulted'],
  ['2026-12-21T10:00:00+08:00', 4, '2026-12-25', true, '12/25 may still be moved by the unpublished 2027 notice'],
  // ---- 2027: no official arrangement → statutory holidays, provisional ----
  ['2026-12-30T10:00:00+08:00', 3, '2027-01-05', true, 'Thu 12/31 1; 元旦 Fri 1/1 off; weekend; Mon 1/4 2; Tue 1/5 3'],
  ['2026-12-31T10:00:00+08:00', 1, '2027-01-04', true, '1 January is never a working day'],
  ['2026-12-31T16:00:00Z', 1, '2027-01-04', true, '1/1 00:00 in Shanghai: received on 元旦'],
  ['2027-02-04T10:00:00+08:00', 1, '2027-02-11', true, '除夕 Fri 2/5, 初一–初三 2/6–2/8; 补假 for Sat 2/6, Sun 2/7 on 2/9, 2/10'],
  ['2027-02-05T10:00:00+08:00', 3, '2027-02-15', true, '2/11 1; 2/12 2; no adjusted weekend in a statutory year; Mon 2/15 3'],
  ['2027-04-02T10:00:00+08:00', 1, '2027-04-06', true, 'weekend; 清明 Mon 4/5 off'],
  ['2027-04-30T10:00:00+08:00', 1, '2027-05-05', true, '劳动节 Sat 5/1, Sun 5/2; 补假 Mon 5/3, Tue 5/4'],
  ['2027-06-08T10:00:00+08:00', 1, '2027-06-10', true, '端午 Wed 6/9 (lunar 5/5) off'],
  ['2027-09-14T10:00:00+08:00', 1, '2027-09-16', true, '中秋 Wed 9/15 (lunar 8/15) off'],
  ['2027-09-30T10:00:00+08:00', 1, '2027-10-06', true, '国庆 Fri 10/1–Sun 10/3; 补假 Mon 10/4, Tue 10/5'],
];

describe('deadline: hand-checked table', () => {
  it.each(cases)('%s + %i working days → %s (provisional %s): %s', (from, n, dueDate, provisional) => {
    const d = cal.deadline(from, n);
    expect(d.dueDate).toBe(dueDate);
    expect(d.dueAt).toBe(`${dueDate}T16:00:00.000Z`);
    expect(d.provisional).toBe(provisional);
  });
});

describe('deadline: output shape', () => {
  it('returns the spec example in full', () => {
    expect(cal.deadline('2026-09-30T10:00:00+08:00', 5)).toEqual({
      from: '2026-09-30T02:00:00.000Z',
      workingDays: 5,
      receivedDate: '2026-09-30',
      dueDate: '2026-10-13',
      dueAt: '2026-10-13T16:00:00.000Z',
      provisional: false,
      yearsUsed: [2026],
    });
  });

  it('lists the years consulted, including the next year from 25 December on', () => {
    expect(cal.deadline('2024-12-30T10:00:00+08:00', 3).yearsUsed).toEqual([2024, 2025]);
    expect(cal.deadline('2026-12-21T10:00:00+08:00', 3).yearsUsed).toEqual([2026]);
    expect(cal.deadline('2026-12-21T10:00:00+08:00', 4).yearsUsed).toEqual([2026, 2027]);
    expect(cal.deadline('2027-03-01T10:00:00+08:00', 1).yearsUsed).toEqual([2027]);
  });

  it('normalises the instant and reads the receipt day in Shanghai', () => {
    const d = cal.deadline('2026-09-30T18:30:00Z', 5);
    expect(d.from).toBe('2026-09-30T18:30:00.000Z');
    expect(d.receivedDate).toBe('2026-10-01');
    // 02:29:59 at +10:30 is 15:59:59Z, i.e. 23:59:59 on 30 September in Shanghai.
    expect(cal.deadline('2026-10-01T02:29:59+10:30', 1).receivedDate).toBe('2026-09-30');
    expect(cal.deadline('2026-10-01T02:30:00+10:30', 1).receivedDate).toBe('2026-10-01');
  });

  it('rejects working-day counts outside 1..366', () => {
    for (const n of [0, -1, 367, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.deadline('2026-09-30T10:00:00+08:00', n)).toThrow(CalendarError);
    }
    expect(() => cal.deadline('2026-09-30T10:00:00+08:00', 0)).toThrow(/workingDays/);
    expect(cal.deadline('2026-01-05T10:00:00+08:00', 366).provisional).toBe(true); // reaches 2027
  });

  it('rejects instants without an offset or with impossible fields', () => {
    for (const bad of ['2026-09-30', '2026-09-30T10:00:00', '2026-02-30T10:00:00Z', '2026-09-30T24:00:00Z', 'yesterday']) {
      expect(() => cal.deadline(bad, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
    }
  });

  it('is fast: 500 deadlines of 366 working days in well under a second each', () => {
    const c = new WorkingDayCalendar();
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) c.deadline('2025-03-03T10:00:00+08:00', 366);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('does not depend on the machine time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/New_York', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const c = new WorkingDayCalendar();
        expect(c.deadline('2026-09-30T10:00:00+08:00', 5).dueDate).toBe('2026-10-13');
        expect(c.isWorkingDay('2026-10-01')).toBe(false);
        expect(c.isWorkingDay('2026-10-10')).toBe(true);
        expect(shanghaiDate('2026-09-30T16:00:00Z')).toBe('2026-10-01');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('Shanghai day helpers', () => {
  it('shanghaiDate', () => {
    expect(shanghaiDate('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    expect(shanghaiDate('2026-09-30T16:00:00Z')).toBe('2026-10-01');
    expect(shanghaiDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(shanghaiDate('2026-10-01T00:00:00+08:00')).toBe('2026-10-01');
  });
  it('endOfShanghaiDay is the next day 00:00 +08:00', () => {
    expect(endOfShanghaiDay('2026-10-13')).toBe('2026-10-13T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31')).toBe('2026-12-31T16:00:00.000Z');
    expect(endOfShanghaiDay('2024-02-29')).toBe('2024-02-29T16:00:00.000Z');
    expect(() => endOfShanghaiDay('2026-02-29')).toThrow(CalendarError);
  });
});

// A made-up official 2027 arrangement, as an administrator might load it.
const official2027: YearArrangement = {
  year: 2027,
  source: 'official',
  holidays: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03', '2027-02-05', '2027-02-06', '2027-02-07',
    '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
  workdays: ['2026-12-26', '2027-02-14'],
};

describe('year sources and precedence', () => {
  it('an administrator-loaded year wins over statutory', () => {
    const c = new WorkingDayCalendar([official2027]);
    expect(c.year(2027)).toEqual(official2027);
    expect(c.source(2027)).toBe('official');
    // 2/5–2/12 off, Sat 2/13 off, Sun 2/14 worked.
    expect(c.deadline('2027-02-04T10:00:00+08:00', 1)).toMatchObject({ dueDate: '2027-02-14', provisional: false });
    expect(cal.deadline('2027-02-04T10:00:00+08:00', 1).dueDate).toBe('2027-02-11');
  });

  it("a loaded year's late-December dates govern the previous year's December", () => {
    const c = new WorkingDayCalendar([official2027]);
    expect(c.isWorkingDay('2026-12-26')).toBe(true); // Saturday made a workday by the 2027 notice
    expect(c.isWorkingDay('2026-12-31')).toBe(false);
    expect(cal.isWorkingDay('2026-12-26')).toBe(false);
    expect(cal.isWorkingDay('2026-12-31')).toBe(true);
    expect(c.deadline('2026-12-24T10:00:00+08:00', 2)).toMatchObject({ dueDate: '2026-12-26', provisional: false });
  });

  it('an administrator-loaded year wins over the package', () => {
    const changed2026: YearArrangement = {
      year: 2026,
      source: 'official',
      holidays: cal.year(2026).holidays.concat('2026-10-08').sort(),
      workdays: cal.year(2026).workdays.filter((d) => d !== '2026-10-10'),
    };
    const c = new WorkingDayCalendar([changed2026]);
    expect(c.year(2026).holidays).toContain('2026-10-08');
    // 10/1–10/8 off; Fri 10/9 1; Sat 10/10 now off; 10/12 2; 10/13 3; 10/14 4; 10/15 5.
    expect(c.deadline('2026-09-30T10:00:00+08:00', 5).dueDate).toBe('2026-10-15');
  });

  it('uses the package for published years and statutory holidays for 2027', () => {
    expect(cal.source(2024)).toBe('official');
    expect(cal.source(2026)).toBe('official');
    expect(cal.source(2027)).toBe('statutory');
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-09')).toBe(false); // 补假
    expect(cal.isWorkingDay('2027-02-13')).toBe(false); // Saturday, never worked in a statutory year
    expect(cal.isWorkingDay('2027-02-11')).toBe(true);
  });

  it('refuses years with neither data nor statutory rules', () => {
    expect(() => cal.year(2003)).toThrow(expect.objectContaining({ code: 'YEAR_NOT_SUPPORTED' }));
    expect(() => cal.isWorkingDay('2100-03-01')).toThrow(CalendarError);
  });

  it('refuses invalid or duplicate loaded years', () => {
    expect(() => new WorkingDayCalendar([official2027, official2027])).toThrow(/twice/);
    expect(() => new WorkingDayCalendar([{ ...official2027, workdays: ['2027-02-15'] }])).toThrow(CalendarError);
    expect(() => new WorkingDayCalendar([{ ...official2027, source: 'statutory' }])).toThrow(CalendarError);
  });
});
