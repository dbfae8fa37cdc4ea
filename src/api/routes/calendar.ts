import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_WORKING_DAYS } from '../../domain/calendar';
import { deadline, getYear, loadYear } from '../services/calendar';
import { errorResponses, Instant, IsoDate } from '../schemas';
import { tagged } from '../tags';
import { refuseMalformed, rule } from '../validation';

const YearParams = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2100, examples: [2026] }) });
// The official arrangement of 2026, the document's example of a year to load.
const OFFICIAL_2026 = {
  holidays: ['01-01', '01-02', '01-03', '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23', '04-04', '04-05', '04-06', '05-01', '05-02', '05-03', '05-04', '05-05', '06-19', '06-20', '06-21', '09-25', '09-26', '09-27', '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07'].map((d) => `2026-${d}`),
  workdays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'].map((d) => `2026-${d}`),
};
const Year = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('official'), Type.Literal('statutory')]),
  holidays: Type.Array(Type.String()),
  workdays: Type.Array(Type.String()),
});
const Due = Type.Object({ dueDate: Type.String(), dueAt: Type.String(), provisional: Type.Boolean() });
// An arrangement's days must exist and be listed once, and there is always a holiday (1 January);
// the service names these together with the rules no schema can say (inside the year, workdays on
// weekends, 1 January among the holidays): 422 invalid_arrangement.
const arrangementRule = (field: string, message: string, keywords: Record<string, unknown>) =>
  rule({ code: 'invalid_arrangement', field, message }, keywords);
const Days = (field: 'holidays' | 'workdays') =>
  Type.Array(Type.String({ ...IsoDate, allOf: [arrangementRule(field, 'every date must exist', { format: 'date' })] }), {
    maxItems: 366,
    examples: [OFFICIAL_2026[field]],
    allOf: [
      arrangementRule(field, 'no date may be listed twice', { uniqueItems: true }),
      ...(field === 'holidays' ? [arrangementRule(field, 'must include 1 January', { minItems: 1 })] : []),
    ],
  });

const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/calendar/deadline',
    {
      schema: {
        summary: 'The deadline of "N 个工作日内" counted from an instant (official PRC calendar, Asia/Shanghai)',
        description:
          'The day of receipt (in Asia/Shanghai) is not counted; dueDate is the N-th working day after it and dueAt is 24:00 ' +
          'Asia/Shanghai of that day. provisional is true when a year without a loaded official arrangement was used ' +
          '(statutory holidays of 《全国年节及纪念日放假办法》 only).',
        tags: tagged('calendar'),
        security: [],
        querystring: Type.Object({
          from: Instant(),
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
      return deadline(app.deps.db, req.query.from, req.query.workingDays);
    },
  );

  app.get(
    '/calendar/years/:year',
    {
      schema: {
        summary: 'A year as the calendar counts it: official (loaded or published) or statutory (provisional)',
        tags: tagged('calendar'),
        security: [],
        params: YearParams,
        response: { 200: Year, ...errorResponses(400, 404) },
      },
    },
    async (req) => getYear(app.deps.db, req.params.year),
  );

  app.put(
    '/calendar/years/:year',
    {
      attachValidation: true,
      preHandler: [refuseMalformed, app.requireRole()],
      schema: {
        summary: "Load a year's official arrangement (admin); running cases with provisional deadlines are recomputed",
        description:
          'Every defect is named at once (422 invalid_arrangement): dates that do not exist or are listed twice, dates outside ' +
          'the year (from 25 December before it), workdays that are not weekend days, a day in both lists, 1 January missing.',
        tags: tagged('calendar'),
        params: YearParams,
        body: Type.Object(
          {
            holidays: Days('holidays'),
            workdays: Days('workdays'),
            source: Type.Optional(Type.Literal('official')),
            year: Type.Optional(Type.Integer()),
          },
          { additionalProperties: false, examples: [OFFICIAL_2026] },
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
    async (req) => loadYear(app.deps.db, app.deps.temporal, req.params.year, req.body, req.principal),
  );
};

export default calendarRoutes;
