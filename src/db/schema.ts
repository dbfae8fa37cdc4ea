import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** `created_at`: when the row was written (instant). */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const agencies = pgTable('agencies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  jurisdiction: text('jurisdiction').notNull(),
  createdAt: createdAt(),
});
export type Agency = typeof agencies.$inferSelect;

export const principals = pgTable(
  'principals',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    agencyId: text('agency_id').references(() => agencies.id),
    roles: text('roles').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('principals_agency_idx').on(t.agencyId, t.createdAt, t.id)],
);
export type Principal = typeof principals.$inferSelect;

/**
 * A principal's bearer tokens (API-2.md): several may be valid at once, so a token is rotated by
 * issuing the next and revoking the old. Rows are kept after revocation, for the record.
 */
export const principalTokens = pgTable(
  'principal_tokens',
  {
    id: text('id').primaryKey(),
    principalId: text('principal_id')
      .notNull()
      .references(() => principals.id),
    // sha256 of the bearer token: the token itself is shown once and never stored.
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
  },
  (t) => [uniqueIndex('principal_tokens_hash_idx').on(t.tokenHash), index('principal_tokens_principal_idx').on(t.principalId)],
);
export type PrincipalToken = typeof principalTokens.$inferSelect;

export const datasets = pgTable(
  'datasets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    providerAgencyId: text('provider_agency_id')
      .notNull()
      .references(() => agencies.id),
    jurisdiction: text('jurisdiction').notNull(),
    shareClass: text('share_class').notNull(),
    openClass: text('open_class').notNull(),
    legalBasis: text('legal_basis'),
    updateCycle: text('update_cycle'),
    fields: jsonb('fields').$type<string[]>(),
    // The catalog entry's other elements (sip-2021:8, cm-draft:6): what the data holds, where it
    // comes from, its format, and its data items with their standard codes (一数一源).
    content: text('content'),
    source: text('source'),
    format: text('format'),
    dataItems: jsonb('data_items').$type<{ code: string; name: string; authoritative?: boolean }[]>(),
    // The latest published version (dataset_versions); 0 for a dataset registered before versions.
    version: integer('version').notNull().default(0),
    // Withdrawn from open use by a rights claim (sz-open-2023:38, js-2020:36) — a catalog fact.
    withdrawn: boolean('withdrawn').notNull().default(false),
    withdrawnCitation: text('withdrawn_citation'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('datasets_provider_idx').on(t.providerAgencyId, t.createdAt, t.id)],
);
export type Dataset = typeof datasets.$inferSelect;

/**
 * Every published version of a dataset's catalog entry, a hash chain per dataset (上链存证,
 * cm-draft:9): `hash` = sha256(prevHash, canonical JSON of the version); the first version's
 * prevHash is 64 zeros. Written by the case that publishes it (catalog entry, rights claim) or by
 * an administrator's direct registration (caseId null); never updated (a trigger refuses it).
 */
export const datasetVersions = pgTable(
  'dataset_versions',
  {
    datasetId: text('dataset_id').notNull(),
    version: integer('version').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    caseId: text('case_id'),
    entry: jsonb('entry').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.version] }), uniqueIndex('dataset_versions_case_idx').on(t.caseId, t.datasetId)],
);
export type DatasetVersion = typeof datasetVersions.$inferSelect;

/** Projection of a case workflow, written only by activities (Temporal owns the state). */
export const cases = pgTable(
  'cases',
  {
    caseId: text('case_id').primaryKey(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    requesterAgencyId: text('requester_agency_id'),
    providerAgencyId: text('provider_agency_id'),
    datasetId: text('dataset_id'),
    createdBy: text('created_by').notNull(),
    // The workflow's own counter: a late retry of an older projection never overwrites a newer one.
    revision: integer('revision').notNull(),
    view: jsonb('view').$type<Record<string, unknown>>().notNull(),
    // {since, reason, step}: a step failed in a way retrying cannot fix (API-2.md "Integrity").
    needsAttention: jsonb('needs_attention').$type<{ since: string; reason: string; step: string }>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // What the timeliness report counts (API-2.md "Supervision"), kept by the transition that
    // changes the view: when the case first had an outcome (workflow time), on what basis, the
    // working days from receipt to it (calendar), and whether a deadline of it escalated.
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    outcomeBasis: text('outcome_basis'),
    workingDaysToDecision: integer('working_days_to_decision'),
    overdue: boolean('overdue').notNull().default(false),
    // The earliest running deadline of the view: an undecided case past it is overdue now.
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
  },
  (t) => [
    index('cases_received_idx').on(t.receivedAt, t.caseId),
    // The timeliness report: a jurisdiction's cases received in a period (migration 0010 adds the
    // columns the report reads as INCLUDE, so it is answered from the index alone).
    index('cases_report_idx').on(t.jurisdiction, t.receivedAt),
    // GET /v1/cases (listCases): one range scan in (received_at DESC, case_id DESC) order per way
    // of seeing a case — by type and status (admin), jurisdiction, requester, provider, creator.
    index('cases_type_status_idx').on(t.type, t.status, t.receivedAt, t.caseId),
    index('cases_jurisdiction_idx').on(t.jurisdiction, t.receivedAt, t.caseId),
    index('cases_requester_idx').on(t.requesterAgencyId, t.receivedAt, t.caseId),
    index('cases_provider_idx').on(t.providerAgencyId, t.receivedAt, t.caseId),
    index('cases_created_by_idx').on(t.createdBy, t.receivedAt, t.caseId),
    // The dispute mark of a dataset (open objections on it) and the grants a withdrawal reaches.
    index('cases_dataset_idx').on(t.datasetId, t.type),
  ],
);
export type CaseRow = typeof cases.$inferSelect;

/** Idempotency-Key → case: written before the workflow starts, so a retry finds the same case. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principalId: text('principal_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    bodyHash: text('body_hash').notNull(),
    caseId: text('case_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] })],
);

export const accessGrants = pgTable(
  'access_grants',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    datasetId: text('dataset_id').notNull(),
    granteeAgencyId: text('grantee_agency_id'),
    granteePrincipalId: text('grantee_principal_id'),
    mode: text('mode').notNull(),
    scope: jsonb('scope').$type<Record<string, unknown>>().notNull(),
    basis: text('basis').notNull(),
    citation: text('citation').notNull(),
    status: text('status').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
    // The case revision that last wrote the grant: an older, retried attempt changes nothing.
    revision: integer('revision').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('access_grants_case_idx').on(t.caseId),
    index('access_grants_dataset_idx').on(t.datasetId),
    // GET /v1/grants/check: the data platform asks at access time, for an agency or a principal.
    index('access_grants_check_agency_idx').on(t.datasetId, t.granteeAgencyId),
    index('access_grants_check_principal_idx').on(t.datasetId, t.granteePrincipalId),
  ],
);
export type AccessGrant = typeof accessGrants.$inferSelect;

/**
 * Append-only audit chain (cm-draft:9 上链存证): each entry carries the hash of the previous one,
 * so any edit or deletion breaks the chain. `eventKey` makes activity retries idempotent.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    eventKey: text('event_key').notNull(),
    caseId: text('case_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    event: text('event').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    citation: text('citation'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    // The chain the entry belongs to (its case id, `~platform` for platform events, `~legacy` for
    // entries of the single global chain written before migration 0012) and its place in it.
    chain: text('chain').notNull(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_event_key_idx').on(t.eventKey),
    index('audit_log_case_idx').on(t.caseId, t.seq),
    uniqueIndex('audit_log_chain_idx').on(t.chain, t.chainSeq),
  ],
);
export type AuditEntry = typeof auditLog.$inferSelect;

/**
 * The last entry of each audit chain. Its row is the chain's lock (an append takes it FOR UPDATE,
 * so appends to different chains never wait for each other); `dirty` marks chains changed since
 * the last checkpoint.
 */
export const auditChainHeads = pgTable(
  'audit_chain_heads',
  {
    chain: text('chain').primaryKey(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    dirty: boolean('dirty').notNull().default(true),
  },
  (t) => [index('audit_chain_heads_dirty_idx').on(t.chain).where(sql`${t.dirty}`)],
);

/**
 * Checkpoints chain the heads of the audit chains (tamper evidence across chains: a deleted chain
 * or a truncated tail no longer matches a checkpointed head). hash = sha256(prevHash, seq, at,
 * headsDigest, chains, entries); headsDigest = sha256 over the checkpoint's heads in chain order.
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  headsDigest: text('heads_digest').notNull(),
  chains: integer('chains').notNull(),
  entries: bigint('entries', { mode: 'number' }).notNull(),
});

/** The heads one checkpoint records: the chains changed since the previous checkpoint. */
export const auditCheckpointHeads = pgTable(
  'audit_checkpoint_heads',
  {
    checkpointSeq: bigint('checkpoint_seq', { mode: 'number' }).notNull(),
    chain: text('chain').notNull(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkpointSeq, t.chain] })],
);

/** Official year arrangements loaded by administrators; they win over the packaged calendar. */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  holidays: text('holidays').array().notNull(),
  workdays: text('workdays').array().notNull(),
  loadedBy: text('loaded_by').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Acts of adoption or extension of a policy (PATCH /v1/policies/:id); absent = the text's own. */
export const policyStates = pgTable('policy_states', {
  id: text('id').primaryKey(),
  adopted: boolean('adopted').notNull(),
  effectiveFrom: text('effective_from'),
  effectiveTo: text('effective_to'),
  version: integer('version').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});


/**
 * Inbox projection of the tasks workflows open (written by activities, with the case's
 * transition). `claimedBy` too is the workflow's (claim, release, hand over are updates judged with
 * decisions); tasks of histories recorded before leave it as the API set it.
 */
export const tasks = pgTable(
  'tasks',
  {
    taskId: text('task_id').primaryKey(),
    caseId: text('case_id').notNull(),
    caseType: text('case_type').notNull(),
    kind: text('kind').notNull(),
    assigneeAgencyId: text('assignee_agency_id'),
    assigneeRole: text('assignee_role').notNull(),
    assigneeJurisdiction: text('assignee_jurisdiction').notNull(),
    status: text('status').notNull(), // open | closed
    actions: text('actions').array().notNull(),
    requiredFields: jsonb('required_fields').$type<Record<string, string[]>>().notNull(),
    // For each action, the JSON Schema of its fields (API-2.md "Tasks describe their own forms").
    forms: jsonb('forms').$type<Record<string, Record<string, unknown>>>(),
    // What the assignee needs to see beside the case (e.g. a review's conflicts, API-2.md P7).
    context: jsonb('context').$type<Record<string, unknown>>(),
    citation: text('citation').notNull(),
    dueDate: text('due_date'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    remindAt: timestamp('remind_at', { withTimezone: true }),
    provisional: boolean('provisional').notNull().default(false),
    onMissed: text('on_missed'),
    escalated: boolean('escalated').notNull().default(false),
    claimedBy: text('claimed_by'),
    revision: integer('revision').notNull(),
    outcome: jsonb('outcome').$type<Record<string, unknown>>(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('tasks_agency_inbox_idx').on(t.status, t.assigneeAgencyId, t.assigneeRole, t.dueAt, t.taskId),
    index('tasks_department_inbox_idx').on(t.status, t.assigneeJurisdiction, t.assigneeRole, t.dueAt, t.taskId),
    index('tasks_case_idx').on(t.caseId),
    // The inbox's `claim=mine`: the caller's few claimed open tasks.
    index('tasks_claimed_idx').on(t.claimedBy, t.dueAt, t.taskId).where(sql`${t.status} = 'open'`),
  ],
);
export type TaskRow = typeof tasks.$inferSelect;

/**
 * Large texts of a case (result materials, evidence), stored once under their sha256 so the
 * workflow keeps only the reference (API-2.md "Integrity": state stays small). Content-addressed:
 * the same content is one row whoever sends it; `case_documents` says which cases may show it.
 */
export const documents = pgTable('documents', {
  sha256: text('sha256').primaryKey(),
  content: jsonb('content').notNull(),
  bytes: integer('bytes').notNull(),
  createdAt: createdAt(),
});
export type DocumentRow = typeof documents.$inferSelect;

/** A document belongs to the case it was sent to (readable by whoever may read that case). */
export const caseDocuments = pgTable(
  'case_documents',
  {
    caseId: text('case_id').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => documents.sha256),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.sha256] })],
);

/**
 * Keys the API signs with (e.g. list cursors), made once by whichever replica needs one first,
 * so every replica accepts what another issued.
 */
export const signingKeys = pgTable('signing_keys', {
  name: text('name').primaryKey(),
  // base64 of 32 random bytes
  key: text('key').notNull(),
  createdAt: createdAt(),
});

/**
 * Rate-limit counters shared by every API replica: one row per scope and key (a principal, or a
 * client address before authentication) holding the count of its current fixed window. Migration
 * 0007 makes the table UNLOGGED: counting must not wait for the WAL on every request, and counts
 * lost in a database crash only reopen a window early.
 */
export const rateCounters = pgTable(
  'rate_counters',
  {
    scope: text('scope').notNull(), // 'requests' | 'case_creations'
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * 好差评 (sz-open-2023:37 用户评价): one rating per ended case by its applicant or requester.
 */
export const caseEvaluations = pgTable('case_evaluations', {
  caseId: text('case_id').primaryKey(),
  rating: integer('rating').notNull(),
  comment: text('comment'),
  principalId: text('principal_id').notNull(),
  createdAt: createdAt(),
});
export type CaseEvaluation = typeof caseEvaluations.$inferSelect;

/**
 * 通报批评 (js-2020:49): an agency ordered to correct within a period that did not. Written by the
 * case's transition that records the missed correction, beside its audit entry.
 */
export const publicNotices = pgTable(
  'public_notices',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    caseType: text('case_type').notNull(),
    taskId: text('task_id').notNull(),
    agencyId: text('agency_id'),
    jurisdiction: text('jurisdiction').notNull(),
    reason: text('reason').notNull(),
    orderedBy: text('ordered_by').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    citation: text('citation').notNull(),
  },
  (t) => [index('public_notices_jurisdiction_idx').on(t.jurisdiction, t.issuedAt)],
);
export type PublicNotice = typeof publicNotices.$inferSelect;

/**
 * An agency system's webhook subscription (API-2.md "Agency systems"). `secret` (whsec_…) is kept
 * to sign every delivery (it cannot be a hash) and shown once, on creation. A deleted
 * subscription keeps its row (and its delivery log) with `deletedAt` set; nothing more is sent.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => agencies.id),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    secret: text('secret').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhook_subscriptions_agency_idx').on(t.agencyId, t.createdAt, t.id)],
);
export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;

/**
 * The transactional outbox and the delivery log in one: a row per event and subscription,
 * written in the transaction of the case transition that causes it (activities/transitions.ts),
 * then delivered by the subscription's dispatcher workflow in `seq` order. `id` is the
 * `webhook-id`, derived from the event and the subscription, so a retried commit writes it once
 * and every attempt carries the same id. `lastResponse` keeps at most 1 KB of the receiver's body.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    caseId: text('case_id').notNull(),
    type: text('type').notNull(),
    // The event's instant and data: the body is {type, timestamp, data}.
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('pending'), // pending | delivered | failed
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastResponse: text('last_response'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_deliveries_pending_idx').on(t.subscriptionId, t.status, t.seq), index('webhook_deliveries_log_idx').on(t.subscriptionId, t.seq)],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
