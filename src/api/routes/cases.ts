import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { CASE_TYPES } from '../../domain/cases';
import { getCaseDocument, getVisibleCase, listVisibleCases } from '../services/cases';
import { caseAction, retryCase } from '../services/case-actions';
import { CaseParams, Cursor, errorResponses, FilledText, Limit, LiteralUnion } from '../schemas';
import { tagged, type TagKey } from '../tags';
import { refuseMalformed, rule } from '../validation';

const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cases/:caseId',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'A case with its deadlines, outcome, grants and audit history',
        tags: tagged('cases'),
        params: CaseParams,
        response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getVisibleCase(app.deps.db, req.params.caseId, req.principal),
  );

  app.get(
    '/cases',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Cases visible to the caller, newest first',
        tags: tagged('cases'),
        querystring: Type.Object({
          type: Type.Optional(LiteralUnion(CASE_TYPES)),
          status: Type.Optional(Type.String({ maxLength: 50 })),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: {
          200: Type.Object({ items: Type.Array(Type.Record(Type.String(), Type.Unknown())), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (req) => {
      return listVisibleCases(app.deps.db, req.principal, { ...req.query, limit: req.query.limit ?? 50 });
    },
  );

  app.get(
    '/cases/:caseId/documents/:sha256',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'A document of the case (e.g. submitted result materials), stored once under its sha256; the case refers to it as {document, count, bytes}',
        tags: tagged('cases'),
        params: Type.Object({ caseId: Type.String({ maxLength: 200 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: {
          200: Type.Object({ document: Type.String(), count: Type.Integer(), bytes: Type.Integer(), content: Type.Unknown(), storedAt: Type.String() }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => {
      const { caseId, sha256 } = req.params;
      return getCaseDocument(app.deps.db, caseId, sha256, req.principal);
    },
  );

  app.post(
    '/cases/:caseId/retry',
    {
      preHandler: app.requireRole('operations'),
      schema: {
        summary: 'Try again the step a case is stuck on (it needs attention): admins and the operations agency of its jurisdiction',
        description:
          'A case whose step failed in a way retrying cannot fix (bad data, a violated constraint, a bug) shows needsAttention and waits; ' +
          'its deadlines keep running. 409 nothing_to_retry when the case is not stuck; 409 retry_failed when the step failed again.',
        tags: tagged('cases'),
        params: CaseParams,
        response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => retryCase(app.deps.db, app.deps.temporal, req.params.caseId, req.principal),
  );

  // [action, summary, group, fields, fields the process requires (422 missing_fields without)]
  const actions: [string, string, TagKey, Record<string, TSchema>, string[]][] = [
    ['withdraw', 'Withdraw a pending request (the requester); open tasks close and deadlines are cancelled', 'cases', { reason: Type.String({ maxLength: 4000 }) }, []],
    [
      'dispose',
      'Confirm disposal of shared data once its purpose is met (cm-draft:19); the grant ends',
      'shareRequests',
      { method: Type.String({ maxLength: 500 }), note: Type.String({ maxLength: 4000 }) },
      [],
    ],
    [
      'request-extension',
      'Objection (the provider): ask the competent department for a longer handling period, giving reasons and the new total in working days from receipt (at most 30, sz-open-2023:10); the deadline moves only on approval',
      'objections',
      { reason: FilledText(4000, 'missing_fields'), workingDays: Type.Integer({ minimum: 1 }) },
      ['reason', 'workingDays'],
    ],
    ['confirm', 'Objection (the reporter): confirm the answer (sip-2021:21); the case closes and the dispute mark is cleared', 'objections', { note: Type.String({ maxLength: 4000 }) }, []],
    [
      'dispute',
      'Objection (the reporter): dispute the answer, saying why — back to the provider once, then to the competent department',
      'objections',
      { reason: FilledText(4000, 'missing_fields') },
      ['reason'],
    ],
  ];
  for (const [action, summary, tag, fields, required] of actions) {
    const needs = required.length ? [rule({ code: 'missing_fields', message: `"${action}" needs ${required.join(', ')}` }, { required })] : [];
    app.post(
      `/cases/:caseId/${action}`,
      {
        // The case's workflow judges the fields after who asks and the state of the case, and names
        // what is missing (422): its rules are in the schema, its answer stays its own.
        attachValidation: true,
        preHandler: [refuseMalformed, app.authenticate],
        schema: {
          summary,
          tags: tagged(tag),
          params: CaseParams,
          body: Type.Optional(
            Type.Object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])), {
              additionalProperties: false,
              ...(needs.length ? { allOf: needs } : {}),
            }),
          ),
          response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (req) =>
        caseAction(app.deps.db, app.deps.temporal, (req.params as { caseId: string }).caseId, action, req.principal, (req.body as Record<string, unknown>) ?? {}),
    );
  }
};

export default caseRoutes;
