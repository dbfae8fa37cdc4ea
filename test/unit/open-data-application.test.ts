// P3's pure rules without Temporal: which policy's steps apply, what an application and a case
// action must hold, and the agreement template.
import { describe, expect, it } from 'vitest';
import { AGREEMENT_CLAUSES, draftAgreement, missingClauses } from '../../src/domain/data-use-agreement';
import { openDataActionRefusal, type ActionState } from '../../src/domain/open-data-actions';
import { applicationPlan, applicationViolations, openClassRefusal, type OpenDatasetSnapshot } from '../../src/domain/open-data-application';
import { evaluationPlan } from '../../src/domain/open-data-request';
import { POLICIES, resolveRules } from '../../src/domain/policies';

const rules = (date: string, jurisdiction = 'suzhou') => resolveRules(POLICIES, jurisdiction, 'open-data-application', date);
const ds = (openClass: OpenDatasetSnapshot['openClass']): OpenDatasetSnapshot => ({
  id: 'ds',
  name: 'n',
  providerAgencyId: 'a',
  providerName: 'A',
  jurisdiction: 'suzhou',
  openClass,
  legalBasis: '《某条例》第一条',
});

describe('the steps of an application', () => {
  it('has acceptance and 10 working days of review under sz-open-2023, up to 31 July 2026', () => {
    const plan = applicationPlan(rules('2026-07-31'));
    expect(plan.acceptance).toMatchObject({ workingDays: 2, actions: ['accept', 'not_accept'], requiredFields: { not_accept: ['missingItems'] } });
    expect(plan.review).toMatchObject({ workingDays: 10, onMissed: 'escalate', rule: { citation: 'sz-open-2023:20' } });
    expect(plan.review.requiredFields).toEqual({ approve: ['purpose', 'scope'], refuse: ['reason', 'legalBasis'] });
    expect(plan.agreement.citation).toBe('sz-open-2023:21');
  });

  it('hands over to js-2020:27 (15 working days, no acceptance) the day after', () => {
    const plan = applicationPlan(rules('2026-08-01'));
    expect(plan.acceptance).toBeNull();
    expect(plan.review).toMatchObject({ workingDays: 15, rule: { citation: 'js-2020:27' } });
    expect(evaluationPlan(rules('2026-08-01'))).toMatchObject({ fallback: true, evaluation: { workingDays: 15 }, expertCitation: 'js-2020:28' });
    expect(evaluationPlan(rules('2026-07-31'))).toMatchObject({ fallback: false, evaluation: { workingDays: 10, rule: { citation: 'sz-open-2023:23' } } });
  });

  it('is refused where no text defines the review (Shanghai)', () => {
    expect(() => applicationPlan(rules('2026-08-01', 'shanghai-chongming'))).toThrow(/provider_review/);
  });

  it('needs no application for unconditional data and refuses non-open data, citing the text in force', () => {
    expect(openClassRefusal(ds('unconditional'), rules('2026-07-31'))).toMatchObject({ code: 'no_application_needed', citation: 'sz-open-2023:19' });
    expect(openClassRefusal(ds('none'), rules('2026-08-01'))).toMatchObject({ code: 'not_open', citation: 'js-2020:25', details: { legalBasis: '《某条例》第一条' } });
    expect(openClassRefusal(ds('conditional'), rules('2026-08-01'))).toBeNull();
  });
});

describe('an application (sz-open-2023:20)', () => {
  const ok = { title: 't', reason: 'r', deliveryType: 'api', usagePeriod: { start: '2026-11-24', end: '2027-01-31' }, resultForm: 'f', scenario: 's', commitment: true };

  it('is complete with every field, a real period not begun before receipt, and the commitment', () => {
    expect(applicationViolations(ok, '2026-11-24', 'sz-open-2023:20')).toEqual([]);
  });

  it('lists every defect at once (一次性告知)', () => {
    const v = applicationViolations({ ...ok, title: '', scenario: undefined, deliveryType: 'fax', commitment: false, usagePeriod: { start: '2026-11-23', end: '2026-12-01' } }, '2026-11-24', 'c');
    expect(v.map((x) => x.field)).toEqual(['title', 'deliveryType', 'scenario', 'commitment', 'usagePeriod.start']);
    expect(v.every((x) => x.citation === 'c')).toBe(true);
  });
});

describe('case actions', () => {
  const state = (over: Partial<ActionState> = {}): ActionState => ({
    status: 'pending_agreement',
    applicantId: 'u1',
    providerAgencyId: 'prov',
    jurisdiction: 'suzhou',
    receivedDate: '2026-11-24',
    applicationCitation: 'sz-open-2023:20',
    application: { title: 't', reason: 'r', deliveryType: 'api', usagePeriod: { start: '2026-11-24', end: '2027-01-31' }, resultForm: 'f', scenario: 's', commitment: true },
    agreement: { agreementId: 'a', sha256: 'f'.repeat(64), templateVersion: 'v', citation: 'c', clauses: [], signatures: [], status: 'pending_signatures' },
    use: { resultRequests: [], results: [], breaches: [] },
    queued: [],
    ...over,
  });
  const user = { principalId: 'u1', agencyId: null, roles: ['data_user'], jurisdiction: null };
  const prov = { principalId: 'p1', agencyId: 'prov', roles: ['provider'], jurisdiction: 'suzhou' };
  const ops = { principalId: 'o1', agencyId: 'centre', roles: ['operations'], jurisdiction: 'suzhou' };

  it('answers in order: not offered, not a party, wrong state, bad fields', () => {
    expect(openDataActionRefusal({ action: 'approve', caller: user, fields: {} }, state())).toMatchObject({ status: 422, code: 'action_not_offered' });
    expect(openDataActionRefusal({ action: 'sign-agreement', caller: ops, fields: {} }, state())).toMatchObject({ status: 403 });
    expect(openDataActionRefusal({ action: 'supplement', caller: user, fields: {} }, state())).toMatchObject({ status: 409, code: 'invalid_state' });
    expect(openDataActionRefusal({ action: 'sign-agreement', caller: user, fields: { sha256: '0'.repeat(64) } }, state())).toMatchObject({ status: 422, code: 'agreement_mismatch' });
    expect(openDataActionRefusal({ action: 'report-breach', caller: prov, fields: { measure: 'warn' } }, state({ status: 'active' }))).toMatchObject({
      status: 422,
      details: { missing: ['measure', 'description', 'basis'] },
    });
  });

  it('lets the two parties’ signatures queue, but not the same party twice nor anything else meanwhile', () => {
    const queued = [{ action: 'sign-agreement', party: 'applicant' as const }];
    expect(openDataActionRefusal({ action: 'sign-agreement', caller: prov, fields: {} }, state({ queued }))).toBeNull();
    expect(openDataActionRefusal({ action: 'sign-agreement', caller: user, fields: {} }, state({ queued }))).toMatchObject({ status: 409, code: 'already_signed' });
    expect(openDataActionRefusal({ action: 'withdraw', caller: user, fields: {} }, state({ queued }))).toMatchObject({ status: 409, code: 'action_in_progress' });
  });

  it('re-checks a supplemented application as a whole', () => {
    const s = state({ status: 'not_accepted' });
    expect(openDataActionRefusal({ action: 'supplement', caller: user, fields: { resultForm: '报告' } }, s)).toBeNull();
    expect(openDataActionRefusal({ action: 'supplement', caller: user, fields: { commitment: false, colour: 'red' } }, s)).toMatchObject({ code: 'unknown_fields' });
    expect(openDataActionRefusal({ action: 'supplement', caller: user, fields: { commitment: false } }, s)).toMatchObject({ code: 'invalid_application' });
  });
});

describe('the data-use agreement (sz-open-2023:21)', () => {
  const terms = {
    agreementId: 'agreement-1',
    caseId: 'c1',
    citation: 'sz-open-2023:21',
    provider: { agencyId: 'a', name: '甲' },
    applicant: { principalId: 'u', name: '乙' },
    dataset: { id: 'd', name: '数据' },
    title: 't',
    purpose: '用途X',
    scope: '范围Y',
    scenario: 's',
    deliveryType: 'dataset' as const,
    usagePeriod: { start: '2026-12-01', end: '2027-05-31' },
    resultForm: 'f',
    approvedDate: '2026-11-24',
  };

  it('holds every clause either text requires', () => {
    const required = ['purpose', 'scope', 'manner_of_use', 'follow_up_service_and_feedback', 'prohibited_acts', 'credit_commitment', 'liability_for_breach', 'dispute_resolution'];
    expect(missingClauses(required)).toEqual([]);
    expect(missingClauses(POLICIES.find((p) => p.id === 'js-2020')!.processes['open-data-application']!.agreement!.clauses!)).toEqual([]);
    expect(missingClauses(['arbitration'])).toEqual(['arbitration']);
  });

  it('is the same text for the same terms, filled with the approved purpose, scope and period', () => {
    const a = draftAgreement(terms);
    expect(draftAgreement(terms).text).toBe(a.text);
    for (const s of ['用途X', '范围Y', '2026-12-01', '2027-05-31', '数据下载', ...AGREEMENT_CLAUSES.map((c) => c.title)]) expect(a.text).toContain(s);
  });
});
