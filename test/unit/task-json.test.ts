// Tasks as JSON with their forms written once per content (api/task-json.ts): the same JSON value
// as Fastify's schema serialiser wrote from the parsed jsonb, and a cache that never answers one
// content for another.
import { describe, expect, it } from 'vitest';
import fastJson from 'fast-json-stringify';
import { Type } from 'typebox';
import { formsFor } from '../../src/domain/decision-forms';
import { formsJson, JsonTextCache, RawJson, taskJson } from '../../src/api/task-json';

// Text as PostgreSQL writes a jsonb: a space after ':' and ','.
const pgText = (v: unknown) => JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');

const KINDS = [
  formsFor(['approve', 'refuse'], { refuse: ['legalBasis'] }),
  formsFor(['approve', 'refuse', 'return'], { refuse: ['legalBasis'], return: ['issues'] }, { approve: ['purpose', 'scope'] }),
  formsFor(['order_correction'], { order_correction: ['reason', 'workingDays'] }),
  { decide: { type: 'object', properties: { 说明: { type: 'string', description: 'a "quoted" \\ text\n' } }, required: [], additionalProperties: false } },
];

const Task = Type.Object({
  taskId: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  actions: Type.Array(Type.String()),
  requiredFields: Type.Record(Type.String(), Type.Array(Type.String())),
  forms: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  round: Type.Optional(Type.Integer()),
});
/** What Fastify wrote before: the whole task by its schema, forms parsed from the row. */
const before = fastJson(Task as Parameters<typeof fastJson>[0]);

describe('task answers', () => {
  const json = taskJson<{ forms: unknown }>(Task);
  const task = (i: number, formsText: string | null) => ({
    taskId: `t-${i}`,
    dueAt: i % 2 ? null : '2026-12-01T16:00:00.000Z',
    actions: ['approve', 'refuse'],
    requiredFields: { refuse: ['legalBasis'] },
    ...(i % 3 ? { round: i } : {}),
    conflicts: 'not in the schema: left out',
    formsText,
  });

  it('are the JSON value Fastify wrote from the parsed stored forms, for forms of several kinds and for tasks without', () => {
    const stored = [...KINDS.map(pgText), null];
    const rows = stored.map((text, i) => task(i, text));
    const items = rows.map(({ formsText, ...t }) => ({ ...t, forms: formsJson({ ...t, formsText }) }));
    const answer = JSON.parse(json.page({ items, nextCursor: 'abc' }).toString());
    const plain = rows.map(({ formsText, ...t }) => JSON.parse(before({ ...t, forms: formsText === null ? formsFor(t.actions, t.requiredFields) : JSON.parse(formsText) })));
    expect(answer).toEqual({ items: plain, nextCursor: 'abc' });
    expect(answer.items[0].forms).toEqual(KINDS[0]);
    expect(answer.items[3].forms.decide.properties.说明.description).toBe('a "quoted" \\ text\n');
    expect(answer.items[0]).not.toHaveProperty('conflicts');
    // No whitespace beyond what the values hold: the forms as compact as JSON.stringify makes them.
    expect(json.one(items[1]!).toString()).toContain(`"forms":${JSON.stringify(KINDS[1])}}`);
  });

  it('write a forms value that is not RawJson as its JSON, and an empty page', () => {
    const t = { ...task(1, null), forms: KINDS[2] };
    expect(JSON.parse(json.one(t).toString())).toEqual(JSON.parse(before(t)));
    expect(JSON.parse(json.page({ items: [], nextCursor: null }).toString())).toEqual({ items: [], nextCursor: null });
  });

  it('RawJson serialises to its value wherever JSON.stringify or Fastify\'s serialiser meets it', () => {
    const forms = formsJson({ formsText: pgText(KINDS[1]), actions: [], requiredFields: {} });
    expect(forms).toBeInstanceOf(RawJson);
    expect(JSON.parse(JSON.stringify({ forms }))).toEqual({ forms: KINDS[1] });
    // and where Fastify's own serialiser meets it (a route that forgot the task serialiser).
    void forms.bytes;
    const t = { ...task(2, null), forms };
    expect(JSON.parse(before(t)).forms).toEqual(KINDS[1]);
  });
});

describe('the forms cache', () => {
  it('never answers one content for another, and keeps each content once', () => {
    const cache = new JsonTextCache(10);
    let made = 0;
    const get = (v: unknown) =>
      cache.get(pgText(v), () => {
        made++;
        return JSON.stringify(v);
      });
    // Contents that differ in one character (a limit, a key) and in key order only.
    const contents = [{ a: { maxLength: 4000 } }, { a: { maxLength: 4001 } }, { b: { maxLength: 4000 } }, { a: 1, b: 2 }, { b: 2, a: 1 }];
    for (let round = 0; round < 3; round++) for (const c of contents) expect(JSON.parse(get(c).json)).toEqual(c);
    expect(made).toBe(contents.length);
    expect(cache.size).toBe(contents.length);
  });

  it('is bounded: keeps at most maxEntries, drops the least recently used, and does not keep a content over maxKeyChars', () => {
    const cache = new JsonTextCache(3, 100);
    const get = (key: string) => cache.get(key, () => JSON.stringify(key));
    ['"a"', '"b"', '"c"'].forEach(get);
    get('"a"'); // used again: "b" is now the least recently used
    get('"d"');
    expect(cache.size).toBe(3);
    let remade = '';
    cache.get('"b"', () => (remade = '"b"'));
    expect(remade).toBe('"b"');
    cache.get('"a"', () => (remade = 'a again'));
    expect(remade).toBe('"b"'); // "a" was kept
    const long = `"${'x'.repeat(200)}"`;
    expect(cache.get(long, () => long).json).toBe(long);
    expect(cache.size).toBe(3);
    let again = false;
    cache.get(long, () => ((again = true), long));
    expect(again).toBe(true);
  });
});
