// Tasks as JSON answers, with their forms written once per content (issue 17). A task's `forms`
// (API-2.md "Tasks describe their own forms") is the same for every task of a kind and process
// version, and is most of an inbox answer (≈ 1 kB of its ≈ 1.4 kB). Parsing each row's jsonb into
// objects and writing them back to JSON for every row was most of an inbox request's CPU; instead
// lists read the jsonb as PostgreSQL's text, its compact JSON is made once per distinct text and
// kept (bounded), and the answer splices that text in beside the rest of the task, which the
// route's own schema serialises (fast-json-stringify, as Fastify would). Same JSON value as
// before; `forms` comes last in each task object. Answers are built as UTF-8 bytes.
import fastJson from 'fast-json-stringify';
import type { FastifyReply } from 'fastify';
import type { TObject } from 'typebox';
import { formsFor } from '../domain/decision-forms';

/**
 * A JSON value kept as its text, written into answers as is. `toJSON()` gives the value, so that
 * anything else serialising it (JSON.stringify, Fastify's schema serialiser) writes the same value.
 */
export class RawJson {
  private utf8: Buffer | undefined;
  constructor(readonly json: string) {}
  /** The JSON as UTF-8, encoded once (answers are sent as bytes: no per-answer encoding of it). */
  get bytes(): Buffer {
    return (this.utf8 ??= Buffer.from(this.json));
  }
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/**
 * A bounded map from a content to its compact JSON, least recently used dropped first. The key is
 * the content itself (never a digest of it), so one content is never answered for another.
 */
export class JsonTextCache {
  private readonly entries = new Map<string, RawJson>();
  /**
   * @param maxEntries distinct contents kept (forms: a few per process version)
   * @param maxKeyChars a longer content is converted every time, not kept (bounds memory at
   *   about maxEntries × maxKeyChars × 2 bytes per cache)
   */
  constructor(
    readonly maxEntries = 500,
    readonly maxKeyChars = 32_768,
  ) {}

  /** The compact JSON of the content `key`, made by `make` (the JSON text) when not kept. */
  get(key: string, make: () => string): RawJson {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const made = new RawJson(make());
    if (key.length <= this.maxKeyChars) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, made);
    }
    return made;
  }

  /** How many contents are kept. */
  get size(): number {
    return this.entries.size;
  }
}

const stored = new JsonTextCache();
const derived = new JsonTextCache();

/**
 * A task's forms as compact JSON: `formsText` is PostgreSQL's text of the stored jsonb
 * (`tasks.forms::text`); a task opened before forms were recorded (null) shows the forms its
 * actions and required fields imply (formsFor). Throws SyntaxError only if `formsText` is not JSON.
 */
export function formsJson(t: { formsText: string | null; actions: string[]; requiredFields: Record<string, string[]> }): RawJson {
  if (t.formsText !== null) return stored.get(t.formsText, () => JSON.stringify(JSON.parse(t.formsText!)));
  return derived.get(JSON.stringify([t.actions, t.requiredFields]), () => JSON.stringify(formsFor(t.actions, t.requiredFields)));
}

/** Serialises tasks whose `forms` is a RawJson (or a plain value) by the task's response schema. */
export interface TaskJson<T extends { forms: unknown }> {
  /** One task: its JSON, UTF-8. */
  one(task: T): Buffer;
  /** A page of tasks `{items, nextCursor}`: its JSON, UTF-8. */
  page(p: { items: T[]; nextCursor: string | null }): Buffer;
}

/**
 * Serialisers of tasks by `schema` (the Task response schema): every property but `forms` written
 * as its schema says (properties the schema lacks left out, as Fastify's serialiser does), then
 * `forms` spliced in as its JSON's bytes. Answers are built as bytes: the forms' Chinese text is
 * encoded once per content, not per answer, and no answer-long string is built and copied.
 * Throws at build time if the schema has no `forms`.
 */
export function taskJson<T extends { forms: unknown }>(schema: TObject): TaskJson<T> {
  const { forms, ...properties } = schema.properties as Record<string, unknown>;
  if (!forms) throw new Error('the task schema has no forms');
  const rest = fastJson({ type: 'object', properties, required: (schema.required ?? []).filter((r: string) => r !== 'forms') } as Parameters<typeof fastJson>[0]);
  /** The task up to its forms' value: `{…,"forms":` (before: what comes first, e.g. `,`). */
  const head = (task: T, before: string): Buffer => {
    const json = rest(task);
    return Buffer.from(`${before}${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"forms":`);
  };
  const formsOf = (task: T): Buffer => (task.forms instanceof RawJson ? task.forms.bytes : Buffer.from(JSON.stringify(task.forms)));
  return {
    one: (task) => Buffer.concat([head(task, ''), formsOf(task), CLOSE]),
    page: ({ items, nextCursor }) => {
      const parts: Buffer[] = [];
      items.forEach((task, i) => parts.push(head(task, i ? '},' : '{"items":['), formsOf(task)));
      parts.push(Buffer.from(`${items.length ? '}' : '{"items":['}],"nextCursor":${JSON.stringify(nextCursor)}}`));
      return Buffer.concat(parts);
    },
  };
}
const CLOSE = Buffer.from('}');

/**
 * Sends `json`, an answer already serialised (by taskJson), as application/json (UTF-8): Fastify
 * sends it as it is, without its schema serialiser.
 */
export function sendJson(reply: FastifyReply, json: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
