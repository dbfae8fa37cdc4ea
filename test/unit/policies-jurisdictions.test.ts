import { describe, expect, it } from 'vitest';
import { isJurisdiction, isWithin, JURISDICTIONS, jurisdictionChain } from '../../src/domain/jurisdictions';

describe('jurisdictions', () => {
  it('lists at least the seven of API.md, each with a known parent', () => {
    const ids = JURISDICTIONS.map((j) => j.id);
    expect(ids).toEqual(
      expect.arrayContaining(['jiangsu', 'suzhou', 'suzhou-sip', 'taizhou', 'taizhou-jiangyan', 'shanghai', 'shanghai-chongming']),
    );
    for (const j of JURISDICTIONS) if (j.parent !== null) expect(ids).toContain(j.parent);
    expect(JURISDICTIONS.find((j) => j.id === 'suzhou-sip')).toEqual({ id: 'suzhou-sip', name: '苏州工业园区', parent: 'suzhou' });
  });

  it('chains from the most specific level to the top', () => {
    expect(jurisdictionChain('suzhou-sip')).toEqual(['suzhou-sip', 'suzhou', 'jiangsu']);
    expect(jurisdictionChain('taizhou-jiangyan')).toEqual(['taizhou-jiangyan', 'taizhou', 'jiangsu']);
    expect(jurisdictionChain('shanghai-chongming')).toEqual(['shanghai-chongming', 'shanghai']);
    expect(jurisdictionChain('jiangsu')).toEqual(['jiangsu']);
    expect(() => jurisdictionChain('beijing')).toThrow(RangeError);
  });

  it('knows what lies within what, a jurisdiction included in itself', () => {
    expect(isWithin('suzhou-sip', 'jiangsu')).toBe(true);
    expect(isWithin('suzhou-sip', 'suzhou-sip')).toBe(true);
    expect(isWithin('suzhou', 'suzhou-sip')).toBe(false);
    expect(isWithin('taizhou-jiangyan', 'suzhou')).toBe(false);
    expect(isWithin('shanghai-chongming', 'jiangsu')).toBe(false);
    expect(isWithin('nowhere', 'jiangsu')).toBe(false);
  });

  it('recognises only its own ids', () => {
    expect(isJurisdiction('shanghai')).toBe(true);
    expect(isJurisdiction('Shanghai')).toBe(false);
    expect(isJurisdiction(undefined)).toBe(false);
    expect(isJurisdiction('toString')).toBe(false);
  });
});
