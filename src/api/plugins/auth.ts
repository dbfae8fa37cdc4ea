import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findPrincipalByTokenHash, findPrincipalByTokenHashCounting, type CountedTokenLookup, type PrincipalRecord } from '../../db/repositories/principals';
import type { WindowCount, WindowCounting } from '../../db/repositories/rate-counters';
import type { Role } from '../../domain/roles';
import type { Caller } from '../../domain/tasks';
import { forbidden, unauthorized } from '../errors';

export type Principal = PrincipalRecord & { roles: Role[] };

/**
 * Who a request's bearer token names: a principal, or why it names none (the 401 message).
 * `counted`: the principal's request count, when identify was asked to count and did.
 */
export type Identity = { principal: Principal; counted?: WindowCount } | { refused: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    /**
     * The identity of the request's bearer token, looked up once per request (rate limits key on it
     * too). The first call of a request may pass `counting`: the lookup then also counts the
     * request against its principal's rate in the same statement (one round trip, not two).
     */
    identify: (req: FastifyRequest, counting?: WindowCounting) => Promise<Identity>;
    /** preHandler: any authenticated principal. */
    authenticate: (req: FastifyRequest) => Promise<void>;
    /** preHandler factory: an authenticated principal holding one of `roles` (admin always passes). */
    requireRole: (...roles: Role[]) => (req: FastifyRequest) => Promise<void>;
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const ADMIN: Principal = { id: 'admin', name: 'Administrator (ADMIN_TOKEN)', agencyId: null, roles: ['admin'], jurisdiction: null };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashToken(a));
  const y = Buffer.from(hashToken(b));
  return timingSafeEqual(x, y);
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.roles.some((r) => (roles as string[]).includes(r));
}

/**
 * Bearer authentication (API.md): tokens are looked up by their sha256, never stored in clear; a
 * revoked token or one past its `expiresAt` is refused (API-2.md). Nothing is cached across
 * requests, so a revocation holds on every replica at once.
 */
export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null as unknown as Principal);
    const identities = new WeakMap<FastifyRequest, Promise<Identity>>();

    async function lookup(req: FastifyRequest, counting: WindowCounting | undefined): Promise<Identity> {
      const header = req.headers.authorization;
      const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!m) return { refused: 'a valid bearer token is required' };
      const token = m[1]!;
      const admin = app.deps.adminToken;
      if (admin && sameSecret(token, admin)) return { principal: ADMIN };
      const found = counting
        ? await findPrincipalByTokenHashCounting(app.deps.db, hashToken(token), counting)
        : await findPrincipalByTokenHash(app.deps.db, hashToken(token));
      if (!found) return { refused: 'unknown token' };
      if (found.token.revokedAt) return { refused: 'this token was revoked' };
      if (found.token.expiresAt && found.token.expiresAt <= new Date()) return { refused: `this token expired at ${found.token.expiresAt.toISOString()}` };
      const counted = 'counted' in found ? (found as CountedTokenLookup).counted : undefined;
      return { principal: found.principal as Principal, ...(counted ? { counted } : {}) };
    }

    function identify(req: FastifyRequest, counting?: WindowCounting): Promise<Identity> {
      let identity = identities.get(req);
      if (!identity) {
        identity = lookup(req, counting);
        identities.set(req, identity);
      }
      return identity;
    }

    async function authenticate(req: FastifyRequest): Promise<void> {
      const identity = await identify(req);
      if ('refused' in identity) throw unauthorized(identity.refused);
      req.principal = identity.principal;
    }

    app.decorate('identify', identify);
    app.decorate('authenticate', authenticate);
    app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest) => {
      await authenticate(req);
      if (!hasRole(req.principal, 'admin', ...roles)) {
        throw forbidden(`this action needs one of the roles: ${roles.join(', ') || 'admin'}`);
      }
    });
  },
  { name: 'auth', dependencies: ['deps'] },
);

/** Who asks, as a case's workflow judges it (domain/tasks.ts `Caller`). */
export function callerOf(p: Principal): Caller {
  return { principalId: p.id, agencyId: p.agencyId, roles: p.roles, jurisdiction: p.jurisdiction };
}
