// The audit log at 1,000,000 entries (issue 17): entries written in bulk across 100,000 case
// chains (hashes computed as appends compute them), then GET /v1/audit/verify timed with the
// process's peak RSS growth beside a plain page scan (and the former load-everything verify), and
// appends at c=8 on distinct cases beside the former global-lock append and a raw INSERT.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { auditLog } from '../../src/db/schema';
import { appendAudit, appendAuditTx, chainEntryHash, GENESIS_HASH, writeCheckpoint, type AuditInput } from '../../src/db/repositories/audit';
import { canonicalJson } from '../../src/domain/canonical-json';
import type { Stack } from './stack';
import { ms, pool, rate, type BenchRow } from './table';

const run = promisify(execFile);
const n = (x: number) => x.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function input(caseId: string, i: number, at: Date): AuditInput {
  return { eventKey: `${caseId}:${i}`, caseId, at, actor: 'p-bench', event: 'status_changed', detail: { from: 'received', to: 'under_review', step: i }, citation: 'js-2020:21' };
}

/** Writes `per` entries on each of the chains numbered `from` to `to` - 1 with unnest INSERTs of 5,000 rows. */
async function fill(db: Db, per: number, from: number, to: number): Promise<void> {
  const at = new Date('2026-12-01T08:00:00.000Z');
  const cols = { key: [] as string[], caseId: [] as string[], detail: [] as string[], prev: [] as string[], hash: [] as string[], seq: [] as number[] };
  const heads = { chain: [] as string[], seq: [] as number[], hash: [] as string[] };
  const flush = async () => {
    if (!cols.key.length) return;
    await db.execute(sql`
      INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      SELECT k, c, ${at}, 'p-bench', 'status_changed', d::jsonb, 'js-2020:21', p, h, c, s
      FROM unnest(${sql.param(cols.key)}::text[], ${sql.param(cols.caseId)}::text[], ${sql.param(cols.detail)}::text[], ${sql.param(cols.prev)}::text[], ${sql.param(cols.hash)}::text[], ${sql.param(cols.seq)}::bigint[]) AS t(k, c, d, p, h, s)`);
    for (const a of Object.values(cols)) a.length = 0;
  };
  for (let c = from; c < to; c++) {
    const caseId = `bench-case-${c}`;
    let prev = GENESIS_HASH;
    for (let i = 1; i <= per; i++) {
      const e = input(caseId, i, at);
      const hash = chainEntryHash(prev, caseId, i, e);
      cols.key.push(e.eventKey);
      cols.caseId.push(caseId);
      cols.detail.push(JSON.stringify(e.detail));
      cols.prev.push(prev);
      cols.hash.push(hash);
      cols.seq.push(i);
      prev = hash;
    }
    heads.chain.push(caseId);
    heads.seq.push(per);
    heads.hash.push(prev);
    if (cols.key.length >= 5_000) await flush();
  }
  await flush();
  await db.execute(sql`
    INSERT INTO audit_chain_heads (chain, chain_seq, hash, dirty)
    SELECT * , true FROM unnest(${sql.param(heads.chain)}::text[], ${sql.param(heads.seq)}::bigint[], ${sql.param(heads.hash)}::text[])
    ON CONFLICT (chain) DO UPDATE SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, dirty = true`);
  await db.execute(sql`VACUUM ANALYZE audit_log`);
  await db.execute(sql`ANALYZE audit_chain_heads`);
}

/** Runs `fn` while sampling the process's RSS every 10 ms; returns its wall time and peak RSS growth. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; peakRss: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, wallMs: performance.now() - t0, peakRss: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/** The former verify: every row loaded at once, then one hash per row. */
async function loadEverythingVerify(db: Db): Promise<number> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
  let prev = GENESIS_HASH;
  for (const r of rows) prev = createHash('sha256').update(prev).update(canonicalJson({ ...r, at: r.at.toISOString() })).digest('hex');
  return rows.length;
}

const OLD_LOCK = 7_302_114;
let oldSeq = 0;
/** The former append: one advisory lock for the whole platform, the last entry by seq. */
async function oldAppend(db: Db, e: AuditInput): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${OLD_LOCK})`);
    await tx.execute(sql`SELECT seq FROM audit_log WHERE event_key = ${e.eventKey}`);
    const { rows } = await tx.execute<{ hash: string }>(sql`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    const prev = rows[0]?.hash ?? GENESIS_HASH;
    const hash = chainEntryHash(prev, '~old', ++oldSeq, e);
    await tx.execute(sql`INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      VALUES (${e.eventKey}, ${e.caseId}, ${e.at}, ${e.actor}, ${e.event}, ${JSON.stringify(e.detail)}::jsonb, ${e.citation ?? null}, ${prev}, ${hash}, '~old', ${oldSeq})`);
  });
}

interface ChildVerify {
  ms: number;
  peakRss: number;
  entries: number;
  ok: boolean;
}
/** Verify (or the bare page scan) in a fresh Node process: its wall time and peak RSS growth (audit-verify-child.ts). */
async function childVerify(s: Stack, what: 'verify' | 'scan'): Promise<ChildVerify> {
  const child = fileURLToPath(new URL('./audit-verify-child.ts', import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, s.pgUrl, what], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildVerify;
}

/**
 * `entries` entries over `chains` chains. Verify runs through the API on the whole log (its time),
 * and in a process of its own at a tenth of the size and at the whole (the same entries per chain),
 * so that its two peaks show whether memory grows with the log. Appends timed `appends` at a time at c=8.
 */
export async function audit(s: Stack, { entries = 1_000_000, chains = 100_000, appends = 2_000 } = {}): Promise<BenchRow[]> {
  const { db } = s;
  const rows: BenchRow[] = [];
  const per = Math.ceil(entries / chains);
  const small = Math.ceil(chains / 10);
  const t0 = performance.now();
  await fill(db, per, 0, small);
  const tenth = await childVerify(s, 'verify');
  await fill(db, per, small, chains);
  console.error(`  audit: ${n(entries)} entries written in ${ms(performance.now() - t0)}`);

  const cp = await measured(() => writeCheckpoint(db));
  rows.push({ measure: `audit checkpoint of ${n(cp.value?.chains ?? 0)} changed chain heads`, figure: ms(cp.wallMs), floor: '—', target: '—' });

  const api = await measured(async () => s.call('GET', '/v1/audit/verify', s.adminToken) as Promise<{ ok: boolean; entries: number; chains: number }>);
  const whole = await childVerify(s, 'verify');
  const scan = await childVerify(s, 'scan');
  const old = await measured(() => loadEverythingVerify(db));
  rows.push({
    measure: `GET /v1/audit/verify, ${n(api.value.entries)} entries in ${n(api.value.chains)} chains (ok: ${api.value.ok})`,
    figure: ms(api.wallMs),
    floor: `page scan ${ms(scan.ms)}`,
    target: '—',
  });
  // Constant memory: the whole log's peak no more than the tenth's, give or take the garbage
  // collector's slack (a quarter, and at least 16 MB).
  rows.push({
    measure: `  verify in a process of its own: peak RSS growth at ${n(tenth.entries)} → ${n(whole.entries)} entries`,
    figure: `+${mb(tenth.peakRss)} → +${mb(whole.peakRss)} (${ms(tenth.ms)} → ${ms(whole.ms)})`,
    floor: `page scan +${mb(scan.peakRss)}`,
    target: 'RSS constant in entries',
    met: tenth.ok && whole.ok && whole.peakRss <= Math.max(tenth.peakRss * 1.25, tenth.peakRss + 16 * 2 ** 20),
  });
  rows.push({ measure: `  before: verify loading every entry (${n(old.value)}), in the bench process`, figure: `${ms(old.wallMs)}, peak RSS +${mb(old.peakRss)}`, floor: '—', target: '—' });

  // Distinct cases: 7,919 is prime to the number of chains.
  const e = (prefix: string, i: number) => ({ ...input(`bench-case-${(i * 7919) % chains}`, 0, new Date()), eventKey: `${prefix}:${i}` });
  const neu = await pool(appends, 8, async (i) => void (await appendAudit(db, e('new', i))));
  const before = await pool(appends, 8, (i) => oldAppend(db, e('old', i)));
  const floor = await pool(appends, 8, async (i) => {
    const x = e('raw', i);
    await db.execute(sql`INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      VALUES (${x.eventKey}, ${x.caseId}, ${x.at}, ${x.actor}, ${x.event}, ${JSON.stringify(x.detail)}::jsonb, ${x.citation ?? null}, ${GENESIS_HASH}, ${GENESIS_HASH}, ${`raw-${i}`}, 1)`);
  });
  rows.push({ measure: `audit append, distinct cases, c=8 (${n(appends)})`, figure: rate(neu), floor: `raw INSERT ${rate(floor)}`, target: '≥ 0.5 × floor', met: neu.lat.length / neu.wallMs >= 0.5 * (floor.lat.length / floor.wallMs) });
  rows.push({ measure: '  before: one global lock', figure: rate(before), floor: '—', target: '—' });

  // As in a transition: the chain stays locked while the rest of the transaction runs (here 5 ms).
  const k = Math.min(appends, 400);
  const work = (tx: { execute: Db['execute'] }) => tx.execute(sql`SELECT pg_sleep(0.005)`);
  const neuT = await pool(k, 8, (i) => db.transaction(async (tx) => {
    await appendAuditTx(tx, e('new-t', i));
    await work(tx);
  }));
  const beforeT = await pool(k, 8, (i) => db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${OLD_LOCK})`);
    const { rows: last } = await tx.execute<{ hash: string }>(sql`SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    const x = e('old-t', i);
    const hash = chainEntryHash(last[0]?.hash ?? GENESIS_HASH, '~old', ++oldSeq, x);
    await tx.execute(sql`INSERT INTO audit_log (event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq)
      VALUES (${x.eventKey}, ${x.caseId}, ${x.at}, ${x.actor}, ${x.event}, ${JSON.stringify(x.detail)}::jsonb, NULL, ${last[0]?.hash ?? GENESIS_HASH}, ${hash}, '~old', ${oldSeq})`);
    await work(tx);
  }));
  const floorT = await pool(k, 8, () => db.transaction(async (tx) => void (await work(tx))));
  rows.push({ measure: `transition-shaped (append + 5 ms more in the tx), distinct cases, c=8 (${n(k)})`, figure: rate(neuT), floor: `tx without append ${rate(floorT)}`, target: '≥ 0.5 × floor', met: neuT.lat.length / neuT.wallMs >= 0.5 * (floorT.lat.length / floorT.wallMs) });
  rows.push({ measure: '  before: one global lock', figure: rate(beforeT), floor: '—', target: '—' });
  return rows;
}
