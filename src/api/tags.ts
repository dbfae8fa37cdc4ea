// The groups of the OpenAPI document: one per resource or statutory process, so a reader (and
// Swagger UI at /docs) finds an operation where its process is. Each route names exactly one.
// A process's group is in its descriptor (domain/process.ts).
import { processes, type ProcessDescriptor } from '../domain/process';

/** The platform's own groups (not a process's). */
export const TAGS = {
  operations: { name: 'Operations', description: 'Liveness and readiness of the API and its backing services' },
  identity: { name: 'Agencies & principals', description: 'Who acts: agencies, principals and their bearer tokens (admin)' },
  reference: { name: 'Reference', description: 'Jurisdictions and the rule sets (policies) governing each process' },
  calendar: { name: 'Working-day calendar', description: 'Deadlines of "N 个工作日" on the official PRC calendar' },
  catalog: { name: 'Catalog', description: 'Public-data catalog entries (datasets) and their classes' },
  cases: { name: 'Cases', description: 'Any case: read, list, and the party actions shared by several processes' },
  tasks: { name: 'Inbox & tasks', description: 'Open tasks of the caller, decisions (workflow Updates), claims and hand-overs' },
  supervision: { name: 'Supervision & assessment', description: '监督考核: timeliness of agencies, public notices of missed corrections (js-2020:46, 49), users\' evaluations (sz-open-2023:37)' },
  agencySystems: { name: 'Agency systems', description: 'Webhooks to agency systems (Standard Webhooks) and the grant check of the data platform' },
  audit: { name: 'Audit', description: 'The hash-chained audit log (cm-draft:9)' },
} as const;

export type TagKey = keyof typeof TAGS;

/** Every group, in the document's order: the platform's, each process's (P1, P2, …), then the audit log. */
export function openApiTags(): { name: string; description: string }[] {
  const { audit, ...platform } = TAGS;
  const groups = new Map(processes().map((p) => [p.tag.name, { ...p.tag }])); // one group per process, not per case type
  return [...Object.values(platform), ...groups.values(), audit];
}

/** `tags` of a route schema: its one group — a platform group, or the group of a process. */
export const tagged = (group: TagKey | ProcessDescriptor) => [typeof group === 'string' ? TAGS[group].name : group.tag.name];
