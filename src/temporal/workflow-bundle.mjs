// How the workflows are bundled (Temporal's bundler, webpack), the same for the compiled product
// (scripts/ensure-build.mjs → dist/workflow-bundle.js), a worker started from src/ (src/worker.ts)
// and the tests (test/global-setup.ts). Plain ESM, so that ensure-build.mjs can import it before
// anything is compiled. Two choices make the bundle lighter and each new workflow cheaper:
//
// - Preloaded modules. With the SDK's reusable V8 context (its default), every workflow evaluates
//   again, into a module cache of its own, each module its workflow module imports. The pure
//   modules the workflow modules import (src/domain, src/temporal/search-attributes: no I/O, clock,
//   randomness nor per-workflow state; STYLE.md habit 4), with what they import (typebox, the
//   decision forms' validator: 0.85 MB of code), are instead evaluated once per workflow thread,
//   before any workflow, and shared by all its workflows. Workflow modules (src/workflows) keep
//   per-workflow state and are never preloaded.
//   The SDK deep-freezes what preloaded modules export: a workflow must never change an object it
//   takes from them (task templates, process descriptors, calendars...), but copy it first. The
//   domain freezes its templates where it declares them (domain/frozen.ts), so that a change fails
//   the same way in the API and the unit tests, and the workflow tests' workers fail a workflow
//   on a TypeError (test/fixtures/case-env.ts) instead of retrying its task for ever.
// - A source map without the sources' text. The SDK needs the map inline in the bundle and uses
//   it to map stack traces (failures, the __stack_trace query) to src/ files, lines and columns,
//   which stay as they were; only the sources' text (1.4 MB, shown by the __enhanced_stack_trace
//   query only when WorkerOptions.showStackTraceSources is set, which we never set) is left out.
//   A debugger finds the sources on disk by the map's absolute paths.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages evaluated once per workflow thread and shared by its workflows (frozen by the SDK). */
export const PRELOADED_WORKFLOW_PACKAGES = Object.freeze(['typebox/schema']);

/** Imports of pure modules a workflow module may make: src/domain/**, src/temporal/search-attributes. */
const PURE = /^(?:\.\.\/)+(?:domain\/[a-z0-9/-]+|temporal\/search-attributes)$/;

/** Every `.ts` file under `dir`, recursively (no `.d.ts`). */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The pure modules the workflow modules under `workflowsDir` import for their values (not
 * `import type`), as absolute paths of `.ts` files (webpack resolves them as they are), sorted;
 * their own imports load with them.
 * @param {string} workflowsDir absolute path of src/workflows (or a folder laid out like it)
 * @returns {string[]}
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
 * Options of `bundleWorkflowCode` (and of WorkerOptions.bundlerOptions) for the workflows of
 * `workflowsPath` (src/workflows/index.ts unless given): `preloadModules` (the packages of
 * PRELOADED_WORKFLOW_PACKAGES and preloadedWorkflowModules of its folder) and `webpackConfigHook`
 * (lighterSourceMap). Reads the workflow modules' sources, so call it where src/ is on disk.
 * @param {string} [workflowsPath] absolute path of the workflows' entry module
 */
export function workflowBundlerOptions(workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url))) {
  return {
    preloadModules: [...PRELOADED_WORKFLOW_PACKAGES, ...preloadedWorkflowModules(dirname(workflowsPath))],
    webpackConfigHook: lighterSourceMap,
  };
}
