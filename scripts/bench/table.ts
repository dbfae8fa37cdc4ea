// The one table `npm run bench` prints: each figure beside its floor (raw Temporal, raw PostgreSQL)
// and the target, so a reader sees at a glance what the product costs above the engines.

/** One line of the table. `figure` and `floor` are already formatted (units in the text). */
export interface BenchRow {
  /** What was measured, e.g. "API POST /v1/share-requests, c=16". */
  measure: string;
  /** The product's figure, e.g. "31.2/s, p50 410 ms, p99 690 ms". */
  figure: string;
  /** The same work on the bare engine (raw Temporal client, raw SQL), or "—" when none applies. */
  floor: string;
  /** The target the figure is held against, e.g. "≥ 0.5 × floor", or "—". */
  target: string;
  /** Whether the target is met; undefined when no target applies. */
  met?: boolean;
}

/** p-th percentile (0–100) of `xs`, in the unit of `xs`; NaN for an empty list. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Milliseconds as "12.3 ms" (or "1,234 ms" from a second on). */
export function ms(x: number): string {
  return x >= 1000 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${x.toFixed(1)} ms`;
}

/** Runs `n` jobs with at most `c` in flight; returns each job's latency (ms) and the wall time (ms). */
export async function pool(n: number, c: number, job: (i: number) => Promise<void>): Promise<{ lat: number[]; wallMs: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await job(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  return { lat, wallMs: performance.now() - t0 };
}

/** "31.2/s, p50 410.0 ms, p99 690.0 ms" for a pool's result. */
export function rate(r: { lat: number[]; wallMs: number }): string {
  return `${(r.lat.length / (r.wallMs / 1000)).toFixed(1)}/s, p50 ${ms(pct(r.lat, 50))}, p99 ${ms(pct(r.lat, 99))}`;
}

/** Prints the rows as a Markdown table (so the note can quote it as it is). */
export function printTable(rows: BenchRow[]): void {
  const cells = rows.map((r) => [r.measure, r.figure, r.floor, r.target, r.met === undefined ? '' : r.met ? 'met' : 'NOT met']);
  const head = ['measure', 'figure', 'floor', 'target', ''];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(width[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}
