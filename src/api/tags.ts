// The groups of the OpenAPI document: one per resource or statutory process, so a reader (and
// Swagger UI at /docs) finds an operation where its process is. Each route names exactly one.
export const TAGS = {
  operations: { name: 'Operations', description: 'Liveness and readiness of the API and its backing services' },
  identity: { name: 'Agencies & principals', description: 'Who acts: agencies, principals and their bearer tokens (admin)' },
  reference: { name: 'Reference', description: 'Jurisdictions and the rule sets (policies) governing each process' },
  calendar: { name: 'Working-day calendar', description: 'Deadlines of "N 个工作日" on the official PRC calendar' },
  catalog: { name: 'Catalog', description: 'Public-data catalog entries (datasets) and their classes' },
  cases: { name: 'Cases', description: 'Any case: read, list, and the party actions shared by several processes' },
  tasks: { name: 'Inbox & tasks', description: 'Open tasks of the caller, decisions (workflow Updates), claims and hand-overs' },
  shareRequests: { name: 'Share requests', description: 'P1 数据共享申请 (js-2020:18–21)' },
  shareDemands: { name: 'Share demands', description: 'P2 共享需求 (js-2020:22)' },
  openData: { name: 'Open data', description: 'P3 有条件开放申请, out-of-catalog requests and data-use agreements (sz-open-2023:19–24, 34)' },
  objections: { name: 'Objections', description: 'P4 数据异议 (sz-open-2023:10, js-2020:45)' },
  qualityRectifications: { name: 'Quality rectifications', description: 'P5 数据质量整改 (sz-open-2023:16, js-2020:17)' },
  rightsClaims: { name: 'Rights claims', description: 'P6 权益主张 (sz-open-2023:38, js-2020:36)' },
  audit: { name: 'Audit', description: 'The hash-chained audit log (cm-draft:9)' },
} as const;

export type TagKey = keyof typeof TAGS;

/** `tags` of a route schema: its one group. */
export const tagged = (key: TagKey) => [TAGS[key].name];
