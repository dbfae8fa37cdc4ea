// P6 rights claim 权益保护. One workflow per case (workflow id = caseId); the measures are in
// src/domain/rights-claim.ts, waiting, the deadline and escalation in kernel/task-kernel.ts.
import { ApplicationFailure, getExternalWorkflowHandle, patched, proxyActivities } from '@temporalio/workflow';
import { dataWithdrawnSignal } from './kernel/messages';
import type { activities } from '../activities/rights-claim';
import type { activities as catalogActivities, PublishedVersion } from '../activities/catalog-entry';
import type { activities as incidentActivities } from '../activities/security-incident';
import { securityIncidentView } from '../domain/security-incident';
import { openRelatedCase } from './kernel/related-case';
import { SYSTEM_ACTOR, type CaseView } from '../domain/cases';
import { documentsOf, itemCount } from '../domain/documents';
import { MEASURES, rightsClaimView, verificationPlan, type RightsClaimInput } from '../domain/rights-claim';
import type { Change } from './kernel/case-record';
import { caseWorkflow, openCase, planOrFail } from './kernel/case-shell';
import type { TaskResult } from './kernel/task-kernel';

const { suspendOpenDataGrants, openDataGrantHolders, openDataCasesOn } = proxyActivities<ReturnType<typeof activities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { securityIncidentInput } = proxyActivities<ReturnType<typeof incidentActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { publishWithdrawal } = proxyActivities<ReturnType<typeof catalogActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const rightsClaim = caseWorkflow(async (input: RightsClaimInput): Promise<CaseView> => {
  // The provider's measure is a task decision: a case action is refused, not left unhandled.
  const { record, kernel } = openCase(input, rightsClaimView(input));
  const plan = planOrFail(() => verificationPlan(input.policy));
  const { citation } = plan;


  // sz-open-2023:38 立即核实 — at once, read as the policy setting (default 1 working day).
  const res = await kernel.awaitTask(
    {
      kind: 'verification',
      assignee: { agencyId: input.dataset.providerAgencyId, role: 'provider', jurisdiction: input.jurisdiction },
      actions: plan.actions,
      requiredFields: plan.requiredFields,
      // A provider that finds the data has leaked says so with its withdrawal (PROCESSES.md P6 → P9).
      optionalFields: { withdraw: ['leak'], suspend: ['leak'] },
      citation,
      status: 'open',
      events: [
        {
          actor: input.claimant.principalId,
          event: 'rights_claim_submitted',
          detail: { datasetId: input.dataset.id, claim: input.claim.claim, materials: itemCount(input.claim.materials), receivedAt: input.receivedAt },
          citation,
        },
      ],
      documents: documentsOf(input.claim),
      deadline: { from: input.receivedAt, workingDays: plan.workingDays, onMissed: 'escalate', citation },
    },
    // The decision is recorded with the task's closing; its consequences follow below.
    (): Change => ({ events: [] }),
  );
  if (!res || res.kind !== 'decided') throw ApplicationFailure.nonRetryable(`${citation} deems nothing: a missed verification only escalates`, 'unexpected_deemed');
  const measure = MEASURES[res.action]!;

  // Withdrawal (or js-2020:36 suspension) takes the data out of open use: the open-data grants on
  // it are suspended first, in their own cases, then the claim records which.
  let suspended: string[] = [];
  // A withdrawal (or a reopening after processing) is a catalog fact: a new version of the dataset
  // says so, and from then on no application, share request or grant is opened on withdrawn data.
  const inCatalog = (measure.suspendsGrants || res.action === 'reopen_processed') && patched('withdrawal-in-catalog');
  let published: PublishedVersion | null = null;
  if (inCatalog) {
    published = await kernel.step('publish dataset version', () =>
      publishWithdrawal({ caseId: input.caseId, datasetId: input.dataset.id, at: new Date().toISOString(), withdrawn: measure.suspendsGrants, citation }),
    );
  }
  if (inCatalog && measure.suspendsGrants) {
    // Every open-data case on the data that has not ended: one holding a grant suspends it, one
    // still in review or signing ends without opening access.
    for (const c of await kernel.step('find open-data cases', () => openDataCasesOn(input.dataset.id))) {
      try {
        await kernel.step('signal open-data case', () => getExternalWorkflowHandle(c.caseId).signal(dataWithdrawnSignal, { claimCaseId: input.caseId, actor: res.by.principalId, citation }));
        if (c.grantId) suspended.push(c.grantId);
      } catch {
        // The case ended meanwhile: nothing left to suspend.
      }
    }
  } else if (measure.suspendsGrants && patched('withdrawal-through-cases')) {
    // Each open-data case suspends its own grant (Temporal owns its state) and keeps it suspended.
    for (const g of await kernel.step('find open-data grants', () => openDataGrantHolders(input.dataset.id))) {
      try {
        await kernel.step('signal open-data case', () => getExternalWorkflowHandle(g.caseId).signal(dataWithdrawnSignal, { claimCaseId: input.caseId, actor: res.by.principalId, citation }));
        suspended.push(g.grantId);
      } catch {
        // The case ended meanwhile (its access expired or was closed): nothing left to suspend.
      }
    }
  } else if (measure.suspendsGrants) {
    suspended = await kernel.step('suspend open-data grants', () => suspendOpenDataGrants({ claimCaseId: input.caseId, datasetId: input.dataset.id, actor: res.by.principalId, citation, at: new Date().toISOString() }));
  }
  // A leak found on verification starts remediation and notification: a security incident of the
  // provider agency, linked to this claim (PROCESSES.md P6; sip-2021:33, 35; js-2020:39).
  let incidentCaseId: string | null = null;
  if (measure.suspendsGrants && res.fields.leak === true && patched('leak-opens-incident')) {
    const incident = await kernel.step('prepare the security incident', () =>
      securityIncidentInput({
        caseId: `security-incident-from-${input.caseId}`,
        reporter: { principalId: res.by.principalId, agencyId: input.dataset.providerAgencyId },
        datasetId: input.dataset.id,
        personalInformation: input.claim.claim === 'privacy',
        detectedAt: new Date().toISOString(),
        description: `权益主张 ${input.caseId} 核实发现数据泄露：${input.claim.description}`.slice(0, 4000),
        fromCaseId: input.caseId,
      }),
    );
    incidentCaseId = await kernel.step('open the security incident', () => openRelatedCase('securityIncident', incident, securityIncidentView(incident)));
  }
  await record.commit({
    status: measure.status,
    outcome: {
      basis: measure.basis,
      citation,
      measure: res.action,
      ...pick(res, ['reason', 'processing']),
      ...(measure.suspendsGrants ? { suspendedGrants: suspended } : {}),
      ...(published ? { datasetVersion: published.version } : {}),
      ...(incidentCaseId ? { incidentCaseId } : {}),
    },
    events: [
      ...(incidentCaseId ? [{ actor: res.by.principalId, event: 'security_incident_opened', detail: { incidentCaseId, datasetId: input.dataset.id }, citation }] : []),
      ...(published
        ? [{ actor: SYSTEM_ACTOR, event: 'dataset_version_published', detail: { datasetId: published.datasetId, version: published.version, hash: published.hash, withdrawn: measure.suspendsGrants }, citation }]
        : []),
      {
        actor: res.by.principalId,
        event: `data_${measure.basis}`,
        detail: { datasetId: input.dataset.id, measure: res.action, ...pick(res, ['reason', 'processing']) },
        citation,
      },
      ...(measure.suspendsGrants
        ? [{ actor: SYSTEM_ACTOR, event: 'open_data_grants_suspended', detail: { datasetId: input.dataset.id, grantIds: suspended }, citation }]
        : []),
    ],
  });
  kernel.finish();
  return record.view;
});

function pick(r: Extract<TaskResult, { kind: 'decided' }>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => r.fields[k] !== undefined).map((k) => [k, r.fields[k]]));
}

