// GET /metrics: Prometheus text for operators (README "Operating"). Open and overdue tasks are
// counted from PostgreSQL at scrape time; HTTP durations and decision latency are recorded by the
// hook in api/app.ts; deadlines fired are counted by the worker (in this process under `npm start`);
// the Temporal SDK's runtime metrics of this process follow. Not public: the bearer must be
// METRICS_TOKEN (a scrape-only secret for Prometheus) or ADMIN_TOKEN.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { tagged } from '../tags';
import { errorResponses } from '../schemas';
import { unauthorized } from '../errors';
import { exposition, refreshTaskGauges, registry } from '../../metrics';

function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** preHandler: the bearer is METRICS_TOKEN or ADMIN_TOKEN; 401 otherwise (no principal's token opens it). */
  const scraper = async (req: FastifyRequest) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const secrets = [app.deps.metricsToken, app.deps.adminToken].filter((s): s is string => !!s);
    if (!m || !secrets.some((s) => same(m[1]!, s))) throw unauthorized('GET /metrics needs the bearer METRICS_TOKEN or ADMIN_TOKEN');
  };
  app.get(
    '/metrics',
    {
      preHandler: scraper,
      schema: {
        summary: 'Prometheus metrics: open and overdue tasks, deadlines fired, decision latency, HTTP durations, Temporal SDK runtime (bearer METRICS_TOKEN or ADMIN_TOKEN)',
        tags: tagged('operations'),
        response: {
          200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: Type.String() } } },
          ...errorResponses(401),
        },
      },
    },
    async (_req, reply) => {
      await refreshTaskGauges(app.deps.db);
      return reply.type(registry.contentType).send(await exposition(app.deps.temporalMetricsAddress));
    },
  );
};

export default metricsRoutes;
