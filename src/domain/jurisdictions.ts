// Jurisdictions nest (PROCESSES.md): Jiangsu ⊃ Suzhou ⊃ SIP; Jiangsu ⊃ Taizhou ⊃ Jiangyan;
// Shanghai ⊃ Chongming. Policy resolution walks this chain from the most specific level up,
// and departments of a level may read (not decide) the cases of the levels below it.
// Pure: no I/O, so workflows may import it.

export interface Jurisdiction {
  id: string;
  name: string;
  parent: string | null;
}

export const JURISDICTION_IDS = [
  'jiangsu',
  'suzhou',
  'suzhou-sip',
  'taizhou',
  'taizhou-jiangyan',
  'shanghai',
  'shanghai-chongming',
] as const;

export type JurisdictionId = (typeof JURISDICTION_IDS)[number];

export const JURISDICTIONS: readonly Readonly<Jurisdiction>[] = Object.freeze(
  [
    { id: 'jiangsu', name: '江苏省', parent: null },
    { id: 'suzhou', name: '苏州市', parent: 'jiangsu' },
    { id: 'suzhou-sip', name: '苏州工业园区', parent: 'suzhou' },
    { id: 'taizhou', name: '泰州市', parent: 'jiangsu' },
    { id: 'taizhou-jiangyan', name: '姜堰区', parent: 'taizhou' },
    { id: 'shanghai', name: '上海市', parent: null },
    { id: 'shanghai-chongming', name: '崇明区', parent: 'shanghai' },
  ].map((j) => Object.freeze(j)),
);

const BY_ID = new Map<string, Readonly<Jurisdiction>>(JURISDICTIONS.map((j) => [j.id, j]));

export function isJurisdiction(id: unknown): id is JurisdictionId {
  return typeof id === 'string' && BY_ID.has(id);
}

export function getJurisdiction(id: string): Readonly<Jurisdiction> | undefined {
  return BY_ID.get(id);
}

/**
 * The jurisdiction and its ancestors, most specific first:
 * `jurisdictionChain('suzhou-sip')` → `['suzhou-sip', 'suzhou', 'jiangsu']`.
 * Throws a RangeError for an unknown id: an empty chain would silently resolve no rules.
 */
export function jurisdictionChain(id: string): string[] {
  const chain: string[] = [];
  let current = BY_ID.get(id);
  if (!current) throw new RangeError(`unknown jurisdiction: ${String(id)}`);
  while (current) {
    chain.push(current.id);
    current = current.parent === null ? undefined : BY_ID.get(current.parent);
  }
  return chain;
}

/** True when `id` is `ancestorId` itself or lies below it. False for unknown ids. */
export function isWithin(id: string, ancestorId: string): boolean {
  if (!isJurisdiction(id) || !isJurisdiction(ancestorId)) return false;
  return jurisdictionChain(id).includes(ancestorId);
}
