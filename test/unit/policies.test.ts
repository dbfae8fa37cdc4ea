import { describe, expect, it } from 'vitest';
import {
  applyPolicyPatch,
  mergePolicyOverrides,
  POLICIES,
  resolveRules,
  type PolicyState,
  type ResolvedRules,
} from '../../src/domain/policies';

const shipped = (): PolicyState[] => [...POLICIES];

function patched(states: PolicyState[], id: string, patch: Record<string, unknown>): PolicyState[] {
  return states.map((s) => {
    if (s.id !== id) return s;
    const result = applyPolicyPatch(s, patch);
    if ('violations' in result) throw new Error(JSON.stringify(result.violations));
    return result.state;
  });
}

const source = (r: ResolvedRules) =>
  Object.fromEntries(Object.entries(r.rules).map(([k, v]) => [k, `${v.citation}@${v.policyVersion}`]));

describe('share requests (P1) across the nesting', () => {
  it('in Suzhou city a share request follows js-2020: sz-open-2023 governs open data only', () => {
    const r = resolveRules(shipped(), 'suzhou', 'share-request', '2026-03-02');
    expect(r.governingPolicy).toEqual({ id: 'js-2020', version: 1 });
    expect(r.policies).toEqual([{ id: 'js-2020', version: 1 }]);
    expect(source(r)).toEqual({
      unconditional_grant: 'js-2020:21@1',
      provider_review: 'js-2020:21@1',
      not_shared_review: 'js-2020:19@1',
      copy_consent: 'js-2020:20@1',
    });
    expect(r.unresolved).toEqual([]);
  });

  it('deems consent when the provider has not reviewed within 5 working days (js-2020:21)', () => {
    const rule = resolveRules(shipped(), 'taizhou', 'share-request', '2026-09-30').rules.provider_review;
    expect(rule).toMatchObject({
      workingDays: 5,
      onMissed: 'deem_consent',
      decidedBy: 'provider',
      requiredFields: { refuse: ['legalBasis'] },
      citation: 'js-2020:21',
      policyId: 'js-2020',
      policyVersion: 1,
    });
    expect(rule.setting).toBeUndefined();
  });

  it('in SIP the operations agency records (备案) an unconditional request before granting (sip-2021:24)', () => {
    const r = resolveRules(shipped(), 'suzhou-sip', 'share-request', '2026-03-02');
    expect(r.rules.unconditional_grant).toMatchObject({
      steps: ['record', 'grant'],
      decidedBy: 'operations',
      citation: 'sip-2021:24',
      policyId: 'sip-2021',
    });
    expect(r.governingPolicy).toEqual({ id: 'sip-2021', version: 1 });
    expect(r.policies).toEqual([
      { id: 'sip-2021', version: 1 },
      { id: 'js-2020', version: 1 },
    ]);
  });

  it('in SIP a conditional request goes to the joint review, which replaces the provider review', () => {
    const r = resolveRules(shipped(), 'suzhou-sip', 'share-request', '2026-03-02');
    expect(r.rules.provider_review).toBeUndefined();
    expect(r.superseded).toEqual({ provider_review: 'joint_review' });
    expect(r.rules.joint_review).toMatchObject({
      decidedBy: 'competent',
      consults: ['provider'],
      onMissed: 'escalate',
      workingDays: 5,
      setting: true,
      settingIds: ['share-request.joint_review.workingDays'],
      citation: 'sip-2021:24',
    });
    // What SIP leaves open still comes from the province.
    expect(r.rules.copy_consent.citation).toBe('js-2020:20');
    expect(r.unresolved).toEqual([]);
  });

  it('outside SIP in Suzhou an unconditional request is granted without a prior record (js-2020:21)', () => {
    const rule = resolveRules(shipped(), 'suzhou', 'share-request', '2026-03-02').rules.unconditional_grant;
    expect(rule.steps).toEqual(['grant']);
  });

  it('in Jiangyan, under Taizhou (no text) under Jiangsu, jy-2023:23 records first and reviews jointly', () => {
    const r = resolveRules(shipped(), 'taizhou-jiangyan', 'share-request', '2026-03-02');
    expect(source(r)).toEqual({
      unconditional_grant: 'jy-2023:23@1',
      joint_review: 'jy-2023:23@1',
      not_shared_review: 'js-2020:19@1',
      copy_consent: 'js-2020:20@1',
    });
    expect(r.rules.unconditional_grant.steps).toEqual(['record', 'grant']);
    expect(r.governingPolicy).toEqual({ id: 'jy-2023', version: 1 });
  });

  it('before sip-2021 came into force (2021-04-30) a SIP request fell to js-2020, deemed consent included', () => {
    const r = resolveRules(shipped(), 'suzhou-sip', 'share-request', '2021-04-29');
    expect(r.rules.provider_review.onMissed).toBe('deem_consent');
    expect(r.rules.unconditional_grant.steps).toEqual(['grant']);
    expect(resolveRules(shipped(), 'suzhou-sip', 'share-request', '2021-04-30').rules.joint_review).toBeDefined();
  });

  it('in Chongming, cm-draft rules apply and what it leaves open is unresolved (no Shanghai text)', () => {
    const r = resolveRules(shipped(), 'shanghai-chongming', 'share-request', '2026-03-02');
    expect(r.governingPolicy).toEqual({ id: 'cm-draft', version: 1 });
    expect(source(r)).toEqual({ request: 'cm-draft:18@1', disposal: 'cm-draft:19@1' });
    expect(r.rules.disposal.decidedBy).toBe('requester');
    expect(r.unresolved).toEqual(['unconditional_grant', 'provider_review', 'not_shared_review', 'copy_consent']);
  });

  it('never borrows a Jiangsu rule for Shanghai', () => {
    const r = resolveRules(shipped(), 'shanghai', 'share-demand', '2026-03-02');
    expect(r.rules).toEqual({});
    expect(r.governingPolicy).toBeNull();
    expect(r.unresolved).toEqual(['provider_response', 'delivery']);
  });
});

describe('other processes', () => {
  it('share demands: 5 working days to respond, 10 from the reply to deliver, both escalate (js-2020:22)', () => {
    const r = resolveRules(shipped(), 'suzhou-sip', 'share-demand', '2026-03-02');
    expect(r.rules.provider_response).toMatchObject({ workingDays: 5, onMissed: 'escalate', citation: 'js-2020:22' });
    expect(r.rules.delivery).toMatchObject({ workingDays: 10, countFrom: 'reply', onMissed: 'escalate' });
  });

  it('objections in SIP: 5 working days, 30 at most (sz-open-2023:10), closed loop of sip-2021:21', () => {
    const r = resolveRules(shipped(), 'suzhou-sip', 'objection', '2026-03-02');
    expect(r.rules.correction).toMatchObject({
      workingDays: 5,
      maxWorkingDays: 30,
      extensionApprovedBy: 'competent',
      citation: 'sz-open-2023:10',
    });
    expect(r.rules.correction.setting).toBeUndefined();
    expect(r.rules.closed_loop.citation).toBe('sip-2021:21');
    expect(r.rules.closed_loop.steps?.at(-1)).toBe('confirm');
    expect(r.rules.dispute_mark.citation).toBe('js-2020:45');
    expect(r.governingPolicy?.id).toBe('sip-2021');
  });

  it('objections in Jiangyan: js-2020:45 says only "及时", so 5 and 30 are visible settings', () => {
    const r = resolveRules(shipped(), 'taizhou-jiangyan', 'objection', '2026-03-02');
    expect(r.rules.correction).toMatchObject({
      workingDays: 5,
      maxWorkingDays: 30,
      setting: true,
      settingIds: ['objection.correction.workingDays', 'objection.correction.maxWorkingDays'],
      citation: 'js-2020:45',
    });
    expect(r.rules.correction.settingReason).toContain('及时');
    expect(r.rules.closed_loop.citation).toBe('jy-2023:20');
  });

  it('a deployment may set a different value for a setting, and the snapshot records it', () => {
    const r = resolveRules(shipped(), 'taizhou', 'objection', '2026-03-02', {
      settings: { 'objection.correction.workingDays': 7 },
    });
    expect(r.rules.correction.workingDays).toBe(7);
    expect(() =>
      resolveRules(shipped(), 'taizhou', 'objection', '2026-03-02', {
        settings: { 'objection.correction.workingDays': 0 },
      }),
    ).toThrow(RangeError);
  });

  it('quality rectification: 10 working days of the task in Suzhou (sz-open-2023:16), a setting in Taizhou', () => {
    const sz = resolveRules(shipped(), 'suzhou', 'quality-rectification', '2026-03-02').rules.rectification;
    expect(sz).toMatchObject({ workingDays: 10, countFrom: 'task_received', citation: 'sz-open-2023:16' });
    expect(sz.setting).toBeUndefined();
    const tz = resolveRules(shipped(), 'taizhou', 'quality-rectification', '2026-03-02').rules.rectification;
    expect(tz).toMatchObject({ workingDays: 10, setting: true, citation: 'js-2020:17' });
  });

  it('rights claims: "立即核实" is a 1-working-day setting, never an unbounded wait', () => {
    const sz = resolveRules(shipped(), 'suzhou-sip', 'rights-claim', '2026-03-02').rules.verification;
    expect(sz).toMatchObject({ workingDays: 1, setting: true, citation: 'sz-open-2023:38' });
    expect(sz.actions).toEqual(['withdraw', 'reopen_processed', 'keep_open']);
    const js = resolveRules(shipped(), 'taizhou-jiangyan', 'rights-claim', '2026-03-02').rules.verification;
    expect(js).toMatchObject({ workingDays: 1, setting: true, citation: 'js-2020:36' });
  });

  it('every snapshot carries the reminder lead time', () => {
    expect(resolveRules(shipped(), 'suzhou', 'objection', '2026-03-02').reminderLeadWorkingDays).toBe(1);
  });

  it('refuses an unknown jurisdiction, process or malformed date', () => {
    expect(() => resolveRules(shipped(), 'beijing', 'objection', '2026-03-02')).toThrow(RangeError);
    expect(() => resolveRules(shipped(), 'suzhou', 'catalog' as never, '2026-03-02')).toThrow(RangeError);
    expect(() => resolveRules(shipped(), 'suzhou', 'objection', '2026-02-30')).toThrow(RangeError);
  });
});

describe('open-data applications and the expiry of sz-open-2023', () => {
  const review = (states: PolicyState[], date: string) =>
    resolveRules(states, 'suzhou-sip', 'open-data-application', date);

  it('received on 2026-07-31, the last day of sz-open-2023: 10 working days (sz-open-2023:20)', () => {
    const r = review(shipped(), '2026-07-31');
    expect(r.rules.provider_review).toMatchObject({ workingDays: 10, onMissed: 'escalate', citation: 'sz-open-2023:20' });
    expect(r.rules.acceptance).toMatchObject({ decidedBy: 'competent', setting: true });
    expect(r.governingPolicy).toEqual({ id: 'sz-open-2023', version: 1 });
  });

  it('received on 2026-08-01: sz-open-2023 has expired and js-2020:27 gives 15 working days', () => {
    const r = review(shipped(), '2026-08-01');
    expect(r.rules.provider_review).toMatchObject({ workingDays: 15, onMissed: 'escalate', citation: 'js-2020:27' });
    // js-2020:27 has no acceptance step: the provider receives the application itself.
    expect(r.rules.acceptance).toBeUndefined();
    expect(r.rules.agreement.citation).toBe('js-2020:26');
    expect(r.policies).toEqual([{ id: 'js-2020', version: 1 }]);
    expect(r.unresolved).toEqual([]);
  });

  it('before sz-open-2023 came into force (2023-08-01) the province applied', () => {
    expect(review(shipped(), '2023-07-31').rules.provider_review.citation).toBe('js-2020:27');
    expect(review(shipped(), '2023-08-01').rules.provider_review.citation).toBe('sz-open-2023:20');
  });

  it('after an admin extends sz-open-2023 to 2027-12-31: 10 working days again, under version 2', () => {
    const extended = patched(shipped(), 'sz-open-2023', { effectiveTo: '2027-12-31' });
    const r = review(extended, '2026-08-01');
    expect(r.rules.provider_review).toMatchObject({ workingDays: 10, policyId: 'sz-open-2023', policyVersion: 2 });
    expect(r.governingPolicy).toEqual({ id: 'sz-open-2023', version: 2 });
    expect(review(extended, '2028-01-01').rules.provider_review.citation).toBe('js-2020:27');
  });

  it('a snapshot taken before the extension is unchanged by it and still says version 1', () => {
    const before = review(shipped(), '2026-07-31');
    const copy = JSON.parse(JSON.stringify(before)) as ResolvedRules;
    const extended = patched(shipped(), 'sz-open-2023', { effectiveTo: '2027-12-31' });
    const after = review(extended, '2026-07-31');

    expect(after.rules.provider_review.policyVersion).toBe(2);
    expect(before).toStrictEqual(copy);
    expect(before.rules.provider_review.policyVersion).toBe(1);
    expect(before.governingPolicy).toEqual({ id: 'sz-open-2023', version: 1 });
    expect(Object.isFrozen(before.rules.provider_review)).toBe(true);
    expect(() => {
      (before.rules.provider_review as { workingDays: number }).workingDays = 99;
    }).toThrow(TypeError);
  });

  it('a snapshot is plain JSON: it survives a round trip unchanged', () => {
    for (const j of ['suzhou-sip', 'taizhou-jiangyan', 'shanghai-chongming']) {
      const r = resolveRules(shipped(), j, 'share-request', '2026-03-02');
      expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
    }
  });
});

describe('adoption', () => {
  it('a policy not adopted never applies: cm-draft off leaves Chongming with nothing resolved', () => {
    const off = patched(shipped(), 'cm-draft', { adopted: false });
    const r = resolveRules(off, 'shanghai-chongming', 'share-request', '2026-03-02');
    expect(r.rules).toEqual({});
    expect(r.governingPolicy).toBeNull();
    expect(r.policies).toEqual([]);
    expect(r.unresolved).toEqual(['unconditional_grant', 'provider_review', 'not_shared_review', 'copy_consent']);
  });

  it('with sip-2021 not adopted, SIP falls back to js-2020:21 and its deemed consent', () => {
    const off = patched(shipped(), 'sip-2021', { adopted: false });
    const r = resolveRules(off, 'suzhou-sip', 'share-request', '2026-03-02');
    expect(r.rules.joint_review).toBeUndefined();
    expect(r.rules.provider_review).toMatchObject({ onMissed: 'deem_consent', citation: 'js-2020:21' });
    expect(r.superseded).toEqual({});
  });

  it('with js-2020 not adopted, Suzhou share rules are unresolved; open-data rules still come from Suzhou', () => {
    const off = patched(shipped(), 'js-2020', { adopted: false });
    expect(resolveRules(off, 'suzhou', 'share-request', '2026-03-02').unresolved).toHaveLength(4);
    expect(resolveRules(off, 'suzhou', 'open-data-application', '2026-03-02').unresolved).toEqual([]);
    expect(resolveRules(off, 'suzhou', 'open-data-application', '2026-08-01').unresolved).toEqual([
      'provider_review',
      'agreement',
    ]);
  });

  it('stored overrides merge onto the shipped data', () => {
    const states = mergePolicyOverrides([
      { id: 'sz-open-2023', adopted: true, effectiveFrom: '2023-08-01', effectiveTo: '2027-12-31', version: 3 },
    ]);
    const r = resolveRules(states, 'suzhou', 'open-data-application', '2026-08-01');
    expect(r.governingPolicy).toEqual({ id: 'sz-open-2023', version: 3 });
    expect(states.find((s) => s.id === 'js-2020')).toBe(POLICIES[0]);
  });
});
