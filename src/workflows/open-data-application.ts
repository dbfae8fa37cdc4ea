// P3 open-data application 有条件开放申请. One workflow per case (workflow id = caseId): acceptance
// (sz-open-2023:20, where the policy has it), the provider's review, the data-use agreement
// (sz-open-2023:21), access for the usage period (sz-open-2023:22), then use, feedback and breach
// (sz-open-2023:24, 34). The law's branching is in src/domain/open-data-*.ts; waiting, deadlines
// and escalation in kernel/task-kernel.ts.
import { patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { activities } from '../activities/open-data-application';
import type { activities as catalogActivities } from '../activities/catalog-entry';
import { WITHDRAWAL_CITATION } from '../domain/catalog';
import type { GrantDraft } from '../domain/transition';
import { endOfShanghaiDay, shanghaiDate, addDays } from '../domain/calendar/dates';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { AGREEMENT_TEMPLATE_VERSION, draftAgreement, type AgreementTerms } from '../domain/data-use-agreement';
import { actingParty, openDataActionRefusal, partiesOf, signingParty, supplemented, type AgreementRef, type OpenDataUse, type Party, type Signature } from '../domain/open-data-actions';
import {
  applicationPlan,
  citationsOf,
  missingItemsOf,
  missingItemsRefusal,
  openDataApplicationView,
  type ApplicationFields,
  type ApplicationStep,
  type OpenDataApplicationInput,
} from '../domain/open-data-application';
import type { Assignee } from '../domain/tasks';
import type { AuditEvent } from './kernel/case-record';
import { caseWorkflow, continueAsNewDue, continueAsNewIfDue, decisionOf, openCase, planOrFail, type CaseInput } from './kernel/case-shell';
import { dataWithdrawnSignal, type CaseActionInput } from './kernel/messages';
import type { TaskRequest, TaskResult } from './kernel/task-kernel';
import { DATA_WITHDRAWN, useAction } from '../domain/open-data-use';

const { storeAgreement } = proxyActivities<ReturnType<typeof activities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const { catalogState } = proxyActivities<ReturnType<typeof catalogActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const GRANT_MODE = { dataset: 'download', api: 'api', sandbox: 'sandbox' } as const;

/** The provider's approval (sz-open-2023:20: it states purpose and scope). */
interface Approval {
  purpose: string;
  scope: string;
  at: string;
}

/** What an active case carries into a continued run (kernel/case-shell.ts continueAsNewIfLong). */
interface Active {
  application: ApplicationFields;
  approval: Approval;
  agreement: AgreementRef;
  use: OpenDataUse;
  validFrom: string;
}

export const openDataApplication = caseWorkflow(async (input: CaseInput<OpenDataApplicationInput, Active>): Promise<CaseView> => {
  const resumed = input.carried?.process;
  const cite = citationsOf(input.policy);
  const applicantId = input.applicant.principalId;
  const ds = input.dataset;
  const { datasetId: _omit, ...initial } = input.application;
  let application: ApplicationFields = resumed?.application ?? initial;
  let agreement: AgreementRef | null = resumed?.agreement ?? null;
  let use: OpenDataUse = resumed?.use ?? { resultRequests: [], results: [], breaches: [] };
  let approval: Approval | undefined = resumed?.approval;
  let validFrom = resumed?.validFrom ?? '';
  // Case actions are recorded in order, each validated against the case it will meet (see
  // openDataActionRefusal); an action's Update answers once its consequences are committed.
  const queue: (CaseActionInput & { party: Party })[] = [];
  let accepted = 0;
  let handled = 0;

  // What the generic CaseView does not declare rides on it: the current application, the
  // agreement and its signatures, and the record of use.
  const show = (extra: Partial<CaseView> = {}) => {
    record.view = { ...record.view, ...extra, request: { kind: 'catalog', datasetId: ds.id, ...application }, agreement, use } as CaseView;
  };
  const state = () => ({
    status: record.view.status,
    applicantId,
    providerAgencyId: ds.providerAgencyId,
    jurisdiction: input.jurisdiction,
    receivedDate: shanghaiDate(new Date().toISOString()),
    applicationCitation: cite.application,
    application,
    agreement,
    use,
    queued: queue.map((q) => ({ action: q.action, party: q.party })),
  });

  const { record, kernel } = openCase(input, openDataApplicationView(input), {
    refusal: (a) => openDataActionRefusal(a, state()),
    accept: (a) => {
      queue.push({ ...a, party: actingParty(a.action, partiesOf(a.caller, state())) });
      const n = ++accepted;
      return () => handled >= n;
    },
  });
  // After openCase, so that a case no rule covers still closes as failed (kernel/case-shell.ts).
  const plan = planOrFail(() => applicationPlan(input.policy));
  // A rights claim's withdrawal of the data (P6) is recorded in turn, like a party's action.
  setHandler(dataWithdrawnSignal, (w) => {
    queue.push({ action: DATA_WITHDRAWN, caller: { principalId: w.actor, agencyId: null, roles: [], jurisdiction: null }, fields: { ...w }, party: 'provider' });
    accepted++;
  });
  const nextAction = async (timeoutMs?: number): Promise<CaseActionInput | null> => {
    await kernel.wait(() => queue.length > 0, timeoutMs);
    return queue[0] ?? null;
  };
  const actionDone = () => {
    queue.shift();
    handled++;
  };
  // Before access opens, the applicant's withdrawal and the data's (a rights claim, P6) both end the case.
  const withdrawing = () => queue[0]?.action === 'withdraw' || queue[0]?.action === DATA_WITHDRAWN;
  /**
   * The data was withdrawn from open use (sz-open-2023:38) before access opened: the application
   * ends without access — told by the rights claim's signal, or found in the catalog at signing.
   */
  const endDataWithdrawn = async (by: { claimCaseId: string | null; citation: string; actor: string }, events: AuditEvent[] = []): Promise<CaseView> => {
    const stage = record.view.status;
    await kernel.closeAll('data_withdrawn', {
      status: 'closed',
      outcome: { basis: 'data_withdrawn', citation: by.citation, stage, byCase: by.claimCaseId },
      events: [...events, { actor: by.actor, event: 'application_closed_data_withdrawn', detail: { datasetId: ds.id, stage, byCase: by.claimCaseId }, citation: by.citation }],
    });
    actionDone();
    kernel.finish();
    return record.view;
  };
  const endWithdrawn = async (): Promise<CaseView> => {
    const w = queue[0]!;
    if (w.action === DATA_WITHDRAWN) {
      return endDataWithdrawn({ claimCaseId: String(w.fields.claimCaseId ?? '') || null, citation: String(w.fields.citation ?? WITHDRAWAL_CITATION), actor: w.caller.principalId });
    }
    const stage = record.view.status;
    await kernel.closeAll('withdrawn', {
      status: 'withdrawn',
      outcome: { basis: 'withdrawn', citation: cite.application, stage },
      events: [{ actor: w.caller.principalId, event: 'application_withdrawn', detail: { reason: w.fields.reason ?? null, stage }, citation: cite.application }],
    });
    actionDone();
    kernel.finish();
    return record.view;
  };

  const task = (step: ApplicationStep, assignee: Assignee, status: string, from: string, events: AuditEvent[]): TaskRequest => ({
    kind: step.rule.key,
    assignee,
    actions: step.actions,
    requiredFields: step.requiredFields,
    citation: step.rule.citation,
    status,
    events,
    deadline: { from, workingDays: step.workingDays, onMissed: step.onMissed, citation: step.rule.citation },
  });

  // Access as applied for, for the usage period only (sz-open-2023:22); ends at 24:00 Shanghai of its last day.
  const grantId = `grant-${input.caseId}`;
  const agreementId = `agreement-${input.caseId}`;
  const validToOf = () => endOfShanghaiDay(application.usagePeriod.end);
  const grant = (status: GrantDraft['status'], until = validToOf()): GrantDraft => ({
    id: grantId,
    datasetId: ds.id,
    granteeAgencyId: null,
    granteePrincipalId: applicantId,
    mode: GRANT_MODE[application.deliveryType],
    scope: { purpose: approval!.purpose, scope: approval!.scope, usagePeriod: application.usagePeriod, agreementId, agreementSha256: agreement!.sha256, onwardSharing: 'prohibited (data-use agreement, prohibited acts)' },
    basis: 'agreement',
    citation: cite.delivery,
    status,
    validFrom,
    validTo: until,
  });

  /** Steps 1–5, up to active access; a case that ends before (withdrawn, not approved) returns its view. */
  const untilActive = async (): Promise<CaseView | null> => {
    let events: AuditEvent[] = [
      {
        actor: applicantId,
        event: 'application_submitted',
        detail: { datasetId: ds.id, title: application.title, deliveryType: application.deliveryType, usagePeriod: application.usagePeriod, receivedAt: input.receivedAt },
        citation: cite.application,
      },
    ];

    // 1–2. Acceptance 受理 (sz-open-2023:20): complete → passed to the provider; incomplete → not
    // accepted with every missing item at once, and the applicant may supplement in this case.
    let reviewFrom = input.receivedAt;
    if (plan.acceptance) {
      const step = plan.acceptance;
      const competent: Assignee = { agencyId: null, role: step.rule.decidedBy ?? 'competent', jurisdiction: input.jurisdiction };
      let from = input.receivedAt;
      for (;;) {
        const box: { acceptedAt?: string } = {};
        const r = await kernel.awaitTask(
          { ...task(step, competent, 'pending_acceptance', from, events), check: (d) => missingItemsRefusal(d, step.rule.citation) },
          (res) => {
            const [action, fields] = decided(res);
            if (action === 'accept') {
              box.acceptedAt = new Date().toISOString();
              return { events: [{ actor: SYSTEM_ACTOR, event: 'application_accepted', detail: { passedTo: ds.providerAgencyId }, citation: step.rule.citation }] };
            }
            const missingItems = missingItemsOf(fields.missingItems);
            return {
              status: 'not_accepted',
              outcome: { basis: 'not_accepted', citation: step.rule.citation, missingItems, reason: fields.reason ?? null },
              events: [{ actor: SYSTEM_ACTOR, event: 'application_not_accepted', detail: { missingItems, toldAtOnce: true }, citation: step.rule.citation }],
            };
          },
          withdrawing,
        );
        events = [];
        if (!r) return endWithdrawn();
        if (box.acceptedAt) {
          reviewFrom = box.acceptedAt; // the provider receives it when it is passed on
          break;
        }
        const a = (await nextAction())!;
        if (withdrawing()) return endWithdrawn();
        const s = supplemented(application, a.fields);
        application = s.application;
        show({ outcome: null });
        from = new Date().toISOString();
        events = [{ actor: a.caller.principalId, event: 'application_supplemented', detail: { changed: s.changed, note: a.fields.note ?? null }, citation: cite.application }];
        actionDone(); // answered once the new acceptance task is open
      }
    }

    // 3. Review by the provider: 10 working days (sz-open-2023:20) or 15 (js-2020:27); approval
    // states purpose and scope, refusal its reasons and legal basis; missed → escalation.
    const review = plan.review;
    const box: { approval?: { purpose: string; scope: string; at: string } } = {};
    const provider: Assignee = { agencyId: ds.providerAgencyId, role: 'provider', jurisdiction: input.jurisdiction };
    const reviewed = await kernel.awaitTask(
      task(review, provider, 'pending_review', reviewFrom, events),
      (res) => {
        const [action, fields] = decided(res);
        const citation = review.rule.citation;
        if (action === 'approve') {
          const approval = (box.approval = { purpose: String(fields.purpose), scope: String(fields.scope), at: new Date().toISOString() });
          return {
            status: 'pending_agreement',
            outcome: { basis: 'approved', citation, purpose: approval.purpose, scope: approval.scope },
            events: [{ actor: SYSTEM_ACTOR, event: 'application_approved', detail: { purpose: approval.purpose, scope: approval.scope }, citation }],
          };
        }
        const refusal = { reason: String(fields.reason), legalBasis: String(fields.legalBasis) };
        return { status: 'rejected', outcome: { basis: 'refused', citation, ...refusal }, events: [{ actor: SYSTEM_ACTOR, event: 'application_rejected', detail: refusal, citation }] };
      },
      withdrawing,
    );
    if (!reviewed) return endWithdrawn();
    approval = box.approval;
    if (!approval) {
      kernel.finish();
      return record.view;
    }

    // 4. The data-use agreement, drafted from the template with the approved terms and stored
    // unchanged with its sha256; both parties sign it.
    const terms: AgreementTerms = {
      agreementId,
      caseId: input.caseId,
      citation: plan.agreement.citation,
      provider: { agencyId: ds.providerAgencyId, name: ds.providerName },
      applicant: input.applicant,
      dataset: { id: ds.id, name: ds.name },
      ...application,
      purpose: approval.purpose,
      scope: approval.scope,
      approvedDate: shanghaiDate(approval.at),
    };
    // The activity drafts the same text from the same terms and stores it: the text itself never
    // travels through the case's history (earlier histories sent it along).
    const draft = draftAgreement(terms);
    const stored = await kernel.step('store agreement', () =>
      storeAgreement({
        agreementId,
        caseId: input.caseId,
        datasetId: ds.id,
        providerAgencyId: ds.providerAgencyId,
        applicantPrincipalId: applicantId,
        templateVersion: AGREEMENT_TEMPLATE_VERSION,
        citation: plan.agreement.citation,
        terms,
      }),
    );
    agreement = { agreementId, sha256: stored.sha256, templateVersion: AGREEMENT_TEMPLATE_VERSION, citation: plan.agreement.citation, clauses: draft.clauses.map((c) => c.key), signatures: [], status: 'pending_signatures' };
    show();
    await record.commit({
      events: [{ actor: SYSTEM_ACTOR, event: 'agreement_drafted', detail: { agreementId, sha256: stored.sha256, templateVersion: AGREEMENT_TEMPLATE_VERSION, clauses: agreement.clauses }, citation: plan.agreement.citation }],
    });

    // 5. Delivery (sz-open-2023:22): access as applied for, for the usage period only.
    const period = application.usagePeriod;
    const validTo = validToOf();
    while (agreement.status !== 'signed') {
      const a = (await nextAction())!;
      if (withdrawing()) return endWithdrawn();
      const party = signingParty([queue[0]!.party]);
      const signatures: Signature[] = [...agreement.signatures, { party, principalId: a.caller.principalId, at: new Date().toISOString(), sha256: stored.sha256 }];
      agreement = { ...agreement, signatures, status: signatures.length === 2 ? 'signed' : 'pending_signatures' };
      show();
      const signed: AuditEvent = { actor: a.caller.principalId, event: 'agreement_signed', detail: { agreementId, party, sha256: stored.sha256 }, citation: plan.agreement.citation };
      if (agreement.status !== 'signed') {
        await record.commit({ events: [signed] });
      } else {
        // Both have signed: access opens — unless the data has been withdrawn from open use
        // meanwhile (a catalog fact, sz-open-2023:38): then no grant is opened on it.
        if (patched('withdrawal-in-catalog')) {
          const catalog = await kernel.step('check the catalog', () => catalogState(ds.id));
          if (catalog?.withdrawn) return endDataWithdrawn({ claimCaseId: null, citation: catalog.citation ?? WITHDRAWAL_CITATION, actor: SYSTEM_ACTOR }, [signed]);
        }
        const now = new Date().toISOString();
        const firstDay = endOfShanghaiDay(addDays(period.start, -1)); // 00:00 Shanghai of the first day
        validFrom = firstDay > now ? firstDay : now;
        await record.commit({
          status: 'active',
          outcome: { ...record.view.outcome!, grantId },
          events: [
            signed,
            { actor: SYSTEM_ACTOR, event: 'access_granted', detail: { grantId, mode: GRANT_MODE[application.deliveryType], validFrom, validTo }, citation: cite.delivery },
          ],
          grants: [grant('active')],
        });
      }
      actionDone();
    }
    return null;
  };
  if (!resumed) {
    const ended = await untilActive();
    if (ended) return ended;
  }

  // 6–7. Use until the period ends (a durable timer), with result materials and breaches. A grant
  // in use for years continues as new when its history grows (even through refused messages).
  const validTo = validToOf();
  for (;;) {
    await continueAsNewIfDue(input, () => ({ application, approval: approval!, agreement: agreement!, use, validFrom }), queue.length > 0);
    await kernel.wait(() => queue.length > 0 || continueAsNewDue(queue.length > 0), Math.max(0, Date.parse(validTo) - Date.now()));
    const a = queue[0];
    if (!a && Date.now() < Date.parse(validTo)) continue;
    if (!a) {
      await record.commit({
        status: 'expired',
        events: [{ actor: SYSTEM_ACTOR, event: 'access_expired', detail: { grantId, validTo }, citation: cite.delivery }],
        grants: [grant('expired')],
      });
      kernel.finish();
      return record.view;
    }
    const step = useAction(a, { use, status: record.view.status, cite, parties: partiesOf(a.caller, state()), grantId, now: new Date().toISOString() });
    use = step.use;
    show(step.outcome ? { outcome: { ...record.view.outcome!, ...step.outcome } } : {});
    const g = step.grant ? [grant(step.grant, step.grant === 'revoked' ? new Date().toISOString() : validTo)] : [];
    await record.commit({ status: step.status, events: step.events, grants: g, documents: step.documents });
    actionDone();
    if (step.ended) {
      kernel.finish();
      return record.view;
    }
  }
});


/** Open data deems nothing (every step escalates), so every result is a decision. */
const decided = (r: TaskResult) => decisionOf(r, 'open-data steps deem nothing: a missed deadline only escalates');
