// Shared TypeBox schemas: each route declares params, body and every response with these, so the
// generated OpenAPI document (GET /docs/json) describes the contract of API.md.
import { Type, type TSchema, type TSchemaOptions } from 'typebox';
import { rule } from './validation';

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

const ERROR_TEXT = {
  400: 'malformed request',
  401: 'missing or unknown token',
  403: 'not allowed',
  404: 'not found or not visible',
  409: 'conflict with the current state',
  422: 'well-formed but invalid (a rule of the process, or a reference to something that does not exist)',
  429: 'rate limited: retry after the seconds in Retry-After',
  503: "a backing service (PostgreSQL, Temporal) or the case's worker did not answer in time; retry later",
} as const;
type ErrorStatus = keyof typeof ERROR_TEXT;

/**
 * The error responses a route can give, described once. Every route of the API can also be rate
 * limited (429) and find PostgreSQL or Temporal unavailable (503), so those two are always listed.
 */
export function errorResponses(...codes: ErrorStatus[]): Record<number, TSchema> {
  const all = [...new Set<ErrorStatus>([...codes, 429, 503])].sort();
  return Object.fromEntries(all.map((c) => [c, c === 429 ? { ...err(ERROR_TEXT[c]), headers: RetryAfter } : err(ERROR_TEXT[c])]));
}

/** For routes that touch no backing service: they too may be rate limited. */
export const rateLimited = () => ({ 429: { ...err(ERROR_TEXT[429]), headers: RetryAfter } });

/**
 * One of `values`: the union of their literals (anyOf of consts, as the OpenAPI document shows it),
 * typed as the union of the values. Type.Union of a mapped array is typed `never` (its members are
 * not a tuple), which would let anything through unchecked; the schema is the same either way.
 */
export const LiteralUnion = <const V extends string>(values: readonly V[], options?: TSchemaOptions) =>
  Type.Unsafe<V>(Type.Union(values.map((v) => Type.Literal(v)), options));

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const INSTANT = '^\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';
/**
 * An instant as the calendar reads it: a real date and time with seconds and its offset (a bare
 * local time would depend on the machine). Given `refusal`, a malformed one is refused with 422.
 */
export const Instant = (refusal?: { code: string; message: string }, description = 'ISO 8601 instant with its offset') => {
  const options = { maxLength: 40, description, examples: ['2026-09-30T10:00:00+08:00'] };
  return refusal
    ? Type.String({ ...options, allOf: [rule(refusal, { format: 'date-time', pattern: INSTANT })] })
    : Type.String({ ...options, format: 'date-time', pattern: INSTANT });
};

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'letters, digits, . _ -' });

/**
 * Text a person must write: 1 to `max` characters and more than spaces. The second part is a rule
 * of the process (422 `code`, as its domain check answers), not a matter of form.
 */
export const FilledText = (max: number, code: string, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    ...(description ? { description } : {}),
    allOf: [rule({ code, message: 'must say something: more than spaces' }, { pattern: '\\S' })],
  });

/**
 * `true`, as a commitment must be (422 `commitment_required` otherwise): a boolean on the wire,
 * typed `true` for the handler (a route that validates late re-checks it with the other rules).
 */
export const Commitment = (description: string) =>
  Type.Unsafe<true>(
    Type.Boolean({ description, allOf: [rule({ code: 'commitment_required', message: 'must be true: the commitment is required' }, { const: true })] }),
  );

/** The path of a route under /cases/{caseId}. */
export const CaseParams = Type.Object({ caseId: Type.String({ maxLength: 200 }) });

export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
export const Cursor = Type.String({
  maxLength: 500,
  description: 'opaque: the nextCursor of the previous page; a cursor the API did not issue is malformed (400 invalid_cursor)',
});

export const DeadlineView = Type.Object({
  key: Type.String(),
  unit: Type.Optional(
    Type.Union([Type.Literal('working_days'), Type.Literal('hours')], {
      description: 'what the period counts: working days of the official calendar, or hours on the clock (rest days included); absent on deadlines recorded before hours: working days',
    }),
  ),
  workingDays: Type.Optional(Type.Integer({ description: 'the period in working days (unit working_days)' })),
  hours: Type.Optional(Type.Integer({ description: 'the period in hours (unit hours)' })),
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

/** The optional Idempotency-Key of a create request (API.md "Cases"). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

/** A case received on paper or by e-mail, registered by the operations agency with its real receipt. */
export const RegistrationSchema = (what: string, since: string) =>
  Type.Object(
    {
      requesterAgencyId: Id,
      receivedAt: Instant(
        { code: 'invalid_received_at', message: 'must be an ISO 8601 instant with its offset' },
        `when the ${what} really arrived (ISO instant with offset, not in the future)`,
      ),
      channel: Type.Union([Type.Literal('paper'), Type.Literal('email'), Type.Literal('other')]),
      reference: Type.Optional(Type.String({ maxLength: 200 })),
    },
    {
      additionalProperties: false,
      description: `Operations agency only: a ${what} received on paper or by e-mail; its deadlines count from receivedAt${since}.`,
    },
  );
