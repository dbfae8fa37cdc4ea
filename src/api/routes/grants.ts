// GET /v1/grants/check (API-2.md "Agency systems"): the data platform's question at access time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../schemas';
import { tagged } from '../tags';
import { checkGrant } from '../services/grant-check';
import { unprocessable } from '../errors';

const Ref = Type.String({ minLength: 1, maxLength: 200 });

const grantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/grants/check',
    {
      preHandler: app.requireRole('operations', 'data_platform'),
      schema: {
        tags: tagged('agencySystems'),
        summary: 'May this agency (or principal) use this dataset now? Under which grant and case, until when (operations, admin, the data platform)',
        description:
          'Exactly one of agencyId and principalId (422 grantee_required). Allowed only under an active grant in its validity period on a ' +
          'dataset that is not withdrawn; otherwise `reason`: unknown_dataset, data_withdrawn, no_grant, not_yet_valid, expired, suspended or revoked.',
        querystring: Type.Object({ datasetId: Ref, agencyId: Type.Optional(Ref), principalId: Type.Optional(Ref) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            allowed: Type.Boolean(),
            grantId: Type.Optional(Type.String()),
            scope: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            until: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'the end of the grant (null: open-ended)' })),
            caseId: Type.Optional(Type.String()),
            citation: Type.Optional(Type.String()),
            reason: Type.Optional(Type.String()),
          }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (req) => {
      const { datasetId, agencyId, principalId } = req.query;
      if ((agencyId === undefined) === (principalId === undefined)) {
        throw unprocessable('grantee_required', 'name exactly one of agencyId and principalId', { field: 'agencyId' });
      }
      return checkGrant(app.deps.db, { datasetId, agencyId, principalId });
    },
  );
};

export default grantRoutes;
