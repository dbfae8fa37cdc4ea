// P8 disputes between agencies (js-2020:45¶1, sz-open-2023:11): the create route. Every later step
// is a task decision (POST /v1/tasks/:taskId/decision): the case takes no party actions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DISPUTE, DISPUTE_SUBJECTS, MAX_COUNTERPARTS } from '../../domain/dispute';
import { createDispute } from '../services/disputes';
import { FilledText, Id } from '../schemas';
import { createRoute } from '../process-routes';
import { rule } from '../validation';

const DisputeBody = Type.Object(
  {
    subject: Type.Union(
      DISPUTE_SUBJECTS.map((s) => Type.Literal(s)),
      { description: 'what is disputed: the open provider of specific data (sz-open-2023:11), sharing, the source of a catalog entry (一数一源), or other (js-2020:45)' },
    ),
    datasetId: Type.Optional({ ...Id, description: 'the catalog dataset in dispute; required for open_provider and catalog_source' }),
    counterpartAgencyIds: Type.Array(Id, {
      minItems: 1,
      maxItems: MAX_COUNTERPARTS,
      description: 'the other agencies in dispute, each once, not the filing agency',
      allOf: [rule({ code: 'duplicate_agency', message: 'names an agency twice' }, { uniqueItems: true })],
    }),
    description: FilledText(4000, 'missing_field', '争议事项 — what the dispute is about'),
  },
  { additionalProperties: false },
);

const disputeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: DISPUTE,
    path: '/disputes',
    preHandler: app.requireRole('requester', 'provider', 'competent', 'operations'),
    summary: 'File a dispute between agencies (P8: js-2020:45, sz-open-2023:11)',
    description:
      'An agency (requester, provider, competent or operations acting for it) files a dispute with one or more other agencies ' +
      '(422 unknown_agency / own_agency / duplicate_agency naming the field). `open_provider` and `catalog_source` need `datasetId` ' +
      '(422 dataset_required; 422 unknown_dataset when not in the catalog). Status `negotiating`: a `negotiation` task for the ' +
      '`provider` role of each agency involved, the filing one included — `agree` (`resolution`) or `fail` (`reason`) — within the ' +
      'setting dispute.negotiation.workingDays (default 10 working days). All agree → `resolved`. One fails, or the period ends → ' +
      '`coordinating`: the competent department of the agencies’ common jurisdiction `determine`s (`determination`, js-2020:45); for an ' +
      'open-provider dispute where sz-open-2023:11 governs it `refer_to_experts`, the expert committee gives its `opinion` and the ' +
      'government `determine`s. Status `determined`; a determination about open_provider / catalog_source names `providerAgencyId` ' +
      '(one of the agencies in dispute) and opens the catalog-entry case that records it (`outcome.catalogEntryCaseId`). 422 ' +
      'no_common_jurisdiction when the agencies share no government; 422 no_rule_in_force where no text governs disputes.',
    body: DisputeBody,
    create: createDispute,
  });
};

export default disputeRoutes;
