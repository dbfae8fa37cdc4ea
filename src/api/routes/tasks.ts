import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CASE_TYPES } from '../../domain/cases';
import { claim, decide, handOver, listInbox, release } from '../services/tasks';
import { Cursor, errorResponses, Limit } from '../schemas';
import { tagged } from '../tags';

const TaskView = Type.Object(
  {
    taskId: Type.String(),
    caseId: Type.String(),
    caseType: Type.String(),
    kind: Type.String(),
    assignee: Type.Object({ agencyId: Type.Union([Type.String(), Type.Null()]), role: Type.String(), jurisdiction: Type.String() }),
    status: Type.String(),
    dueAt: Type.Union([Type.String(), Type.Null()]),
    dueDate: Type.Union([Type.String(), Type.Null()]),
    provisional: Type.Boolean(),
    overdue: Type.Boolean(),
    escalated: Type.Boolean(),
    dueSoon: Type.Boolean(),
    actions: Type.Array(Type.String()),
    requiredFields: Type.Record(Type.String(), Type.Array(Type.String())),
    citation: Type.String(),
    claimedBy: Type.Union([Type.String(), Type.Null()]),
    openedAt: Type.String(),
  },
  { $id: 'Task' },
);
const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 300 }) });

export default async function taskRoutes(app: FastifyInstance) {
  app.addSchema(TaskView);

  app.get(
    '/inbox',
    {
      preHandler: app.authenticate,
      schema: {
        summary: "Open tasks of the caller's agency and roles (and its jurisdiction's departments), soonest due first",
        tags: tagged('tasks'),
        querystring: Type.Object({
          caseType: Type.Optional(Type.Union(CASE_TYPES.map((t) => Type.Literal(t)))),
          overdue: Type.Optional(Type.Boolean()),
          claim: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unclaimed')])),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Task')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const q = req.query as { caseType?: string; overdue?: boolean; claim?: 'mine' | 'unclaimed'; limit?: number; cursor?: string };
      return listInbox(app.deps.db, req.principal, { ...q, limit: q.limit ?? 50 });
    },
  );

  app.post(
    '/tasks/:taskId/decision',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Decide a task (a workflow Update: validated, and answered once committed)',
        tags: tagged('tasks'),
        description:
          '403 if the caller is not the assignee, 409 if the task is no longer open (decided, deemed, withdrawn) or taken by a ' +
          'colleague, 422 if the action is not offered or its required fields are missing — above all a refusal without legalBasis. ' +
          'Two concurrent decisions on one task: exactly one wins.',
        params: TaskParams,
        body: Type.Object(
          {
            action: Type.String({ minLength: 1, maxLength: 50 }),
            reason: Type.Optional(Type.String({ maxLength: 4000 })),
            legalBasis: Type.Optional(Type.String({ maxLength: 4000 })),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          // Other fields are the action's own (required per action by the task): passed as sent —
          // a union here would let the validator coerce 31 into "31" — and checked by the task.
          { additionalProperties: Type.Unknown() },
        ),
        response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => decide(app.deps.db, app.deps.temporal, (req.params as { taskId: string }).taskId, req.principal, req.body as { action: string }),
  );

  const claimSchema = (summary: string) => ({ summary, tags: tagged('tasks'), params: TaskParams, response: { 200: Type.Ref('Task'), ...errorResponses(400, 401, 403, 404, 409) } });
  app.post('/tasks/:taskId/claim', { preHandler: app.authenticate, schema: claimSchema('Take a task: colleagues then see it as taken') }, async (req) =>
    claim(app.deps.db, app.deps.temporal, (req.params as { taskId: string }).taskId, req.principal),
  );
  app.post('/tasks/:taskId/release', { preHandler: app.authenticate, schema: claimSchema('Give a claimed task back to the agency') }, async (req) =>
    release(app.deps.db, app.deps.temporal, (req.params as { taskId: string }).taskId, req.principal),
  );
  app.post(
    '/tasks/:taskId/assign',
    {
      preHandler: app.authenticate,
      schema: {
        ...claimSchema('Hand a task to a colleague of the same agency who holds its role'),
        body: Type.Object({ principalId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref('Task'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => handOver(app.deps.db, app.deps.temporal, (req.params as { taskId: string }).taskId, req.principal, (req.body as { principalId: string }).principalId),
  );
}
