// Which activity failures retrying can fix (API-2.md "Integrity"). A connection refused, a server
// restarting, a serialization failure or a deadlock go away by themselves: the activity is retried
// with backoff, without end. Bad data, a violated constraint or a programming error fail the same
// way on every attempt: the activity fails at once, non-retryably, and the case's kernel records
// that it needs attention (kernel/steps.ts) instead of retrying silently forever.
import { ApplicationFailure } from '@temporalio/common';
import { storableText } from '../domain/storable-text';

/** SQLSTATE classes that are transient: connection, rollback (serialization, deadlock), resources, operator, system. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)/;
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TRANSIENT_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i;

interface ErrorLike {
  code?: unknown;
  name?: string;
  message?: string;
  cause?: unknown;
}

/** True when the error (or one of its causes) is one that a later attempt may not meet. */
export function isTransient(err: unknown): boolean {
  for (let e = err as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (TRANSIENT_NODE_CODES.has(code) || (code.length === 5 && TRANSIENT_SQLSTATE.test(code))) return true;
    if (TRANSIENT_MESSAGE.test(e.message ?? '')) return true;
  }
  return false;
}

/** The PostgreSQL error in the chain (the driver's, not the query builder's wrapper, which quotes the parameters). */
function postgresError(err: unknown): (ErrorLike & { code: string }) | null {
  for (let e = err as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as ErrorLike & { code: string };
  }
  return null;
}

/**
 * The error an activity throws for `err`: itself when transient (Temporal retries it) or already
 * an ApplicationFailure (it says itself whether it is retryable); otherwise a non-retryable
 * ApplicationFailure of type `sqlstate_<code>` or the error's name, with a storable message that
 * never quotes the data (only PostgreSQL's own message, or the error's).
 */
export function classify(err: unknown): unknown {
  if (err instanceof ApplicationFailure || isTransient(err)) return err;
  const pg = postgresError(err);
  const e = err as ErrorLike;
  const message = storableText(pg ? `PostgreSQL ${pg.code}: ${pg.message ?? ''}` : `${e.name ?? 'Error'}: ${e.message ?? String(err)}`);
  return ApplicationFailure.nonRetryable(message, pg ? `sqlstate_${pg.code}` : (e.name ?? 'Error'));
}

/** Wraps every activity so that what retrying cannot fix fails at once (see classify). */
export function failingFast<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          throw classify(err);
        }
      },
    ]),
  ) as T;
}
