import type { Db } from '../db/client';
import { upsertCaseDelta } from '../db/repositories/cases';
import { linkCaseDocuments } from '../db/repositories/documents';
import { upsertGrant } from '../db/repositories/grants';
import { appendAuditAllTx } from '../db/repositories/audit';
import { upsertTask } from '../db/repositories/tasks';
import { insertNotice } from '../db/repositories/supervision';
import { loadedYears } from '../db/repositories/calendar-years';
import { WorkingDayCalendar } from '../domain/calendar';
import { workingDaysBetween } from '../domain/supervision';
import type { TransitionInput } from '../domain/transition';
import type { WebhookSettings } from '../config';
import { caseBefore, knownTasks, liveSubscriptions, writeOutbox } from '../db/repositories/webhooks';
import { transitionEvents } from '../domain/webhooks';
import { wakeDispatchersFromActivity } from './webhooks';
import { countDeadlines } from '../metrics';

export function transitionActivities({ db, webhooks }: { db: Db; webhooks?: WebhookSettings }) {
  return {
    /**
     * One transaction per case transition: the audit entries, the grants and the projection commit
     * together or not at all. Idempotent under retry (event keys, grant ids, revision guard).
     * The webhook events it causes are written to the outbox in the same transaction (their ids
     * derived from the event, so a retry writes none twice); their dispatchers are told after.
     */
    async commitTransition(t: TransitionInput): Promise<void> {
      const notify = await db.transaction(async (tx) => {
        // The webhook events need the case and its tasks as they were; read only when a party
        // agency subscribes to anything (most transitions: none), saving two reads per transition.
        const parties = [t.projection.requesterAgencyId, t.projection.providerAgencyId].filter((a): a is string => !!a);
        const subs = await liveSubscriptions(tx, [...new Set(parties)]);
        const before = subs.length ? await caseBefore(tx, t.projection.caseId) : null;
        const known = subs.length ? await knownTasks(tx, t.tasks.map((x) => x.taskId)) : new Set<string>();
        for (const g of t.grants) {
          await upsertGrant(tx, {
            ...g,
            revision: t.revision,
            caseId: t.projection.caseId,
            validFrom: new Date(g.validFrom),
            validTo: g.validTo ? new Date(g.validTo) : null,
          });
        }
        for (const task of t.tasks) {
          await upsertTask(tx, {
            taskId: task.taskId,
            caseId: t.projection.caseId,
            caseType: t.projection.type,
            kind: task.kind,
            assigneeAgencyId: task.assignee.agencyId,
            assigneeRole: task.assignee.role,
            assigneeJurisdiction: task.assignee.jurisdiction,
            status: task.status,
            actions: task.actions,
            requiredFields: task.requiredFields,
            forms: task.forms ?? null,
            context: task.context ?? null,
            citation: task.citation,
            dueDate: task.deadline?.dueDate ?? null,
            dueAt: task.deadline ? new Date(task.deadline.dueAt) : null,
            remindAt: task.deadline ? new Date(task.deadline.remindAt) : null,
            provisional: task.deadline?.provisional ?? false,
            onMissed: task.deadline?.onMissed ?? null,
            escalated: task.escalated,
            revision: t.revision,
            outcome: task.outcome,
            openedAt: new Date(task.openedAt),
            closedAt: task.closedAt ? new Date(task.closedAt) : null,
            ...(task.claimedBy === undefined ? {} : { claimedBy: task.claimedBy }),
          });
        }
        if (t.documents?.length) await linkCaseDocuments(tx, t.projection.caseId, t.documents);
        for (const n of t.notices ?? []) {
          await insertNotice(tx, {
            ...n,
            caseId: t.projection.caseId,
            caseType: t.projection.type,
            jurisdiction: t.projection.jurisdiction,
            dueAt: new Date(n.dueAt),
            issuedAt: new Date(t.at ?? Date.now()),
          });
        }
        const { view, viewOps, ...row } = t.projection;
        await upsertCaseDelta(tx, {
          ...row,
          receivedAt: new Date(row.receivedAt),
          revision: t.revision,
          ...(t.at ? { at: new Date(t.at) } : {}),
          // Read once a case has its first outcome: the report's working days to decision.
          workingDaysTo: async (from, to) => {
            try {
              const cal = new WorkingDayCalendar(await loadedYears(tx));
              return workingDaysBetween((d) => cal.isWorkingDay(d), from.toISOString(), to.toISOString());
            } catch {
              return null; // a date outside the calendar's years: unknown, not a wrong number
            }
          },
          ops: viewOps ?? [{ path: [], set: view }],
          ...(t.attention ? { needsAttention: t.attention } : {}),
        });
        const notified = subs.length ? await writeOutbox(tx, transitionEvents(t, before, known, new Date().toISOString()), subs) : [];
        // The audit entries last: appending locks the case chain's head row until COMMIT, so the
        // other writes of the transition happen before it and another writer of the same chain
        // (attention, grant suspensions) waits only for the appends (everything still commits at
        // once). Row locks are taken before the head's, in the order those writers take them.
        await appendAuditAllTx(
          tx,
          t.audit.map((e) => ({ ...e, at: new Date(e.at) })),
        );
        return notified;
      });
      countDeadlines(t.projection.type, t.audit);
      await wakeDispatchersFromActivity(notify, webhooks);
    },
  };
}
