import type { BundleOptions } from '@temporalio/worker';

/** Packages evaluated once per workflow thread and shared by its workflows (frozen by the SDK). */
export const PRELOADED_WORKFLOW_PACKAGES: readonly string[];
/** The pure modules (src/domain, src/temporal/search-attributes) the workflow modules under `workflowsDir` import for their values, as absolute `.ts` paths, sorted. */
export function preloadedWorkflowModules(workflowsDir: string): string[];
/** `preloadModules` and `webpackConfigHook` for bundleWorkflowCode / WorkerOptions.bundlerOptions, for the workflows of `workflowsPath` (default: src/workflows/index.ts). */
export function workflowBundlerOptions(workflowsPath?: string): Required<Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>>;
