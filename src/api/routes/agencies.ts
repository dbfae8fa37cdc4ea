import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { createAgency } from '../services/agencies';
import { errorResponses, Id } from '../schemas';

const AgencyBody = Type.Object(
  { id: Id, name: Type.String({ minLength: 1, maxLength: 200 }), jurisdiction: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export const AgencySchema = Type.Object({ id: Type.String(), name: Type.String(), jurisdiction: Type.String(), createdAt: Type.String() });

export default async function agencyRoutes(app: FastifyInstance) {
  app.post(
    '/agencies',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Register an agency (admin)',
        body: AgencyBody,
        response: { 201: AgencySchema, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const agency = await createAgency(app.deps.db, req.body as { id: string; name: string; jurisdiction: string }, req.principal);
      return reply.status(201).send(agency);
    },
  );
}
