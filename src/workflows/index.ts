// The worker's workflows: every workflow type of every registered process (domain/processes.ts),
// found by the names its descriptor gives — `workflows/<module>.ts` exports camelCase(<module>).
// Workflow code imports only pure modules and Temporal's workflow API (STYLE.md habit 4).
//
// The bundler (webpack) includes every module of this folder; Temporal looks a workflow type up
// among this module's exports and, not finding it, runs the default export, which runs the
// process's workflow of that type. Nothing a history records (types, ids, search attributes)
// depends on this lookup.
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { processes, workflowTypeOf } from '../domain/process';

/** The modules of this folder, by `./<name>.ts` (webpack's context module: resolved at bundle time). */
const modules = import.meta.webpackContext('./', { recursive: false, regExp: /^\.\/(?!index\.ts$)[a-z0-9-]+\.ts$/ });

type WorkflowFn = (...args: unknown[]) => Promise<unknown>;

let byType: Map<string, WorkflowFn> | undefined;

/**
 * Every workflow type of the registered processes, with its function.
 * @throws Error when a descriptor names a module that is missing or does not export its type.
 */
export function registeredWorkflows(): Map<string, WorkflowFn> {
  if (byType) return byType;
  const found = new Map<string, WorkflowFn>();
  for (const p of processes()) {
    for (const module of p.workflows) {
      const type = workflowTypeOf(module);
      const fn = (modules(`./${module}.ts`) as Record<string, unknown>)[type];
      if (typeof fn !== 'function') throw new Error(`process ${p.id}: workflows/${module}.ts exports no workflow ${type}`);
      found.set(type, fn as WorkflowFn);
    }
  }
  byType = found;
  return found;
}

/** Runs the registered workflow of this execution's type. */
export default async function registeredWorkflow(...args: unknown[]): Promise<unknown> {
  const { workflowType } = workflowInfo();
  const fn = registeredWorkflows().get(workflowType);
  if (!fn) throw ApplicationFailure.nonRetryable(`no registered process has a workflow of type ${workflowType}`, 'UnknownWorkflowType');
  return fn(...args);
}

// The platform's own workflows (not a process's): found by their export name.
export { webhookDispatcher } from './platform/webhook-dispatcher';
