// P5 quality rectifications (sz-open-2023:16, js-2020:17): the create route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createRoute } from '../process-routes';
import { MAX_FINDINGS, QUALITY_RECTIFICATION } from '../../domain/quality-rectification';
import { createQualityRectification } from '../services/quality-rectifications';
import { FilledText, Id } from '../schemas';

const QualityRectificationBodySchema = Type.Object(
  {
    datasetId: Id,
    findings: Type.Array(FilledText(2000, 'empty_finding'), { minItems: 1, maxItems: MAX_FINDINGS, description: 'what the audit found wrong, one item per finding' }),
  },
  { additionalProperties: false },
);

const qualityRectificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: QUALITY_RECTIFICATION,
    path: '/quality-rectifications',
    preHandler: app.requireRole('competent', 'operations'),
    summary: 'Issue a quality rectification task on a dataset (P5: sz-open-2023:16, js-2020:17)',
    description:
      'The competent department or operations agency of the dataset’s jurisdiction (or above). The provider verifies and corrects ' +
      'within 10 working days, deciding its `rectification` task with one report per finding (fields finding1, finding2, …); ' +
      'the issuing department then closes or reopens (`recheck` task), and reopening starts a new period.',
    body: QualityRectificationBodySchema,
    create: createQualityRectification,
  });
};

export default qualityRectificationRoutes;
