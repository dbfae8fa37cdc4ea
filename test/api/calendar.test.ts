// The working-day calendar through the API: "N 个工作日内" deadlines, official and statutory years,
// and loading a year's official arrangement. The calendar is global and the database shared with
// the other files: years are only loaded for 2098/2099, which nobody else uses; 2027 stays untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, principal, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let provider: Actor;

beforeAll(async () => {
  h = await startHarness();
  provider = await principal(h, ['provider', 'competent'], await agency(h, 'cal-office', 'suzhou'));
});
afterAll(async () => h?.close());

const deadline = (from: string, workingDays: number | string) =>
  h.call('GET', `/v1/calendar/deadline?from=${encodeURIComponent(from)}&workingDays=${workingDays}`);

describe('GET /v1/calendar/deadline', () => {
  it('counts 5 working days from 30 September 2026 over the National Day week (PROCESSES.md example)', async () => {
    const res = await deadline('2026-09-30T10:00:00+08:00', 5);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      workingDays: 5,
      dueDate: '2026-10-13',
      dueAt: '2026-10-13T16:00:00.000Z',
      provisional: false,
    });
    expect(Date.parse(res.json().from)).toBe(Date.parse('2026-09-30T10:00:00+08:00'));
  });

  it('takes the day of receipt in Asia/Shanghai, not in UTC', async () => {
    // Thursday 16:30 UTC is already Friday 00:30 in Shanghai: one working day later is Monday.
    const res = await deadline('2026-03-05T16:30:00Z', 1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ receivedDate: '2026-03-06', dueDate: '2026-03-09', dueAt: '2026-03-09T16:00:00.000Z', provisional: false });
    // One second earlier it is still Thursday in Shanghai: due on Friday.
    const before = await deadline('2026-03-05T15:59:59Z', 1);
    expect(before.json()).toMatchObject({ receivedDate: '2026-03-05', dueDate: '2026-03-06' });
  });

  it('counts an adjusted working Saturday and skips the Spring Festival holidays of 2026', async () => {
    // Fri 2026-02-13 received; Sat 2026-02-14 is worked (调休), 2026-02-15..23 are off.
    const res = await deadline('2026-02-13T09:00:00+08:00', 2);
    expect(res.json()).toMatchObject({ dueDate: '2026-02-24', provisional: false });
  });

  it('marks a deadline in 2027 provisional: its arrangement is not published yet', async () => {
    const res = await deadline('2027-03-01T10:00:00+08:00', 5);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ dueDate: '2027-03-08', dueAt: '2027-03-08T16:00:00.000Z', provisional: true });
    expect(res.json().yearsUsed).toContain(2027);
    // 1 January 2027 is never a working day, even provisionally.
    const newYear = await deadline('2026-12-31T10:00:00+08:00', 1);
    expect(newYear.json()).toMatchObject({ dueDate: '2027-01-04', provisional: true });
  });

  it('refuses bad inputs with 400 or 422 and the error shape, never a 5xx', async () => {
    const bad = [
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=0',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=400',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=x',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=2.5',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=-3',
      '/v1/calendar/deadline?from=yesterday&workingDays=5',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00&workingDays=5', // no offset: ambiguous
      '/v1/calendar/deadline?from=2026-09-30&workingDays=5',
      '/v1/calendar/deadline?from=yesterday-and-the-day-before&workingDays=5',
      '/v1/calendar/deadline?from=2026-02-30T10:00:00Z&workingDays=5',
      '/v1/calendar/deadline?from=2026-13-01T10:00:00Z&workingDays=5',
      '/v1/calendar/deadline?from=1999-01-04T10:00:00Z&workingDays=5',
      '/v1/calendar/deadline?from=2099-12-20T10:00:00Z&workingDays=20',
      '/v1/calendar/deadline?from=%2B275760-09-13T00:00:00Z&workingDays=1',
      '/v1/calendar/deadline?workingDays=5',
      '/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00',
      '/v1/calendar/deadline',
    ];
    for (const url of bad) {
      expectError(await h.call('GET', url), [400, 422]);
    }
  });
});

describe('GET /v1/calendar/years/:year', () => {
  it('gives 2026 as officially arranged, with its holidays and adjusted working days', async () => {
    const res = await h.call('GET', '/v1/calendar/years/2026');
    expect(res.statusCode, res.body).toBe(200);
    const y = res.json();
    expect(y).toMatchObject({ year: 2026, source: 'official' });
    expect(y.holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-15', '2026-02-23', '2026-05-05', '2026-10-01', '2026-10-07']));
    expect(y.workdays).toEqual(expect.arrayContaining(['2026-01-04', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']));
    expect(y.holidays).not.toContain('2026-10-08');
  });

  it('gives 2027 as statutory: New Year and the computed Spring Festival', async () => {
    const res = await h.call('GET', '/v1/calendar/years/2027');
    expect(res.statusCode, res.body).toBe(200);
    const y = res.json();
    expect(y).toMatchObject({ year: 2027, source: 'statutory' });
    expect(y.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']));
    expect(y.holidays).toEqual(expect.arrayContaining(['2027-10-01', '2027-10-02', '2027-10-03']));
  });

  it('refuses a year it cannot count and a malformed year', async () => {
    expectError(await h.call('GET', '/v1/calendar/years/1800'), [400]);
    expectError(await h.call('GET', '/v1/calendar/years/twenty'), [400]);
    expectError(await h.call('GET', '/v1/calendar/years/2100'), [404, 422]);
  });
});

describe('PUT /v1/calendar/years/:year', () => {
  // An arrangement for 2099: Monday 8 June off, Saturday 6 June worked.
  const arrangement2099 = {
    holidays: ['2099-01-01', '2099-01-02', '2099-06-08', '2099-10-01', '2099-10-02'],
    workdays: ['2099-06-06'],
  };

  it('is for administrators only, and a refused call stores nothing', async () => {
    const body = { holidays: ['2098-01-01'], workdays: [] };
    expectError(await h.call('PUT', '/v1/calendar/years/2098', { body }), [401], 'unauthorized');
    expectError(await h.call('PUT', '/v1/calendar/years/2098', { body, token: 'pdg_unknown' }), [401], 'unauthorized');
    expectError(await h.call('PUT', '/v1/calendar/years/2098', { body, token: provider.token }), [403], 'forbidden');
    expect((await h.call('GET', '/v1/calendar/years/2098')).json().source).toBe('statutory');
  });

  it('refuses an invalid arrangement with every violation listed, and stores nothing', async () => {
    const before = (await h.call('GET', '/v1/calendar/years/2099')).json();
    expect(before.source).toBe('statutory');
    const res = await h.call('PUT', '/v1/calendar/years/2099', {
      token: h.adminToken,
      body: {
        holidays: ['2099-05-01', '2098-06-01'], // 1 January missing; a date of another year
        workdays: ['2099-06-03'], // a Wednesday
      },
    });
    const error = expectError(res, [422], 'invalid_arrangement');
    const fields = (error.details as { field: string; message: string }[]).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['holidays[1]', 'workdays[0]', 'holidays']));
    expect(JSON.stringify(error.details)).toContain('2099-01-01');
    expect((await h.call('GET', '/v1/calendar/years/2099')).json()).toEqual(before);

    for (const body of [
      { ...arrangement2099, year: 2098 },
      { ...arrangement2099, holidays: [...arrangement2099.holidays, '2099-06-06'] }, // both lists
      { ...arrangement2099, holidays: [...arrangement2099.holidays, '2099-02-30'] },
    ]) {
      expectError(await h.call('PUT', '/v1/calendar/years/2099', { token: h.adminToken, body }), [400, 422]);
    }
    for (const body of [{ ...arrangement2099, source: 'statutory' }, { holidays: arrangement2099.holidays }]) {
      expectError(await h.call('PUT', '/v1/calendar/years/2099', { token: h.adminToken, body }), [400, 422]);
    }
    expect((await h.call('GET', '/v1/calendar/years/2099')).json()).toEqual(before);
  });

  it('loads a valid arrangement: the year becomes official and deadlines follow it', async () => {
    const provisional = await deadline('2099-06-05T10:00:00+08:00', 1);
    expect(provisional.json()).toMatchObject({ provisional: true });
    expect(provisional.json().dueDate).not.toBe('2099-06-06');

    const res = await h.call('PUT', '/v1/calendar/years/2099', { token: h.adminToken, body: { ...arrangement2099, source: 'official' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: 2099, source: 'official', holidays: arrangement2099.holidays, workdays: arrangement2099.workdays });

    const y = (await h.call('GET', '/v1/calendar/years/2099')).json();
    expect(y).toEqual({ year: 2099, source: 'official', holidays: arrangement2099.holidays, workdays: arrangement2099.workdays });

    // Friday 5 June: Saturday 6 June is now worked; Monday 8 June is off.
    const one = await deadline('2099-06-05T10:00:00+08:00', 1);
    expect(one.json()).toMatchObject({ dueDate: '2099-06-06', dueAt: '2099-06-06T16:00:00.000Z', provisional: false });
    const two = await deadline('2099-06-05T10:00:00+08:00', 2);
    expect(two.json()).toMatchObject({ dueDate: '2099-06-09', provisional: false });

    // Other years are untouched.
    expect((await h.call('GET', '/v1/calendar/years/2098')).json().source).toBe('statutory');
    expect((await h.call('GET', '/v1/calendar/years/2027')).json().source).toBe('statutory');
  });

  it('replaces a loaded arrangement with a newer one', async () => {
    const res = await h.call('PUT', '/v1/calendar/years/2099', {
      token: h.adminToken,
      body: { holidays: ['2099-01-01', '2099-06-05'], workdays: [] },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Received Thursday 4 June; Friday 5 June is now off, Saturday 6 June no longer worked.
    const one = await deadline('2099-06-04T10:00:00+08:00', 1);
    expect(one.json()).toMatchObject({ dueDate: '2099-06-08', provisional: false });
  });

  it('refuses an unknown field instead of loading the rest of the body', async () => {
    const body = { holidays: ['2098-01-01'], workdays: [], comment: '国务院办公厅通知' };
    expectError(await h.call('PUT', '/v1/calendar/years/2098', { token: h.adminToken, body }), [400, 422]);
    expect((await h.call('GET', '/v1/calendar/years/2098')).json().source).toBe('statutory');
  });
});
