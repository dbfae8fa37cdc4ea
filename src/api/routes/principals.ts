import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AGENCY_ROLES, ROLES, type Role } from '../../domain/roles';
import { createPrincipal } from '../services/principals';
import { errorResponses, Id } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const OTHER_ROLES = ROLES.filter((r) => !AGENCY_ROLES.includes(r));
const PrincipalBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    agencyId: Type.Optional(Id),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: ROLES.length, uniqueItems: true }),
  },
  {
    additionalProperties: false,
    allOf: [
      rule(
        { code: 'agency_required', field: 'agencyId', message: `required with the roles ${AGENCY_ROLES.join(', ')}: they act for an agency` },
        { anyOf: [{ required: ['agencyId'] }, { properties: { roles: { type: 'array', items: { enum: OTHER_ROLES } } } }] },
      ),
    ],
  },
);

export default async function principalRoutes(app: FastifyInstance) {
  app.post(
    '/principals',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Create a principal and its bearer token (admin); the token is shown once',
        tags: tagged('identity'),
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
