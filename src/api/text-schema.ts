// The API refuses text that is not well-formed, NUL and control characters in every body, query
// and path (plugins/text-hygiene.ts, before validation). The route schemas say so too, so that the
// OpenAPI document accepts exactly what the API does.
import type { RouteOptions } from 'fastify';

/**
 * What every free text of a request may hold: no NUL or control characters but tab and newline
 * (CR only before LF) — what plugins/text-hygiene.ts accepts, with WELL_FORMED below.
 */
export const TEXT_PATTERN = '^(?:[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\r]|\\r\\n)*$';

/**
 * …and well-formed Unicode: no lone surrogate. Read with the `u` flag (Ajv's default), a paired
 * surrogate is one character outside the range, so only a lone one falls in it. A separate schema
 * because engines whose strings cannot hold surrogates (Rust's, a fuzzer's) cannot compile it.
 */
export const WELL_FORMED = { pattern: '^[^\\uD800-\\uDFFF]*$' };

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (s: Schema) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));

/** A copy of `schema` whose strings without a pattern, format or fixed values refuse U+0000, in values and keys. */
export function refusingNul(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (isString(out) && !('pattern' in out || 'format' in out || 'enum' in out || 'const' in out)) {
    out.pattern = TEXT_PATTERN;
    out.allOf = [...((out.allOf as unknown[]) ?? []), WELL_FORMED];
  }
  if (out.type === 'object' && out.additionalProperties !== false && !('propertyNames' in out)) out.propertyNames = { type: 'string', pattern: TEXT_PATTERN, allOf: [WELL_FORMED] };
  for (const key of ['properties', 'patternProperties'] as const) {
    if (isSchema(out[key])) out[key] = Object.fromEntries(Object.entries(out[key]).map(([k, v]) => [k, isSchema(v) ? refusingNul(v) : v]));
  }
  // Not into `not` or `if`: a pattern there would widen what the schema accepts, not narrow it.
  for (const key of ['items', 'additionalProperties', 'then', 'else'] as const) {
    if (isSchema(out[key])) out[key] = refusingNul(out[key]);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((v) => (isSchema(v) ? refusingNul(v) : v));
  }
  return out;
}

/** onRoute hook: the parts of a request the NUL check reads say what it refuses. */
export function describeNulRefusal(route: RouteOptions): void {
  const schema = route.schema as Record<string, unknown> | undefined;
  if (!schema) return;
  for (const part of ['body', 'querystring', 'params'] as const) {
    if (isSchema(schema[part])) schema[part] = refusingNul(schema[part]);
  }
}
