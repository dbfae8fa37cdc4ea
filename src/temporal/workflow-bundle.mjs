// How the workflows are bundled (Temporal's bundler, webpack), the same for the compiled product
// (scripts/ensure-build.mjs → dist/workflow-bundle.js), a worker started from src/ (src/worker.ts)
// and the tests (test/global-setup.ts). Plain ESM, so that ensure-build.mjs can import it before
// anything is compiled. Two choices make the bundle lighter and each new workflow cheaper:
//
// - Preloaded packages. With the SDK's reusable V8 context (its default), every workflow evaluates
//   again, into a module cache of its own, each module its workflow module imports. typebox (the
//   decision forms' validator, domain/decision-forms.ts: 0.85 MB of code, the heaviest of them)
//   is instead evaluated once per workflow thread, before any workflow, and shared: it keeps no
//   per-workflow state and no workflow keeps its objects. Our own pure modules (src/domain) are
//   not preloaded: the SDK deep-freezes what preloaded modules export, and workflows keep
//   exported domain objects (task templates spread into their state) and change them later
//   (test/workflows/message-pairs-deadlines.test.ts P4, P5 fail so).
// - A source map without the sources' text. The SDK needs the map inline in the bundle and uses
//   it to map stack traces (failures, the __stack_trace query) to src/ files, lines and columns,
//   which stay as they were; only the sources' text (1.4 MB, shown by the __enhanced_stack_trace
//   query only when WorkerOptions.showStackTraceSources is set, which we never set) is left out.
//   A debugger finds the sources on disk by the map's absolute paths.

/** Packages evaluated once per workflow thread and shared by its workflows (frozen by the SDK). */
export const PRELOADED_WORKFLOW_PACKAGES = Object.freeze(['typebox/schema']);

/** webpack's options as Temporal's bundler sets them, but with a source map that carries no sources' text. */
function lighterSourceMap(config) {
  return { ...config, devtool: 'inline-nosources-source-map' };
}

/**
 * Options of `bundleWorkflowCode` (and of WorkerOptions.bundlerOptions): `preloadModules`
 * (PRELOADED_WORKFLOW_PACKAGES) and `webpackConfigHook` (lighterSourceMap).
 */
export function workflowBundlerOptions() {
  return { preloadModules: [...PRELOADED_WORKFLOW_PACKAGES], webpackConfigHook: lighterSourceMap };
}
