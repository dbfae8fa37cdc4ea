// P2 share demands (js-2020:22): the create route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createRoute } from '../process-routes';
import { SHARE_DEMAND } from '../../domain/share-demand';
import { createShareDemand } from '../services/share-demands';
import { Id, RegistrationSchema } from '../schemas';

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

const ShareDemandBodySchema = Type.Object(
  {
    providerAgencyId: Id, // the agency asked to collect and share the data: not the requester's own
    description: Text(4000, 'the data needed, which is not yet on the platform'),
    purpose: Text(2000),
    legalDuty: Text(2000, 'the legal duty the data serves (履职需要)'),
    registration: Type.Optional(RegistrationSchema('demand', '')),
  },
  { additionalProperties: false },
);

const shareDemandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: SHARE_DEMAND,
    path: '/share-demands',
    preHandler: app.requireRole('requester', 'operations'),
    summary: 'Ask another agency for data not yet on the platform (P2: js-2020:22)',
    description:
      'The provider agency replies within 5 working days (a refusal states its legal basis); if it agrees it delivers within ' +
      '10 working days of its reply, naming the catalog dataset that holds the data, and the requester is granted access. ' +
      'Missed deadlines escalate to the competent department (js-2020:49); nothing is deemed.',
    body: ShareDemandBodySchema,
    create: createShareDemand,
  });
};

export default shareDemandRoutes;
