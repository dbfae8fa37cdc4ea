import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import deps, { type AppDeps } from './plugins/deps';
import errors from './plugins/errors';
import textHygiene from './plugins/text-hygiene';
import auth from './plugins/auth';
import requestRate from './plugins/rate-limit';
import securityHeaders, { DOCS_CSP } from './plugins/security-headers';
import idempotency from './plugins/idempotency';
import healthRoutes from './routes/health';
import agencyRoutes from './routes/agencies';
import principalRoutes from './routes/principals';
import jurisdictionRoutes from './routes/jurisdictions';
import datasetRoutes from './routes/datasets';
import policyRoutes from './routes/policies';
import calendarRoutes from './routes/calendar';
import caseRoutes from './routes/cases';
import auditRoutes from './routes/audit';
import taskRoutes from './routes/tasks';
import limitRoutes from './routes/limits';
import reportRoutes from './routes/reports';
import webhookRoutes from './routes/webhooks';
import grantRoutes from './routes/grants';
import meRoutes from './routes/me';
import consoleRoutes from './routes/console';
import metricsRoutes from './routes/metrics';
import { observeRequest } from '../metrics';
import { CaseView, ErrorBody } from './schemas';
import { checkAdminToken, DEFAULT_LIMITS, type Limits } from '../config';
import { openApiTags } from './tags';
import { processes } from '../domain/process';
import { registerCaseActions, type CaseActionBook } from './process-routes';
import { describeNulRefusal } from './text-schema';
import { REFUSAL, UNKNOWN_FIELDS_REFUSAL } from './validation';

const buildAjv = AjvCompiler();

export interface BuildAppOptions extends Omit<AppDeps, 'limits'> {
  logger?: boolean | object;
  /** Request rate and case-creation quota; each one not given is its default (DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
}

/**
 * Builds the Fastify instance (the API's only entry; server.ts and tests both call this).
 * @throws Error when `adminToken` is shorter than 24 characters.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  checkAdminToken(opts.adminToken);
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Task ids carry the case id: leave room for them in path parameters.
    routerOptions: { maxParamLength: 400 },
    // Unknown fields are refused (400), not silently dropped: an agency system must learn that a
    // field it sent means nothing here. `verbose` gives each error its schema, where a rule of the
    // process is marked (validation.ts: 422, not 400).
    ajv: { customOptions: { allErrors: true, removeAdditional: false, verbose: true, keywords: [REFUSAL, UNKNOWN_FIELDS_REFUSAL] } },
    // Query strings, paths and headers are text on the wire: their numbers and booleans are read
    // from it. A JSON body says its types itself: `"legalBasis": 42` is a number, refused where
    // text is due, never turned into "42".
    schemaController: {
      compilersFactory: {
        // The library's own compiler, twice (its types do not follow the options it passes on).
        buildValidator: ((externalSchemas: unknown, ajvOptions: unknown) => {
          const build = buildAjv as unknown as (e: unknown, o: unknown) => (route: { httpPart?: string }) => unknown;
          const options = ajvOptions as { customOptions?: Record<string, unknown> };
          const reading = build(externalSchemas, options);
          const exact = build(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } });
          return (route: { httpPart?: string }) => (route.httpPart === 'body' ? exact(route) : reading(route));
        }) as unknown as typeof buildAjv,
      },
    },
    // Errors raised before routing (bad URL encoding, a path parameter longer than the router
    // keeps) are malformed requests: 400 with the API's shape, as the schema's own limits answer.
    frameworkErrors: (err, _req, reply) => {
      // A path whose percent-escapes are not UTF-8 (e.g. a lone surrogate in WTF-8) is bad text.
      const code = err.code === 'FST_ERR_BAD_URL' ? 'invalid_text' : 'invalid_request';
      void (reply as FastifyReply).status(400).send({ error: { code, message: err.message, details: code === 'invalid_text' ? { field: 'params' } : undefined } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);
  app.addSchema(CaseView);
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(textHygiene);
  app.addHook('onRoute', describeNulRefusal);
  app.addHook('onResponse', async (req, reply) => observeRequest(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime));
  const limits: Limits = {
    requestsPerSecond: opts.limits?.requestsPerSecond ?? DEFAULT_LIMITS.requestsPerSecond,
    caseCreationsPerHour: opts.limits?.caseCreationsPerHour ?? DEFAULT_LIMITS.caseCreationsPerHour,
  };
  await app.register(deps, { deps: { ...opts, limits } });
  app.decorate('caseActionBook', new Map() as CaseActionBook);
  await app.register(auth);
  await app.register(requestRate);
  await app.register(idempotency);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Public-data governance processes',
        description:
          'Statutory processes of Chinese public-data regulations (共享、开放、异议、整改…) as durable workflows. ' +
          'Every error has the body {"error": {"code", "message", "details"}}.',
        version: '1',
      },
      tags: openApiTags(),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });

  await app.register(healthRoutes);
  await app.register(jurisdictionRoutes, { prefix: '/v1' });
  await app.register(agencyRoutes, { prefix: '/v1' });
  await app.register(principalRoutes, { prefix: '/v1' });
  await app.register(datasetRoutes, { prefix: '/v1' });
  await app.register(policyRoutes, { prefix: '/v1' });
  await app.register(calendarRoutes, { prefix: '/v1' });
  await app.register(caseRoutes, { prefix: '/v1' });
  for (const routes of await processRoutes()) await app.register(routes, { prefix: '/v1' });
  // Every process has declared its case actions: one route each (one shared by several processes too).
  await app.register(async (v1) => registerCaseActions(v1), { prefix: '/v1' });
  await app.register(auditRoutes, { prefix: '/v1' });
  await app.register(taskRoutes, { prefix: '/v1' });
  await app.register(limitRoutes, { prefix: '/v1' });
  await app.register(reportRoutes, { prefix: '/v1' });
  await app.register(webhookRoutes, { prefix: '/v1' });
  await app.register(grantRoutes, { prefix: '/v1' });
  await app.register(meRoutes, { prefix: '/v1' });
  await app.register(consoleRoutes);
  await app.register(metricsRoutes);
  await app.ready();
  return app;
}

/**
 * The routes of every registered process, in registry order: each module its descriptor names
 * (`api/routes/<module>.ts`, domain/process.ts) default-exports a Fastify plugin.
 * @throws Error when a named module exports no plugin.
 */
async function processRoutes(): Promise<FastifyPluginAsync[]> {
  const plugins: FastifyPluginAsync[] = [];
  for (const p of processes()) {
    for (const module of p.routes) {
      const mod = (await import(`./routes/${module}.ts`)) as { default?: unknown };
      if (typeof mod.default !== 'function') throw new Error(`process ${p.id}: api/routes/${module}.ts exports no routes`);
      plugins.push(mod.default as FastifyPluginAsync);
    }
  }
  return plugins;
}
