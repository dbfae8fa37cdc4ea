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
