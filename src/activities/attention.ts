// A case whose step cannot be done after its retries (API-2.md "Integrity"): the case row shows
// `needsAttention`, the operations agency of its jurisdiction gets an `attention` task, and the
// audit chain records both the failure and its resolution. Written apart from the failed step's own
// transaction (which is what failed), so these writes carry nothing of the data that failed.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { appendAuditTx } from '../db/repositories/audit';
import { auditLog, cases, tasks } from '../db/schema';
import type { Attention, TransitionInput } from '../domain/transition';
import { storableText } from '../domain/storable-text';

export interface AttentionMark {
  eventKey: string;
  attention: Attention;
  /** The case row to create when the case's very first step is the one failing. */
  projection: TransitionInput['projection'];
  taskId: string;
  citation: string;
}

export interface AttentionResolution {
  eventKey: string;
  caseId: string;
  at: string;
  taskId: string;
  /** Who asked for the retry that succeeded. */
  actor: string;
  step: string;
}

/** Any JSON value with every string made storable (the failing view may hold the bad text). */
function storable(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v, 100_000);
  if (Array.isArray(v)) return v.map(storable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k, 200), storable(x)]));
  return v;
}

async function recorded(tx: Parameters<Parameters<Db['transaction']>[0]>[0], eventKey: string): Promise<boolean> {
  const [row] = await tx.select({ seq: auditLog.seq }).from(auditLog).where(eq(auditLog.eventKey, eventKey));
  return !!row;
}

export function attentionActivities({ db }: { db: Db }) {
  return {
    /** Marks the case, opens the operations task and audits it, once (idempotent by event key). */
    async markNeedsAttention(m: AttentionMark): Promise<void> {
      const p = m.projection;
      await db.transaction(async (tx) => {
        if (await recorded(tx, m.eventKey)) return; // a retried attempt, or a late one after the resolution
        await tx
          .insert(cases)
          .values({
            caseId: p.caseId,
            type: p.type,
            status: p.status,
            jurisdiction: p.jurisdiction,
            requesterAgencyId: p.requesterAgencyId,
            providerAgencyId: p.providerAgencyId,
            datasetId: p.datasetId,
            createdBy: p.createdBy,
            receivedAt: new Date(p.receivedAt),
            revision: 0,
            view: storable(p.view ?? { caseId: p.caseId, type: p.type, status: p.status }) as Record<string, unknown>,
            needsAttention: m.attention,
          })
          .onConflictDoUpdate({ target: cases.caseId, set: { needsAttention: m.attention, updatedAt: new Date() } });
        await tx
          .insert(tasks)
          .values({
            taskId: m.taskId,
            caseId: p.caseId,
            caseType: p.type,
            kind: 'attention',
            assigneeAgencyId: null,
            assigneeRole: 'operations',
            assigneeJurisdiction: p.jurisdiction,
            status: 'open',
            actions: ['retry'],
            requiredFields: {},
            citation: m.citation,
            revision: 0,
            outcome: { ...m.attention },
            openedAt: new Date(m.attention.since),
          })
          .onConflictDoNothing();
        await appendAuditTx(tx, {
          eventKey: m.eventKey,
          caseId: p.caseId,
          at: new Date(m.attention.since),
          actor: 'system',
          event: 'needs_attention',
          detail: { ...m.attention, taskId: m.taskId },
          citation: m.citation,
        });
      });
    },

    /** The failed step went through on a retry: the mark and the task go, the chain says who. */
    async resolveNeedsAttention(r: AttentionResolution): Promise<void> {
      await db.transaction(async (tx) => {
        if (await recorded(tx, r.eventKey)) return;
        const at = new Date(r.at);
        await tx.update(cases).set({ needsAttention: null, updatedAt: new Date() }).where(eq(cases.caseId, r.caseId));
        await tx
          .update(tasks)
          .set({ status: 'closed', closedAt: at, outcome: { resolvedBy: r.actor, step: r.step } })
          .where(and(eq(tasks.taskId, r.taskId), eq(tasks.status, 'open')));
        await appendAuditTx(tx, { eventKey: r.eventKey, caseId: r.caseId, at, actor: r.actor, event: 'attention_resolved', detail: { taskId: r.taskId, step: r.step } });
      });
    },
  };
}
