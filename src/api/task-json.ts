// Tasks as JSON answers, with their forms written once per content (issue 17). A task's `forms`
// (API-2.md "Tasks describe their own forms") is the same for every task of a kind and process
// version, and is most of an inbox answer (≈ 1 kB of its ≈ 1.4 kB). Parsing each row's jsonb into
// objects and writing them back to JSON for every row was most of an inbox request's CPU; instead
// lists read the jsonb as PostgreSQL's text, its compact JSON is made once per distinct text and
// kept (bounded), and the answer splices that text in beside the rest of the task, which the
// route's own schema serialises (fast-json-stringify, as Fastify would). Same JSON value as
// before; `forms` comes last in each task object.
import fastJson from 'fast-json-stringify';
import type { FastifyReply } from 'fastify';
import type { TObject } from 'typebox';
import { formsFor } from '../domain/decision-forms';

/**
 * A JSON value kept as its text, written into answers as is. `toJSON()` gives the value, so that
 * anything else serialising it (JSON.stringify, Fastify's schema serialiser) writes the same value.
 */
export class RawJson {
  constructor(readonly json: string) {}
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
  /** One task: its JSON text. */
  one(task: T): string;
  /** A page of tasks `{items, nextCursor}`: its JSON text. */
  page(p: { items: T[]; nextCursor: string | null }): string;
}

/**
 * Serialisers of tasks by `schema` (the Task response schema): every property but `forms` written
 * as its schema says (properties the schema lacks left out, as Fastify's serialiser does), then
 * `forms` spliced in as its JSON. Throws at build time if the schema has no `forms`.
 */
export function taskJson<T extends { forms: unknown }>(schema: TObject): TaskJson<T> {
  const { forms, ...properties } = schema.properties as Record<string, unknown>;
  if (!forms) throw new Error('the task schema has no forms');
  const rest = fastJson({ type: 'object', properties, required: (schema.required ?? []).filter((r: string) => r !== 'forms') } as Parameters<typeof fastJson>[0]);
  const one = (task: T): string => {
    const head = rest(task);
    const tail = task.forms instanceof RawJson ? task.forms.json : JSON.stringify(task.forms);
    return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"forms":${tail}}`;
  };
  return { one, page: (p) => `{"items":[${p.items.map(one).join(',')}],"nextCursor":${JSON.stringify(p.nextCursor)}}` };
}

/**
 * Sends `json`, an answer already serialised (by taskJson), as application/json (UTF-8): Fastify
 * sends a JSON string as it is, without its schema serialiser.
 */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
