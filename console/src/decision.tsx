// A decision form generated from the task's `forms` (API-2.md "Tasks describe their own forms"),
// and the same for a case action's body: fields from the JSON Schema, the server's 422 message
// beside each field it names, any other refusal above the button.
import { useState } from 'preact/hooks';
import { api, ApiError, fieldsOf, type CaseView, type JsonSchema, type Task } from './api';
import { bodyOf, SchemaFields, useSchemaForm } from './schema-form';
import { actionName, t } from './i18n';

/** Sends `body` and shows what came back: field errors by name, or the refusal's message. */
function useSubmit(send: (body: Record<string, unknown>) => Promise<CaseView>, setErrors: (e: Record<string, string>) => void) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (schema: JsonSchema, values: Record<string, string | boolean>, extra: Record<string, unknown>, onDone: (c: CaseView) => void) => {
    setMessage(null);
    setErrors({});
    setBusy(true);
    try {
      onDone(await send({ ...extra, ...bodyOf(schema, values) }));
    } catch (err) {
      if (err instanceof ApiError) {
        const named = fieldsOf(err).filter((f) => f in (schema.properties ?? {}));
        const missing = new Set(((err.details ?? {}) as { missing?: string[] }).missing ?? []);
        if (named.length) setErrors(Object.fromEntries(named.map((f) => [f, missing.has(f) ? `${t('missing')}：${err.message}` : err.message])));
        else setMessage(err.message);
      } else setMessage(String(err));
    } finally {
      setBusy(false);
    }
  };
  return { message, busy, submit };
}

export function DecisionForm(props: { task: Task; onDecided: (c: CaseView) => void }) {
  const { task } = props;
  const [action, setAction] = useState(task.actions[0] ?? '');
  const form = useSchemaForm();
  const { message, busy, submit } = useSubmit((body) => api<CaseView>('POST', `/v1/tasks/${encodeURIComponent(task.taskId)}/decision`, body), form.setErrors);
  const schema = task.forms[action] ?? { properties: {} };
  const idPrefix = `d-${task.kind}`;
  return (
    <form
      class="decision"
      aria-labelledby={`${idPrefix}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(schema, form.values, { action }, props.onDecided);
      }}
    >
      <h3 id={`${idPrefix}-heading`}>
        {t('decision')}：{task.kind}
      </h3>
      <fieldset>
        <legend>{t('action')}</legend>
        {task.actions.map((a) => (
          <label class="check" key={a}>
            <input
              type="radio"
              name={`${idPrefix}-action`}
              value={a}
              checked={a === action}
              onChange={() => {
                setAction(a);
                form.setErrors({});
              }}
            />
            {actionName(a)}
          </label>
        ))}
      </fieldset>
      <SchemaFields schema={schema} idPrefix={idPrefix} values={form.values} errors={form.errors} onChange={form.onChange} />
      {message ? (
        <p class="error" role="alert">
          {message}
        </p>
      ) : null}
      {Object.keys(form.errors).length ? (
        <p class="sr-only" role="alert">
          {Object.values(form.errors)[0]}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}

/** A party action on the case (POST /v1/cases/:caseId/<action>), its fields from the body's schema. */
export function CaseActionForm(props: { caseId: string; action: string; summary: string; body: JsonSchema; onDone: (c: CaseView) => void }) {
  const form = useSchemaForm();
  const { message, busy, submit } = useSubmit((body) => api<CaseView>('POST', `/v1/cases/${encodeURIComponent(props.caseId)}/${props.action}`, body), form.setErrors);
  return (
    <details class="case-action">
      <summary>{actionName(props.action)}</summary>
      <p class="sub">{props.summary}</p>
      <form
        noValidate
        aria-label={actionName(props.action)}
        onSubmit={(e) => {
          e.preventDefault();
          void submit(props.body, form.values, {}, props.onDone);
        }}
      >
        <SchemaFields schema={props.body} idPrefix={`a-${props.action}`} values={form.values} errors={form.errors} onChange={form.onChange} />
        {message ? (
          <p class="error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {actionName(props.action)}
        </button>
      </form>
    </details>
  );
}
