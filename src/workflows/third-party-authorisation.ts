// P10 third-party authorisation filing 第三方授权备案 (sip-2021:34, jy-2023:33, cm-draft:31). One
// workflow per case (workflow id = caseId): the competent department files or returns the
// authorisation (returned: the provider may resubmit), and a filed one is in force until 24:00
// Shanghai of its last day, when a durable timer expires it — unless revoked before. The law's
// rules are in src/domain/third-party-authorisation.ts; waiting, deadlines and escalation in the kernel.
import { sleep } from '@temporalio/workflow';
import { shanghaiDate } from '../domain/calendar/dates';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import {
  authorisationActionRefusal,
  endOfAuthorisation,
  filingPlan,
  resubmitted,
  thirdPartyAuthorisationView,
  type AuthorisationTerms,
  type ThirdPartyAuthorisationInput,
} from '../domain/third-party-authorisation';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent, Change } from './kernel/case-record';
import { caseWorkflow, decisionOf, openCase, planOrFail } from './kernel/case-shell';
import type { CaseActionInput } from './kernel/messages';
import type { TaskResult } from './kernel/task-kernel';

export const thirdPartyAuthorisation = caseWorkflow(async (input: ThirdPartyAuthorisationInput): Promise<CaseView> => {
  const providerAgencyId = input.provider.agencyId;
  let terms: AuthorisationTerms = input.authorisation;
  // One party action at a time: the process takes it when it next waits (see `pending`).
  let action: CaseActionInput | null = null;
  const { record, kernel } = openCase(input, thirdPartyAuthorisationView(input), {
    refusal: (a) =>
      authorisationActionRefusal(a, {
        status: record.view.status,
        providerAgencyId,
        jurisdiction: input.jurisdiction,
        actionPending: action !== null,
        terms,
        plan,
        today: shanghaiDate(new Date().toISOString()),
      }),
    accept: (a) => {
      action = a;
    },
  });
  // After openCase, so that a case no rule covers still closes as failed (kernel/case-shell.ts).
  const plan = planOrFail(() => filingPlan(input.policy));
  const citation = plan.filing.citation;
  const competent: Assignee = { agencyId: null, role: plan.filing.rule.decidedBy ?? 'competent', jurisdiction: input.jurisdiction };

  // The authorisation ends at 24:00 Shanghai of `until`, whatever stage the case is in. A timer,
  // not only a timeout of the wait in hand: the filing task waits on its own deadline, and a
  // timer's firing wakes every wait so it sees the end (a resubmission that moves `until` arms another).
  let endsAt = endOfAuthorisation(terms.until);
  const armExpiry = () => {
    const ms = Date.parse(endsAt) - Date.now();
    if (ms > 0) void sleep(ms).catch(() => undefined);
  };
  armExpiry();
  const ended = () => Date.now() >= Date.parse(endsAt);
  // Read through a function: `action` is set by the update handler, which control flow cannot see.
  const pending = (): CaseActionInput | null => action;
  const revoking = () => pending()?.action === 'revoke';
  const stops = () => revoking() || ended();

  const security = plan.security
    ? { securityReview: terms.securityReview, confidentialityAgreementSha256: terms.confidentialityAgreementSha256, citation: plan.security.rule.citation }
    : null;
  let events: AuditEvent[] = [
    {
      actor: input.provider.principalId,
      event: 'authorisation_submitted',
      detail: { thirdParty: terms.thirdParty, datasetIds: terms.datasetIds, purpose: terms.purpose, scope: terms.scope, from: terms.from, until: terms.until, receivedAt: input.receivedAt },
      citation,
    },
    ...(security ? [{ actor: input.provider.principalId, event: 'security_review_recorded', detail: { ...security }, citation: security.citation }] : []),
  ];

  const endRevoked = async (): Promise<CaseView> => {
    const a = pending()!;
    const by = a.caller.agencyId === providerAgencyId && a.caller.roles.includes('provider') ? 'provider' : 'competent';
    const stage = record.view.status;
    const reason = a.fields.reason ?? null;
    await kernel.closeAll('revoked', {
      status: 'revoked',
      outcome: { basis: 'revoked', citation, by, reason, stage, revokedAt: new Date().toISOString() },
      events: [{ actor: a.caller.principalId, event: 'authorisation_revoked', detail: { by, reason, stage }, citation }],
    });
    action = null;
    return record.view;
  };
  const endExpired = async (): Promise<CaseView> => {
    const stage = record.view.status;
    await kernel.closeAll('expired', {
      status: 'expired',
      outcome: { basis: stage === 'filed' ? 'expired' : 'expired_unfiled', citation, until: terms.until, validTo: endsAt, stage },
      events: [{ actor: SYSTEM_ACTOR, event: 'authorisation_expired', detail: { until: terms.until, validTo: endsAt, stage }, citation }],
    });
    return record.view;
  };

  // Filing: the competent department of the provider's jurisdiction files (备案) or returns it.
  let from = input.receivedAt;
  for (let round = 1; ; round++) {
    const r = await kernel.awaitTask(
      {
        kind: 'filing',
        assignee: competent,
        actions: plan.filing.actions,
        requiredFields: plan.filing.requiredFields,
        citation,
        status: 'pending_filing',
        events,
        deadline: { from, workingDays: plan.filing.workingDays, onMissed: 'escalate', citation },
      },
      (res: TaskResult): Change => {
        const [act, fields] = decided(res);
        if (act === 'file') {
          // In force from 00:00 Shanghai of `from`, or from the filing when that day has begun.
          const validFrom = new Date(Math.max(Date.parse(`${terms.from}T00:00:00+08:00`), Date.now())).toISOString();
          return {
            status: 'filed',
            outcome: { basis: 'filed', citation, round, validFrom, validTo: endsAt },
            events: [{ actor: SYSTEM_ACTOR, event: 'authorisation_filed', detail: { round, validFrom, validTo: endsAt, note: fields.note ?? null }, citation }],
          };
        }
        const issues = fields.issues as string[];
        return {
          status: 'returned',
          outcome: { basis: 'returned', citation, round, issues },
          events: [{ actor: SYSTEM_ACTOR, event: 'authorisation_returned', detail: { round, issues }, citation }],
        };
      },
      stops,
    );
    if (!r) return revoking() ? endRevoked() : endExpired();
    if (decided(r)[0] === 'file') break;

    // Returned: the provider resubmits (the terms corrected; datasets only left out) or revokes;
    // otherwise the return stands until the authorisation's own end.
    await kernel.wait(() => pending() !== null || ended());
    const a = pending();
    if (!a) return endExpired();
    if (revoking()) return endRevoked();
    const next = resubmitted(terms, a.fields);
    terms = next.terms;
    record.view = { ...record.view, request: { ...record.view.request, ...terms, datasetIds: [...terms.datasetIds], datasets: input.datasets.filter((d) => terms.datasetIds.includes(d.id)) } };
    if (endOfAuthorisation(terms.until) !== endsAt) {
      endsAt = endOfAuthorisation(terms.until);
      armExpiry();
    }
    from = new Date().toISOString(); // the new filing period counts from the resubmission
    events = [{ actor: a.caller.principalId, event: 'authorisation_resubmitted', detail: { round: round + 1, changed: next.changed, note: a.fields.note ?? null }, citation }];
    action = null; // answered once the new filing task is committed
  }

  // Filed: in force until 24:00 Shanghai of `until` (the durable timer armed above), or revoked before.
  await kernel.wait(() => pending() !== null || ended());
  return revoking() ? endRevoked() : endExpired();
});

/** The filing escalates when missed (nothing is deemed filed), so every result is a decision. */
const decided = (r: TaskResult) => decisionOf(r, 'a filing is never deemed: a missed deadline only escalates');
