// P11's pure rules: who governs a reassessment where, the calendar of a schedule, the case ids a
// run derives, and what a reclassification must say.
import { describe, expect, it } from 'vitest';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { reassessmentCaseId, reassessmentPlan, reclassifyRefusal, runKey, scheduleMonths } from '../../src/domain/reassessment';
import type { Caller } from '../../src/domain/tasks';

const caller: Caller = { principalId: 'p', agencyId: 'a', roles: ['provider'], jurisdiction: 'suzhou' };

describe('the review rule', () => {
  it('is sz-open-2023:8 in Suzhou while it is in force, js-2020:25 elsewhere in Jiangsu and after; 15 working days by the setting', () => {
    expect(reassessmentPlan(resolveRules(POLICIES, 'suzhou', 'reassessment', '2026-05-01'))).toMatchObject({ citation: 'sz-open-2023:8', workingDays: 15 });
    expect(reassessmentPlan(resolveRules(POLICIES, 'suzhou', 'reassessment', '2026-12-01'))).toMatchObject({ citation: 'js-2020:25', workingDays: 15 });
    expect(reassessmentPlan(resolveRules(POLICIES, 'taizhou-jiangyan', 'reassessment', '2026-12-01'))).toMatchObject({ citation: 'js-2020:25' });
  });

  it('does not exist where no text provides one (Shanghai)', () => {
    expect(() => reassessmentPlan(resolveRules(POLICIES, 'shanghai-chongming', 'reassessment', '2026-12-01'))).toThrow(/no policy in force/);
  });
});

describe('a schedule', () => {
  it('runs on the 1st of every interval’s month, counted from the month after its creation (Shanghai)', () => {
    expect(scheduleMonths('P3M', '2026-12-06T05:00:00Z')).toEqual([3, 6, 9, 12]);
    expect(scheduleMonths('P6M', '2026-12-06T05:00:00Z')).toEqual([6, 12]);
    expect(scheduleMonths('P1Y', '2026-12-06T05:00:00Z')).toEqual([12]);
    // 2026-11-30T17:00Z is already 1 December in Shanghai.
    expect(scheduleMonths('P6M', '2026-11-30T17:00:00Z')).toEqual([6, 12]);
    expect(scheduleMonths('P6M', '2026-11-30T15:00:00Z')).toEqual([5, 11]);
  });

  it('names each run’s cases by the schedule, the run’s time (to the second) and the dataset', () => {
    expect(runKey('2027-03-01T01:00:00.000Z')).toBe('20270301T010000Z');
    const id = reassessmentCaseId('reassessment-schedule-0b6f', '2027-03-01T01:00:00Z', 'ds-1');
    expect(id).toBe('reassessment-0b6f-20270301T010000Z-ds-1');
    expect(reassessmentCaseId('reassessment-schedule-0b6f', '2027-03-01T01:00:00.000Z', 'ds-1')).toBe(id);
    expect(reassessmentCaseId('reassessment-schedule-0b6f', '2027-06-01T01:00:00Z', 'ds-1')).not.toBe(id);
  });
});

describe('a reclassification', () => {
  const d = (fields: Record<string, unknown>) => ({ taskId: 't', action: 'reclassify', caller, fields });
  it('names another class', () => {
    expect(reclassifyRefusal(d({ openClass: 'unconditional' }), 'conditional', 'js-2020:25')).toBeNull();
    expect(reclassifyRefusal(d({ openClass: 'conditional' }), 'conditional', 'js-2020:25')).toMatchObject({ status: 422, code: 'class_unchanged' });
    expect(reclassifyRefusal(d({ openClass: 'often' }), 'conditional', 'js-2020:25')).toMatchObject({ status: 422, code: 'invalid_open_class' });
    expect(reclassifyRefusal({ ...d({}), action: 'keep' }, 'conditional', 'js-2020:25')).toBeNull();
  });
});
