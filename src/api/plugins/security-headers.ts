import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of the Swagger UI at /docs (set by @fastify/swagger-ui on its own
 * routes): its scripts, styles and the spec all come from this origin. Unlike helmet's default it
 * has no `upgrade-insecure-requests`, which would break the page wherever the API is reached over
 * plain HTTP (the default, and docker-compose); TLS is the proxy's to add.
 */
export const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; form-action 'self'; frame-ancestors 'self'; " +
  "img-src 'self' data: validator.swagger.io; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' https: 'unsafe-inline'";

/**
 * Security headers on every response (@fastify/helmet). The API answers JSON only, so its own
 * policy allows nothing to load or frame it; /docs overrides the CSP with DOCS_CSP.
 */
export default fp(
  async function securityHeaders(app: FastifyInstance) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
      },
    });
  },
  { name: 'security-headers' },
);
