// P9's rules without Temporal: which texts give which steps, their periods in hours from the
// settings (overridable like any setting), and when the competent department may close.
import { describe, expect, it } from 'vitest';
import { POLICIES, resolveRules, settingValue } from '../../src/domain/policies';
import { closeRefusal, incidentPlan } from '../../src/domain/security-incident';

const plan = (jurisdiction: string, settings = {}) => incidentPlan(resolveRules(POLICIES, jurisdiction, 'security-incident', '2026-12-11', { settings }));

describe('security incident plan', () => {
  it('in the park: the emergency plan (sip-2021:33), remediation 24 h, report 24 h and notification 72 h (sip-2021:35)', () => {
    const p = plan('suzhou-sip');
    expect(p.emergencyPlanCitation).toBe('sip-2021:33');
    expect([p.remediation.hours, p.remediation.citation, p.report.hours, p.report.citation]).toEqual([24, 'sip-2021:33', 24, 'sip-2021:35']);
    expect(p.notification).toMatchObject({ hours: 72, citation: 'sip-2021:35' });
    expect(p.report.rule).toMatchObject({ setting: true, settingIds: ['security-incident.report.hours'], onMissed: 'escalate' });
  });

  it('in Suzhou city only js-2020:39 speaks: remediation and report, no notification in the text', () => {
    const p = plan('suzhou');
    expect([p.emergencyPlanCitation, p.remediation.citation, p.report.citation, p.notification]).toEqual(['js-2020:39', 'js-2020:39', 'js-2020:39', null]);
    expect(plan('taizhou-jiangyan')).toMatchObject({ emergencyPlanCitation: 'jy-2023:32', report: { citation: 'jy-2023:34' }, notification: { hours: 72 } });
    expect(plan('shanghai-chongming')).toMatchObject({ emergencyPlanCitation: 'cm-draft:30', remediation: { citation: 'cm-draft:30' }, notification: null });
  });

  it('takes a deployment’s hours for a setting, refusing anything but whole hours >= 1', () => {
    expect(plan('suzhou-sip', { 'security-incident.report.hours': 12 }).report.hours).toBe(12);
    expect(settingValue('security-incident.notification.hours')).toBe(72);
    expect(() => settingValue('security-incident.report.hours', { 'security-incident.report.hours': 0.5 })).toThrow(/whole number of hours/);
    expect(() => settingValue('objection.correction.workingDays', { 'objection.correction.workingDays': 0 })).toThrow(/whole number of working days/);
  });
});

describe('closing', () => {
  const competent = { principalId: 'p', agencyId: 'a', roles: ['competent'], jurisdiction: 'suzhou-sip' };
  const state = { status: 'responding', jurisdiction: 'suzhou-sip', stepsLeft: 0, citation: 'sip-2021:35' };
  it('is the competent department’s of the case’s jurisdiction, once every step is done, with a summary', () => {
    expect(closeRefusal(competent, { summary: '已处置' }, state)).toBeNull();
    expect(closeRefusal({ ...competent, roles: ['cyberspace'] }, { summary: 's' }, state)?.status).toBe(403);
    expect(closeRefusal({ ...competent, jurisdiction: 'suzhou' }, { summary: 's' }, state)?.status).toBe(403);
    expect(closeRefusal(competent, { summary: 's' }, { ...state, stepsLeft: 2 })).toMatchObject({ status: 409, code: 'tasks_open' });
    expect(closeRefusal(competent, { summary: '  ' }, state)).toMatchObject({ status: 422, code: 'missing_fields' });
    expect(closeRefusal(competent, { summary: 's' }, { ...state, status: 'closed' })).toMatchObject({ status: 409, code: 'case_closed' });
  });
});
