// P6 rights claims (sz-open-2023:38, js-2020:36): the create route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createRoute } from '../process-routes';
import { CLAIM_KINDS, RIGHTS_CLAIM } from '../../domain/rights-claim';
import { createRightsClaim } from '../services/rights-claims';
import { Id, LiteralUnion } from '../schemas';

const RightsClaimBodySchema = Type.Object(
  {
    datasetId: Id,
    claim: LiteralUnion(CLAIM_KINDS, { description: 'privacy 个人隐私 or commercial_secret 商业秘密' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    materials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50, description: 'the supporting materials (references or descriptions)' })),
  },
  { additionalProperties: false },
);

const rightsClaimRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: RIGHTS_CLAIM,
    path: '/rights-claims',
    preHandler: app.authenticate,
    summary: 'Claim that open data infringes privacy or commercial secrets (P6: sz-open-2023:38, js-2020:36)',
    description:
      'The provider verifies at once (a policy setting, 1 working day by default; missed → escalates) and decides its ' +
      '`verification` task: withdraw the data (every active open-data grant on it is suspended), reopen it after processing, ' +
      'or keep it open with reasons (js-2020:36 also offers suspend, which ends as withdrawn_data with basis "suspended").',
    body: RightsClaimBodySchema,
    create: createRightsClaim,
  });
};

export default rightsClaimRoutes;
