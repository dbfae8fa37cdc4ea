import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { auditLog, type AuditEntry } from '../schema';
import { canonicalJson } from '../../domain/canonical-json';

/**
 * The audit log is a set of hash chains, one per case (and one, `~platform`, for events of no case),
 * so that appends to different cases never wait for each other. Checkpoints chain the chains'
 * heads: deleting a whole chain, or the tail of one, after a checkpoint breaks verification.
 * Entries written before migration 0012 form the closed chain `~legacy` (the former single global
 * chain, linked by `seq`, hashed as it was).
 */
export const GENESIS_HASH = '0'.repeat(64);
/** The chain of events that belong to no case (principals, agencies, policies, calendar…). */
export const PLATFORM_CHAIN = '~platform';
/** The global chain of entries written before per-case chains (migration 0012); closed. */
export const LEGACY_CHAIN = '~legacy';
// Serialises checkpoint writers only (never appends).
const CHECKPOINT_LOCK = 7_302_115;

export interface AuditInput {
  /** Unique per logical event, so a retried activity never appends twice. */
  eventKey: string;
  caseId: string | null;
  at: Date;
  actor: string;
  event: string;
  detail: Record<string, unknown>;
  citation?: string | null;
}

/** The chain an entry goes to: its case's, or the platform's. */
export function chainOf(caseId: string | null): string {
  return caseId ?? PLATFORM_CHAIN;
}

function body(e: AuditInput): Record<string, unknown> {
  return {
    eventKey: e.eventKey,
    caseId: e.caseId,
    at: e.at.toISOString(),
    actor: e.actor,
    event: e.event,
    detail: e.detail,
    citation: e.citation ?? null,
  };
}

/** Hash of an entry of the legacy global chain (hex sha256 of the previous hash and the entry). */
export function entryHash(prevHash: string, e: AuditInput): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(body(e))).digest('hex');
}

/** Hash of an entry of a per-case chain: its chain and place in it are hashed too (hex sha256). */
export function chainEntryHash(prevHash: string, chain: string, chainSeq: number, e: AuditInput): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ chain, chainSeq, ...body(e) }))
    .digest('hex');
}

/**
 * Appends inside the caller's transaction (so the entry and the change it records commit together).
 * Locks only the entry's chain (its row in `audit_chain_heads`, until the transaction ends).
 * Idempotent by `eventKey`: an entry already recorded is returned as it is.
 */
export async function appendAuditTx(tx: Tx, e: AuditInput): Promise<AuditEntry> {
  const chain = chainOf(e.caseId);
  const head = await lockChain(tx, chain);
  const chainSeq = Number(head.chain_seq) + 1;
  const hash = chainEntryHash(head.hash, chain, chainSeq, e);
  // The entry and the new head in one statement; nothing when the event is already recorded.
  const { rows } = await tx.execute<RawEntry>(sql`
    WITH ins AS (
      INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      VALUES (${e.eventKey}, ${e.caseId}, ${e.at.toISOString()}, ${e.actor}, ${e.event}, ${JSON.stringify(e.detail)}::jsonb, ${e.citation ?? null},
              ${head.hash}, ${hash}, ${chain}, ${chainSeq})
      ON CONFLICT (event_key) DO NOTHING
      RETURNING *),
    up AS (UPDATE audit_chain_heads SET chain_seq = ${chainSeq}, hash = ${hash}, dirty = true WHERE chain = ${chain} AND EXISTS (SELECT 1 FROM ins))
    SELECT * FROM ins`);
  if (rows[0]) return fromRaw(rows[0]);
  const [existing] = await tx.select().from(auditLog).where(eq(auditLog.eventKey, e.eventKey));
  return existing!;
}

/** Takes the chain's lock — its head's row, created when the chain is new — and returns the head. */
async function lockChain(tx: Tx, chain: string): Promise<{ chain_seq: string; hash: string }> {
  // The no-op update takes the head's row lock (or creates the head): the chain's lock.
  const { rows: heads } = await tx.execute<{ chain_seq: string; hash: string }>(sql`
    INSERT INTO audit_chain_heads (chain, chain_seq, hash, dirty) VALUES (${chain}, 0, ${GENESIS_HASH}, false)
    ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain
    RETURNING chain_seq, hash`);
  return heads[0]!;
}

/**
 * Appends `entries` in their order inside the caller's transaction, exactly as appendAuditTx one
 * after another would (same chains, places and hashes, same locks in the same order), but in two
 * statements when they all go to one chain and none is recorded yet — a transition's entries, the
 * usual case: the chain's lock, then every entry and the new head at once. Otherwise (a single
 * entry, several chains, or an entry already recorded: a retried transition) one appendAuditTx each.
 * @throws Error when some but not all entries were recorded by another writer meanwhile (an event
 *   key reused across chains); the transaction must then roll back, leaving nothing written.
 */
export async function appendAuditAllTx(tx: Tx, entries: AuditInput[]): Promise<void> {
  const chain = entries.length ? chainOf(entries[0]!.caseId) : undefined;
  if (entries.length < 2 || entries.some((e) => chainOf(e.caseId) !== chain)) {
    for (const e of entries) await appendAuditTx(tx, e);
    return;
  }
  const head = await lockChain(tx, chain!);
  let prev = head.hash;
  let seq = Number(head.chain_seq);
  const values = entries.map((e) => {
    seq += 1;
    const hash = chainEntryHash(prev, chain!, seq, e);
    const row = sql`(${e.eventKey}, ${e.caseId}, ${e.at.toISOString()}::timestamptz, ${e.actor}, ${e.event}, ${JSON.stringify(e.detail)}::jsonb,
      ${e.citation ?? null}, ${prev}, ${hash}, ${chain}, ${seq}::bigint)`;
    prev = hash;
    return row;
  });
  const keys = sql.join(entries.map((e) => sql`${e.eventKey}`), sql`, `);
  // Nothing is written when any entry is already recorded; the head moves only when all are.
  const { rows } = await tx.execute<{ inserted: number }>(sql`
    WITH v (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq) AS (VALUES ${sql.join(values, sql`, `)}),
    ins AS (
      INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      SELECT * FROM v WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.event_key IN (${keys}))
      ON CONFLICT (event_key) DO NOTHING
      RETURNING 1),
    up AS (UPDATE audit_chain_heads SET chain_seq = ${seq}, hash = ${prev}, dirty = true WHERE chain = ${chain} AND (SELECT count(*) FROM ins) = ${entries.length})
    SELECT (SELECT count(*) FROM ins)::int AS inserted`);
  const inserted = rows[0]!.inserted;
  if (inserted === entries.length) return;
  if (inserted > 0) throw new Error(`audit entries of chain ${chain} were partly recorded meanwhile (${inserted} of ${entries.length} written); retry the transaction`);
  for (const e of entries) await appendAuditTx(tx, e); // some are recorded: each as appendAuditTx does
}

type RawEntry = {
  seq: string;
  event_key: string;
  case_id: string | null;
  at: Date | string;
  actor: string;
  event: string;
  detail: Record<string, unknown>;
  citation: string | null;
  prev_hash: string;
  hash: string;
  chain: string;
  chain_seq: string;
};

function fromRaw(r: RawEntry): AuditEntry {
  return {
    seq: Number(r.seq),
    eventKey: r.event_key,
    caseId: r.case_id,
    at: new Date(r.at),
    actor: r.actor,
    event: r.event,
    detail: r.detail,
    citation: r.citation,
    prevHash: r.prev_hash,
    hash: r.hash,
    chain: r.chain,
    chainSeq: Number(r.chain_seq),
  };
}

/** Appends in a transaction of its own. */
export async function appendAudit(db: Db, e: AuditInput): Promise<AuditEntry> {
  return db.transaction((tx) => appendAuditTx(tx, e));
}

/** A case's entries, oldest first. */
export async function caseHistory(db: Db, caseId: string): Promise<AuditEntry[]> {
  return db.select().from(auditLog).where(eq(auditLog.caseId, caseId)).orderBy(asc(auditLog.seq));
}

/** A written checkpoint: `chains` heads recorded, `entries` in the log when it was taken. */
export interface AuditCheckpoint {
  seq: number;
  at: string;
  hash: string;
  headsDigest: string;
  chains: number;
  entries: number;
}

function checkpointHash(prevHash: string, c: { seq: number; at: string; headsDigest: string; chains: number; entries: number }): string {
  const b = canonicalJson({ seq: c.seq, at: c.at, headsDigest: c.headsDigest, chains: c.chains, entries: c.entries });
  return createHash('sha256').update(prevHash).update('\n').update(b).digest('hex');
}

/** sha256 over a checkpoint's heads in chain order, read `pageSize` at a time (constant memory). */
async function headsDigest(tx: Tx, checkpointSeq: number, pageSize: number): Promise<{ digest: string; chains: number }> {
  const h = createHash('sha256');
  let after: string | null = null;
  let chains = 0;
  for (;;) {
    const rows: { chain: string; chain_seq: string; hash: string }[] = (await tx.execute<{ chain: string; chain_seq: string; hash: string }>(sql`
      SELECT chain, chain_seq, hash FROM audit_checkpoint_heads
      WHERE checkpoint_seq = ${checkpointSeq} ${after === null ? sql`` : sql`AND chain > ${after}`}
      ORDER BY chain LIMIT ${pageSize}`)).rows;
    for (const r of rows) h.update(`${r.chain}\t${r.chain_seq}\t${r.hash}\n`);
    chains += rows.length;
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.chain;
  }
  return { digest: h.digest('hex'), chains };
}

/**
 * Writes a checkpoint of the heads of every chain changed since the previous one, chained to it.
 * Returns null (and writes nothing) when no chain changed. Safe to call from several processes at
 * once (checkpoint writers take a lock of their own; appends go on meanwhile).
 */
export async function writeCheckpoint(db: Db, at = new Date()): Promise<AuditCheckpoint | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
    const { rows: last } = await tx.execute<{ seq: string; hash: string }>(sql`SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`);
    const seq = Number(last[0]?.seq ?? 0) + 1;
    const prevHash = last[0]?.hash ?? GENESIS_HASH;
    const moved = await tx.execute(sql`
      WITH d AS (UPDATE audit_chain_heads SET dirty = false WHERE dirty RETURNING chain, chain_seq, hash)
      INSERT INTO audit_checkpoint_heads (checkpoint_seq, chain, chain_seq, hash) SELECT ${seq}, chain, chain_seq, hash FROM d`);
    if (!moved.rowCount) return null;
    const { digest, chains } = await headsDigest(tx, seq, 5_000);
    const { rows: n } = await tx.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_log`);
    const c = { seq, at: at.toISOString(), headsDigest: digest, chains, entries: Number(n[0]!.n) };
    const hash = checkpointHash(prevHash, c);
    await tx.execute(sql`
      INSERT INTO audit_checkpoints (seq, at, prev_hash, hash, heads_digest, chains, entries)
      VALUES (${seq}, ${c.at}, ${prevHash}, ${hash}, ${digest}, ${chains}, ${c.entries})`);
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('audit_checkpoints', 'seq'), ${seq})`);
    return { ...c, hash };
  });
}

/** What went wrong where verification stopped. */
export type AuditBreak =
  /** an entry's hash, link or place does not follow from its predecessor in its chain */
  | 'entry'
  /** a checkpointed head is gone or changed (a chain deleted, truncated or rewritten) */
  | 'checkpoint_head'
  /** a chain's recorded head does not match its last entry */
  | 'chain_head'
  /** a checkpoint's hash, link or heads digest does not follow */
  | 'checkpoint'
  /** fewer entries than the last checkpoint counted */
  | 'entries_missing';

/** `GET /v1/audit/verify`: `brokenAt` is the `seq` of the first bad entry (in chain order) when there is one. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  chains: number;
  checkpoints: number;
  brokenAt?: number;
  brokenChain?: string;
  brokenCheckpoint?: number;
  reason?: AuditBreak;
}

type EntryRow = RawEntry;

/**
 * Verifies every chain, the checkpointed heads and the checkpoint chain, in one snapshot, reading
 * `pageSize` rows at a time (default 1,000) from one cursor in (chain, chain_seq) order: memory does
 * not grow with the log (`npm run bench -- audit` shows the peak at a tenth of the log and at the whole).
 * `onPage` (tests, benchmarks) is told the size of each page read.
 */
export async function verifyAuditChain(db: Db, opts: { pageSize?: number; onPage?: (rows: number) => void } = {}): Promise<AuditVerification> {
  const pageSize = Math.max(1, Math.trunc(opts.pageSize ?? 1_000));
  return db.transaction(
    async (tx) => {
      let entries = 0;
      let chains = 0;
      const total = async () => Number((await tx.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_log`)).rows[0]!.n);
      const broken = async (r: Omit<AuditVerification, 'ok' | 'entries' | 'chains' | 'checkpoints'>): Promise<AuditVerification> => ({
        ok: false,
        entries: await total(),
        chains,
        checkpoints: Number((await tx.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_checkpoints`)).rows[0]!.n),
        ...r,
      });

      // 1. Each chain's links, in (chain, chain_seq) order, through a cursor: one plan, rows
      // fetched `pageSize` at a time, so that a page's rows die young in V8 and memory stays flat.
      let chain: string | null = null;
      let prev = GENESIS_HASH;
      let expect = 0;
      await tx.execute(sql`DECLARE audit_verify NO SCROLL CURSOR FOR
        SELECT seq, event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq FROM audit_log
        ORDER BY chain, chain_seq`);
      for (;;) {
        const rows: EntryRow[] = (await tx.execute<EntryRow>(sql`FETCH ${sql.raw(String(pageSize))} FROM audit_verify`)).rows;
        opts.onPage?.(rows.length);
        for (const r of rows) {
          if (r.chain !== chain) {
            chain = r.chain;
            prev = GENESIS_HASH;
            expect = 1;
            chains++;
          }
          const e: AuditInput = { eventKey: r.event_key, caseId: r.case_id, at: new Date(r.at), actor: r.actor, event: r.event, detail: r.detail, citation: r.citation };
          const seq = Number(r.chain_seq);
          const legacy = r.chain === LEGACY_CHAIN;
          const expected = legacy ? entryHash(prev, e) : chainEntryHash(prev, r.chain, seq, e);
          if (r.prev_hash !== prev || r.hash !== expected || (!legacy && seq !== expect)) {
            return broken({ brokenAt: Number(r.seq), brokenChain: r.chain, reason: 'entry' });
          }
          prev = r.hash;
          expect = seq + 1;
          entries++;
        }
        if (rows.length < pageSize) break;
      }
      await tx.execute(sql`CLOSE audit_verify`);

      // 2. Every head a checkpoint recorded is still there, unchanged.
      const { rows: lost } = await tx.execute<{ checkpoint_seq: string; chain: string; seq: string | null }>(sql`
        SELECT h.checkpoint_seq, h.chain, a.seq FROM audit_checkpoint_heads h
        LEFT JOIN audit_log a ON a.chain = h.chain AND a.chain_seq = h.chain_seq
        WHERE a.hash IS DISTINCT FROM h.hash
        ORDER BY h.checkpoint_seq, h.chain LIMIT 1`);
      if (lost[0]) {
        return broken({ reason: 'checkpoint_head', brokenChain: lost[0].chain, brokenCheckpoint: Number(lost[0].checkpoint_seq), ...(lost[0].seq ? { brokenAt: Number(lost[0].seq) } : {}) });
      }
      // 3. Each chain's recorded head is its last entry.
      const { rows: stale } = await tx.execute<{ chain: string }>(sql`
        SELECT h.chain FROM audit_chain_heads h
        LEFT JOIN audit_log a ON a.chain = h.chain AND a.chain_seq = h.chain_seq
        WHERE h.chain_seq > 0 AND (a.hash IS DISTINCT FROM h.hash
          OR EXISTS (SELECT 1 FROM audit_log b WHERE b.chain = h.chain AND b.chain_seq > h.chain_seq))
        ORDER BY h.chain LIMIT 1`);
      if (stale[0]) return broken({ reason: 'chain_head', brokenChain: stale[0].chain });

      // 4. The checkpoint chain, each checkpoint's heads digest recomputed.
      let checkpoints = 0;
      let cpPrev = GENESIS_HASH;
      let lastEntries = 0;
      let cpAfter = 0;
      for (;;) {
        const { rows } = await tx.execute<{ seq: string; at: Date; prev_hash: string; hash: string; heads_digest: string; chains: number; entries: string }>(sql`
          SELECT seq, at, prev_hash, hash, heads_digest, chains, entries FROM audit_checkpoints WHERE seq > ${cpAfter} ORDER BY seq LIMIT 1000`);
        for (const c of rows) {
          const seq = Number(c.seq);
          const { digest, chains: n } = await headsDigest(tx, seq, pageSize);
          const fields = { seq, at: new Date(c.at).toISOString(), headsDigest: c.heads_digest, chains: c.chains, entries: Number(c.entries) };
          if (c.prev_hash !== cpPrev || digest !== c.heads_digest || n !== c.chains || c.hash !== checkpointHash(cpPrev, fields)) {
            return broken({ reason: 'checkpoint', brokenCheckpoint: seq });
          }
          cpPrev = c.hash;
          lastEntries = fields.entries;
          checkpoints++;
        }
        if (rows.length < 1000) break;
        cpAfter = Number(rows[rows.length - 1]!.seq);
      }
      if (entries < lastEntries) return broken({ reason: 'entries_missing' });
      return { ok: true, entries, chains, checkpoints };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Writes a checkpoint every `everyMs` milliseconds (none when nothing changed) until the returned
 * stop is called. An interval in the process rather than a Temporal Schedule: a missed tick only
 * widens the window in which a deleted chain goes unseen, several processes may run it at once
 * (writers take a lock), and it adds no workflow to replay. Errors go to `onError`; the next tick tries again.
 */
export function startCheckpoints(db: Db, everyMs = 60_000, onError: (err: unknown) => void = (err) => console.error('audit checkpoint:', err)): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => writeCheckpoint(db)).catch(onError);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
