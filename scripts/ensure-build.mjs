#!/usr/bin/env node
// Called by `npm start`: makes sure dist/ holds the compiled product, built again only when missing
// or older than its sources (src/, package-lock.json, this script). Idempotent and cached like the
// other ensure-* scripts; `node scripts/ensure-build.mjs --force` rebuilds.
//
// dist/main.js, dist/worker.js, dist/server.js  the entries, each one ESM bundle of our own code
//                                               (esbuild; node_modules stay external imports)
// dist/workflow-bundle.js                       the workflows, bundled once by Temporal's bundler
//                                               (webpack) instead of at every worker start
// dist/migrations/                              the drizzle migrations (db/client.ts finds them
//                                               next to the running module)
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const ENTRIES = ['main', 'worker', 'server'];

/** The newest modification time (ms) of a file or of any file under a folder. */
function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

function upToDate() {
  if (!existsSync(stamp)) return false;
  if (!ENTRIES.every((e) => existsSync(join(dist, `${e}.js`))) || !existsSync(join(dist, 'workflow-bundle.js'))) return false;
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'package-lock.json')), newest(fileURLToPath(import.meta.url)));
  return statSync(stamp).mtimeMs >= sources;
}

async function build() {
  const started = Date.now();
  const out = join(root, `dist.building-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES.map((e) => join(root, 'src', `${e}.ts`)),
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Without code splitting each entry keeps its own `import.meta.url` (worker.ts and server.ts
    // test it to run their standalone main()).
    splitting: false,
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        // A package's JSON data is inlined: Node's ESM loader would need an import attribute.
        name: 'inline-package-json-data',
        setup(b) {
          b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: fileURLToPath(import.meta.resolve(args.path, `file://${args.resolveDir}/`)) }));
        },
      },
    ],
  });
  cpSync(join(root, 'src', 'db', 'migrations'), join(out, 'migrations'), { recursive: true });
  // Temporal's bundler, run once: the worker loads this file with `workflowBundle: { codePath }`.
  // Its options (a preloaded typebox, a source map without sources' text) are the tests' and src/worker.ts's.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { workflowBundlerOptions } = await import('../src/temporal/workflow-bundle.mjs');
  const workflowsPath = join(root, 'src', 'workflows', 'index.ts');
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    ...workflowBundlerOptions(),
    logger: { trace() {}, debug() {}, info() {}, warn: (m) => console.warn(m), error: (m) => console.error(m), log() {} },
  });
  writeFileSync(join(out, 'workflow-bundle.js'), code);
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(out, '.built'), `${new Date().toISOString()}\n`);
  rmSync(dist, { recursive: true, force: true });
  renameSync(out, dist);
  console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv.includes('--force') || !upToDate()) {
  try {
    await build();
  } catch (err) {
    console.error('build failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
