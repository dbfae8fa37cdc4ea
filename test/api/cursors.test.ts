// One cursor codec for every list: a cursor the API issued walks its list, and anything else —
// the lax decoder's old input (base64url of ["x","y"]), an edited or re-encoded cursor, a cursor of
// another list — is 400 invalid_cursor, never a 500 and never a query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody, type Actor } from '../fixtures/actors';
import { expectError } from '../fixtures/errors';

let h: Harness;
let requester: Actor;
let provider: Actor;
let providerAgency: string;
const lists: Record<string, { url: string; token: () => string }> = {};

beforeAll(async () => {
  h = await startHarness();
  providerAgency = await agency(h, 'cur-sz-tax', 'suzhou');
  requester = await principal(h, ['requester'], await agency(h, 'cur-sz-mkt', 'suzhou'));
  provider = await principal(h, ['provider'], providerAgency);
  for (let i = 0; i < 3; i++) {
    const res = await h.call('POST', '/v1/share-requests', { token: requester.token, body: shareBody(await dataset(h, providerAgency, 'conditional')) });
    expect(res.statusCode, res.body).toBe(201);
  }
  lists.cases = { url: '/v1/cases?limit=1', token: () => requester.token };
  lists.datasets = { url: `/v1/datasets?providerAgencyId=${providerAgency}&limit=1`, token: () => requester.token };
  lists.inbox = { url: '/v1/inbox?limit=1', token: () => provider.token };
  lists.principals = { url: `/v1/principals?agencyId=${providerAgency}&limit=1`, token: () => h.adminToken };
  await principal(h, ['provider'], providerAgency, '第二位');
});
afterAll(async () => h?.close());

const get = (list: string, cursor?: string) =>
  h.call('GET', `${lists[list]!.url}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, { token: lists[list]!.token() });
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

async function cursorOf(list: string): Promise<string> {
  const res = await get(list);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().nextCursor, `${list} has a second page`).toEqual(expect.any(String));
  return res.json().nextCursor;
}

describe.each(['cases', 'datasets', 'inbox', 'principals'])('the %s list', (list) => {
  it('walks to its second page with the cursor it issued', async () => {
    const first = (await get(list)).json();
    const second = await get(list, first.nextCursor);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().items).toHaveLength(1);
    expect(second.json().items[0]).not.toEqual(first.items[0]);
  });

  it('refuses the lax decoder\'s input, base64url of ["x","y"], with 400 invalid_cursor', async () => {
    expectError(await get(list, b64(['x', 'y'])), 400, 'invalid_cursor');
  });

  it('refuses forged cursors with 400 invalid_cursor', async () => {
    const real = await cursorOf(list);
    const [payload, signature] = real.split('.') as [string, string];
    const [, at, id] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, string | null, string];
    const forged = [
      'not-a-cursor',
      '.',
      payload, // the payload without its signature
      `${payload}.`,
      `${payload}.${signature}.x`,
      `${b64([list, at, 'zzz'])}.${signature}`, // another position, the old signature
      `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      `${payload}.${b64('x'.repeat(32))}`,
      `${b64(['2026-01-01T00:00:00.000Z', 'x'])}.${signature}`, // the old unsigned form
      `${b64([list, '2026-01-01T00:00:00.000Z', 'a\u0000b'])}.${signature}`,
      b64([list, at, id]),
      `${payload}%00.${signature}`,
    ];
    for (const cursor of forged) expectError(await get(list, cursor), 400, 'invalid_cursor');
  });

  it("refuses another list's cursor", async () => {
    const other = list === 'cases' ? 'datasets' : 'cases';
    expectError(await get(list, await cursorOf(other)), 400, 'invalid_cursor');
  });
});
