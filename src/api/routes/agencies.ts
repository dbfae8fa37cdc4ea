import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JURISDICTION_IDS } from '../../domain/jurisdictions';
import { createAgency } from '../services/agencies';
import { errorResponses, Id } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

const AgencyBody = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    jurisdiction: Type.String({
      minLength: 1,
      description: 'one of GET /v1/jurisdictions',
      allOf: [rule({ code: 'unknown_jurisdiction', message: 'not one of GET /v1/jurisdictions' }, { enum: [...JURISDICTION_IDS] })],
    }),
  },
  { additionalProperties: false },
);
export const AgencySchema = Type.Object({ id: Type.String(), name: Type.String(), jurisdiction: Type.String(), createdAt: Type.String() });

const agencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/agencies',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Register an agency (admin)',
        tags: tagged('identity'),
        body: AgencyBody,
        response: { 201: AgencySchema, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const agency = await createAgency(app.deps.db, req.body, req.principal);
      return reply.status(201).send(agency);
    },
  );
};

export default agencyRoutes;
