// What a client needs to know of the caller and of the cases it may act on, without knowing the
// processes: who the token names (its roles decide what the console shows), and the party actions
// each case type takes (POST /v1/cases/:caseId/<action>) with their bodies' JSON Schemas.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { processes, processIds } from '../../domain/process';
import { errorResponses, LiteralUnion } from '../schemas';
import { tagged } from '../tags';

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The principal the bearer token names: id, name, agency, its jurisdiction and roles',
        tags: tagged('identity'),
        response: {
          200: Type.Object({
            id: Type.String(),
            name: Type.String(),
            agencyId: Type.Union([Type.String(), Type.Null()]),
            jurisdiction: Type.Union([Type.String(), Type.Null()], { description: "the jurisdiction of the principal's agency" }),
            roles: Type.Array(Type.String()),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (req) => {
      const { id, name, agencyId, jurisdiction, roles } = req.principal;
      return { id, name, agencyId: agencyId ?? null, jurisdiction: jurisdiction ?? null, roles: [...roles] };
    },
  );

  app.get(
    '/case-actions',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The party actions (POST /v1/cases/{caseId}/<action>) each case type takes, with the JSON Schema of their bodies',
        description: "Whether the caller may take one on a given case is the case's to judge (403, 409 or 422 with the reason).",
        tags: tagged('cases'),
        querystring: Type.Object({ caseType: Type.Optional(LiteralUnion(processIds())) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                caseType: Type.String(),
                action: Type.String(),
                summary: Type.String(),
                body: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of the body' }),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (req) => ({
      items: processes()
        .filter((p) => !req.query.caseType || p.id === req.query.caseType)
        .flatMap((p) =>
          p.caseActions.flatMap((action) => {
            const declared = app.caseActionBook.get(action)?.find((d) => typeof d.group !== 'string' && d.group.id === p.id) ?? app.caseActionBook.get(action)?.[0];
            return declared ? [{ caseType: p.id, action, summary: declared.summary, body: JSON.parse(JSON.stringify(declared.body)) as Record<string, unknown> }] : [];
          }),
        ),
    }),
  );
};

export default meRoutes;
