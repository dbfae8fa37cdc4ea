import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { OBJECTION_KINDS, type ObjectionBody } from '../../domain/objection';
import { createObjection } from '../services/objections';
import { errorResponses, Id } from '../schemas';
import { tagged } from '../tags';
import { IdempotencyHeaders } from './share-requests';

const ObjectionBodySchema = Type.Object(
  {
    datasetId: Id,
    kind: Type.Union(OBJECTION_KINDS.map((k) => Type.Literal(k)), { description: 'error 错误 or omission 遗漏' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    recordRef: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the record concerned (e.g. a row key), when the objection is about one' })),
  },
  { additionalProperties: false },
);

export default async function objectionRoutes(app: FastifyInstance) {
  app.post(
    '/objections',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Report an error or omission in a dataset (P4: sz-open-2023:10, js-2020:45, sip-2021:21)',
        tags: tagged('objections'),
        description:
          'Any authenticated user of the data, or the person it is about (sip-2021:15). The dataset is marked as disputed at once ' +
          '(GET /v1/datasets/:id lists its open objections); the provider answers within 5 working days — longer only when the ' +
          'competent department approves a request for more time (POST /v1/cases/:caseId/request-extension), 30 in all at most. ' +
          'The reporter then confirms or disputes the answer (POST /v1/cases/:caseId/confirm, …/dispute). ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: ObjectionBodySchema,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createObjection(
        createContext(app.deps, req),
        req.body as ObjectionBody,
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
