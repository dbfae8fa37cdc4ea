import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JURISDICTION_IDS } from '../../domain/jurisdictions';
import { processIds, type ResolvedRules, type SettingListing } from '../../domain/policies';
import { getPolicies, getSettings, patchPolicy, resolveForCase } from '../services/policies';
import { errorResponses, IsoDate, LiteralUnion } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

/** What the document shows as an open object, typed as the domain's `T` that the route answers with. */
const OpenObject = <T>() => Type.Unsafe<T>(Type.Record(Type.String(), Type.Unknown()));
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
/** A day as the rule sets count it: YYYY-MM-DD, and a day that exists (2026-02-30 is refused, 422 invalid_date). */
const Day = (field: string) =>
  Type.String({ ...IsoDate, allOf: [rule({ code: 'invalid_date', field, message: 'must be a real calendar day' }, { format: 'date' })] });
const PolicyListing = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    jurisdiction: Type.String(),
    status: Type.String(),
    effectiveFrom: Nullable(Type.String()),
    effectiveTo: Nullable(Type.String()),
    adopted: Type.Boolean(),
    version: Type.Integer(),
    effectiveCitation: Type.String(),
    effectiveNote: Type.Optional(Type.String()),
    termYears: Type.Optional(Type.Integer()),
    scope: Type.String(),
    processes: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true },
);

const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/policies',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The five rule sets, their effective windows, adoption and the rules each defines',
        tags: tagged('reference'),
        description: 'Rules whose number the texts leave open show the setting that supplies it and its value (see /v1/policies/settings).',
        response: { 200: Type.Array(PolicyListing), ...errorResponses(401) },
      },
    },
    async () => getPolicies(app.deps.db),
  );

  app.get(
    '/policies/settings',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Numbers the texts leave open ("立即", "及时", "规定的期限"), with their defaults and the articles that leave them open',
        tags: tagged('reference'),
        response: { 200: Type.Array(OpenObject<SettingListing>()), ...errorResponses(401) },
      },
    },
    async () => getSettings(),
  );

  app.get(
    '/policies/resolve',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The rules a case would be governed by (jurisdiction, process, day of receipt)',
        tags: tagged('reference'),
        querystring: Type.Object({
          jurisdiction: LiteralUnion(JURISDICTION_IDS),
          process: LiteralUnion(processIds()),
          date: Day('date'),
        }),
        response: { 200: OpenObject<ResolvedRules>(), ...errorResponses(400, 401, 422) },
      },
    },
    async (req) => {
      return resolveForCase(app.deps.db, req.query.jurisdiction, req.query.process, req.query.date);
    },
  );

  app.patch(
    '/policies/:id',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Record an act of adoption or extension (admin, audited); governs cases received afterwards',
        tags: tagged('reference'),
        params: Type.Object({ id: Type.String({ maxLength: 50 }) }),
        body: Type.Object(
          {
            adopted: Type.Optional(Type.Boolean()),
            effectiveFrom: Type.Optional(Nullable(Day('effectiveFrom'))),
            effectiveTo: Type.Optional(Nullable(Day('effectiveTo'))),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: PolicyListing, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (req) => patchPolicy(app.deps.db, req.params.id, req.body, req.principal),
  );
};

export default policyRoutes;
