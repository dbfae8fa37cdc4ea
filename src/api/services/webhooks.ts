// Webhook subscriptions of agency systems (API-2.md "Agency systems"): one agency's subscriptions
// are visible to its own principals (and admins) only; anyone else gets 404, as for a case.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { findAgency } from '../../db/repositories/agencies';
import { deleteSubscription, findDelivery, findSubscription, insertSubscription, listDeliveries, listSubscriptions, requeueFailed } from '../../db/repositories/webhooks';
import type { WebhookDelivery, WebhookSubscription } from '../../db/schema';
import { wakeDispatchers } from '../../activities/webhooks';
import type { WebhookEvent } from '../../domain/webhooks';
import { hasRole, type Principal } from '../plugins/auth';
import { conflict, forbidden, notFound, unprocessable } from '../errors';
import { urlRefusal } from '../../webhooks/targets';

const isAdmin = (p: Principal) => hasRole(p, 'admin');

export const subscriptionView = (s: WebhookSubscription) => ({ id: s.id, agencyId: s.agencyId, url: s.url, events: s.events, createdAt: s.createdAt.toISOString() });

export const deliveryView = (d: WebhookDelivery) => ({
  webhookId: d.id,
  type: d.type,
  caseId: d.caseId,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

const settingsOf = (app: FastifyInstance) => app.deps.webhooks ?? { allowLoopback: false };

/** Starts (or tells) the subscription's dispatcher; best effort, the transition activity does it too. */
const wake = (app: FastifyInstance, id: string) => wakeDispatchers(app.deps.temporal as never, app.deps.taskQueue, [id], app.deps.webhooks);

export async function createSubscription(app: FastifyInstance, p: Principal, body: { url: string; events: WebhookEvent[]; agencyId?: string }) {
  let agencyId: string;
  if (isAdmin(p) && !p.agencyId) {
    if (!body.agencyId) throw unprocessable('agency_required', 'an administrator names the agency the subscription is for (agencyId)', { field: 'agencyId' });
    if (!(await findAgency(app.deps.db, body.agencyId))) throw unprocessable('unknown_agency', `agency "${body.agencyId}" does not exist`, { field: 'agencyId' });
    agencyId = body.agencyId;
  } else {
    if (!p.agencyId) throw forbidden('webhooks are subscribed by a principal of an agency, or an administrator');
    if (body.agencyId && body.agencyId !== p.agencyId) throw forbidden('a principal subscribes for its own agency only');
    agencyId = p.agencyId;
  }
  const why = urlRefusal(body.url, settingsOf(app));
  if (why) throw unprocessable('webhook_url_refused', why, { field: 'url' });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const row = await insertSubscription(app.deps.db, { id: `whs-${randomUUID()}`, agencyId, url: body.url, events: body.events, secret, createdBy: p.id });
  await wake(app, row.id);
  return { ...subscriptionView(row), secret };
}

/** The subscription if the caller may see it; 404 otherwise (another agency's is not there for it). */
async function visible(app: FastifyInstance, p: Principal, id: string): Promise<WebhookSubscription> {
  const s = await findSubscription(app.deps.db, id);
  if (!s || s.deletedAt || (!isAdmin(p) && s.agencyId !== p.agencyId)) throw notFound('webhook subscription');
  return s;
}

export async function listVisible(app: FastifyInstance, p: Principal, agencyId?: string) {
  if (isAdmin(p)) return (await listSubscriptions(app.deps.db, agencyId ?? null)).map(subscriptionView);
  if (!p.agencyId || (agencyId && agencyId !== p.agencyId)) return [];
  return (await listSubscriptions(app.deps.db, p.agencyId)).map(subscriptionView);
}

export async function removeSubscription(app: FastifyInstance, p: Principal, id: string): Promise<void> {
  await visible(app, p, id);
  await deleteSubscription(app.deps.db, id);
  await wake(app, id); // the dispatcher sees the subscription gone and ends
}

export async function deliveriesOf(app: FastifyInstance, p: Principal, id: string, limit: number) {
  await visible(app, p, id);
  return (await listDeliveries(app.deps.db, id, limit)).map(deliveryView);
}

/** Replays a failed delivery: the same `webhook-id`, back in the subscription's queue. */
export async function replayDelivery(app: FastifyInstance, p: Principal, id: string, webhookId: string) {
  await visible(app, p, id);
  const d = await findDelivery(app.deps.db, webhookId);
  if (!d || d.subscriptionId !== id) throw notFound('delivery');
  if (!(await requeueFailed(app.deps.db, webhookId))) throw conflict('delivery_not_failed', `delivery ${webhookId} is ${d.status}: only a failed delivery is replayed`, { status: d.status });
  await wake(app, id);
  return deliveryView((await findDelivery(app.deps.db, webhookId))!);
}
