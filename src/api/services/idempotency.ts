// Idempotency-Key (API.md "Cases"): the same key with the same body stands for one case. A retry
// gets that case back before anything is validated again (today's rules may have changed since);
// concurrent first attempts create one case: one answers 201, the others 200 once it is recorded,
// or 409 idempotency_in_progress with Retry-After until then.
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { takeOverIdempotencyKey, type IdempotencyRecord } from '../../db/repositories/idempotency';
import { canonicalJson } from '../../domain/canonical-json';
import { ApiError, unprocessable } from '../errors';
import { readCaseDocument } from './cases';

/** A first attempt that has not started its case within this time is taken to have failed. */
const STALE_MS = 30_000;

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('hex');
}

export interface KeyUse {
  db: Db;
  temporal: Client;
  principalId: string;
  key: string;
  route: string;
  body: unknown;
}

/**
 * What a request carrying a key already used should get: the recorded case (200), or null when the
 * first attempt died before starting its case (this request then starts it, under the recorded
 * case id). Throws 422 idempotency_key_reused for another body, 409 idempotency_in_progress while
 * the first attempt is still creating the case.
 */
export async function replayOf(use: KeyUse, rec: IdempotencyRecord & { createdAt: Date }): Promise<{ status: 200; body: unknown } | null> {
  if (rec.route !== use.route || rec.bodyHash !== bodyHash(use.body)) {
    throw unprocessable('idempotency_key_reused', 'this Idempotency-Key was used with a different request body', { caseId: rec.caseId });
  }
  const doc = await readCaseDocument(use.db, rec.caseId);
  if (doc) return { status: 200, body: doc };
  const staleBefore = new Date(Date.now() - STALE_MS);
  if (rec.createdAt < staleBefore && !(await started(use.temporal, rec.caseId))) {
    if (await takeOverIdempotencyKey(use.db, use.principalId, use.key, staleBefore)) return null;
  }
  throw new ApiError(
    409,
    'idempotency_in_progress',
    'a request with this Idempotency-Key is creating the case; retry shortly to get it',
    { caseId: rec.caseId },
    { 'retry-after': '1' },
  );
}

async function started(temporal: Client, caseId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(caseId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
