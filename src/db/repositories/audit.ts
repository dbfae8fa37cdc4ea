import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { auditLog, type AuditEntry } from '../schema';
import { canonicalJson } from '../../domain/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);
// One chain for the whole platform: appends are serialised by this transaction-scoped lock.
const CHAIN_LOCK = 7_302_114;

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

export function entryHash(prevHash: string, e: AuditInput): string {
  const body = canonicalJson({
    eventKey: e.eventKey,
    caseId: e.caseId,
    at: e.at.toISOString(),
    actor: e.actor,
    event: e.event,
    detail: e.detail,
    citation: e.citation ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends inside the caller's transaction (so the entry and the change it records commit together). */
export async function appendAuditTx(tx: Tx, e: AuditInput): Promise<AuditEntry> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [existing] = await tx.select().from(auditLog).where(eq(auditLog.eventKey, e.eventKey));
  if (existing) return existing;
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(sql`${auditLog.seq} DESC`).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const [row] = await tx
    .insert(auditLog)
    .values({ ...e, citation: e.citation ?? null, prevHash, hash: entryHash(prevHash, e) })
    .returning();
  return row!;
}

export async function appendAudit(db: Db, e: AuditInput): Promise<AuditEntry> {
  return db.transaction((tx) => appendAuditTx(tx, e));
}

export async function caseHistory(db: Db, caseId: string): Promise<AuditEntry[]> {
  return db.select().from(auditLog).where(eq(auditLog.caseId, caseId)).orderBy(asc(auditLog.seq));
}

/** Walks the whole chain; returns the first entry whose hash does not follow from its predecessor. */
export async function verifyAuditChain(db: Db): Promise<{ ok: boolean; entries: number; brokenAt?: number }> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const expected = entryHash(prev, { ...r, detail: r.detail });
    if (r.prevHash !== prev || r.hash !== expected) return { ok: false, entries: rows.length, brokenAt: r.seq };
    prev = r.hash;
  }
  return { ok: true, entries: rows.length };
}

