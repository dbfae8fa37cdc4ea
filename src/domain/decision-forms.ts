// Tasks describe their own forms (API-2.md): for each action of a task, one JSON Schema (draft
// 2020-12) of the decision's fields besides `action`. The same schema is published on the task,
// checked by the API before it asks the case, and checked again by the case's own validator — so
// a client (the console, an agency system) renders and validates a decision without knowing the
// process. Fields that mean the same in several processes are declared once here, those only one
// process takes in its descriptor (`decisionFields`, domain/process.ts); each task's rules say which
// an action requires (`requiredFields`) and which it also takes. Pure.
import Schema from 'typebox/schema';
import { textField, type JsonSchema } from './json-schema';
import { processes } from './process';

export type { JsonSchema };
import type { Refusal } from './tasks';


/** The fields several processes' decisions carry, with their forms (types, limits, descriptions in Chinese and English). */
export const DECISION_FIELDS: Readonly<Record<string, JsonSchema>> = Object.freeze({
  legalBasis: textField(4000, '法律依据：所依据的法律、法规或规章', 'legal basis: the law, regulation or rule the decision rests on'),
  reason: textField(4000, '理由', 'reasons'),
  note: textField(4000, '备注', 'note'),
  purpose: textField(2000, '同意的用途', 'purpose, as approved'),
  scope: textField(2000, '同意的使用范围', 'scope of use, as approved'),
  answer: textField(4000, '答复', 'answer to the applicant'),
  // A return (P7 catalog review, P10 filing): what was found wrong, one item each.
  issues: {
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: textField(2000, '需修改的问题', 'an issue to correct'),
    description: '退回的全部问题，每项一条 — every issue to correct before resubmitting, one item each',
  },
  workingDays: { type: 'integer', minimum: 1, maximum: 366, description: '工作日数（自收到之日起的总期限） — working days in all, counted from receipt' },
  datasetId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: '目录中的数据集 — the catalog dataset' },
});

/** Every field any decision may carry: the shared ones, then each process's own (its descriptor's `decisionFields`). */
export function decisionFieldCatalogue(): Record<string, JsonSchema> {
  return Object.assign({}, DECISION_FIELDS, ...processes().map((p) => p.decisionFields ?? {}));
}

/** The form of a field: from the catalogue, or (a field a policy names that the catalogue lacks) text. */
export function fieldSchema(name: string): JsonSchema {
  return DECISION_FIELDS[name] ?? processes().find((p) => p.decisionFields?.[name])?.decisionFields?.[name] ?? textField(4000, name, name);
}

/** Fields every action takes besides its own: a reason, a note, and the legal basis it rests on. */
export const COMMON_FIELDS = ['reason', 'note', 'legalBasis'] as const;

/**
 * The forms of a task: for each action, an object schema of the fields it requires and those it
 * also takes (COMMON_FIELDS and `optional[action]`); nothing else.
 */
export function formsFor(actions: readonly string[], required: Record<string, string[]>, optional: Record<string, string[]> = {}): Record<string, JsonSchema> {
  return Object.fromEntries(
    actions.map((action) => {
      const req = required[action] ?? [];
      const names = [...new Set([...req, ...COMMON_FIELDS, ...(optional[action] ?? [])])];
      return [action, { type: 'object', properties: Object.fromEntries(names.map((n) => [n, fieldSchema(n)])), required: [...req], additionalProperties: false }];
    }),
  );
}

/**
 * Why `fields` do not fit `form` (422 invalid_decision_fields with every failing path, e.g.
 * `/legalBasis` for a number where text is due, `/colour` for a field the form does not take),
 * or null. Required fields are checked before, with their own codes (decisionRefusal).
 */
export function formRefusal(form: JsonSchema | undefined, action: string, fields: Record<string, unknown>): Refusal | null {
  if (!form || Schema.Check(form, fields)) return null;
  const [, errors] = Schema.Errors(form, fields);
  const problems: { path: string; message: string }[] = [];
  for (const e of errors) {
    if (e.keyword === 'boolean') continue; // repeated by the additionalProperties error below
    const extra = e.keyword === 'additionalProperties' ? ((e.params as { additionalProperties?: string[] }).additionalProperties ?? []) : [];
    if (extra.length) for (const name of extra) problems.push({ path: `/${name}`, message: `"${action}" takes no field ${name}` });
    else problems.push({ path: e.instancePath || '/', message: e.message });
  }
  return {
    status: 422,
    code: 'invalid_decision_fields',
    message: `the fields of "${action}" do not fit its form: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    details: { paths: problems.map((p) => p.path), errors: problems },
  };
}
