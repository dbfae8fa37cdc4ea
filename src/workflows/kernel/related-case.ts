// A case that opens another (a reassessment that reclassifies data opens a catalog entry, a
// dispute's determination opens the entry that records it): the new case is a child workflow
// that outlives its parent (ParentClosePolicy ABANDON), with the search attributes and summary an
// API start gives. Starting is a workflow command, so it is in history and never repeated.
import { startChild } from '@temporalio/workflow';
import type { CaseStart, CaseView } from '../../domain/cases';
import { caseDetails, startingSearchAttributes } from '../../temporal/search-attributes';

/**
 * Starts the case `input.caseId` of `workflowType` (its descriptor's workflow, domain/process.ts)
 * and returns its id once it has started.
 * @throws WorkflowExecutionAlreadyStartedError (from Temporal) when a case of that id exists.
 */
export async function openRelatedCase(workflowType: string, input: CaseStart, view: CaseView): Promise<string> {
  const child = await startChild(workflowType, {
    workflowId: input.caseId,
    args: [input],
    parentClosePolicy: 'ABANDON',
    // A case id names one case for ever: not even a closed case of that id is started again.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: startingSearchAttributes(view),
    staticSummary: view.summary,
    staticDetails: caseDetails(view),
  });
  return child.workflowId;
}
