import { describe, expect, it } from 'vitest';
import {
  allSettings,
  applyPolicyPatch,
  listPolicies,
  listSettings,
  POLICIES,
  processRuleKeys,
  ruleKeysOf,
  settingIds,
  termEnd,
  type PolicyState,
  type ProcessId,
  type Rule,
} from '../../src/domain/policies';

const policy = (id: string): PolicyState => POLICIES.find((p) => p.id === id)!;
const codes = (patch: unknown, id = 'sz-open-2023') => {
  const result = applyPolicyPatch(policy(id), patch);
  return 'violations' in result ? result.violations.map((v) => `${v.field}:${v.code}`) : [];
};

describe('admin patches (PATCH /v1/policies/:id)', () => {
  it('records an act as a new state with version n+1, leaving the old state as it was', () => {
    const result = applyPolicyPatch(policy('cm-draft'), { adopted: false });
    if (!('state' in result)) throw new Error('expected a state');
    expect(result.state).toMatchObject({ id: 'cm-draft', adopted: false, version: 2 });
    expect(policy('cm-draft')).toMatchObject({ adopted: true, version: 1 });
    const again = applyPolicyPatch(result.state, { adopted: true });
    expect('state' in again && again.state.version).toBe(3);
  });

  it('sets a window for a draft with a blank date, and reopens it with null', () => {
    const from = '2025-03-01';
    const result = applyPolicyPatch(policy('cm-draft'), { effectiveFrom: from, effectiveTo: termEnd(from, 2) });
    expect('state' in result && [result.state.effectiveFrom, result.state.effectiveTo]).toEqual([
      '2025-03-01',
      '2027-02-28',
    ]);
    const open = applyPolicyPatch(policy('sz-open-2023'), { effectiveTo: null });
    expect('state' in open && open.state.effectiveTo).toBeNull();
  });

  it('refuses an empty patch', () => {
    expect(codes({})).toEqual([':empty_patch']);
  });

  it('refuses fields it does not know, and anything but an object', () => {
    expect(codes({ version: 7 })).toEqual(['version:unknown_field', ':empty_patch']);
    expect(codes({ adopted: true, title: 'x' })).toEqual(['title:unknown_field']);
    expect(codes(null)).toEqual([':invalid_type']);
    expect(codes([{ adopted: true }])).toEqual([':invalid_type']);
  });

  it('refuses dates that are not real YYYY-MM-DD days', () => {
    expect(codes({ effectiveTo: '2026-02-30' })).toEqual(['effectiveTo:invalid_date']);
    expect(codes({ effectiveTo: '2026-7-31' })).toEqual(['effectiveTo:invalid_date']);
    expect(codes({ effectiveFrom: '2026-07-31T00:00:00Z' })).toEqual(['effectiveFrom:invalid_date']);
    expect(codes({ effectiveFrom: 20260731 })).toEqual(['effectiveFrom:invalid_date']);
    expect(codes({ effectiveTo: '2028-02-29' })).toEqual([]);
    expect(codes({ effectiveTo: '2027-02-29' })).toEqual(['effectiveTo:invalid_date']);
  });

  it('refuses a window that ends before it starts, against the current values too', () => {
    expect(codes({ effectiveFrom: '2027-01-01', effectiveTo: '2026-12-31' })).toEqual(['effectiveFrom:window_inverted']);
    // sz-open-2023 starts 2023-08-01.
    expect(codes({ effectiveTo: '2023-07-31' })).toEqual(['effectiveTo:window_inverted']);
    expect(codes({ effectiveTo: '2023-08-01' })).toEqual([]);
  });

  it('refuses an adoption that is not a boolean', () => {
    expect(codes({ adopted: 'yes' })).toEqual(['adopted:invalid_type']);
  });
});

describe('listing (GET /v1/policies)', () => {
  const listing = listPolicies(POLICIES);

  it('out of the box every policy is adopted with the window its own text states', () => {
    expect(
      listing.map((p) => [p.id, p.jurisdiction, p.status, p.effectiveFrom, p.effectiveTo, p.adopted, p.version]),
    ).toEqual([
      ['js-2020', 'jiangsu', 'draft', null, null, true, 1],
      ['sip-2021', 'suzhou-sip', 'issued', '2021-04-30', null, true, 1],
      ['jy-2023', 'taizhou-jiangyan', 'issued', '2023-04-13', null, true, 1],
      ['sz-open-2023', 'suzhou', 'draft', '2023-08-01', '2026-07-31', true, 1],
      ['cm-draft', 'shanghai-chongming', 'draft', null, null, true, 1],
    ]);
    expect(listing.find((p) => p.id === 'cm-draft')?.termYears).toBe(2);
  });

  it('shows the value in use of a setting beside the setting that supplies it', () => {
    const correction = listing.find((p) => p.id === 'js-2020')?.processes.objection?.correction;
    expect(correction).toMatchObject({
      workingDays: 5,
      maxWorkingDays: 30,
      setting: { workingDays: 'objection.correction.workingDays' },
    });
    const custom = listPolicies(POLICIES, { 'objection.correction.workingDays': 8 });
    expect(custom.find((p) => p.id === 'js-2020')?.processes.objection?.correction.workingDays).toBe(8);
  });

  it('lists every setting with its default, unit, the text that leaves it open and a reason', () => {
    const settings = listSettings();
    expect(settings.map((s) => s.id)).toEqual(settingIds());
    for (const s of settings) {
      expect(['working_days', 'hours']).toContain(s.unit);
      expect(s.unit === 'hours').toBe(s.id.endsWith('.hours'));
      expect(s.value).toBe(s.defaultValue);
      expect(s.reason.length).toBeGreaterThan(20);
    }
    expect(settings.find((s) => s.id === 'rights-claim.verification.workingDays')).toMatchObject({
      defaultValue: 1,
      citations: ['sz-open-2023:38', 'js-2020:36'],
    });
    expect(settings.find((s) => s.id === 'reminder.leadWorkingDays')?.defaultValue).toBe(1);
  });
});

// Article counts of the seed texts (sz-open-2023: 39 numbered, headings of 14 lost in the seed).
const ARTICLES: Record<string, number> = { 'js-2020': 53, 'sip-2021': 43, 'jy-2023': 42, 'sz-open-2023': 39, 'cm-draft': 35 };

describe('the data', () => {
  const all: [PolicyState, ProcessId, Rule][] = POLICIES.flatMap((p) =>
    Object.entries(p.processes).flatMap(([process, rules]) =>
      Object.values(rules).map((rule): [PolicyState, ProcessId, Rule] => [p, process as ProcessId, rule]),
    ),
  );

  it('cites each rule as <own policy>:<article> with an article the text has', () => {
    for (const [p, , rule] of all) {
      const m = /^([a-z0-9-]+):(\d+)$/.exec(rule.citation);
      expect(m?.[1], rule.citation).toBe(p.id);
      expect(Number(m?.[2])).toBeLessThanOrEqual(ARTICLES[p.id]);
    }
  });

  it('keys every rule as a rule of its process', () => {
    for (const [p, process, rule] of all) {
      expect(processRuleKeys(process), `${p.id} ${rule.key}`).toContain(rule.key);
      expect(p.processes[process]?.[rule.key]).toBe(rule);
    }
  });

  it('gives every deadline a number from the text or from a named setting, never both', () => {
    for (const [p, , rule] of all) {
      if (rule.onMissed) expect(rule.workingDays !== undefined || rule.setting?.workingDays || rule.setting?.hours, rule.key).toBeTruthy();
      if (rule.setting) {
        expect(rule.workingDays, `${p.id} ${rule.key}`).toBeUndefined();
        expect(rule.hours, `${p.id} ${rule.key}`).toBeUndefined();
        for (const id of [rule.setting.workingDays, rule.setting.maxWorkingDays, rule.setting.hours].filter(Boolean)) {
          expect(settingIds()).toContain(id);
        }
        // A setting in hours fills only an hours period, one in working days only a working-day period.
        const unitOf = (id: string | undefined) => allSettings().find((s) => s.id === id)?.unit;
        if (rule.setting.hours) expect(unitOf(rule.setting.hours), rule.key).toBe('hours');
        if (rule.setting.workingDays) expect(unitOf(rule.setting.workingDays), rule.key).toBe('working_days');
      }
    }
  });

  it('deems consent only where js-2020:21 says so', () => {
    const deeming = all.filter(([, , r]) => r.onMissed === 'deem_consent').map(([, , r]) => `${r.key} ${r.citation}`);
    expect(deeming).toEqual(['provider_review js-2020:21']);
  });

  it('gives sz-open-2023 (open data only) no share rules', () => {
    expect(Object.keys(policy('sz-open-2023').processes).sort()).toEqual(
      ['dispute', 'objection', 'open-data-application', 'quality-rectification', 'reassessment', 'rights-claim'].sort(),
    );
  });

  it('is frozen, so no caller can change the law under a running case', () => {
    expect(Object.isFrozen(POLICIES[0].processes['share-request']?.provider_review)).toBe(true);
    expect(Object.isFrozen(ruleKeysOf('share-request').required)).toBe(true);
  });
});

describe('term of validity (cm-draft:35 有效期两年)', () => {
  it('ends the day before the anniversary', () => {
    expect(termEnd('2025-03-01', 2)).toBe('2027-02-28');
    expect(termEnd('2025-01-01', 2)).toBe('2026-12-31');
    expect(termEnd('2025-06-15', 2)).toBe('2027-06-14');
    expect(termEnd('2024-02-29', 2)).toBe('2026-02-28');
    expect(() => termEnd('2025-02-29', 2)).toThrow(RangeError);
  });
});
