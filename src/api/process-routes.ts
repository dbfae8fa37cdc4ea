// The two kinds of route every process has, built alike: the create route (POST /v1/<cases>) and
// the party actions on a case (POST /v1/cases/:caseId/<action>). A process's route module
// (api/routes/<module>.ts, named by its descriptor) declares its own with these.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import type { ProcessDescriptor } from '../domain/process';
import { caseAction } from './services/case-actions';
import { createContext, type CreateContext } from './services/case-start';
import { CaseParams, errorResponses, IdempotencyHeaders } from './schemas';
import { tagged, type TagKey } from './tags';
import { refuseMalformed, rule } from './validation';

export interface CreateRoute<B extends TObject> {
  process: ProcessDescriptor;
  /** Below /v1, e.g. '/objections'. */
  path: string;
  /** Who may create: `app.authenticate` or `app.requireRole(…)`. */
  preHandler: (req: FastifyRequest) => Promise<void>;
  /**
   * The body's rules of the process (422, marked with `rule()`) are answered by the service with
   * every other defect at once (一次性告知): validation is attached, not thrown, and only a
   * malformed body is refused before (400).
   */
  lateValidation?: boolean;
  summary: string;
  /** What happens next; the Idempotency-Key sentence is added. */
  description: string;
  body: B;
  /** The process's create service: checks what the schema cannot and starts the case. */
  create: (ctx: CreateContext, body: Static<B>) => Promise<{ status: 200 | 201; body: unknown }>;
}

/**
 * POST /v1/<path>: creates a case of the process and answers 201 with it (200 for a retry of the
 * same Idempotency-Key and body). Errors: 400 malformed, 401, 403 role, 409 (a retry still in progress, data withdrawn), 422 the process's rules,
 * 503 not recorded in time.
 */
export function createRoute<B extends TObject>(app: FastifyInstance, r: CreateRoute<B>): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    r.path,
    {
      ...(r.lateValidation ? { attachValidation: true, preHandler: [refuseMalformed, r.preHandler] } : { preHandler: r.preHandler }),
      schema: {
        summary: r.summary,
        tags: tagged(r.process),
        description: `${r.description} Accepts an Idempotency-Key header: the same key and body return the same case.`,
        headers: IdempotencyHeaders,
        body: r.body,
        response: { 200: Type.Ref('Case'), 201: Type.Ref('Case'), ...errorResponses(400, 401, 403, 409, 422, 503) },
      },
    },
    async (req, reply) => {
      // The body is Static<B>: the type provider cannot resolve it for a generic B.
      const result = await r.create(createContext(app.deps, req), req.body as Static<B>);
      return reply.status(result.status).send(result.body);
    },
  );
}

export interface CaseActionRoute {
  action: string;
  summary: string;
  /** The action's fields (no others are taken). */
  body: TObject;
  /** The action may be sent without a body. */
  bodyOptional?: boolean;
}

/**
 * The fields of an action as a body: each optional, those in `required` refused with 422
 * missing_fields when absent (a rule of the process, not a malformed request).
 */
export function actionFields(action: string, fields: Record<string, TSchema>, required: string[] = []): TObject {
  const needs = required.length ? [rule({ code: 'missing_fields', message: `"${action}" needs ${required.join(', ')}` }, { required })] : [];
  return Type.Object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])), {
    additionalProperties: false,
    ...(needs.length ? { allOf: needs } : {}),
  });
}

/** The case actions the routes declare, by action: one declared by several processes is one route. */
export type CaseActionBook = Map<string, (CaseActionRoute & { group: TagKey | ProcessDescriptor })[]>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Case actions declared by the routes (caseActionRoutes), registered together (registerCaseActions). */
    caseActionBook: CaseActionBook;
  }
}

/**
 * Declares POST /v1/cases/:caseId/<action> for each action, in `group`; registerCaseActions adds
 * the routes once every process has declared its own.
 */
export function caseActionRoutes(app: FastifyInstance, group: TagKey | ProcessDescriptor, actions: readonly CaseActionRoute[]): void {
  for (const a of actions) app.caseActionBook.set(a.action, [...(app.caseActionBook.get(a.action) ?? []), { ...a, group }]);
}

/**
 * The declared case actions as routes: the case's workflow judges the fields after who asks and the
 * state of the case (API.md "Cases"), and answers with the case. An action several processes
 * declare (resubmit) is one route in the Cases group, taking the fields of each; the case's own
 * workflow refuses those its process does not take. Errors: 400, 401, 403, 404 (not visible), 409
 * (state, needs attention), 422 (the process's rules).
 * @throws Error when two processes give one field of an action different schemas.
 */
export function registerCaseActions(app: FastifyInstance): void {
  for (const [action, declared] of app.caseActionBook) {
    const shared = declared.length > 1;
    const body = shared ? mergedBody(action, declared.map((d) => d.body)) : declared[0]!.body;
    app.withTypeProvider<TypeBoxTypeProvider>().post(
      `/cases/:caseId/${action}`,
      {
        // The process's rules are in the schema, its answer stays its own (the workflow's).
        attachValidation: true,
        preHandler: [refuseMalformed, app.authenticate],
        schema: {
          summary: shared ? declared.map((d) => d.summary).join(' · ') : declared[0]!.summary,
          tags: tagged(shared ? 'cases' : declared[0]!.group),
          params: CaseParams,
          body: declared.every((d) => d.bodyOptional) ? Type.Optional(body) : body,
          response: { 200: Type.Ref('Case'), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (req) => caseAction(app.deps.db, app.deps.temporal, req.params.caseId, action, req.principal, (req.body ?? {}) as Record<string, unknown>),
    );
  }
}

/** One body taking the fields of every process's body of `action` (and their rules). */
function mergedBody(action: string, bodies: TObject[]): TObject {
  const properties: Record<string, TSchema> = {};
  const rules: unknown[] = [];
  for (const b of bodies) {
    for (const [k, v] of Object.entries(b.properties)) {
      if (properties[k] && JSON.stringify(properties[k]) !== JSON.stringify(v)) throw new Error(`case action ${action}: processes give field ${k} different schemas`);
      properties[k] = v;
    }
    rules.push(...(((b as { allOf?: unknown[] }).allOf) ?? []));
  }
  return Type.Object(properties, { additionalProperties: false, ...(rules.length ? { allOf: rules } : {}) });
}
