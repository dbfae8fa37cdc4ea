// The one place a workflow records what happened: every transition is committed atomically by
// one activity (projection + audit entries + grants), then mirrored into search attributes and
// the current-details line of the Temporal UI.
import { proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import type { CaseStart, CaseView, DeadlineView, Outcome } from '../../domain/cases';
import type { GrantDraft, TaskState } from '../../activities/transitions';
import { SA } from '../../temporal/search-attributes';

const { commitTransition } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface AuditEvent {
  actor: string;
  event: string;
  detail?: Record<string, unknown>;
  citation?: string | null;
}

export interface Change {
  status?: string;
  outcome?: Outcome | null;
  deadlines?: DeadlineView[];
  overdue?: boolean;
  /** Process-specific parts of the case view (e.g. an agreement and its signatures). */
  view?: Record<string, unknown>;
  events: AuditEvent[];
  grants?: GrantDraft[];
  tasks?: TaskState[];
}

export class CaseRecord {
  /** Revisions committed to PostgreSQL: updates answer only once their change is here. */
  revision = 0;
  private nextRevision = 0;
  private auditSeq = 0;

  constructor(
    readonly start: CaseStart,
    public view: CaseView,
  ) {}

  async commit(change: Change): Promise<void> {
    const at = new Date().toISOString(); // workflow time: deterministic on replay
    this.view = {
      ...this.view,
      ...(change.view ?? {}),
      status: change.status ?? this.view.status,
      outcome: change.outcome === undefined ? this.view.outcome : change.outcome,
      deadlines: change.deadlines ?? this.view.deadlines,
      overdue: change.overdue ?? this.view.overdue,
    };
    const revision = ++this.nextRevision;
    const caseId = this.start.caseId;
    await commitTransition({
      revision,
      projection: {
        caseId,
        type: this.view.type,
        status: this.view.status,
        jurisdiction: this.view.jurisdiction,
        requesterAgencyId: this.view.parties.requesterAgencyId ?? null,
        providerAgencyId: this.view.parties.providerAgencyId ?? null,
        datasetId: this.view.datasetId,
        createdBy: this.start.createdBy,
        receivedAt: this.start.receivedAt,
        view: this.view,
      },
      audit: change.events.map((e) => ({
        eventKey: `${caseId}:${workflowInfo().firstExecutionRunId}:${++this.auditSeq}`,
        caseId,
        at,
        actor: e.actor,
        event: e.event,
        detail: e.detail ?? {},
        citation: e.citation ?? null,
      })),
      grants: change.grants ?? [],
      tasks: (change.tasks ?? []).map((t) => ({ ...t })),
    });
    this.revision = revision;
    this.mirror();
  }

  /** Search attributes and the UI's one-line details follow the committed state. */
  private mirror(): void {
    const next = this.view.deadlines
      .filter((d) => d.state === 'running')
      .map((d) => d.dueAt)
      .sort()[0];
    upsertSearchAttributes([
      { key: SA.caseStatus, value: this.view.status },
      { key: SA.nextDeadline, value: next ? new Date(next) : null },
    ]);
    setCurrentDetails(
      `**${this.view.status}** · ${this.view.summary}` + (next ? ` · next deadline ${next}` : '') + ` · policy ${this.view.policy.id}`,
    );
  }
}
