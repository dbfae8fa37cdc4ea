import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'drizzle-orm';
import { tagged } from '../tags';

const Check = Type.Object({ status: Type.String(), postgres: Type.String(), temporal: Type.String() });

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Probes are not rate limited (plugins/rate-limit.ts): an orchestrator polls them.
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Up when the process answers (no dependency is checked)',
        tags: tagged('operations'),
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Ready when PostgreSQL and Temporal both answer',
        tags: tagged('operations'),
        security: [],
        response: { 200: Check, 503: { ...Type.Ref('Error'), description: 'details say which service is down' } },
      },
    },
    async (_req, reply) => {
      const [pg, temporal] = await Promise.allSettled([
        withTimeout(app.deps.db.execute(sql`SELECT 1`), 2000),
        // A deadline, not only a race: the SDK's retries of a dead server stop with it.
        withTimeout(
          app.deps.temporal.connection.withDeadline(Date.now() + 2000, () => app.deps.temporal.connection.workflowService.getSystemInfo({})),
          2500,
        ),
      ]);
      const body = {
        status: pg.status === 'fulfilled' && temporal.status === 'fulfilled' ? 'ready' : 'not_ready',
        postgres: pg.status === 'fulfilled' ? 'up' : `down: ${String((pg as PromiseRejectedResult).reason?.message ?? pg)}`,
        temporal: temporal.status === 'fulfilled' ? 'up' : `down: ${String((temporal as PromiseRejectedResult).reason?.message ?? temporal)}`,
      };
      if (body.status === 'ready') return body;
      return reply.status(503).send({
        error: { code: 'not_ready', message: 'PostgreSQL or Temporal is not answering', details: body },
      });
    },
  );
};

export default healthRoutes;
