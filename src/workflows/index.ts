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

const byType = new Map<string, WorkflowFn>();

/**
 * The function of a registered workflow type, or undefined when no registered process has that
 * type. Only the module of that type is loaded (on first use): a workflow evaluates its own
 * process's module and what it imports, not every process's.
 * @throws Error when the descriptor naming the type names a module that is missing or does not export it.
 */
export function registeredWorkflowOf(type: string): WorkflowFn | undefined {
  const known = byType.get(type);
  if (known) return known;
  for (const p of processes()) {
    const module = p.workflows.find((m) => workflowTypeOf(m) === type);
    if (module === undefined) continue;
    const fn = (modules(`./${module}.ts`) as Record<string, unknown>)[type];
    if (typeof fn !== 'function') throw new Error(`process ${p.id}: workflows/${module}.ts exports no workflow ${type}`);
    byType.set(type, fn as WorkflowFn);
    return fn as WorkflowFn;
  }
  return undefined;
}

/** Runs the registered workflow of this execution's type. */
export default async function registeredWorkflow(...args: unknown[]): Promise<unknown> {
  const { workflowType } = workflowInfo();
  const fn = registeredWorkflowOf(workflowType);
  if (!fn) throw ApplicationFailure.nonRetryable(`no registered process has a workflow of type ${workflowType}`, 'UnknownWorkflowType');
  return fn(...args);
}

// The platform's own workflows (not a process's): found by their export name.
export { webhookDispatcher } from './platform/webhook-dispatcher';
