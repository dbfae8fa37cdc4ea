// P8's pure rules: which steps a dispute takes under which text (js-2020:45 everywhere in Jiangsu;
// sz-open-2023:11's expert route only for open-provider disputes in Suzhou while it is in force),
// the jurisdiction whose department settles it, and what a filing may not say.
import { describe, expect, it } from 'vitest';
import { POLICIES, resolveRules } from '../../src/domain/policies';
import { bodyViolations, commonJurisdiction, determinationFields, disputePlan, DisputePlanError, providerRefusal } from '../../src/domain/dispute';

const rules = (jurisdiction: string, day: string) => resolveRules(POLICIES, jurisdiction, 'dispute', day);

describe('disputePlan', () => {
  it('has the competent department determine under js-2020:45, with no expert route, after sz-open-2023 ended', () => {
    const p = disputePlan(rules('suzhou-sip', '2026-12-07'), 'open_provider');
    expect(p.negotiation).toMatchObject({ workingDays: 10, citation: 'js-2020:45' });
    expect(p.coordination).toMatchObject({ actions: ['determine'], workingDays: 10, citation: 'js-2020:45' });
    expect(p.experts).toBeNull();
  });

  it('refers an open-provider dispute in Suzhou to the experts and the government while sz-open-2023:11 is in force', () => {
    const p = disputePlan(rules('suzhou', '2026-05-06'), 'open_provider');
    expect(p.negotiation.citation).toBe('sz-open-2023:11');
    expect(p.coordination).toMatchObject({ actions: ['refer_to_experts'], citation: 'sz-open-2023:11' });
    expect(p.experts).toMatchObject({ opinion: { workingDays: 10, citation: 'sz-open-2023:11' }, government: { workingDays: 15, citation: 'sz-open-2023:11' } });
  });

  it('keeps every other subject with js-2020:45 in Suzhou, and has no rule outside Jiangsu', () => {
    for (const s of ['sharing', 'catalog_source', 'other'] as const) {
      expect(disputePlan(rules('suzhou', '2026-05-06'), s)).toMatchObject({ coordination: { actions: ['determine'], citation: 'js-2020:45' }, experts: null });
    }
    expect(disputePlan(rules('taizhou-jiangyan', '2026-05-06'), 'open_provider').experts).toBeNull();
    expect(() => disputePlan(rules('shanghai-chongming', '2026-05-06'), 'sharing')).toThrow(DisputePlanError);
  });
});

describe('the rest of the rules', () => {
  it('settles a dispute at the most specific level the agencies share', () => {
    expect(commonJurisdiction(['suzhou-sip', 'suzhou-sip'])).toBe('suzhou-sip');
    expect(commonJurisdiction(['suzhou-sip', 'suzhou'])).toBe('suzhou');
    expect(commonJurisdiction(['suzhou-sip', 'taizhou-jiangyan'])).toBe('jiangsu');
    expect(commonJurisdiction(['suzhou', 'shanghai'])).toBeNull();
  });

  it('requires the dataset and the provider’s name where the subject is who provides it', () => {
    expect(determinationFields('catalog_source')).toEqual(['determination', 'providerAgencyId']);
    expect(determinationFields('sharing')).toEqual(['determination']);
    const v = bodyViolations({ subject: 'open_provider', counterpartAgencyIds: ['a', 'b', 'b'], description: 'x' }, 'a');
    expect(v.map((x) => x.code)).toEqual(['dataset_required', 'own_agency', 'duplicate_agency']);
  });

  it('names as provider only an agency in the dispute', () => {
    const parties = [{ agencyId: 'a', jurisdiction: 'suzhou' }, { agencyId: 'b', jurisdiction: 'suzhou' }];
    const caller = { principalId: 'p', agencyId: 'x', roles: ['competent' as const], jurisdiction: 'suzhou' };
    const d = (providerAgencyId: string) => ({ taskId: 't', action: 'determine', caller, fields: { determination: 'x', providerAgencyId } });
    expect(providerRefusal(d('b'), parties, 'js-2020:45')).toBeNull();
    expect(providerRefusal(d('c'), parties, 'js-2020:45')).toMatchObject({ status: 422, code: 'not_party' });
  });
});
