import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/domain/calendar';
import { mayEvaluate, periodInstants, timelinessCsv, workingDaysBetween } from '../../src/domain/supervision';

const cal = new WorkingDayCalendar();
const worked = (d: string) => cal.isWorkingDay(d);

describe('working days to a decision', () => {
  it('does not count the day of receipt and counts the day of decision', () => {
    expect(workingDaysBetween(worked, '2033-03-07T02:00:00Z', '2033-03-07T09:00:00Z')).toBe(0);
    // Mon 2033-03-07 → Mon 2033-03-14: Tue–Fri and Monday.
    expect(workingDaysBetween(worked, '2033-03-07T02:00:00Z', '2033-03-14T02:00:00Z')).toBe(5);
  });

  it('agrees with the deadline of the same number of days, across National Day and its adjusted Saturday', () => {
    const due = cal.deadline('2026-09-30T02:00:00Z', 5); // ends 2026-10-13 (PROCESSES.md)
    expect(workingDaysBetween(worked, '2026-09-30T02:00:00Z', due.dueAt.replace('T16:00:00.000Z', 'T15:00:00.000Z'))).toBe(5);
  });

  it('counts in Shanghai days: 23:30 UTC is the next morning there', () => {
    expect(workingDaysBetween(worked, '2033-03-07T02:00:00Z', '2033-03-07T23:30:00Z')).toBe(1);
  });
});

describe('the report as CSV', () => {
  it('starts with a BOM, has a header and CRLF lines, and quotes what needs it', () => {
    const csv = timelinessCsv([
      { agencyId: '苏州,人社', caseType: 'share-request', received: 3, decided: 2, onTime: 1, late: 0, deemed: 1, overdueOpen: 1, medianWorkingDays: 2.5, refusals: 0, evaluations: { count: 0, average: null } },
    ]);
    expect(csv.startsWith('\uFEFFagencyId,caseType,')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe('"苏州,人社",share-request,3,2,1,0,1,1,2.5,0,0,');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('who rates a case (sz-open-2023:37)', () => {
  it('its applicant, or a requester of the requesting agency, not the one who registered it', () => {
    expect(mayEvaluate({ applicantPrincipalId: 'p1' }, { principalId: 'p1', agencyId: null, roles: ['data_user'] })).toBe(true);
    expect(mayEvaluate({ requesterAgencyId: 'a' }, { principalId: 'p2', agencyId: 'a', roles: ['requester'] })).toBe(true);
    expect(mayEvaluate({ requesterAgencyId: 'a' }, { principalId: 'p3', agencyId: 'a', roles: ['operations'] })).toBe(false);
    expect(mayEvaluate({ requesterAgencyId: 'a', providerAgencyId: 'b' }, { principalId: 'p4', agencyId: 'b', roles: ['requester'] })).toBe(false);
  });
});

describe('a report period', () => {
  it('is Shanghai days from and to, inclusive', () => {
    const { start, end } = periodInstants('2026-01-01', '2026-12-31');
    expect(start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
});
