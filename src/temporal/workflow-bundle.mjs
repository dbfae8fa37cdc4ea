// How the workflows are bundled (Temporal's bundler, webpack), the same for the compiled product
// (scripts/ensure-build.mjs → dist/workflow-bundle.js), a worker started from src/ (src/worker.ts)
// and the tests (test/global-setup.ts). Plain ESM, so that ensure-build.mjs can import it before
// anything is compiled. Two choices make the bundle lighter and each new workflow cheaper:
//
// - Preloaded modules. With the SDK's reusable V8 context (its default), every workflow evaluates
//   again, into a module cache of its own, each module its workflow module imports — for us all
//   of src/domain and typebox, a few MB of objects built per workflow, of which the worker caches
//   100. The pure modules the workflows import (src/domain, src/temporal/search-attributes: no
//   I/O, clock, randomness nor per-workflow state; STYLE.md habit 4) are instead evaluated once per
//   workflow thread, before any workflow, and shared (frozen by the SDK). Workflow modules
//   (src/workflows) keep per-workflow state and are never preloaded.
// - A source map without the sources' text. The SDK needs the map inline in the bundle and uses
//   it to map stack traces (failures, the __stack_trace query) to src/ files, lines and columns,
//   which stay as they were; only the sources' text (1.4 MB, shown by the __enhanced_stack_trace
//   query only when WorkerOptions.showStackTraceSources is set, which we never set) is left out.
//   A debugger finds the sources on disk by the map's absolute paths.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Imports of pure modules a workflow module may make: src/domain/**, src/temporal/search-attributes. */
const PURE = /^(?:\.\.\/)+(?:domain\/[a-z0-9/-]+|temporal\/search-attributes)$/;

/** Every `.ts` file under `dir`, recursively. */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The pure modules the workflow modules under `workflowsDir` import for their values (not
 * `import type`), as absolute paths of `.ts` files, sorted; their own imports load with them.
 */
export function preloadedWorkflowModules(workflowsDir) {
  const found = new Set();
  for (const file of tsFiles(workflowsDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)';/gms)) {
      if (m[1] || !PURE.test(m[2])) continue;
      found.add(`${resolve(dirname(file), m[2])}.ts`);
    }
  }
  return [...found].sort();
}

/** webpack's options as Temporal's bundler sets them, but with a source map that carries no sources' text. */
function lighterSourceMap(config) {
  return { ...config, devtool: 'inline-nosources-source-map' };
}

/**
 * Options of `bundleWorkflowCode` (and of WorkerOptions.bundlerOptions) for the workflows in
 * `workflowsPath` (src/workflows/index.ts): `preloadModules` (preloadedWorkflowModules of its
 * folder) and `webpackConfigHook` (lighterSourceMap).
 */
export function workflowBundlerOptions(workflowsPath) {
  return { preloadModules: preloadedWorkflowModules(dirname(workflowsPath)), webpackConfigHook: lighterSourceMap };
}
