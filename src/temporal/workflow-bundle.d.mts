import type { BundleOptions } from '@temporalio/worker';

/** Packages evaluated once per workflow thread and shared by its workflows (frozen by the SDK). */
export const PRELOADED_WORKFLOW_PACKAGES: readonly string[];
/** `preloadModules` and `webpackConfigHook` for bundleWorkflowCode / WorkerOptions.bundlerOptions. */
export function workflowBundlerOptions(): Required<Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>>;
