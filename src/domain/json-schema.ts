// JSON Schemas as plain data: the forms of decision fields travel in workflow state and the task
// projection. A leaf module (imports nothing), so process descriptors can build their fields'
// forms without importing what imports the registry. Pure.

/** A JSON Schema (draft 2020-12), as plain data. */
export type JsonSchema = Record<string, unknown>;

/** A text field's form: 1 to `max` characters, described in Chinese and English (`中文 — English`). */
export const textField = (max: number, zh: string, en: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  description: `${zh} — ${en}`,
});
