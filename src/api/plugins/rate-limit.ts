import fp from 'fastify-plugin';
import rateLimit, { normalizeIP, type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { countInWindow, type WindowCount } from '../../db/repositories/rate-counters';
import { rateLimited } from '../errors';
import { errorResponses } from '../schemas';

/** Probes answer whatever the load: an orchestrator must not take a busy replica for a dead one. */
const UNLIMITED = new Set(['/healthz', '/readyz']);

/**
 * Counts already taken for a request, by the key requester() gave it: the token lookup counted the
 * principal's request in its own statement (auth.ts identify), so the store only hands the count on.
 */
type Precounted = Map<string, WindowCount>;

/**
 * The counter of a request: its principal once its token is known, before that its client address.
 * A principal's request is counted by the token lookup itself (one round trip for both); its key
 * then carries the request's id after a space, so that the store finds this request's count.
 */
async function requester(app: FastifyInstance, req: FastifyRequest, precounted: Precounted): Promise<string> {
  if (UNLIMITED.has(req.routeOptions.url ?? '')) return 'unlimited'; // allowList: never counted
  try {
    const identity = await app.identify(req, { scope: 'requests', windowSeconds: 1, cap: app.deps.limits.requestsPerSecond + 1 });
    if ('principal' in identity) {
      if (!identity.counted) return `principal:${identity.principal.id}`;
      const key = `principal:${identity.principal.id} ${req.id}`;
      precounted.set(key, identity.counted);
      return key;
    }
  } catch {
    // The database did not answer: authentication reports it; count by address meanwhile.
  }
  return `ip:${normalizeIP(req.ip)}`;
}

/** @fastify/rate-limit's store, counting in PostgreSQL so that every replica sees one count. */
function postgresStore(db: Db, precounted: Precounted) {
  return class PostgresStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
      const counted = precounted.get(key);
      if (counted) {
        precounted.delete(key);
        callback(null, { current: counted.count, ttl: Math.max(1, counted.resetInMs) });
        return;
      }
      countInWindow(db, 'requests', key, Math.max(1, Math.round(timeWindow / 1000)), max + 1).then(
        (r) => callback(null, { current: r.count, ttl: Math.max(1, r.resetInMs) }),
        (err: Error) => callback(err),
      );
    }
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/**
 * The request rate of API-2.md "Abuse and identity": `limits.requestsPerSecond` per principal (per
 * client address before authentication), fixed one-second windows counted in PostgreSQL; beyond it
 * `429 rate_limited` with `Retry-After`. Register before the routes: it hooks each as it is added.
 */
export default fp(
  async function requestRate(app: FastifyInstance) {
    const perSecond = app.deps.limits.requestsPerSecond;
    const precounted: Precounted = new Map();
    await app.register(rateLimit, {
      max: perSecond,
      timeWindow: 1000,
      store: postgresStore(app.deps.db, precounted),
      keyGenerator: (req) => requester(app, req, precounted),
      allowList: (req) => UNLIMITED.has(req.routeOptions.url ?? ''),
      // A database that does not answer fails the request on its own; it must not fail probes.
      skipOnError: true,
      errorResponseBuilder: (_req, ctx) =>
        rateLimited(`more than ${ctx.max} requests per second; retry after ${Math.max(1, Math.ceil(ctx.ttl / 1000))} s`, Math.max(1, Math.ceil(ctx.ttl / 1000)), {
          limit: ctx.max,
          windowSeconds: 1,
        }),
    });
    // Every rate-limited route can answer 429: say so in its OpenAPI description.
    const tooMany = errorResponses(429);
    app.addHook('onRoute', (route) => {
      const response = route.schema?.response as Record<string, unknown> | undefined;
      if (response && !UNLIMITED.has(route.url) && !response[429]) Object.assign(response, tooMany);
    });
  },
  { name: 'request-rate', dependencies: ['deps', 'auth'] },
);
