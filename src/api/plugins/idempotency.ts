import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findIdempotencyKey } from '../../db/repositories/idempotency';
import { replayOf } from '../services/idempotency';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's Idempotency-Key, and the case id to start when it takes over a dead first attempt. */
    idempotency?: { idempotencyKey: string; resumeCaseId?: string };
  }
}

/**
 * A retry of a create (same Idempotency-Key) gets its case back before anything is validated again
 * (API.md "Cases", API-2.md "Integrity"): every route that declares the `idempotency-key` header
 * gets this check after authentication and before its handler.
 */
export default fp(
  async function idempotency(app: FastifyInstance) {
    async function replay(req: FastifyRequest, reply: FastifyReply) {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !key) return;
      req.idempotency = { idempotencyKey: key };
      const rec = await findIdempotencyKey(app.deps.db, req.principal.id, key);
      if (!rec) return;
      const route = `${req.method} ${req.routeOptions.url}`;
      const found = await replayOf({ db: app.deps.db, temporal: app.deps.temporal, principalId: req.principal.id, key, route, body: req.body }, rec);
      if (found) return reply.status(found.status).send(found.body);
      req.idempotency.resumeCaseId = rec.caseId;
    }
    app.addHook('onRoute', (route) => {
      const headers = route.schema?.headers as { properties?: Record<string, unknown> } | undefined;
      if (!headers?.properties?.['idempotency-key']) return;
      const own = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
      route.preHandler = [...own, replay];
    });
  },
  { name: 'idempotency', dependencies: ['deps', 'auth'] },
);
