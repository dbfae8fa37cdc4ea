// Run as a child process by the audit section: verifies the audit log of the database at argv[2]
// (argv[3] = 'verify' for verifyAuditChain, 'scan' for the bare cursor scan it reads) in a
// fresh Node process, and prints one JSON line {ms, peakRss, entries, ok}: its wall time and how
// far the process's peak resident memory (VmHWM) rose above its resident memory before the call.
// A process of its own, so that the figure is the verifier's alone, not the bench process's
// (worker, API, load generator and what the heap kept from filling the log).
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { createDb } from '../../src/db/client';
import { verifyAuditChain } from '../../src/db/repositories/audit';

const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

/** The same cursor verify reads, 1,000 rows at a time, without hashing: what reading the log costs. */
async function pageScan(db: ReturnType<typeof createDb>): Promise<number> {
  return db.transaction(
    async (tx) => {
      let count = 0;
      await tx.execute(sql`DECLARE scan NO SCROLL CURSOR FOR
        SELECT seq, event_key, case_id, at, actor, event, detail, citation, prev_hash, hash, chain, chain_seq FROM audit_log
        ORDER BY chain, chain_seq`);
      for (;;) {
        const { rows } = await tx.execute(sql`FETCH 1000 FROM scan`);
        count += rows.length;
        if (rows.length < 1000) return count;
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

const [url, what] = process.argv.slice(2);
const db = createDb(url!, 2);
await db.execute(sql`SELECT 1`);
// 5: reset the peak (VmHWM) to the present resident size, so that loading modules does not count.
writeFileSync('/proc/self/clear_refs', '5');
const base = kb('VmRSS');
const t0 = performance.now();
const result = what === 'scan' ? { ok: true, entries: await pageScan(db) } : await verifyAuditChain(db);
const wallMs = performance.now() - t0;
console.log(JSON.stringify({ ms: wallMs, peakRss: kb('VmHWM') - base, entries: result.entries, ok: result.ok }));
await db.$client.end();
