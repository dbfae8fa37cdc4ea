// Every side effect of the workflows, built from explicit dependencies so tests can pass fakes:
// the kernel's (commits, the calendar, attention) and each process's own, found by the names its
// descriptor gives (`activities/<module>.ts` exports `activities(deps)`, domain/process.ts).
import type { Db } from '../db/client';
import { processes } from '../domain/process';
import { transitionActivities } from './transitions';
import { calendarActivities } from './calendar';
import { attentionActivities } from './attention';
import { failingFast } from './failures';
import { webhookActivities } from './webhooks';
import type { WebhookSettings } from '../config';

export interface ActivityDeps {
  db: Db;
  /** Where webhooks may go and how the dispatchers retry (config.ts); off-loopback defaults when absent. */
  webhooks?: WebhookSettings;
}

type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

/** The activities every process's steps go through (workflows/kernel). */
export function kernelActivities(deps: ActivityDeps) {
  return {
    // A step's failure that retrying cannot fix ends its retries at once (the case then needs attention).
    ...failingFast({ ...transitionActivities(deps), ...calendarActivities(deps) }),
    // Recording that a case needs attention is retried until it is done: it carries no case data.
    ...attentionActivities(deps),
  };
}

/** What workflows/kernel proxies. */
export type KernelActivities = ReturnType<typeof kernelActivities>;

/**
 * Every activity the worker runs: the kernel's, then each registered process's own, which fail
 * fast like the kernel's steps.
 * @throws Error when a descriptor names a module that exports no `activities(deps)`, or two
 * modules define an activity of the same name.
 */
export async function createActivities(deps: ActivityDeps): Promise<Activities> {
  // The platform's own (webhook delivery): their failures are the receiver's, retried by the dispatcher's policy.
  const all: Activities = { ...kernelActivities(deps), ...webhookActivities(deps) };
  for (const p of processes()) {
    for (const module of p.activities ?? []) {
      const mod = (await import(`./${module}.ts`)) as { activities?: (deps: ActivityDeps) => Activities };
      if (typeof mod.activities !== 'function') throw new Error(`process ${p.id}: activities/${module}.ts exports no activities(deps)`);
      for (const [name, fn] of Object.entries(failingFast(mod.activities(deps)))) {
        if (name in all) throw new Error(`process ${p.id}: activity ${name} of activities/${module}.ts is defined twice`);
        all[name] = fn;
      }
    }
  }
  return all;
}
