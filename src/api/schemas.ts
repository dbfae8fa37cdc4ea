// Shared TypeBox schemas: each route declares params, body and every response with these, so the
// generated OpenAPI document (GET /docs/json) describes the contract of API.md.
import { Type, type TSchema } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

const err = (description: string) => ({ ...Type.Ref('Error'), description });

const RetryAfter = { 'retry-after': { type: 'integer', minimum: 1, description: 'seconds to wait before trying again' } };

/** The error responses a route can give, described once. */
export function errorResponses(...codes: (400 | 401 | 403 | 404 | 409 | 422 | 429 | 503)[]): Record<number, TSchema> {
  const text: Record<number, string> = {
    400: 'malformed request',
    401: 'missing or unknown token',
    403: 'not allowed',
    404: 'not found or not visible',
    409: 'conflict with the current state',
    422: 'well-formed but invalid',
    429: 'rate limited: too many requests or cases; Retry-After says in seconds when to try again',
    503: 'a backing service is unavailable',
  };
  return Object.fromEntries(codes.map((c) => [c, c === 429 ? { ...err(text[c]!), headers: RetryAfter } : err(text[c]!)]));
}

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'letters, digits, . _ -' });

export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
export const Cursor = Type.String({ maxLength: 500 });

export const DeadlineView = Type.Object({
  key: Type.String(),
  workingDays: Type.Integer(),
  dueDate: Type.String(),
  dueAt: Type.String(),
  provisional: Type.Boolean(),
  citation: Type.String(),
  state: Type.String(),
});

export const CaseView = Type.Object(
  {
    caseId: Type.String(),
    type: Type.String(),
    status: Type.String(),
    jurisdiction: Type.String(),
    receivedAt: Type.String(),
    policy: Type.Object({ id: Type.String(), version: Type.String() }),
    parties: Type.Record(Type.String(), Type.Unknown()),
    request: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    outcome: Type.Union([Type.Null(), Type.Record(Type.String(), Type.Unknown())]),
    deadlines: Type.Array(DeadlineView),
    grants: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    needsAttention: Type.Optional(
      Type.Union([Type.Null(), Type.Object({ since: Type.String(), reason: Type.String(), step: Type.String() })], {
        description: 'a step failed in a way retrying cannot fix: operations were given an attention task; POST /v1/cases/{caseId}/retry tries it again',
      }),
    ),
    history: Type.Array(
      Type.Object({
        at: Type.String(),
        actor: Type.String(),
        event: Type.String(),
        detail: Type.Record(Type.String(), Type.Unknown()),
        citation: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { $id: 'Case', additionalProperties: true },
);
