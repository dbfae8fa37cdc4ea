// The one error shape of API.md: {"error": {"code", "message", "details"}}.
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to the refusal (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new ApiError(400, code, message, details);
export const unauthorized = (message = 'a valid bearer token is required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string, details?: unknown) => new ApiError(403, 'forbidden', message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new ApiError(422, code, message, details);
/** 429 rate_limited (API-2.md): `Retry-After` says in whole seconds when to try again. */
export const rateLimited = (message: string, retryAfterSeconds: number, details: Record<string, unknown>) =>
  new ApiError(429, 'rate_limited', message, { ...details, retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
