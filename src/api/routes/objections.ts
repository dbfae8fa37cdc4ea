// P4 objections (sz-open-2023:10, js-2020:45, sip-2021:15, 21): the create route and the
// reporter's and provider's actions on the case.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OBJECTION, OBJECTION_KINDS } from '../../domain/objection';
import { createObjection } from '../services/objections';
import { FilledText, Id, LiteralUnion } from '../schemas';
import { actionFields, caseActionRoutes, createRoute } from '../process-routes';

const ObjectionBodySchema = Type.Object(
  {
    datasetId: Id,
    kind: LiteralUnion(OBJECTION_KINDS, { description: 'error 错误 or omission 遗漏' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    recordRef: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the record concerned (e.g. a row key), when the objection is about one' })),
  },
  { additionalProperties: false },
);

const objectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: OBJECTION,
    path: '/objections',
    preHandler: app.authenticate,
    summary: 'Report an error or omission in a dataset (P4: sz-open-2023:10, js-2020:45, sip-2021:21)',
    description:
      'Any authenticated user of the data, or the person it is about (sip-2021:15). The dataset is marked as disputed at once ' +
      '(GET /v1/datasets/:id lists its open objections); the provider answers within 5 working days — longer only when the ' +
      'competent department approves a request for more time (POST /v1/cases/:caseId/request-extension), 30 in all at most. ' +
      'The reporter then confirms or disputes the answer (POST /v1/cases/:caseId/confirm, …/dispute).',
    body: ObjectionBodySchema,
    create: createObjection,
  });

  caseActionRoutes(app, OBJECTION, [
    {
      action: 'request-extension',
      summary:
        'Objection (the provider): ask the competent department for a longer handling period, giving reasons and the new total in working days from receipt (at most 30, sz-open-2023:10); the deadline moves only on approval',
      body: actionFields('request-extension', { reason: FilledText(4000, 'missing_fields'), workingDays: Type.Integer({ minimum: 1 }) }, ['reason', 'workingDays']),
      bodyOptional: true,
    },
    {
      action: 'confirm',
      summary: 'Objection (the reporter): confirm the answer (sip-2021:21); the case closes and the dispute mark is cleared',
      body: actionFields('confirm', { note: Type.String({ maxLength: 4000 }) }),
      bodyOptional: true,
    },
    {
      action: 'dispute',
      summary: 'Objection (the reporter): dispute the answer, saying why — back to the provider once, then to the competent department',
      body: actionFields('dispute', { reason: FilledText(4000, 'missing_fields') }, ['reason']),
      bodyOptional: true,
    },
  ]);
};

export default objectionRoutes;
