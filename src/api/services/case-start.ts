// Starting a case: Idempotency-Key handling (API.md "Cases") and the start itself, shared by every
// create endpoint so that each process answers alike.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Db } from '../../db/client';
import { claimIdempotencyKey } from '../../db/repositories/idempotency';
import type { CaseView } from '../../domain/cases';
import type { Limits } from '../../config';
import { caseDetails, startingSearchAttributes } from '../../temporal/search-attributes';
import { openedUpdate } from '../../workflows/kernel/messages';
import { ApiError } from '../errors';
import type { Principal } from '../plugins/auth';
import { readCaseDocument } from './cases';
import { countCaseCreation } from './case-quota';
import { bodyHash, replayOf } from './idempotency';
import { updateError } from './workflow-errors';

export interface StartSpec<I> {
  workflowType: string;
  /** Builds the workflow input for a new case id (called only when a workflow is to be started). */
  input: (caseId: string) => I & { caseId: string };
  /** The initial view, for the search attributes and summary shown in the Temporal UI. */
  view: (input: I & { caseId: string }) => CaseView;
}

export interface StartContext {
  db: Db;
  temporal: Client;
  taskQueue: string;
  principal: Principal;
  route: string;
  body: unknown;
  idempotencyKey?: string;
  /** The case id of an Idempotency-Key whose first attempt died before starting its case (plugins/idempotency.ts). */
  resumeCaseId?: string;
  caseType: string;
  limits: Limits;
}

/** What a create service is called with: the route, the body and the case type are its own. */
export type CreateContext = Omit<StartContext, 'route' | 'body' | 'caseType'>;

/** The context of a create request, as the routes pass it to their service. */
export function createContext(deps: Pick<StartContext, 'db' | 'temporal' | 'taskQueue' | 'limits'>, req: FastifyRequest): CreateContext {
  return { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, limits: deps.limits, principal: req.principal, ...req.idempotency };
}

const OPEN_TIMEOUT_MS = 30_000;

/**
 * Starts the case and answers 201 with it once its first state is committed. With an
 * Idempotency-Key, exactly one of several concurrent requests starts it; the others get the case
 * (200) or 409 idempotency_in_progress (services/idempotency.ts). A new case counts against its
 * principal's case-creation quota; a retry of one counts nothing.
 * @throws 422 idempotency_key_reused, 409 idempotency_in_progress, 429 rate_limited (the quota), 503 processing_delayed
 */
export async function startCase<I>(ctx: StartContext, spec: StartSpec<I>): Promise<{ status: 200 | 201; body: unknown }> {
  let caseId = ctx.resumeCaseId ?? `${ctx.caseType}-${randomUUID()}`;
  if (ctx.idempotencyKey && !ctx.resumeCaseId) {
    const use = { db: ctx.db, temporal: ctx.temporal, principalId: ctx.principal.id, key: ctx.idempotencyKey, route: ctx.route, body: ctx.body };
    // The key and the quota in one transaction: a creation refused by the quota leaves the key
    // free, and a retry of a case already counted (the key claimed before) counts nothing.
    const claim = await ctx.db.transaction(async (tx) => {
      const c = await claimIdempotencyKey(tx, ctx.principal.id, ctx.idempotencyKey!, { route: ctx.route, bodyHash: bodyHash(ctx.body), caseId });
      if (c.claimed) await countCaseCreation(tx, ctx.principal, ctx.limits.caseCreationsPerHour);
      return c;
    });
    if (!claim.claimed) {
      const replay = await replayOf(use, claim.record);
      if (replay) return replay;
      caseId = claim.record.caseId; // its first attempt died before starting the case: start it now
    }
  } else if (!ctx.resumeCaseId) {
    await countCaseCreation(ctx.db, ctx.principal, ctx.limits.caseCreationsPerHour);
  }
  await startWorkflow(ctx, spec, caseId);
  const doc = await readCaseDocument(ctx.db, caseId);
  if (!doc) throw new ApiError(503, 'processing_delayed', 'the case was accepted but is not recorded yet; retry with the same Idempotency-Key', { caseId });
  return { status: 201, body: doc };
}

async function startWorkflow<I>(ctx: StartContext, spec: StartSpec<I>, caseId: string): Promise<void> {
  const input = spec.input(caseId);
  const view = spec.view(input);
  const startOp = new WithStartWorkflowOperation(spec.workflowType, {
    workflowId: caseId,
    taskQueue: ctx.taskQueue,
    args: [input],
    // A retry of the same Idempotency-Key joins the running case instead of failing.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: new TypedSearchAttributes(startingSearchAttributes(view)),
    staticSummary: view.summary,
    staticDetails: caseDetails(view),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ctx.temporal.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: startOp }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiError(503, 'processing_delayed', 'the case was started but no worker has recorded it yet; retry with the same Idempotency-Key', { caseId })),
          OPEN_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return; // closed already: it is recorded
    const refused = updateError(err);
    // Received, but its first step could not be recorded: the case exists and shows needsAttention.
    if (refused instanceof ApiError && refused.code === 'needs_attention') return;
    throw refused;
  } finally {
    clearTimeout(timer);
  }
}
