// Supervision and assessment 监督考核 (API-2.md; js-2020:46, 49; sz-open-2023:37; cm-draft:32):
// the timeliness report, the public notices, and a user's evaluation of an ended case.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JURISDICTION_IDS } from '../../domain/jurisdictions';
import { processIds } from '../../domain/process';
import { timelinessCsv } from '../../domain/supervision';
import { CaseParams, errorResponses, IsoDate, LiteralUnion } from '../schemas';
import { tagged } from '../tags';
import { evaluate, notices, REPORT_ROLES, timeliness } from '../services/supervision';

const Count = Type.Integer({ minimum: 0 });
const TimelinessRow = Type.Object({
  agencyId: Type.Union([Type.String(), Type.Null()], { description: 'the provider agency answerable for the deadlines' }),
  caseType: Type.String(),
  received: Count,
  decided: Count,
  onTime: Type.Integer({ minimum: 0, description: 'decided with no deadline missed' }),
  late: Type.Integer({ minimum: 0, description: 'decided after a deadline escalated (js-2020:49)' }),
  deemed: Type.Integer({ minimum: 0, description: 'consent deemed given by silence (视为同意)' }),
  overdueOpen: Type.Integer({ minimum: 0, description: 'not decided and overdue now' }),
  medianWorkingDays: Type.Union([Type.Number(), Type.Null()], { description: 'median working days from receipt to decision (official calendar)' }),
  refusals: Count,
  evaluations: Type.Object({ count: Count, average: Type.Union([Type.Number(), Type.Null()]) }),
});
const Notice = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  caseType: Type.String(),
  taskId: Type.String(),
  agencyId: Type.Union([Type.String(), Type.Null()]),
  jurisdiction: Type.String(),
  reason: Type.String(),
  orderedBy: Type.String(),
  dueAt: Type.String(),
  issuedAt: Type.String(),
  citation: Type.String(),
});
const Jurisdiction = LiteralUnion(JURISDICTION_IDS, { description: 'this jurisdiction and those below it' });

const wantsCsv = (accept: string | undefined) => !!accept && /(^|,)\s*text\/csv\b/i.test(accept);

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/reports/timeliness',
    {
      preHandler: app.requireRole(...REPORT_ROLES),
      schema: {
        summary: 'Timeliness of agencies by case type for a period (competent, government; their jurisdiction and below; js-2020:46, cm-draft:32)',
        description:
          'Cases received from `from` to `to` (Shanghai days, inclusive), per provider agency and case type. ' +
          'With `Accept: text/csv` the same rows as CSV (UTF-8 with BOM). 422 invalid_period for a date not in the calendar or a period that ends before it starts.',
        tags: tagged('supervision'),
        querystring: Type.Object(
          { jurisdiction: Jurisdiction, from: IsoDate, to: IsoDate, caseType: Type.Optional(LiteralUnion(processIds())) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'the report',
            content: {
              'application/json': { schema: Type.Object({ rows: Type.Array(TimelinessRow) }) },
              'text/csv': { schema: Type.String({ description: 'the rows as CSV, UTF-8 with BOM' }) },
            },
          },
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (req, reply) => {
      const rows = await timeliness(app.deps.db, req.principal, req.query);
      if (wantsCsv(req.headers.accept)) return reply.type('text/csv; charset=utf-8').send(timelinessCsv(rows));
      return reply.type('application/json; charset=utf-8').send({ rows });
    },
  );

  app.get(
    '/reports/notices',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Public notices (通报批评) of agencies that did not correct within the ordered period (js-2020:49)',
        tags: tagged('supervision'),
        querystring: Type.Object({ jurisdiction: Jurisdiction }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Notice) }), ...errorResponses(400, 401) },
      },
    },
    async (req) => ({ items: await notices(app.deps.db, req.query.jurisdiction) }),
  );

  app.post(
    '/cases/:caseId/evaluation',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Rate an ended case once, 1–5 with an optional comment (its applicant or requester; 好差评, sz-open-2023:37)',
        tags: tagged('supervision'),
        params: CaseParams,
        body: Type.Object(
          { rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ caseId: Type.String(), rating: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]), principalId: Type.String(), createdAt: Type.String() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await evaluate(app.deps.db, req.principal, req.params.caseId, req.body)),
  );
};

export default reportRoutes;
