import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ShareDemandBody } from '../../domain/share-demand';
import { createShareDemand, type DemandRegistration } from '../services/share-demands';
import { errorResponses, Id } from '../schemas';
import { tagged } from '../tags';
import { IdempotencyHeaders, RegistrationSchema } from './share-requests';

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

export default async function shareDemandRoutes(app: FastifyInstance) {
  app.post(
    '/share-demands',
    {
      preHandler: app.requireRole('requester', 'operations'),
      schema: {
        summary: 'Ask another agency for data not yet on the platform (P2: js-2020:22)',
        tags: tagged('shareDemands'),
        description:
          'The provider agency replies within 5 working days (a refusal states its legal basis); if it agrees it delivers within ' +
          '10 working days of its reply, naming the catalog dataset that holds the data, and the requester is granted access. ' +
          'Missed deadlines escalate to the competent department (js-2020:49); nothing is deemed. ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: ShareDemandBodySchema,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createShareDemand(
        createContext(app.deps, req),
        req.body as ShareDemandBody & { registration?: DemandRegistration },
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
