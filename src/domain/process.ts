// What the platform knows of a statutory process (P1–P11), and what it derives from the registry
// (processes.ts). Each process keeps one descriptor next to its rules (domain/<id>.ts); every layer
// finds its own part of the process by the names the descriptor gives, so adding a process touches
// its own files and one line of the registry:
//
//   src/domain/<id>.ts               the rules and the descriptor (pure: workflows import it)
//   src/workflows/<module>.ts        exports the workflow type camelCase(<module>)   (`workflows`)
//   src/activities/<module>.ts       exports `activities(deps)`, when it has any     (`activities`)
//   src/api/routes/<module>.ts       default-exports a Fastify plugin: the create route and the
//                                    process's case actions                           (`routes`)
//   src/domain/policies/data/*.ts    its rules in each text, under `processes['<id>']`
//   src/db/migrations, src/db/processes/<id>.ts   only when it has tables of its own
//
// A descriptor's module must not use, while it loads, anything that reads the registry (the
// registry is read on first use, so a cycle through it is harmless otherwise). Pure: no I/O, clock
// or randomness.
import type { JsonSchema } from './json-schema';
import type { Setting } from './policies/types';
import { deepFreeze } from './policies/plain';
import * as REGISTRY from './processes';

/**
 * A check of a decision that needs the catalog, which a workflow validator cannot read: run by the
 * API before the `decide` update is sent.
 * - `providers-dataset`: the dataset named by `field` is in the catalog and is the task's assignee
 *   agency's own (422 unknown_dataset / not_provider_dataset, citing `citation`).
 */
export interface DecisionCheck {
  kind: 'providers-dataset';
  field: string;
  citation: string;
}

/** A statutory process as the platform needs to know it. `Id` is its case type. */
export interface ProcessDescriptor<Id extends string = string> {
  /** Case type (API.md), the process id of the policy registry, and the file name of its rules. */
  id: Id;
  /** Its number in PROCESSES.md: P1 … P11 (the registry's order); a process with two case types (P7) has it twice. */
  code: `P${number}`;
  /** Its OpenAPI group: every route of the process names it (api/tags.ts); case types of one process share it. */
  tag: { name: string; description: string };
  /** Modules under src/workflows/, each exporting the workflow type camelCase(module). */
  workflows: readonly string[];
  /** Modules under src/api/routes/, each default-exporting the process's routes. */
  routes: readonly string[];
  /** Modules under src/activities/, each exporting `activities(deps)`: the process's own side effects. */
  activities?: readonly string[];
  /** Party actions `POST /v1/cases/:caseId/<action>` its workflow takes (withdraw is shared). */
  caseActions: readonly string[];
  /** The rule keys it reads: a required key no policy defines is reported as unresolved. */
  ruleKeys: { required: readonly string[]; optional: readonly string[] };
  /** Numbers the texts leave open for it (ids `<id>.<rule>.<field>`), each with its visible default. */
  settings: readonly Setting[];
  /** Decision fields only its tasks take, beside the shared ones of decision-forms.ts. */
  decisionFields?: Readonly<Record<string, JsonSchema>>;
  /** Catalog checks of its decisions, by task kind. */
  decisionChecks?: Readonly<Record<string, DecisionCheck>>;
}

let registered: readonly ProcessDescriptor[] | undefined;

/**
 * Every process, in the order of PROCESSES.md (P1, P2, …). Read on first use, not at load: the
 * descriptors' own modules may import modules that import this one.
 */
export function processes(): readonly ProcessDescriptor[] {
  // Frozen, descriptors and all: no caller can change what a process is under a running case.
  registered ??= deepFreeze(
    (Object.values(REGISTRY) as ProcessDescriptor[]).sort((a, b) => Number(a.code.slice(1)) - Number(b.code.slice(1))),
  );
  return registered;
}

/** The id of a registered process (= its case type). */
export type ProcessId = (typeof REGISTRY)[keyof typeof REGISTRY]['id'];

/** Every process id (= every case type), in registry order. */
export function processIds(): ProcessId[] {
  return processes().map((p) => p.id as ProcessId);
}

/** Whether `id` names a registered process. */
export function isProcessId(id: unknown): id is ProcessId {
  return typeof id === 'string' && processes().some((p) => p.id === id);
}

/**
 * The descriptor of a process.
 * @throws RangeError for an id no process has.
 */
export function processDescriptor(id: string): ProcessDescriptor {
  const p = processes().find((d) => d.id === id);
  if (!p) throw new RangeError(`unknown process: ${id}`);
  return p;
}

/** The workflow type a workflow module exports: camelCase of its file name (open-data-request → openDataRequest). */
export function workflowTypeOf(module: string): string {
  return module.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Every setting of every process, in registry order (the product's own are in policies/settings.ts). */
export function processSettings(): Setting[] {
  return processes().flatMap((p) => [...p.settings]);
}
