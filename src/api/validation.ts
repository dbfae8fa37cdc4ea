// One schema per route is both the contract (GET /docs/json) and the validation: a request the
// schema refuses is malformed (400), except where the refusing part of the schema is a rule of the
// process (a refusal, below), which the contract answers with 422 and the rule's own code.
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { ApiError } from './errors';

/** The keyword that marks a rule in a route schema; it also shows in the OpenAPI document. */
export const REFUSAL = 'x-refusal';
/**
 * The keyword that makes an object's unknown properties a rule (its `additionalProperties: false`
 * answered with 422 and this refusal, each unknown field named), beside that object's own shape.
 */
export const UNKNOWN_FIELDS_REFUSAL = 'x-refusal-unknown-fields';

export interface Refusal {
  code: string;
  message: string;
  /** The field named in the answer, when the rule is not on the field itself (an anyOf over the body). */
  field?: string;
  citation?: string;
}

/**
 * A rule, to place in an `allOf` of the schema it restricts: data failing `keywords` is refused
 * with 422 `refusal.code`. Only the keywords given here are the rule; the schema around it stays
 * shape (a number where text is due is still a 400).
 */
export function rule(refusal: Refusal, keywords: Record<string, unknown>): Record<string, unknown> {
  return { ...keywords, [REFUSAL]: refusal };
}

type AjvError = FastifySchemaValidationError & { schemaPath: string; parentSchema?: Record<string, unknown> };

const fieldOf = (context: string, e: AjvError) => `${context}${e.instancePath}`.replace(/\//g, '.') || context;

/**
 * The answer to a request the schema refused: 400 `invalid_request` when any error is of shape,
 * else 422 with the refused rules (one code, or `invalid_request_body` for several).
 */
export function validationFailure(errors: FastifySchemaValidationError[], context: string): ApiError {
  const all = errors as AjvError[];
  // A rule's own error carries the marker on its schema; the errors of its branches (an anyOf)
  // lie below it in the schema.
  const rules = new Map<string, Refusal>();
  for (const e of all) {
    const r = e.parentSchema?.[REFUSAL] as Refusal | undefined;
    if (r) rules.set(e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/')), r);
    const unknown = e.keyword === 'additionalProperties' ? (e.parentSchema?.[UNKNOWN_FIELDS_REFUSAL] as Refusal | undefined) : undefined;
    if (unknown) rules.set(e.schemaPath, unknown);
  }
  const ruleOf = (e: AjvError) => [...rules].find(([at]) => e.schemaPath === at || e.schemaPath.startsWith(`${at}/`));
  const shape = all.filter((e) => !ruleOf(e));
  if (shape.length || !rules.size) {
    const details = shape.map((e) => ({ field: fieldOf(context, e), message: e.message, params: e.params }));
    const message = shape.map((e) => `${context}${e.instancePath} ${e.message}`).join(', ');
    return new ApiError(400, 'invalid_request', message, details);
  }
  const refused = new Map<string, Refusal & { field: string }>();
  for (const e of all) {
    const [, r] = ruleOf(e)!;
    const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: string }).additionalProperty : undefined;
    const at = extra === undefined ? fieldOf(context, e) : fieldOf(context, { ...e, instancePath: `${e.instancePath}/${extra}` });
    const field = r.field ?? (at.replace(/^body\.?/, '') || context);
    refused.set(`${r.code}|${field}`, { ...r, field });
  }
  const list = [...refused.values()];
  const codes = new Set(list.map((r) => r.code));
  const code = codes.size === 1 ? list[0]!.code : 'invalid_request_body';
  return new ApiError(422, code, list.map((r) => `${r.field}: ${r.message}`).join('; '), list);
}

/**
 * preHandler of a route whose service names every defect at once (一次性告知) with the domain rule
 * the workflow also applies: malformed requests are refused here (400); when only rules failed, the
 * service is reached and refuses them together with the rules no schema can say.
 * Its route sets `attachValidation: true`.
 */
export async function refuseMalformed(req: FastifyRequest): Promise<void> {
  const err = req.validationError as (Error & { validation?: FastifySchemaValidationError[]; validationContext?: string }) | undefined;
  if (!err?.validation) return;
  const failure = validationFailure(err.validation, err.validationContext ?? '');
  if (failure.statusCode === 400) throw failure;
}
