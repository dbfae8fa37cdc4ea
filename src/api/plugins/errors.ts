import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from '../errors';
import { validationFailure } from '../validation';

function toSnake(code: string): string {
  return code
    .replace(/^FST_ERR_/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/**
 * One error handler for the whole API (API.md "Errors"): every refusal has the same JSON shape, and
 * malformed input of any kind is a 4xx, never a 5xx.
 */
export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError | ApiError | Error, req, reply) => {
      if (err instanceof ApiError) {
        if (err.headers) void reply.headers(err.headers);
        return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } });
      }
      const fe = err as FastifyError;
      if (fe.validation) {
        const failure = validationFailure(fe.validation, fe.validationContext ?? '');
        return reply.status(failure.statusCode).send({ error: { code: failure.code, message: failure.message, details: failure.details } });
      }
      const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
      if (status >= 400 && status < 500) {
        const code = fe.code ? toSnake(fe.code) : 'bad_request';
        return reply.status(status).send({ error: { code, message: fe.message } });
      }
      if (isUnavailable(err)) {
        req.log.warn({ err }, 'dependency unavailable');
        return reply.status(503).send({ error: { code: 'unavailable', message: 'a backing service (PostgreSQL or Temporal) is unavailable; retry later' } });
      }
      req.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ error: { code: 'internal_error', message: 'internal error; it has been logged' } });
    });

    app.setNotFoundHandler((req, reply) => {
      reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
    });
  },
  { name: 'errors' },
);

/** PostgreSQL or Temporal not answering: a 503 the caller may retry, not an internal error. */
function isUnavailable(err: unknown): boolean {
  for (let e = err as { code?: string; name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = String(e.code ?? '');
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
    if (/^(08|57)/.test(code)) return true; // connection exceptions, operator intervention
    if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
    if (/Connection terminated|connect ECONNREFUSED|UNAVAILABLE|timeout exceeded when trying to connect/i.test(e.message ?? '')) return true;
  }
  return false;
}
