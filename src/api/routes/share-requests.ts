// P1 share requests (js-2020:18–21, sip-2021:24, jy-2023:23, cm-draft:18–19): the create route
// and the requester's disposal of shared data.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SHARE_REQUEST } from '../../domain/share-request';
import { createShareRequest } from '../services/share-requests';
import { Commitment, Id, IsoDate, RegistrationSchema } from '../schemas';
import { actionFields, caseActionRoutes, createRoute } from '../process-routes';
import { rule } from '../validation';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

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

const shareRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: SHARE_REQUEST,
    path: '/share-requests',
    preHandler: app.requireRole('requester', 'operations'),
    summary: 'Request shared data from another agency (P1: js-2020:18–21)',
    description:
      'Unconditional data is granted at once (js-2020:21¶1; under sip-2021:24 / jy-2023:23 recorded by the operations agency first).',
    body: ShareRequestBodySchema,
    create: createShareRequest,
  });

  caseActionRoutes(app, SHARE_REQUEST, [
    {
      action: 'dispose',
      summary: 'Confirm disposal of shared data once its purpose is met (cm-draft:19); the grant ends',
      body: actionFields('dispose', { method: Type.String({ maxLength: 500 }), note: Type.String({ maxLength: 4000 }) }),
      bodyOptional: true,
    },
  ]);
};

export default shareRequestRoutes;
