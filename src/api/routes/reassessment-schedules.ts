// P11 periodic reassessment (js-2020:25¶3, sz-open-2023:8): its schedules. The cases each run opens
// are read and decided like any other (GET /v1/cases/:caseId, POST /v1/tasks/:id/decision).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INTERVAL_NAMES, REASSESSED_CLASSES, REASSESSMENT } from '../../domain/reassessment';
import { createSchedule, deleteSchedule, listSchedules, triggerSchedule } from '../services/reassessment-schedules';
import { errorResponses, Id, LiteralUnion } from '../schemas';
import { tagged } from '../tags';

const Schedule = Type.Object({
  id: Type.String({ description: 'the Temporal Schedule id (Temporal UI → Schedules)' }),
  jurisdiction: Type.String(),
  openClass: Type.String(),
  every: Type.String(),
  providerAgencyId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String({ description: 'ISO instant' }),
  nextRunAt: Type.Union([Type.String(), Type.Null()], { description: 'the next scheduled run (ISO instant): 09:00 Asia/Shanghai on the 1st of a month' }),
  recentRuns: Type.Array(
    Type.Object({
      scheduledAt: Type.String(),
      takenAt: Type.String(),
      workflowId: Type.Union([Type.String(), Type.Null()], { description: 'the run workflow (reassessmentRun)' }),
    }),
  ),
});
const Params = Type.Object({ id: Type.String({ maxLength: 200 }) });

const reassessmentScheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => app.deps;

  app.post(
    '/reassessment-schedules',
    {
      preHandler: app.requireRole('competent'),
      schema: {
        summary: 'Schedule the periodic reassessment of conditional or not-open data (P11: js-2020:25¶3, sz-open-2023:8) as a Temporal Schedule',
        description:
          'The competent department of the jurisdiction (or of one above), or an administrator. Each run — at 09:00 Asia/Shanghai on the 1st of ' +
          'every 3rd, 6th or 12th month from the month of creation, or at once with …/trigger — opens one case of type `reassessment` per ' +
          'published dataset of the jurisdiction and below with that open class (of `providerAgencyId` only, when given), not withdrawn: a ' +
          'provider task due in the setting `reassessment.review.workingDays` (default 15 working days; missed → escalates), actions `keep` ' +
          '(`reason`) or `reclassify` (`openClass`, `reason`; opens a `catalog-entry` case with reason `correction`). 422 no_rule_in_force ' +
          'where no text provides a reassessment.',
        tags: tagged(REASSESSMENT),
        body: Type.Object(
          {
            jurisdiction: Type.String({ maxLength: 100, description: 'the data of this jurisdiction and below are reassessed' }),
            openClass: LiteralUnion(REASSESSED_CLASSES, { description: 'conditional (js-2020:25¶3) or none: outside the open scope (sz-open-2023:8)' }),
            every: LiteralUnion(INTERVAL_NAMES, { description: 'how often: P3M, P6M or P1Y' }),
            providerAgencyId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 201: Schedule, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await createSchedule(deps(), req.principal, req.body)),
  );

  app.get(
    '/reassessment-schedules',
    {
      preHandler: app.requireRole('competent'),
      schema: {
        summary: 'The reassessment schedules of the caller’s jurisdiction and below (all, for an administrator), newest first',
        tags: tagged(REASSESSMENT),
        response: { 200: Type.Object({ items: Type.Array(Schedule) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => listSchedules(deps(), req.principal),
  );

  app.post(
    '/reassessment-schedules/:id/trigger',
    {
      preHandler: app.requireRole('competent'),
      schema: {
        summary: 'Run a reassessment schedule now (its cases open shortly after, named by the run’s time)',
        tags: tagged(REASSESSMENT),
        params: Params,
        response: { 202: Type.Object({ ...Schedule.properties, triggeredAt: Type.String() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(202).send(await triggerSchedule(deps(), req.principal, req.params.id)),
  );

  app.delete(
    '/reassessment-schedules/:id',
    {
      preHandler: app.requireRole('competent'),
      schema: {
        summary: 'Delete a reassessment schedule: no further runs; cases already opened go on',
        tags: tagged(REASSESSMENT),
        params: Params,
        response: { 200: Type.Object({ id: Type.String(), deletedAt: Type.String({ description: 'ISO instant' }) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => deleteSchedule(deps(), req.principal, req.params.id),
  );
};

export default reassessmentScheduleRoutes;
