import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, conflict } from '../errors';

/**
 * Turns what a workflow's update validator or handler refused into the HTTP answer it encodes
 * (`details[0] = {status, code, message, details}`, see kernel/task-kernel.ts `refuse`).
 */
export function updateError(err: unknown): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const r = err.cause.details?.[0] as { status?: number; code?: string; details?: unknown } | undefined;
    if (r?.status && r.code) return new ApiError(r.status, r.code, err.cause.message, r.details);
  }
  if (err instanceof WorkflowNotFoundError || /already completed|workflow execution.*(completed|closed)/i.test(String((err as Error)?.message))) {
    return conflict('case_closed', 'the case is closed: nothing more can be decided on it');
  }
  return err as Error;
}

const UPDATE_TIMEOUT_MS = 30_000;

/**
 * An update answered within 30 s, or a 503 the caller may retry: with no worker running, an
 * update would otherwise hold the HTTP request open indefinitely. (A decision accepted meanwhile
 * still takes effect; a retry then answers 409.)
 */
export async function withinUpdateTimeout<T>(caseId: string, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiError(503, 'processing_delayed', 'the case did not answer in time (no worker?); retry later', { caseId })),
          UPDATE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    throw updateError(err);
  } finally {
    clearTimeout(timer);
  }
}
