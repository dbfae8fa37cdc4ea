// `npm run bench`: the product's figures beside their floors (raw Temporal, raw PostgreSQL), in one
// table (issue: performance at the 16:00 burst and at scale). A benchmark, not a test: it asserts
// nothing; the last column says whether each target is met on this machine.
//   npm run bench                      every section
//   npm run bench -- throughput lists  only those sections
import { startStack } from './bench/stack';
import { printTable, type BenchRow } from './bench/table';
import { throughput } from './bench/throughput';
import { lists } from './bench/lists';
import { consoleBench } from './bench/console';
import { audit } from './bench/audit';
import { memory } from './bench/memory';
import type { Stack } from './bench/stack';

/** Sections in the order they run; later ones may fill the database (lists: 1,000,000 rows). */
const SECTIONS: Record<string, (s: Stack) => Promise<BenchRow[]>> = {
  throughput: (s) => throughput(s),
  'create-profile': async (s) => (await import('./bench/create-profile')).createProfile(s),
  burst: async (s) => (await import('./bench/burst')).burst(s),
  memory: (s) => memory(s),
  console: (s) => consoleBench(s),
  audit: (s) => audit(s),
  lists: (s) => lists(s),
  contexts: async () => (await import('./bench/contexts')).contexts(),
};

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const w of wanted) if (!SECTIONS[w]) throw new Error(`unknown section ${w}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const stack = await startStack();
  const rows: BenchRow[] = [];
  try {
    for (const [name, run] of Object.entries(SECTIONS)) {
      if (wanted.length && !wanted.includes(name)) continue;
      const t = performance.now();
      console.error(`… ${name}`);
      rows.push(...(await run(stack)));
      console.error(`  ${name} took ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
  } finally {
    await stack.stop();
  }
  console.log('\n2 cores; Temporal dev server, embedded PostgreSQL, worker and API in one process\n');
  printTable(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
