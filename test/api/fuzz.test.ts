// schemathesis against the real stack (issue 9, "CI fuzzes the API"): every operation of
// GET /docs/json is called with generated requests — valid and invalid — and every answer must be
// a documented status, of the documented content type and schema, and never a server error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzStack, type FuzzStack } from '../fixtures/fuzz-stack';
import { runSchemathesis, type Bindings, type FuzzOptions, type FuzzReport } from '../fixtures/schemathesis';

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  // A request the schema allows is never malformed (400): anything the API refuses as malformed,
  // the schema refuses too. It may still be refused for what it refers to or the state it meets.
  'positive_data_acceptance',
];
const ACCEPTED = ['2xx', '401', '403', '404', '409', '422', '429'];
// "Valid data mostly rejected" (schemathesis's validation_mismatch) is a heuristic over 4xx
// answers, and here most are rules that depend on the state the fuzzer itself made (a dataset it
// created in a jurisdiction whose rules have no such process: 422 no_rule_in_force; a usage period
// before today). The precise check is positive_data_acceptance: no schema-valid request is ever
// answered 400. The warning is printed, not a finding.
// Per operation, a few dozen requests of each phase: every operation is reached within minutes.
const MAX_EXAMPLES = 40;
const TIMEOUT_MS = 360_000;
const YEAR = 2090; // a year no seeded case counts in: loading it changes no running deadline
const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10); // Asia/Shanghai

let stack: FuzzStack;

beforeAll(async () => {
  stack = await startFuzzStack();
}, 120_000);
afterAll(async () => stack?.close());

/**
 * What the fuzzer needs to get past "not found" and "not yours": ids of seeded rows of the right
 * kind, and for each operation a principal who may perform it. What it sends stays generated.
 */
function plan(s: FuzzStack): Pick<FuzzOptions, 'token' | 'dictionaries' | 'bind' | 'operations'> {
  const { ids, actors } = s;
  const createBindings: Record<string, Bindings> = {
    '/v1/open-data-applications': { 'body.usagePeriod.start': 'starts', 'body.usagePeriod.end': 'ends' },
    '/v1/third-party-authorisations': { 'body.datasetIds[*]': 'authorisationDatasets', 'body.from': 'starts', 'body.until': 'ends' },
    '/v1/disputes': { 'body.counterpartAgencyIds[*]': 'agencies' },
  };
  const caseOp = (path: string, kind: keyof typeof ids.cases, token?: string) => ({ method: 'POST', path: `/v1/cases/{caseId}/${path}`, token, bind: { 'path.caseId': kind } });
  return {
    token: s.h.adminToken,
    dictionaries: {
      ...Object.fromEntries(Object.entries(ids.cases).map(([kind, id]) => [kind, [id]])),
      cases: Object.values(ids.cases),
      providerTasks: ids.providerTasks,
      reviewTask: [ids.reviewTask],
      approve: ['approve'],
      datasets: ids.datasets,
      authorisationDatasets: ids.authorisationDatasets,
      agencies: ids.agencies,
      principals: ids.principals,
      instants: ['2026-09-30T10:00:00+08:00', '2026-12-31T23:59:59Z', '2027-02-05T09:30:00.5+08:00'],
      year: [YEAR],
      unknownPolicy: ['no-such-policy'],
      newYear: [`${YEAR}-01-01`],
      saturday: [`${YEAR}-01-07`],
      // A usage period that starts today or later and ends after it starts; a longer handling period.
      starts: [day(1), day(7)],
      ends: [day(60), day(365)],
      workingDays: [10, 20],
      schedules: ids.schedules,
      jurisdictions: ['suzhou', 'suzhou-sip'],
    },
    bind: {
      'body.datasetId': 'datasets',
      'body.providerAgencyId': 'agencies',
      'body.agencyId': 'agencies',
      'query.providerAgencyId': 'agencies',
      'query.from': 'instants',
    },
    operations: [
      { method: 'GET', path: '/v1/datasets/{id}', bind: { 'path.id': 'datasets' } },
      // A cursor is opaque: one the API did not issue is malformed (400 invalid_cursor, API-2), and no schema can say which it issued.
      ...['/v1/cases', '/v1/datasets', '/v1/inbox', '/v1/principals'].map((path) => ({ method: 'GET', path, acceptedStatuses: [...ACCEPTED, '400'] })),
      { method: 'GET', path: '/v1/cases/{caseId}', bind: { 'path.caseId': 'cases' } },
      // The rule sets stay as they are: an un-adopted policy would refuse every case created after.
      { method: 'PATCH', path: '/v1/policies/{id}', bind: { 'path.id': { dictionary: 'unknownPolicy', probability: 1 } } },
      { method: 'PUT', path: '/v1/calendar/years/{year}', bind: { 'path.year': 'year', 'body.holidays[*]': 'newYear', 'body.workdays[*]': 'saturday' } },
      ...Object.entries(s.creators).map(([path, creator]) => ({ method: 'POST', path, token: creator.token, bind: createBindings[path] })),
      caseOp('withdraw', 'shareDemand', actors.requester.token),
      caseOp('dispose', 'shareRequest', actors.requester.token),
      { ...caseOp('request-extension', 'objection', actors.provider.token), bind: { 'path.caseId': 'objection', 'body.workingDays': 'workingDays' } },
      caseOp('confirm', 'objection', actors.requester.token),
      caseOp('dispute', 'objection', actors.requester.token),
      { ...caseOp('supplement', 'openData', actors.dataUser.token), bind: { 'path.caseId': 'openData', 'body.usagePeriod.start': 'starts', 'body.usagePeriod.end': 'ends' } },
      caseOp('sign-agreement', 'agreed', actors.dataUser.token),
      caseOp('revoke', 'authorisation', actors.authoriser.token),
      caseOp('resubmit', 'authorisation', actors.authoriser.token),
      caseOp('submit-results', 'openData', actors.dataUser.token),
      ...['request-results', 'report-breach', 'lift-restriction'].map((a) => caseOp(a, 'openData', actors.competent.token)),
      ...['agreement', 'agreement/document', 'agreement/text'].map((a) => ({ method: 'GET', path: `/v1/cases/{caseId}/${a}`, bind: { 'path.caseId': 'agreed' } })),
      // P11: schedules of the seeded city (a run opens reassessments of its conditional data).
      { method: 'POST', path: '/v1/reassessment-schedules', bind: { 'body.jurisdiction': 'jurisdictions' } },
      ...['/v1/reassessment-schedules/{id}/trigger', '/v1/reassessment-schedules/{id}'].map((path) => ({
        method: path.endsWith('trigger') ? 'POST' : 'DELETE',
        path,
        token: actors.competent.token,
        bind: { 'path.id': 'schedules' },
      })),
      // One decision that can succeed (the review of the share request), then the case has moved on.
      { method: 'POST', path: '/v1/tasks/{taskId}/decision', token: actors.provider.token, bind: { 'path.taskId': 'reviewTask', 'body.action': 'approve' } },
      ...['claim', 'release', 'assign'].map((a) => ({
        method: 'POST',
        path: `/v1/tasks/{taskId}/${a}`,
        token: actors.provider.token,
        bind: { 'path.taskId': 'providerTasks', 'body.principalId': 'principals' },
      })),
    ],
  };
}

describe('the OpenAPI document under schemathesis', () => {
  it('answers every generated request with a documented status, content type and schema, and no 5xx', { timeout: TIMEOUT_MS + 60_000 }, async () => {
    const r: FuzzReport = await runSchemathesis({ baseUrl: stack.baseUrl, checks: CHECKS, acceptedStatuses: ACCEPTED, maxExamples: MAX_EXAMPLES, timeoutMs: TIMEOUT_MS, ...plan(stack) });
    console.log(
      `schemathesis ${r.version}: ${r.operations.tested}/${r.operations.total} operations, ${r.generated} generated requests, ` +
        `${r.failures.reduce((n, f) => n + f.count, 0)} failures, ${r.errors.length} errors, ` +
        `warnings: ${Object.entries(r.warnings).map(([w, ops]) => `${w} (${Array.isArray(ops) ? ops.length : 1})`).join(', ') || 'none'} (${r.seconds} s)`,
    );
    const findings = [
      ...r.failures.map((f) => `${f.code} ${f.title} (${f.count}): ${f.operations.join(', ')}`),
      ...r.errors.map((e) => `error: ${JSON.stringify(e)}`),
    ];
    expect(findings, `${findings.join('\n')}\n\n${r.output}`).toEqual([]);
    expect(r.operations.errored).toBe(0);
    expect(r.operations.tested).toBe(r.operations.total);
  });
});
