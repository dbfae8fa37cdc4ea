// P7 update duty (cm-draft:8, js-2020:10): the create route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CATALOG_UPDATE, UPDATE_TRIGGERS } from '../../domain/catalog-update';
import { createCatalogUpdateDuty } from '../services/catalog-entries';
import { FilledText, Id, LiteralUnion } from '../schemas';
import { createRoute } from '../process-routes';

const Text = (max: number) => FilledText(max, 'missing_field');

const catalogUpdateDutyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: CATALOG_UPDATE,
    path: '/catalog-update-duties',
    preHandler: app.requireRole('competent'),
    summary: 'Require an agency to update its catalog after a change of law or of its duties (P7: cm-draft:8)',
    description:
      'The competent department of the agency’s jurisdiction (or above). The agency’s providers get a task due in 15 working days ' +
      '(cm-draft:8; elsewhere a setting, js-2020:10): met when a catalog entry naming this case (dutyCaseId) is published, or by ' +
      '`no_change` with reasons. A missed period escalates.',
    body: Type.Object(
      {
        agencyId: Id,
        trigger: LiteralUnion(UPDATE_TRIGGERS, { description: 'law_change or duty_change' }),
        basis: Text(2000),
        description: Text(4000),
      },
      { additionalProperties: false },
    ),
    create: createCatalogUpdateDuty,
  });
};

export default catalogUpdateDutyRoutes;
