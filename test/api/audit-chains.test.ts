// The audit log as per-case chains with checkpoints (issue 17): tamper evidence, the upgrade from
// the single global chain, appends of different cases not waiting for each other, verification in
// pages. On a database of its own (it tampers with and deletes entries).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { createDb, closeDb, migrateDb, MIGRATIONS_FOLDER, type Db } from '../../src/db/client';
import { appendAudit, appendAuditAllTx, appendAuditTx, chainEntryHash, entryHash, GENESIS_HASH, LEGACY_CHAIN, PLATFORM_CHAIN, verifyAuditChain, writeCheckpoint, type AuditInput } from '../../src/db/repositories/audit';

let db: Db;
let admin: Db;
const name = `audit_chains_${randomBytes(4).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'pdg-audit-mig-'));

const entry = (caseId: string | null, key: string, detail: Record<string, unknown> = {}): AuditInput => ({
  eventKey: key,
  caseId,
  at: new Date('2026-12-01T08:00:00.000Z'),
  actor: 'p-1',
  event: 'test_event',
  detail: { key, ...detail },
  citation: null,
});

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  return (await db.execute(q)).rows[0] as T;
}

beforeAll(async () => {
  const url = inject('databaseUrl');
  admin = createDb(url, 1);
  await admin.execute(sql.raw(`CREATE DATABASE ${name}`));
  const u = new URL(url);
  u.pathname = `/${name}`;
  db = createDb(u.toString(), 6);
  // A deployment as it was before migration 0012: migrations up to 0011 only …
  const folder = join(tmp, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx < 12);
  writeFileSync(journalPath, JSON.stringify(journal));
  await migrate(db, { migrationsFolder: folder });
  // … with entries on the single global chain, hashed as they were.
  let prev = GENESIS_HASH;
  for (const [i, caseId] of [null, 'legacy-case', 'legacy-case', null].entries()) {
    const e = entry(caseId, `legacy:${i}`);
    const hash = entryHash(prev, e);
    await db.execute(sql`INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash)
      VALUES (${e.eventKey}, ${e.caseId}, ${e.at}, ${e.actor}, ${e.event}, ${JSON.stringify(e.detail)}::jsonb, NULL, ${prev}, ${hash})`);
    prev = hash;
  }
  await migrateDb(db);
});

afterAll(async () => {
  await closeDb(db);
  await admin.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await closeDb(admin);
  rmSync(tmp, { recursive: true, force: true });
});

describe('upgrade from the global chain', () => {
  it('verifies the old entries as the legacy chain and new ones per case, and finds tampering in either', async () => {
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 4, chains: 1 });
    await appendAudit(db, entry('case-a', 'a:1'));
    await appendAudit(db, entry('case-a', 'a:2'));
    await appendAudit(db, entry('case-b', 'b:1'));
    await appendAudit(db, entry(null, 'platform:1'));
    const again = await appendAudit(db, entry('case-a', 'a:1')); // a retried activity
    expect(again.chainSeq).toBe(1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 8, chains: 4 });
    const rows = (await db.execute(sql`SELECT chain, chain_seq::int AS n FROM audit_log WHERE event_key IN ('a:2', 'platform:1', 'legacy:3') ORDER BY event_key`)).rows;
    expect(rows).toEqual([
      { chain: 'case-a', n: 2 },
      { chain: LEGACY_CHAIN, n: 4 },
      { chain: PLATFORM_CHAIN, n: 1 },
    ]);
    const cp = await writeCheckpoint(db);
    expect(cp).toMatchObject({ seq: 1, chains: 4, entries: 8 });

    for (const key of ['legacy:1', 'a:1']) {
      const row = await one<{ seq: number }>(sql`SELECT seq::int AS seq FROM audit_log WHERE event_key = ${key}`);
      await db.execute(sql`UPDATE audit_log SET detail = jsonb_set(detail, '{key}', '"篡改"') WHERE seq = ${row.seq}`);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: row.seq, reason: 'entry' });
      await db.execute(sql`UPDATE audit_log SET detail = jsonb_set(detail, '{key}', ${JSON.stringify(key)}::jsonb) WHERE seq = ${row.seq}`);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checkpoints: 1 });
  });
});

describe('tamper evidence', () => {
  it('finds a chain whose last entry was deleted after a checkpoint, even with its head rewound', async () => {
    await appendAudit(db, entry('case-t', 't:1'));
    const last = await appendAudit(db, entry('case-t', 't:2'));
    expect((await writeCheckpoint(db))?.chains).toBeGreaterThanOrEqual(1);
    await db.execute(sql`DELETE FROM audit_log WHERE seq = ${last.seq}`);
    await db.execute(sql`UPDATE audit_chain_heads SET chain_seq = 1, hash = ${last.prevHash} WHERE chain = 'case-t'`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'checkpoint_head', brokenChain: 'case-t' });
    await db.execute(sql`INSERT INTO audit_log SELECT * FROM json_populate_record(NULL::audit_log, ${JSON.stringify({ ...toRow(last) })}::json)`);
    await db.execute(sql`UPDATE audit_chain_heads SET chain_seq = 2, hash = ${last.hash} WHERE chain = 'case-t'`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('finds a whole chain deleted after a checkpoint', async () => {
    await appendAudit(db, entry('case-gone', 'g:1'));
    await appendAudit(db, entry('case-gone', 'g:2'));
    await writeCheckpoint(db);
    const saved = (await db.execute(sql`SELECT row_to_json(a) AS r FROM audit_log a WHERE chain = 'case-gone'`)).rows;
    await db.execute(sql`DELETE FROM audit_log WHERE chain = 'case-gone'`);
    await db.execute(sql`DELETE FROM audit_chain_heads WHERE chain = 'case-gone'`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'checkpoint_head', brokenChain: 'case-gone' });
    for (const { r } of saved as { r: unknown }[]) await db.execute(sql`INSERT INTO audit_log SELECT * FROM json_populate_record(NULL::audit_log, ${JSON.stringify(r)}::json)`);
    await db.execute(sql`INSERT INTO audit_chain_heads SELECT chain, chain_seq, hash, false FROM audit_log WHERE chain = 'case-gone' ORDER BY chain_seq DESC LIMIT 1`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('finds two entries of a chain swapped', async () => {
    const a = await appendAudit(db, entry('case-r', 'r:1'));
    const b = await appendAudit(db, entry('case-r', 'r:2'));
    const swap = async () => {
      await db.execute(sql`UPDATE audit_log SET chain_seq = -1 WHERE seq = ${a.seq}`);
      await db.execute(sql`UPDATE audit_log SET chain_seq = ${a.chainSeq} WHERE seq = ${b.seq}`);
      await db.execute(sql`UPDATE audit_log SET chain_seq = ${b.chainSeq} WHERE seq = ${a.seq}`);
    };
    await swap();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'entry', brokenChain: 'case-r', brokenAt: b.seq });
    await db.execute(sql`UPDATE audit_log SET chain_seq = -1 WHERE seq = ${b.seq}`);
    await db.execute(sql`UPDATE audit_log SET chain_seq = ${a.chainSeq} WHERE seq = ${a.seq}`);
    await db.execute(sql`UPDATE audit_log SET chain_seq = ${b.chainSeq} WHERE seq = ${b.seq}`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('finds a checkpoint whose heads were edited to hide a chain', async () => {
    await appendAudit(db, entry('case-cp', 'cp:1'));
    const cp = (await writeCheckpoint(db))!;
    const saved = await one<{ r: unknown }>(sql`SELECT row_to_json(h) AS r FROM audit_checkpoint_heads h WHERE checkpoint_seq = ${cp.seq} AND chain = 'case-cp'`);
    await db.execute(sql`DELETE FROM audit_checkpoint_heads WHERE checkpoint_seq = ${cp.seq} AND chain = 'case-cp'`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'checkpoint', brokenCheckpoint: cp.seq });
    await db.execute(sql`INSERT INTO audit_checkpoint_heads SELECT * FROM json_populate_record(NULL::audit_checkpoint_heads, ${JSON.stringify(saved.r)}::json)`);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe('appends', () => {
  it("of another case commit while a case's transaction is still open; the same case's wait and chain in order", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const inside = new Promise<void>((r) => (appended = r));
    const open = db.transaction(async (tx) => {
      await appendAuditTx(tx, entry('case-x', 'x:1'));
      appended();
      await held;
    });
    await inside;
    const t0 = performance.now();
    await appendAudit(db, entry('case-y', 'y:1')); // would wait on the global lock before
    expect(performance.now() - t0).toBeLessThan(2_000);
    let sameDone = false;
    const same = appendAudit(db, entry('case-x', 'x:2')).then((r) => ((sameDone = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(sameDone).toBe(false);
    release();
    await open;
    const second = await same;
    expect(second.chainSeq).toBe(2);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe('verification', () => {
  it('reads the log in pages of a fixed size', async () => {
    const pages: number[] = [];
    const v = await verifyAuditChain(db, { pageSize: 3, onPage: (n) => pages.push(n) });
    expect(v.ok).toBe(true);
    expect(Math.max(...pages)).toBe(3);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(v.entries);
    expect(pages.length).toBe(Math.floor(v.entries / 3) + 1);
  });
});

function toRow(e: { seq: number; eventKey: string; caseId: string | null; at: Date; actor: string; event: string; detail: unknown; citation: string | null; prevHash: string; hash: string; chain: string; chainSeq: number }) {
  return {
    seq: e.seq,
    event_key: e.eventKey,
    case_id: e.caseId,
    at: e.at.toISOString(),
    actor: e.actor,
    event: e.event,
    detail: e.detail,
    citation: e.citation,
    prev_hash: e.prevHash,
    hash: e.hash,
    chain: e.chain,
    chain_seq: e.chainSeq,
  };
}

describe('a transition\'s entries appended together (appendAuditAllTx)', () => {
  const chainRows = async (chain: string) =>
    (await db.execute(sql`SELECT event_key AS key, chain_seq::int AS n, prev_hash AS prev, hash FROM audit_log WHERE chain = ${chain} ORDER BY chain_seq`)).rows as {
      key: string;
      n: number;
      prev: string;
      hash: string;
    }[];
  const head = async (chain: string) => one<{ n: number; hash: string }>(sql`SELECT chain_seq::int AS n, hash FROM audit_chain_heads WHERE chain = ${chain}`);

  it('writes the places and hashes that appending one by one writes, and the head after the last', async () => {
    const tail = ['1', '2', '3'];
    await appendAudit(db, entry('case-one', 'one:0'));
    for (const k of tail) await appendAudit(db, entry('case-one', `one:${k}`));
    await appendAudit(db, entry('case-all', 'all:0'));
    await db.transaction((tx) => appendAuditAllTx(tx, tail.map((k) => entry('case-all', `all:${k}`))));
    const [one_, all] = [await chainRows('case-one'), await chainRows('case-all')];
    expect(all.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    // The same entries but for their keys and chain: recompute each hash as appendAuditTx does.
    let prev = all[0]!.hash;
    for (const [i, k] of tail.entries()) {
      expect(all[i + 1]).toEqual({ key: `all:${k}`, n: i + 2, prev, hash: chainEntryHash(prev, 'case-all', i + 2, entry('case-all', `all:${k}`)) });
      prev = all[i + 1]!.hash;
    }
    expect(await head('case-all')).toEqual({ n: 4, hash: prev });
    expect(one_.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('writes nothing again when the transition is retried, and appends only what is missing', async () => {
    const entries = ['1', '2'].map((k) => entry('case-retry', `retry:${k}`));
    await db.transaction((tx) => appendAuditAllTx(tx, entries));
    const before = await head('case-retry');
    await db.transaction((tx) => appendAuditAllTx(tx, entries)); // a retried activity
    expect(await head('case-retry')).toEqual(before);
    expect((await chainRows('case-retry')).map((r) => r.key)).toEqual(['retry:1', 'retry:2']);
    // One entry recorded already (by a writer that appended it alone): the others follow it.
    await appendAudit(db, entry('case-retry', 'retry:3'));
    await db.transaction((tx) => appendAuditAllTx(tx, ['3', '4', '5'].map((k) => entry('case-retry', `retry:${k}`))));
    expect((await chainRows('case-retry')).map((r) => [r.key, r.n])).toEqual([
      ['retry:1', 1],
      ['retry:2', 2],
      ['retry:3', 3],
      ['retry:4', 4],
      ['retry:5', 5],
    ]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('keeps entries of several chains in their order, each on its chain', async () => {
    await db.transaction((tx) => appendAuditAllTx(tx, [entry('case-m1', 'm:1'), entry(null, 'm:2'), entry('case-m1', 'm:3')]));
    expect((await chainRows('case-m1')).map((r) => [r.key, r.n])).toEqual([
      ['m:1', 1],
      ['m:3', 2],
    ]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
