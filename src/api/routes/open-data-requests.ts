// P3 requests for data outside the open catalog (sz-open-2023:23): their own endpoint, because
// they name no dataset and end in an answer (evaluated, listed for opening, or refused), not in
// an agreement and a grant.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createRoute } from '../process-routes';
import { OPEN_DATA_APPLICATION } from '../../domain/open-data-application';
import { DELIVERY_TYPES } from '../../domain/open-data-terms';
import { createOpenDataRequest } from '../services/open-data-requests';
import { Commitment, FilledText, Id, LiteralUnion } from '../schemas';

// Every defect is named at once by the service's rule (as for applications, sz-open-2023:20).
const RequestBody = Type.Object(
  {
    providerAgencyId: Id,
    title: FilledText(200, 'missing_field'),
    description: FilledText(4000, 'missing_field', 'the data wanted, which is not in the open catalog'),
    reason: FilledText(4000, 'missing_field'),
    scenario: FilledText(4000, 'missing_field'),
    deliveryType: Type.Optional(LiteralUnion(DELIVERY_TYPES)),
    commitment: Commitment('the scenario is true, compliant and secure; must be true'),
  },
  { additionalProperties: false },
);

const openDataRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: OPEN_DATA_APPLICATION,
    path: '/open-data-requests',
    preHandler: app.requireRole('data_user'),
    lateValidation: true,
    summary: 'Ask for data outside the open catalog (P3: sz-open-2023:23, evaluated as in sz-open-2023:15)',
    description:
      'The provider agency evaluates the request (privacy and commercial-secret review, legality review, an expert opinion ' +
      'where specialised) and answers within 10 working days of receipt (sz-open-2023:23); where only js-2020 is in force, ' +
      'within the 15 working days of js-2020:27. A missed deadline escalates. The case has type open-data-application ' +
      'with request.kind "out_of_catalog".',
    body: RequestBody,
    create: createOpenDataRequest,
  });
};

export default openDataRequestRoutes;
