import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ROLES, type Role } from '../../domain/roles';
import { createPrincipal } from '../services/principals';
import { errorResponses, Id } from '../schemas';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const PrincipalBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    agencyId: Type.Optional(Id),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: ROLES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export default async function principalRoutes(app: FastifyInstance) {
  app.post(
    '/principals',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Create a principal and its bearer token (admin); the token is shown once',
        body: PrincipalBody,
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            agencyId: Type.Union([Type.String(), Type.Null()]),
            roles: Type.Array(Type.String()),
            token: Type.String(),
          }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { name: string; agencyId?: string; roles: Role[] };
      return reply.status(201).send(await createPrincipal(app.deps.db, body, req.principal));
    },
  );
}
