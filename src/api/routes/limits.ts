import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { tagged } from '../tags';
import { DEFAULT_LIMITS, LIMIT_VARIABLES } from '../../config';
import { caseCreationUse } from '../services/case-quota';
import { errorResponses } from '../schemas';

const Limit = {
  limit: Type.Integer({ description: 'the limit in force' }),
  windowSeconds: Type.Integer(),
  default: Type.Integer({ description: 'the limit when the setting is not given' }),
  setting: Type.String({ description: 'the environment variable that sets it' }),
  per: Type.String(),
};

const limitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/limits',
    {
      preHandler: app.authenticate,
      schema: {
        tags: tagged('operations'),
        summary: 'The request rate and case-creation quota in force, their defaults and settings, and how much of the quota the caller has used',
        description: 'Beyond either limit the API answers 429 rate_limited with a Retry-After header (seconds). Both are counted in PostgreSQL, so every replica sees one count.',
        response: {
          200: Type.Object({
            requestRate: Type.Object(Limit),
            caseCreationQuota: Type.Object({ ...Limit, used: Type.Integer(), remaining: Type.Integer(), resetsAt: Type.String() }),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (req) => {
      const { requestsPerSecond, caseCreationsPerHour } = app.deps.limits;
      return {
        requestRate: {
          limit: requestsPerSecond,
          windowSeconds: 1,
          default: DEFAULT_LIMITS.requestsPerSecond,
          setting: LIMIT_VARIABLES.requestsPerSecond,
          per: 'principal (client address before authentication)',
        },
        caseCreationQuota: {
          limit: caseCreationsPerHour,
          windowSeconds: 3600,
          default: DEFAULT_LIMITS.caseCreationsPerHour,
          setting: LIMIT_VARIABLES.caseCreationsPerHour,
          per: 'principal (an idempotent retry of an existing case does not count)',
          ...(await caseCreationUse(app.deps.db, req.principal, caseCreationsPerHour)),
        },
      };
    },
  );
};

export default limitRoutes;
