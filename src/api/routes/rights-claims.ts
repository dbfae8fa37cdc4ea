import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CLAIM_KINDS, type RightsClaimBody } from '../../domain/rights-claim';
import { createRightsClaim } from '../services/rights-claims';
import { errorResponses, Id } from '../schemas';
import { tagged } from '../tags';
import { IdempotencyHeaders } from './share-requests';

const RightsClaimBodySchema = Type.Object(
  {
    datasetId: Id,
    claim: Type.Union(CLAIM_KINDS.map((k) => Type.Literal(k)), { description: 'privacy 个人隐私 or commercial_secret 商业秘密' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50, description: 'the supporting materials (references or descriptions)' })),
  },
  { additionalProperties: false },
);

export default async function rightsClaimRoutes(app: FastifyInstance) {
  app.post(
    '/rights-claims',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Claim that open data infringes privacy or commercial secrets (P6: sz-open-2023:38, js-2020:36)',
        tags: tagged('rightsClaims'),
        description:
          'The provider verifies at once (a policy setting, 1 working day by default; missed → escalates) and decides its ' +
          '`verification` task: withdraw the data (every active open-data grant on it is suspended), reopen it after processing, ' +
          'or keep it open with reasons (js-2020:36 also offers suspend, which ends as withdrawn_data with basis "suspended"). ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: RightsClaimBodySchema,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createRightsClaim(
        createContext(app.deps, req),
        req.body as RightsClaimBody,
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
