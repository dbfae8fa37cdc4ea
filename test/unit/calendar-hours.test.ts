// Deadlines in hours (API-2.md P9: "a leak does not wait for Monday"): N hours on the clock from
// the instant given, rest days and holidays included, never provisional.
import { describe, expect, it } from 'vitest';
import { CalendarError, hoursDeadline, MAX_HOURS, WorkingDayCalendar } from '../../src/domain/calendar';

describe('hoursDeadline', () => {
  it('24 hours after Friday 18:00 Shanghai is Saturday 18:00: rest days are not skipped', () => {
    // Fri 2026-12-11 18:00 +08:00
    const d = hoursDeadline('2026-12-11T18:00:00+08:00', 24);
    expect(d).toEqual({
      from: '2026-12-11T10:00:00.000Z',
      hours: 24,
      receivedDate: '2026-12-11',
      dueDate: '2026-12-12',
      dueAt: '2026-12-12T10:00:00.000Z',
      remindAt: '2026-12-11T22:00:00.000Z',
      provisional: false,
    });
    // The same start counted in working days runs over the weekend to Monday's end.
    expect(new WorkingDayCalendar().deadline('2026-12-11T18:00:00+08:00', 1).dueDate).toBe('2026-12-14');
  });

  it('runs through the National Day holiday and across the year without consulting any calendar', () => {
    expect(hoursDeadline('2026-09-30T20:00:00+08:00', 72)).toMatchObject({ dueAt: '2026-10-03T12:00:00.000Z', dueDate: '2026-10-03', provisional: false });
    // 2099 has no arrangement anywhere: hours are still exact, never provisional.
    expect(hoursDeadline('2099-12-31T23:30:00+08:00', 1)).toMatchObject({ dueDate: '2100-01-01', dueAt: '2099-12-31T16:30:00.000Z', provisional: false });
  });

  it('shows the Shanghai day of the start and of dueAt, not the UTC ones', () => {
    // 2026-12-11T17:00Z is already Saturday 01:00 in Shanghai.
    expect(hoursDeadline('2026-12-11T17:00:00Z', 6)).toMatchObject({ receivedDate: '2026-12-12', dueDate: '2026-12-12', dueAt: '2026-12-11T23:00:00.000Z' });
  });

  it('refuses a period that is not a whole number of hours from 1 to a leap year', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_HOURS + 1]) {
      expect(() => hoursDeadline('2026-12-11T18:00:00+08:00', bad)).toThrow(CalendarError);
    }
    expect(() => hoursDeadline('not an instant', 24)).toThrow(CalendarError);
    expect(hoursDeadline('2026-12-11T18:00:00+08:00', MAX_HOURS).dueDate).toBe('2027-12-12');
  });
});
