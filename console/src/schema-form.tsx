// Form fields generated from a JSON Schema (a task's `forms[action]`, a case action's body): the
// console renders decisions without knowing the process. The server judges the values; its 422
// names the fields, and each one's message is shown beside its field (aria-describedby).
import { useState } from 'preact/hooks';
import type { JsonSchema } from './api';
import { described, t } from './i18n';

export type Values = Record<string, string | boolean>;

const isList = (s: JsonSchema) => s.type === 'array';
const options = (s: JsonSchema): unknown[] | undefined => s.enum ?? s.anyOf?.filter((a) => 'const' in a).map((a) => a.const);

/**
 * The body of a form's values: empty fields left out (the server says which are required), numbers
 * and lists read from their text, objects from JSON.
 * @throws SyntaxError when a field of type object is not JSON.
 */
export function bodyOf(schema: JsonSchema, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    if (v === undefined || v === '') continue;
    if (s.type === 'boolean') out[name] = v === true;
    else if (s.type === 'integer' || s.type === 'number') out[name] = Number(v);
    else if (isList(s)) out[name] = String(v).split('\n').map((l) => l.trim()).filter(Boolean);
    else if (s.type === 'object') out[name] = JSON.parse(String(v)) as unknown;
    else out[name] = v;
  }
  return out;
}

/** The fields of `schema`, ids prefixed with `idPrefix`; `errors` by field name. */
export function SchemaFields(props: { schema: JsonSchema; idPrefix: string; values: Values; errors: Record<string, string>; onChange: (name: string, v: string | boolean) => void }) {
  const { schema, idPrefix, values, errors, onChange } = props;
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, s]) => {
        const id = `${idPrefix}-${name}`;
        const errId = `${id}-error`;
        const hintId = `${id}-hint`;
        const error = errors[name];
        const label = described(s.description, name);
        const hint = isList(s) ? t('onePerLine') : undefined;
        const describedBy = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
        const common = { id, name, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy, 'aria-required': required.has(name) || undefined };
        const value = values[name];
        const choices = options(s);
        let input;
        if (s.type === 'boolean') {
          input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(name, e.currentTarget.checked)} />;
        } else if (choices) {
          input = (
            <select {...common} value={String(value ?? '')} onChange={(e) => onChange(name, e.currentTarget.value)}>
              <option value="">—</option>
              {choices.map((c) => (
                <option value={String(c)}>{String(c)}</option>
              ))}
            </select>
          );
        } else if (s.type === 'integer' || s.type === 'number') {
          input = <input type="number" {...common} min={s.minimum} max={s.maximum} value={String(value ?? '')} onInput={(e) => onChange(name, e.currentTarget.value)} />;
        } else if (isList(s) || s.type === 'object' || (s.maxLength ?? 0) > 200) {
          input = <textarea rows={3} {...common} value={String(value ?? '')} onInput={(e) => onChange(name, e.currentTarget.value)} />;
        } else {
          input = <input type="text" {...common} maxLength={s.maxLength} value={String(value ?? '')} onInput={(e) => onChange(name, e.currentTarget.value)} />;
        }
        return (
          <div class={`field${error ? ' field-error' : ''}`} key={name}>
            <label for={id}>
              {label}
              {required.has(name) ? <span class="req"> （{t('required')}）</span> : null}
            </label>
            {input}
            {hint ? <small id={hintId}>{hint}</small> : null}
            {error ? (
              <p class="error" id={errId}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

/** Form state for one schema: its values and the errors a 422 put on its fields. */
export function useSchemaForm() {
  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const onChange = (name: string, v: string | boolean) => {
    setValues((old) => ({ ...old, [name]: v }));
    setErrors((old) => {
      const { [name]: _gone, ...rest } = old;
      return rest;
    });
  };
  return { values, setValues, errors, setErrors, onChange };
}
