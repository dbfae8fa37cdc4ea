import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_FINDINGS, type QualityRectificationBody } from '../../domain/quality-rectification';
import { createQualityRectification } from '../services/quality-rectifications';
import { errorResponses, FilledText, Id } from '../schemas';
import { tagged } from '../tags';
import { IdempotencyHeaders } from './share-requests';

const QualityRectificationBodySchema = Type.Object(
  {
    datasetId: Id,
    findings: Type.Array(FilledText(2000, 'empty_finding'), { minItems: 1, maxItems: MAX_FINDINGS, description: 'what the audit found wrong, one item per finding' }),
  },
  { additionalProperties: false },
);

export default async function qualityRectificationRoutes(app: FastifyInstance) {
  app.post(
    '/quality-rectifications',
    {
      preHandler: app.requireRole('competent', 'operations'),
      schema: {
        summary: 'Issue a quality rectification task on a dataset (P5: sz-open-2023:16, js-2020:17)',
        tags: tagged('qualityRectifications'),
        description:
          'The competent department or operations agency of the dataset’s jurisdiction (or above). The provider verifies and corrects ' +
          'within 10 working days, deciding its `rectification` task with one report per finding (fields finding1, finding2, …); ' +
          'the issuing department then closes or reopens (`recheck` task), and reopening starts a new period. ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: QualityRectificationBodySchema,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createQualityRectification(
        createContext(app.deps, req),
        req.body as QualityRectificationBody,
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
