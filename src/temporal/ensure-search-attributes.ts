import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { CASE_SEARCH_ATTRIBUTES } from './search-attributes';

const TYPES: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/**
 * Registers the case search attributes on an external cluster (the embedded dev server gets them
 * on its command line). Those already present are left alone.
 */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    const existing = await conn.operatorService.listSearchAttributes({ namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.entries(CASE_SEARCH_ATTRIBUTES).filter(([name]) => !have.has(name));
    if (missing.length) {
      await conn.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, TYPES[type]!])),
      });
    }
  } finally {
    await conn.close();
  }
}
