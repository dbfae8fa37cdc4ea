import compress from '@fastify/compress';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { processIds } from '../../domain/process';
import { decisionFieldCatalogue } from '../../domain/decision-forms';
import { rule, UNKNOWN_FIELDS_REFUSAL } from '../validation';
import { claim, decide, handOver, listInbox, release, type taskView } from '../services/tasks';
import { sendJson, taskJson } from '../task-json';
import { Cursor, errorResponses, Limit, LiteralUnion } from '../schemas';
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
    requiredFields: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'for each action, the fields it requires (derived from forms)' }),
    forms: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
      description: "for each action, the JSON Schema (draft 2020-12) of the decision's fields besides action: types, required, limits, descriptions in Chinese and English",
    }),
    citation: Type.String(),
    claimedBy: Type.Union([Type.String(), Type.Null()]),
    openedAt: Type.String(),
    // What a process shows on its task beside the case (its descriptor's tasks' context).
    conflicts: Type.Optional(
      Type.Array(Type.Object({ code: Type.String(), datasetId: Type.String(), providerAgencyId: Type.String() }), {
        description: "a catalog review's 一数一源 conflicts (sip-2021:8): data items another agency's published dataset holds as authoritative; approve then names sourceOf",
      }),
    ),
    round: Type.Optional(Type.Integer({ description: 'which review round (a returned catalog entry is reviewed again)' })),
    order: Type.Optional(
      Type.Object(
        { reason: Type.String(), workingDays: Type.Integer(), orderedBy: Type.String(), supervisionTaskId: Type.String(), lateTaskId: Type.String() },
        { description: 'a correction task: the order it carries out (责令限期改正, js-2020:49)' },
      ),
    ),
  },
  { $id: 'Task' },
);
/**
 * A decision: `action` and the action's fields. Which fields an action takes, and of which type,
 * is the task's own form (its `forms`), checked before the case is asked; the body names every
 * field any form has, so that a field no decision takes, or one of the wrong type, is refused with
 * 422 invalid_decision_fields like a field the task's form does not take.
 */
const invalidFields = (message: string) => ({ code: 'invalid_decision_fields', message });
/**
 * A field's type only (lists: of what), every level a rule (422 invalid_decision_fields); its
 * limits and whether it is required are the task's form, judged in order by the task.
 */
const typeOf = (form: Record<string, unknown>): Record<string, unknown> =>
  rule(invalidFields('is not of its type'), {
    type: form.type,
    ...(form.items ? { items: typeOf(form.items as Record<string, unknown>) } : {}),
    ...(form.description ? { description: form.description } : {}),
  });
const fieldForm = (form: Record<string, unknown>) => Type.Optional(Type.Unsafe(typeOf(form)));
const DecisionBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 50, description: "one of the task's actions" }),
    // Every field of every process's decisions, by name (OpenAPI 3.0 has no patternProperties).
    ...Object.fromEntries(Object.entries(decisionFieldCatalogue()).map(([name, form]) => [name, fieldForm(form)])),
  },
  { additionalProperties: false, [UNKNOWN_FIELDS_REFUSAL]: invalidFields('is not a field of any decision') },
);

/** Tasks written with their forms' JSON spliced in (task-json.ts); the schema stays the contract. */
const tasksJson = taskJson<ReturnType<typeof taskView>>(TaskView);

const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 300 }) });

const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(TaskView);
  // Task answers compressed for clients that accept it (Accept-Encoding; the value is the same):
  // an inbox page of 50 is ≈ 74 kB of JSON, mostly the same few forms again, ≈ 2–3 kB gzipped in
  // ≈ 0.2 ms of CPU, while writing the 74 kB to the socket cost ≈ 1 ms (issue 17). Compressed in
  // the request, not streamed through the thread pool: a page (≤ 200 items, ≤ 0.3 MB) takes < 1 ms.
  await app.register(compress, { threshold: 1024, syncThreshold: 1 << 20 });

  app.get(
    '/inbox',
    {
      preHandler: app.authenticate,
      schema: {
        summary: "Open tasks of the caller's agency and roles (and its jurisdiction's departments), soonest due first",
        tags: tagged('tasks'),
        querystring: Type.Object({
          caseType: Type.Optional(LiteralUnion(processIds())),
          overdue: Type.Optional(Type.Boolean()),
          claim: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unclaimed')])),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Task')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401) },
      },
    },
    async (req, reply) => sendJson(reply, tasksJson.page(await listInbox(app.deps.db, req.principal, { ...req.query, limit: req.query.limit ?? 50 }))),
  );

  app.post(
    '/tasks/:taskId/decision',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Decide a task (a workflow Update: validated, and answered once committed)',
        tags: tagged('tasks'),
        description:
          '403 if the caller is not the assignee, 409 if the task is no longer open (decided, deemed, withdrawn), taken by a ' +
          'colleague, or its deadline decided (deadline_passed: deemed consent at dueAt), 422 if the action is not offered, its required ' +
          "fields are missing — above all a refusal without legalBasis — or its fields do not fit the task's form (invalid_decision_fields, " +
          'with the paths). Messages on one case are taken one at a time: two concurrent decisions on one task, exactly one wins.',
        params: TaskParams,
        body: DecisionBody,
        response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => decide(app.deps.db, app.deps.temporal, req.params.taskId, req.principal, req.body),
  );

  const claimSchema = (summary: string) => ({ summary, tags: tagged('tasks'), params: TaskParams, response: { 200: Type.Ref('Task'), ...errorResponses(400, 401, 403, 404, 409) } });
  app.post('/tasks/:taskId/claim', { preHandler: app.authenticate, schema: claimSchema('Take a task: colleagues then see it as taken') }, async (req, reply) =>
    sendJson(reply, tasksJson.one(await claim(app.deps.db, app.deps.temporal, req.params.taskId, req.principal))),
  );
  app.post('/tasks/:taskId/release', { preHandler: app.authenticate, schema: claimSchema('Give a claimed task back to the agency') }, async (req, reply) =>
    sendJson(reply, tasksJson.one(await release(app.deps.db, app.deps.temporal, req.params.taskId, req.principal))),
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
    async (req, reply) => sendJson(reply, tasksJson.one(await handOver(app.deps.db, app.deps.temporal, req.params.taskId, req.principal, req.body.principalId))),
  );
};

export default taskRoutes;
