import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { verifyAuditChain } from '../../db/repositories/audit';
import { errorResponses } from '../schemas';
import { tagged } from '../tags';

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit/verify',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Walk the audit chain and report the first entry whose hash does not follow (admin; cm-draft:9)',
        tags: tagged('audit'),
        response: {
          200: Type.Object({ ok: Type.Boolean(), entries: Type.Integer(), brokenAt: Type.Optional(Type.Integer()) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => verifyAuditChain(app.deps.db),
  );
};

export default auditRoutes;
