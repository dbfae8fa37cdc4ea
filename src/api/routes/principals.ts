import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AGENCY_ROLES, ROLES } from '../../domain/roles';
import { createPrincipal, issueToken, revokePrincipalToken, searchPrincipals } from '../services/principals';
import { Cursor, errorResponses, Id, Limit, LiteralUnion } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

const RoleSchema = LiteralUnion(ROLES);
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
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const tokenFields = {
  id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  createdAt: Type.String(),
  createdBy: Type.String({ description: 'the administrator who issued it' }),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  revokedBy: Nullable(Type.String()),
};
const TokenView = Type.Object(tokenFields, { $id: 'Token', description: 'a bearer token as administrators see it: never the token or its hash' });
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 instant with its offset',
});
const TokenParams = Type.Object({ id: Id });

const principalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(TokenView);

  app.post(
    '/principals',
    {
      preHandler: app.requireRole(),
      schema: {
        tags: tagged('identity'),
        summary: 'Create a principal and its bearer token (admin); the token is shown once',
        description: 'Administrators besides ADMIN_TOKEN are principals with the role admin; what they do is audited under their own id.',
        body: PrincipalBody,
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            agencyId: Type.Union([Type.String(), Type.Null()]),
            roles: Type.Array(Type.String()),
            token: Type.String(),
            tokenId: Type.String({ description: 'the id to revoke the token by' }),
          }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (req, reply) => {
      return reply.status(201).send(await createPrincipal(app.deps.db, req.body, req.principal));
    },
  );

  app.get(
    '/principals',
    {
      preHandler: app.requireRole(),
      schema: {
        tags: tagged('identity'),
        summary: 'Principals (admin), newest first, with the ids and states of their tokens — never a token or its hash',
        querystring: Type.Object({ agencyId: Type.Optional(Id), limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                agencyId: Type.Union([Type.String(), Type.Null()]),
                roles: Type.Array(Type.String()),
                createdAt: Type.String(),
                tokens: Type.Array(Type.Ref('Token')),
              }),
            ),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      return searchPrincipals(app.deps.db, { ...req.query, limit: req.query.limit ?? 50 });
    },
  );

  app.post(
    '/principals/:id/tokens',
    {
      preHandler: app.requireRole(),
      // The body is optional: an empty POST issues a token without expiry.
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        tags: tagged('identity'),
        summary: 'Issue another token for a principal (admin); shown once. Its other tokens keep working until revoked (rotation)',
        params: TokenParams,
        body: Type.Object({ expiresAt: Type.Optional(Instant) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ ...tokenFields, principalId: Type.String(), token: Type.String({ description: 'the bearer token, shown this once' }) }),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (req, reply) => {
      return reply.status(201).send(await issueToken(app.deps.db, req.params.id, req.body, req.principal));
    },
  );

  app.delete(
    '/principals/:id/tokens/:tokenId',
    {
      preHandler: app.requireRole(),
      schema: {
        tags: tagged('identity'),
        summary: 'Revoke a token (admin): it is refused with 401 from then on; revoking it again changes nothing',
        params: Type.Object({ id: Id, tokenId: Id }),
        response: { 200: Type.Object({ ...tokenFields, principalId: Type.String() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { id, tokenId } = req.params;
      return revokePrincipalToken(app.deps.db, id, tokenId, req.principal);
    },
  );
};

export default principalRoutes;
