import { describe, expect, it } from 'vitest';
import {
  WorkingDayCalendar,
  changedDeadlines,
  packageYear,
  packageYears,
  parseYearArrangement,
  validateYearArrangement,
  type YearArrangement,
} from '../../src/domain/calendar';

const fields = (year: number, body: unknown) => validateYearArrangement(year, body).map((v) => v.field);

describe('validateYearArrangement', () => {
  it('accepts every year the package publishes', () => {
    for (const y of packageYears()) expect(validateYearArrangement(y, packageYear(y)), String(y)).toEqual([]);
  });

  it('accepts a plain body and a late-December date of the New Year block', () => {
    expect(validateYearArrangement(2027, { holidays: ['2027-01-01'], workdays: [] })).toEqual([]);
    expect(validateYearArrangement(2027, { holidays: ['2026-12-31', '2027-01-01'], workdays: ['2026-12-26'], source: 'official' }))
      .toEqual([]);
  });

  it('rejects a bad year or body', () => {
    expect(fields(1800, { holidays: [], workdays: [] })).toEqual(['year']);
    expect(fields(2027.5, { holidays: [], workdays: [] })).toEqual(['year']);
    expect(fields(2027, null)).toEqual(['body']);
    expect(fields(2027, [])).toEqual(['body']);
    expect(fields(2027, { holidays: '2027-01-01', workdays: [] })).toEqual(['holidays']);
    expect(fields(2027, { holidays: ['2027-01-01'] })).toEqual(['workdays']);
    expect(fields(2027, { year: 2028, holidays: ['2027-01-01'], workdays: [] })).toEqual(['year']);
    expect(fields(2027, { source: 'statutory', holidays: ['2027-01-01'], workdays: [] })).toEqual(['source']);
  });

  it('rejects dates that are not real or not in the year', () => {
    const body = {
      holidays: ['2027-01-01', '2027-02-29', '2027-2-5', 20270205, '2026-12-24', '2028-01-01'],
      workdays: ['2027-13-01'],
    };
    expect(fields(2027, body)).toEqual(['holidays[1]', 'holidays[2]', 'holidays[3]', 'holidays[4]', 'holidays[5]', 'workdays[0]']);
  });

  it('rejects duplicates, a date in both lists, weekday workdays and a missing 1 January', () => {
    expect(fields(2027, { holidays: ['2027-01-01', '2027-01-01'], workdays: [] })).toEqual(['holidays[1]']);
    expect(fields(2027, { holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-06'] })).toEqual(['workdays']);
    // 2027-02-12 is a Friday: an adjusted working day must be a weekend day.
    const weekday = validateYearArrangement(2027, { holidays: ['2027-01-01'], workdays: ['2027-02-12'] });
    expect(weekday).toEqual([{ field: 'workdays[0]', message: expect.stringMatching(/Saturday or Sunday/) }]);
    expect(fields(2027, { holidays: ['2027-02-06'], workdays: [] })).toEqual(['holidays']);
  });

  it('parseYearArrangement normalises to a sorted official year', () => {
    expect(parseYearArrangement(2027, { holidays: ['2027-10-01', '2027-01-01'], workdays: ['2027-09-26', '2027-02-20'] }))
      .toEqual({
        ok: true,
        value: { year: 2027, source: 'official', holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-02-20', '2027-09-26'] },
      });
    expect(parseYearArrangement(2027, { holidays: [], workdays: [] })).toMatchObject({ ok: false });
  });
});

// A made-up official 2027: 元旦 1/1–1/3, 春节 2/5–2/12 with Sun 2/14 worked.
const official2027: YearArrangement = {
  year: 2027,
  source: 'official',
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08',
    '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
  workdays: ['2027-02-14'],
};

describe('changedDeadlines', () => {
  const before = new WorkingDayCalendar();
  const after = new WorkingDayCalendar([official2027]);

  it('returns the deadlines whose due date or provisional flag changes', () => {
    const changes = changedDeadlines(before, after, [
      // statutory: 2/5–2/10 off → Thu 2/11; official: 2/5–2/13 off, Sun 2/14 worked.
      { id: 'a', from: '2027-02-04T10:00:00+08:00', workingDays: 1, dueDate: '2027-02-11', dueAt: '2027-02-11T16:00:00.000Z', provisional: true },
      // Thu 12/31 1; 1/1–1/3 off either way; 1/4 2; 1/5 3: same date, no longer provisional.
      { id: 'b', from: '2026-12-30T10:00:00+08:00', workingDays: 3, dueDate: '2027-01-05', dueAt: '2027-01-05T16:00:00.000Z', provisional: true },
      // Entirely in 2026: unchanged, left out.
      { id: 'c', from: '2026-11-02T10:00:00+08:00', workingDays: 3, dueDate: '2026-11-05', dueAt: '2026-11-05T16:00:00.000Z', provisional: false },
      // Received Sat 2/13: statutory → Mon 2/15; official → Sun 2/14 (earlier!). Held values recomputed.
      { id: 'd', from: '2027-02-13T10:00:00+08:00', workingDays: 1 },
    ]);
    expect(changes.map((c) => [c.id, c.changed, c.after.dueDate, c.after.provisional, c.movedEarlier])).toEqual([
      ['a', ['dueDate', 'dueAt', 'provisional'], '2027-02-14', false, false],
      ['b', ['provisional'], '2027-01-05', false, false],
      ['d', ['dueDate', 'dueAt', 'provisional'], '2027-02-14', false, true],
    ]);
    expect(changes[2].before).toEqual({ dueDate: '2027-02-15', dueAt: '2027-02-15T16:00:00.000Z', provisional: true });
    expect(changes[0].after.dueAt).toBe('2027-02-14T16:00:00.000Z');
  });

  it('returns nothing when the new calendar agrees', () => {
    const held = { id: 'x', from: '2027-03-01T10:00:00+08:00', workingDays: 2, dueDate: '2027-03-03', dueAt: '2027-03-03T16:00:00.000Z', provisional: true };
    expect(changedDeadlines(before, before, [held])).toEqual([]);
  });
});
