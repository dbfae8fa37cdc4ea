// Webhooks of agency systems (API-2.md "Agency systems"): subscriptions, their delivery log, and
// the replay of a failed delivery. Deliveries follow the Standard Webhooks specification.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WEBHOOK_EVENTS } from '../../domain/webhooks';
import { errorResponses, Id, LiteralUnion } from '../schemas';
import { tagged } from '../tags';
import { createSubscription, deliveriesOf, listVisible, removeSubscription, replayDelivery } from '../services/webhooks';

const Event = LiteralUnion(WEBHOOK_EVENTS, { description: 'case.created, case.status_changed, task.opened, task.due_soon or task.overdue' });
const Subscription = {
  id: Type.String(),
  agencyId: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.String(),
};
const Delivery = Type.Object({
  webhookId: Type.String({ description: 'the webhook-id header, the same on every attempt' }),
  type: Type.String(),
  caseId: Type.String(),
  status: Type.String({ description: 'pending, delivered or failed (retries ran out; POST …/replay)' }),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'the HTTP status of the last attempt (null: no answer)' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const Params = Type.Object({ id: Type.String({ maxLength: 200 }) });

const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/webhooks',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('agencySystems'),
        summary: 'Subscribe an agency system to events of the cases its agency is a party to (the secret is shown once)',
        description:
          'A principal of an agency subscribes for its agency; an administrator names `agencyId`. Deliveries follow the Standard Webhooks ' +
          'specification: a JSON body {type, timestamp, data: {caseId, caseType, status, …}}, headers webhook-id, webhook-timestamp and ' +
          'webhook-signature (v1, base64 HMAC-SHA256 with the secret). Each is retried with exponential backoff for at least 24 hours, with ' +
          'the same webhook-id. Only https URLs; loopback only when the setting webhooks_allow_loopback is on (WEBHOOKS_ALLOW_LOOPBACK=true); ' +
          'private and link-local addresses are refused, also after DNS resolution at each attempt (422 webhook_url_refused).',
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000, description: 'https URL of the receiver' }),
            events: Type.Array(Event, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true }),
            agencyId: Type.Optional({ ...Id, description: 'the agency subscribed (administrators only; others subscribe their own)' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...Subscription, secret: Type.String({ description: 'whsec_…: shown only here' }) }), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await createSubscription(app, req.principal, req.body)),
  );

  app.get(
    '/webhooks',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('agencySystems'),
        summary: "The caller's agency's webhook subscriptions (administrators: all, or one agency's)",
        querystring: Type.Object({ agencyId: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Type.Object(Subscription)), ...errorResponses(400, 401) },
      },
    },
    async (req) => listVisible(app, req.principal, req.query.agencyId),
  );

  app.delete(
    '/webhooks/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('agencySystems'),
        summary: 'Delete a webhook subscription: nothing more is sent (its delivery log is kept)',
        params: Params,
        response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      await removeSubscription(app, req.principal, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('agencySystems'),
        summary: 'The delivery log of a subscription, newest first: attempts, last status, delivered at',
        params: Params,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(Delivery), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => deliveriesOf(app, req.principal, req.params.id, req.query.limit),
  );

  app.post(
    '/webhooks/:id/deliveries/:webhookId/replay',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('agencySystems'),
        summary: 'Replay a failed delivery (the same webhook-id), after the receiver is fixed',
        description: 'Only a delivery whose retries ran out (status failed) is replayed: 409 delivery_not_failed otherwise.',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), webhookId: Type.String({ maxLength: 200 }) }),
        response: { 202: Delivery, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await replayDelivery(app, req.principal, req.params.id, req.params.webhookId)),
  );
};

export default webhookRoutes;
