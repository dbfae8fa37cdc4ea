// P3 requests for data outside the open catalog (sz-open-2023:23): their own endpoint, because
// they name no dataset and end in an answer (evaluated, listed for opening, or refused), not in
// an agreement and a grant.
import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { DELIVERY_TYPES } from '../../domain/open-data-terms';
import type { OpenDataRequestBody } from '../../domain/open-data-request';
import { createOpenDataRequest } from '../services/open-data-requests';
import { Commitment, errorResponses, FilledText, Id } from '../schemas';
import { tagged } from '../tags';
import { refuseMalformed } from '../validation';
import { IdempotencyHeaders } from './share-requests';

// Every defect is named at once by the service's rule (as for applications, sz-open-2023:20).
const RequestBody = Type.Object(
  {
    providerAgencyId: Id,
    title: FilledText(200, 'missing_field'),
    description: FilledText(4000, 'missing_field', 'the data wanted, which is not in the open catalog'),
    reason: FilledText(4000, 'missing_field'),
    scenario: FilledText(4000, 'missing_field'),
    deliveryType: Type.Optional(Type.Union(DELIVERY_TYPES.map((t) => Type.Literal(t)))),
    commitment: Commitment('the scenario is true, compliant and secure; must be true'),
  },
  { additionalProperties: false },
);

export default async function openDataRequestRoutes(app: FastifyInstance) {
  app.post(
    '/open-data-requests',
    {
      attachValidation: true,
      preHandler: [refuseMalformed, app.requireRole('data_user')],
      schema: {
        summary: 'Ask for data outside the open catalog (P3: sz-open-2023:23, evaluated as in sz-open-2023:15)',
        tags: tagged('openData'),
        description:
          'The provider agency evaluates the request (privacy and commercial-secret review, legality review, an expert opinion ' +
          'where specialised) and answers within 10 working days of receipt (sz-open-2023:23); where only js-2020 is in force, ' +
          'within the 15 working days of js-2020:27. A missed deadline escalates. The case has type open-data-application ' +
          'with request.kind "out_of_catalog". Accepts an Idempotency-Key header.',
        headers: IdempotencyHeaders,
        body: RequestBody,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createOpenDataRequest(
        createContext(app.deps, req),
        req.body as OpenDataRequestBody,
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
