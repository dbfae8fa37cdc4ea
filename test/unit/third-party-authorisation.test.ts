// P10's pure rules: which texts govern a filing where, least scope, the terms, and who may act.
import { describe, expect, it } from 'vitest';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import {
  authorisationActionRefusal,
  creditCodeCheck,
  datasetViolations,
  endOfAuthorisation,
  filingPlan,
  isCreditCode,
  termsViolations,
  type AuthorisationTerms,
} from '../../src/domain/third-party-authorisation';

const plan = (jurisdiction: string) => filingPlan(resolveRules(POLICIES, jurisdiction, 'third-party-authorisation', '2026-12-07'));
const code = (first17: string) => first17 + creditCodeCheck(first17);
const terms: AuthorisationTerms = {
  thirdParty: { name: '某数据服务有限公司', creditCode: code('91320594MA1MXXXX0') },
  purpose: '数据清洗',
  datasetIds: ['ds-1'],
  scope: '仅限清洗、脱敏',
  from: '2026-12-07',
  until: '2027-12-31',
};

describe('which text governs the filing', () => {
  it('is sip-2021:34 in the park and jy-2023:33 in Jiangyan, with the filing period a setting (5 working days)', () => {
    expect(plan('suzhou-sip').filing).toMatchObject({ citation: 'sip-2021:34', workingDays: 5, actions: ['file', 'return'], requiredFields: { return: ['issues'] } });
    expect(plan('suzhou-sip').security).toBeNull();
    expect(plan('taizhou-jiangyan').filing.citation).toBe('jy-2023:33');
  });

  it('adds cm-draft:31’s security review and confidentiality agreement in Chongming only', () => {
    const cm = plan('shanghai-chongming');
    expect(cm.security).toMatchObject({ rule: { citation: 'cm-draft:31' }, fields: ['securityReview', 'confidentialityAgreementSha256'] });
    const v = termsViolations(terms, '2026-12-07', cm);
    expect(v.map((x) => [x.field, x.code])).toEqual([
      ['securityReview', 'security_review_required'],
      ['confidentialityAgreementSha256', 'confidentiality_agreement_required'],
    ]);
    expect(termsViolations({ ...terms, securityReview: { conclusion: '通过', reviewedAt: '2026-12-01' }, confidentialityAgreementSha256: 'a'.repeat(64) }, '2026-12-07', cm)).toEqual([]);
  });

  it('is no text’s where neither district text applies (Suzhou city, Jiangsu): the plan refuses', () => {
    expect(() => plan('suzhou')).toThrow(/no policy in force defines "filing"/);
    expect(() => plan('jiangsu')).toThrow(/filing/);
  });
});

describe('the terms', () => {
  it('checks the unified social credit code’s check character (GB 32100-2015)', () => {
    expect(isCreditCode('91350100M000100Y43')).toBe(true);
    expect(isCreditCode('91350100M000100Y44')).toBe(false);
    expect(isCreditCode('91350100M000100Y4')).toBe(false);
  });

  it('wants a period of real days, the last not before the first nor before today', () => {
    const p = plan('suzhou-sip');
    expect(termsViolations(terms, '2026-12-07', p)).toEqual([]);
    expect(termsViolations({ ...terms, from: '2026-12-07', until: '2026-12-07' }, '2026-12-07', p)).toEqual([]); // one day
    expect(termsViolations({ ...terms, from: '2026-12-08', until: '2026-12-07' }, '2026-12-07', p).map((v) => v.code)).toEqual(['invalid_period']);
    expect(termsViolations({ ...terms, from: '2025-01-01', until: '2026-12-06' }, '2026-12-07', p).map((v) => [v.field, v.code])).toEqual([['until', 'invalid_period']]);
    expect(termsViolations({ ...terms, until: '2027-02-30' }, '2026-12-07', p).map((v) => v.field)).toEqual(['until']);
  });

  it('ends at 24:00 Shanghai of the last day', () => {
    expect(endOfAuthorisation('2027-12-31')).toBe('2027-12-31T16:00:00.000Z');
  });

  it('authorises only the provider’s own catalog data (sip-2021:34 least scope)', () => {
    const v = datasetViolations(['mine', 'theirs', 'nowhere'], [{ id: 'mine', providerAgencyId: 'a' }, { id: 'theirs', providerAgencyId: 'b' }], 'a', 'sip-2021:34');
    expect(v.map((x) => [x.field, x.code])).toEqual([
      ['datasetIds[1]', 'not_provider_dataset'],
      ['datasetIds[2]', 'unknown_dataset'],
    ]);
  });
});

describe('who may act on the case', () => {
  const p = plan('suzhou-sip');
  const state = (status: string) => ({ status, providerAgencyId: 'prov', jurisdiction: 'suzhou-sip', actionPending: false, terms, plan: p, today: '2026-12-07' });
  const provider = { principalId: 'p', agencyId: 'prov', roles: ['provider'], jurisdiction: 'suzhou-sip' };
  const competent = { principalId: 'c', agencyId: 'bureau', roles: ['competent'], jurisdiction: 'suzhou-sip' };
  const cityCompetent = { ...competent, jurisdiction: 'suzhou' };

  it('revoke: the provider while it lasts; the competent department once filed, with a reason', () => {
    expect(authorisationActionRefusal({ action: 'revoke', caller: provider, fields: {} }, state('pending_filing'))).toBeNull();
    expect(authorisationActionRefusal({ action: 'revoke', caller: competent, fields: { reason: '超范围' } }, state('filed'))).toBeNull();
    expect(authorisationActionRefusal({ action: 'revoke', caller: competent, fields: {} }, state('filed'))).toMatchObject({ status: 422, code: 'missing_fields' });
    expect(authorisationActionRefusal({ action: 'revoke', caller: competent, fields: { reason: 'r' } }, state('pending_filing'))).toMatchObject({ status: 409 });
    expect(authorisationActionRefusal({ action: 'revoke', caller: cityCompetent, fields: { reason: 'r' } }, state('filed'))).toMatchObject({ status: 403 });
    expect(authorisationActionRefusal({ action: 'revoke', caller: provider, fields: {} }, state('expired'))).toMatchObject({ status: 409 });
  });

  it('resubmit: the provider, once returned, leaving datasets out but never adding one', () => {
    expect(authorisationActionRefusal({ action: 'resubmit', caller: provider, fields: { scope: '仅脱敏' } }, state('returned'))).toBeNull();
    expect(authorisationActionRefusal({ action: 'resubmit', caller: provider, fields: {} }, state('filed'))).toMatchObject({ status: 409 });
    expect(authorisationActionRefusal({ action: 'resubmit', caller: competent, fields: {} }, state('returned'))).toMatchObject({ status: 403 });
    expect(authorisationActionRefusal({ action: 'resubmit', caller: provider, fields: { datasetIds: ['ds-1', 'ds-2'] } }, state('returned'))).toMatchObject({ status: 422, code: 'datasets_added' });
    expect(authorisationActionRefusal({ action: 'withdraw', caller: provider, fields: {} }, state('returned'))).toMatchObject({ status: 422, code: 'action_not_offered' });
  });
});
