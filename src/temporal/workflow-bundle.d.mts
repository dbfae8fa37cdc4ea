import type { BundleOptions } from '@temporalio/worker';

/** The pure modules (src/domain, src/temporal/search-attributes) the workflow modules under `workflowsDir` import, as absolute `.ts` paths, sorted. */
export function preloadedWorkflowModules(workflowsDir: string): string[];
/** `preloadModules` and `webpackConfigHook` for bundleWorkflowCode / WorkerOptions.bundlerOptions, for the workflows of `workflowsPath`. */
export function workflowBundlerOptions(workflowsPath: string): Required<Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>>;
