import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_WORKING_DAYS } from '../../domain/calendar';
import { deadline, getYear, loadYear } from '../services/calendar';
import { errorResponses, IsoDate } from '../schemas';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2100 }) });
const Year = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('official'), Type.Literal('statutory')]),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
});
const Due = Type.Object({ dueDate: Type.String(), dueAt: Type.String(), provisional: Type.Boolean() });

export default async function calendarRoutes(app: FastifyInstance) {
  app.get(
    '/calendar/deadline',
    {
      schema: {
        summary: 'The deadline of "N 个工作日内" counted from an instant (official PRC calendar, Asia/Shanghai)',
        description:
          'The day of receipt (in Asia/Shanghai) is not counted; dueDate is the N-th working day after it and dueAt is 24:00 ' +
          'Asia/Shanghai of that day. provisional is true when a year without a loaded official arrangement was used ' +
          '(statutory holidays of 《全国年节及纪念日放假办法》 only).',
        security: [],
        querystring: Type.Object({
          from: Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 instant, e.g. 2026-09-30T10:00:00+08:00' }),
          workingDays: Type.Integer({ minimum: 1, maximum: MAX_WORKING_DAYS }),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            workingDays: Type.Integer(),
            receivedDate: IsoDate,
            dueDate: IsoDate,
            dueAt: Type.String(),
            provisional: Type.Boolean(),
            yearsUsed: Type.Array(Type.Integer()),
          }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (req) => {
      const q = req.query as { from: string; workingDays: number };
      return deadline(app.deps.db, q.from, q.workingDays);
    },
  );

  app.get(
    '/calendar/years/:year',
    {
      schema: {
        summary: 'A year as the calendar counts it: official (loaded or published) or statutory (provisional)',
        security: [],
        params: YearParams,
        response: { 200: Year, ...errorResponses(400, 404) },
      },
    },
    async (req) => getYear(app.deps.db, (req.params as { year: number }).year),
  );

  app.put(
    '/calendar/years/:year',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: "Load a year's official arrangement (admin); running cases with provisional deadlines are recomputed",
        params: YearParams,
        body: Type.Object(
          {
            holidays: Type.Array(IsoDate, { maxItems: 366 }),
            workdays: Type.Array(IsoDate, { maxItems: 366 }),
            source: Type.Optional(Type.Literal('official')),
            year: Type.Optional(Type.Integer()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...Year.properties,
            recomputed: Type.Array(Type.Object({ caseId: Type.String(), key: Type.String(), before: Due, after: Due })),
          }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (req) => loadYear(app.deps.db, app.deps.temporal, (req.params as { year: number }).year, req.body, req.principal),
  );
}
