import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { processIds } from '../../domain/process';
import { getCaseDocument, getVisibleCase, listVisibleCases } from '../services/cases';
import { retryCase } from '../services/case-actions';
import { actionFields, caseActionRoutes } from '../process-routes';
import { CaseParams, Cursor, errorResponses, Limit, LiteralUnion } from '../schemas';
import { tagged } from '../tags';

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
          type: Type.Optional(LiteralUnion(processIds())),
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

  // Withdrawing is an action of several processes (those whose descriptor lists it); each
  // process's own actions are declared with its routes (api/routes/<module>.ts).
  caseActionRoutes(app, 'cases', [
    {
      action: 'withdraw',
      summary: 'Withdraw a pending request (the requester); open tasks close and deadlines are cancelled',
      body: actionFields('withdraw', { reason: Type.String({ maxLength: 4000 }) }),
      bodyOptional: true,
    },
  ]);
};

export default caseRoutes;
