import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { CaseBefore, OutboxEvent } from '../../domain/webhooks';
import type { DbOrTx, Tx } from '../client';
import { cases, tasks, webhookDeliveries, webhookSubscriptions, type WebhookDelivery, type WebhookSubscription } from '../schema';

/** The projection's status and revision before a transition writes it (null: its first commit). */
export async function caseBefore(tx: Tx, caseId: string): Promise<CaseBefore | null> {
  const [row] = await tx.select({ status: cases.status, revision: cases.revision }).from(cases).where(eq(cases.caseId, caseId));
  return row ?? null;
}

/** Which of these tasks the inbox already has (a task.opened is sent for the others). */
export async function knownTasks(tx: Tx, taskIds: string[]): Promise<Set<string>> {
  if (!taskIds.length) return new Set();
  const rows = await tx.select({ taskId: tasks.taskId }).from(tasks).where(inArray(tasks.taskId, taskIds));
  return new Set(rows.map((r) => r.taskId));
}

/** The `webhook-id` of an event for a subscription: the same on every commit attempt and every delivery attempt. */
export const webhookIdOf = (eventKey: string, subscriptionId: string) =>
  `msg_${createHash('sha256').update(`${subscriptionId}\n${eventKey}`).digest('base64url').slice(0, 32)}`;

/** A live subscription of a party agency, as the outbox needs it. */
export interface LiveSubscription {
  id: string;
  /** The event types it wants. */
  events: string[];
}

/** The live (not deleted) subscriptions of these agencies, oldest first; none when no agency is given. */
export async function liveSubscriptions(tx: Tx, partyAgencyIds: string[]): Promise<LiveSubscription[]> {
  if (!partyAgencyIds.length) return [];
  return tx
    .select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events })
    .from(webhookSubscriptions)
    .where(and(inArray(webhookSubscriptions.agencyId, partyAgencyIds), isNull(webhookSubscriptions.deletedAt)))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
}

/**
 * The transactional outbox: one row per event and subscription (of the party agencies, from
 * liveSubscriptions) that wants it, in the transaction of the transition. Returns the
 * subscriptions that got new rows (their dispatchers are told after the commit).
 */
export async function writeOutbox(tx: Tx, events: OutboxEvent[], subs: LiveSubscription[]): Promise<string[]> {
  const rows = events.flatMap((e) =>
    subs
      .filter((s) => s.events.includes(e.type))
      .map((s) => ({ id: webhookIdOf(e.key, s.id), subscriptionId: s.id, caseId: e.caseId, type: e.type, occurredAt: new Date(e.occurredAt), data: e.data })),
  );
  if (!rows.length) return [];
  const written = await tx.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning({ subscriptionId: webhookDeliveries.subscriptionId });
  return [...new Set(written.map((w) => w.subscriptionId))];
}

export async function insertSubscription(db: DbOrTx, s: typeof webhookSubscriptions.$inferInsert): Promise<WebhookSubscription> {
  const [row] = await db.insert(webhookSubscriptions).values(s).returning();
  return row!;
}

export async function findSubscription(db: DbOrTx, id: string): Promise<WebhookSubscription | undefined> {
  const [row] = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return row;
}

/** Live subscriptions, of one agency or (null) of all. */
export async function listSubscriptions(db: DbOrTx, agencyId: string | null, limit = 500): Promise<WebhookSubscription[]> {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(and(isNull(webhookSubscriptions.deletedAt), agencyId === null ? undefined : eq(webhookSubscriptions.agencyId, agencyId)))
    .orderBy(desc(webhookSubscriptions.createdAt), desc(webhookSubscriptions.id))
    .limit(limit);
}

export async function deleteSubscription(db: DbOrTx, id: string): Promise<void> {
  await db.update(webhookSubscriptions).set({ deletedAt: new Date() }).where(and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.deletedAt)));
}

/** The delivery log of a subscription, newest first. */
export async function listDeliveries(db: DbOrTx, subscriptionId: string, limit: number): Promise<WebhookDelivery[]> {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)).orderBy(desc(webhookDeliveries.seq)).limit(limit);
}

export async function findDelivery(db: DbOrTx, id: string): Promise<WebhookDelivery | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row;
}

/** The next deliveries of a subscription, in outbox order; `gone` when the subscription was deleted. */
export async function pendingDeliveries(db: DbOrTx, subscriptionId: string, limit: number): Promise<{ gone: boolean; ids: string[] }> {
  const sub = await findSubscription(db, subscriptionId);
  if (!sub || sub.deletedAt) return { gone: true, ids: [] };
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending')))
    .orderBy(asc(webhookDeliveries.seq))
    .limit(limit);
  return { gone: false, ids: rows.map((r) => r.id) };
}

/**
 * Counts an attempt before it is sent: an attempt cut short by a killed worker still shows in the
 * log. Returns false when the row is delivered already (nothing is sent again).
 */
export async function startAttempt(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, lastAttemptAt: at })
    .where(and(eq(webhookDeliveries.id, id), sql`${webhookDeliveries.status} <> 'delivered'`))
    .returning({ id: webhookDeliveries.id });
  return rows.length > 0;
}

/** Records how an attempt ended; a 2xx marks the row delivered (never undone by a late attempt). */
export async function recordAttempt(
  db: DbOrTx,
  id: string,
  a: { status: number | null; error: string | null; response: string | null; delivered: boolean; at: Date },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      lastStatus: a.status,
      lastError: a.error,
      lastResponse: a.response,
      lastAttemptAt: a.at,
      ...(a.delivered ? { status: 'delivered', deliveredAt: a.at } : {}),
    })
    .where(and(eq(webhookDeliveries.id, id), sql`${webhookDeliveries.status} <> 'delivered'`));
}

/** The retries ran out (or the target was refused): the row waits for a replay. */
export async function markFailed(db: DbOrTx, id: string, reason: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: reason.slice(0, 1024) })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending')));
}

/** A replay puts a failed delivery back in its subscription's queue; false when it is not failed. */
export async function requeueFailed(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .update(webhookDeliveries)
    .set({ status: 'pending' })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'failed')))
    .returning({ id: webhookDeliveries.id });
  return rows.length > 0;
}
