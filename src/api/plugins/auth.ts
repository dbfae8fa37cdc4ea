import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findPrincipalByTokenHash, type PrincipalRecord } from '../../db/repositories/principals';
import type { Role } from '../../domain/roles';
import { forbidden, unauthorized } from '../errors';

export type Principal = PrincipalRecord & { roles: Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
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

/** Bearer authentication (API.md): tokens are looked up by their sha256, never stored in clear. */
export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null as unknown as Principal);

    async function authenticate(req: FastifyRequest): Promise<void> {
      const header = req.headers.authorization;
      const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!m) throw unauthorized();
      const token = m[1]!;
      const admin = app.deps.adminToken;
      if (admin && sameSecret(token, admin)) {
        req.principal = ADMIN;
        return;
      }
      const found = await findPrincipalByTokenHash(app.deps.db, hashToken(token));
      if (!found) throw unauthorized('unknown token');
      req.principal = found as Principal;
    }

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
