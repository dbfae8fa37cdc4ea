import { createContext } from '../services/case-start';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ShareRequestBody } from '../../domain/share-request';
import { createShareRequest } from '../services/share-requests';
import type { Registration } from '../services/registration';
import { Commitment, errorResponses, Id, Instant, IsoDate } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

/** A case received on paper or by e-mail, registered by the operations agency with its real receipt. */
export const RegistrationSchema = (what: string, since: string) =>
  Type.Object(
    {
      requesterAgencyId: Id,
      receivedAt: Instant(
        { code: 'invalid_received_at', message: 'must be an ISO 8601 instant with its offset' },
        `when the ${what} really arrived (ISO instant with offset, not in the future)`,
      ),
      channel: Type.Union([Type.Literal('paper'), Type.Literal('email'), Type.Literal('other')]),
      reference: Type.Optional(Type.String({ maxLength: 200 })),
    },
    {
      additionalProperties: false,
      description: `Operations agency only: a ${what} received on paper or by e-mail; its deadlines count from receivedAt${since}.`,
    },
  );

const ShareRequestBodySchema = Type.Object(
  {
    datasetId: Id,
    purpose: Text(2000),
    scenario: Text(2000),
    legalDuty: Text(2000),
    fields: Type.Optional(Type.Array(Text(200), { maxItems: 500, uniqueItems: true })),
    accessMode: Type.Union([Type.Literal('api'), Type.Literal('copy')], { default: 'api' }),
    accessUntil: Type.Optional(
      Type.String({
        ...IsoDate,
        description: 'last day of access (Asia/Shanghai), inclusive, today or later; the grant expires at 24:00 of that day',
        allOf: [rule({ code: 'invalid_access_until', message: 'must be a real calendar date, today or later (Asia/Shanghai)' }, { format: 'date' })],
      }),
    ),
    commitment: Commitment('truthful, secure and compliant use (cm-draft:18); must be true'),
    registration: Type.Optional(RegistrationSchema('request', ' (自收到申请之日起)')),
  },
  { additionalProperties: false },
);

export default async function shareRequestRoutes(app: FastifyInstance) {
  app.post(
    '/share-requests',
    {
      preHandler: app.requireRole('requester', 'operations'),
      schema: {
        summary: 'Request shared data from another agency (P1: js-2020:18–21)',
        tags: tagged('shareRequests'),
        description:
          'Unconditional data is granted at once (js-2020:21¶1; under sip-2021:24 / jy-2023:23 recorded by the operations agency first). ' +
          'Accepts an Idempotency-Key header: the same key and body return the same case.',
        headers: IdempotencyHeaders,
        body: ShareRequestBodySchema,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 422, 503) },
      },
    },
    async (req, reply) => {
      const result = await createShareRequest(
        createContext(app.deps, req),
        req.body as ShareRequestBody & { registration?: Registration },
      );
      return reply.status(result.status).send(result.body);
    },
  );
}
