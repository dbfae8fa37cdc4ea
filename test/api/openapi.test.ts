// The OpenAPI document (GET /docs/json) tells the truth about each route: its group, every status
// it can answer, and its rules — which the same schema enforces (validation.ts). Validation runs
// before authentication, so none of this needs a backing service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/plugins/deps';
import { REFUSAL } from '../../src/api/validation';
import { expectError } from '../fixtures/errors';
import { processes } from '../../src/domain/process';

interface Operation {
  tags?: string[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
}

let app: FastifyInstance;
let doc: { tags: { name: string }[]; paths: Record<string, Record<string, Operation>> };
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const));

beforeAll(async () => {
  // No route is reached past validation here, so no store is needed.
  app = await buildApp({ db: {}, temporal: {}, taskQueue: 'unused', adminToken: 'a'.repeat(32) } as unknown as AppDeps);
  doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => app?.close());

/** Whether a schema (or anything inside it) declares a rule of the process. */
const hasRule = (v: unknown): boolean => typeof v === 'object' && v !== null && (REFUSAL in v || Object.values(v).some(hasRule));

describe('GET /docs/json', () => {
  it('puts every operation in exactly one of its groups, and leaves no group empty', () => {
    const names = doc.tags.map((t) => t.name);
    for (const [label, op] of operations()) {
      expect(op.tags, label).toHaveLength(1);
      expect(names, label).toContain(op.tags![0]);
    }
    expect(new Set(operations().map(([, op]) => op.tags![0]))).toEqual(new Set(names));
  });

  it('has each process’s group and, in it, the party actions its descriptor lists (withdraw is shared)', () => {
    const actionsIn = (group: string) =>
      operations()
        .filter(([label, op]) => op.tags![0] === group && /^POST \/v1\/cases\/\{caseId\}\/[a-z-]+$/.test(label))
        .map(([label]) => label.split('/').at(-1));
    for (const p of processes()) {
      expect(doc.tags.map((t) => t.name)).toContain(p.tag.name);
      // The case types of one process (P7's entries and update duties) share its group; an action
      // several processes offer (withdraw, resubmit) is one route in the Cases group.
      const sharedActions = (a: string) => processes().filter((q) => q.caseActions.includes(a)).length > 1;
      const listed = processes().filter((q) => q.tag.name === p.tag.name).flatMap((q) => q.caseActions);
      expect(actionsIn(p.tag.name).sort(), p.id).toEqual([...new Set(listed.filter((a) => !sharedActions(a)))].sort());
      for (const a of p.caseActions.filter(sharedActions)) expect(actionsIn('Cases')).toContain(a);
    }
  });

  it('documents 429 on every operation but the health probes (never limited), 400 wherever a request has parts to refuse, 401 where a token is needed', () => {
    for (const [label, op] of operations()) {
      const statuses = Object.keys(op.responses);
      if (!/ \/(healthz|readyz)$/.test(label)) expect(statuses, label).toContain('429');
      if (op.parameters?.length || op.requestBody) expect(statuses, label).toContain('400');
      if (!op.security || op.security.length) expect(statuses, label).toContain('401');
    }
  });

  it('documents 422 wherever a schema declares a rule of the process', () => {
    const withRules = operations().filter(([, op]) => hasRule(op.requestBody) || hasRule(op.parameters));
    expect(withRules.length).toBeGreaterThan(10);
    for (const [label, op] of withRules) expect(Object.keys(op.responses), label).toContain('422');
  });
});

describe('one schema, one validation', () => {
  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, payload: body as object });

  it('answers a broken rule with 422 and the rule’s code, naming the field', async () => {
    const error = expectError(await post('/v1/agencies', { id: 'x', name: '北京', jurisdiction: 'beijing' }), 422, 'unknown_jurisdiction');
    expect(error.details).toEqual([expect.objectContaining({ field: 'jurisdiction', code: 'unknown_jurisdiction' })]);
    const blank = expectError(await post('/v1/quality-rectifications', { datasetId: 'ds', findings: ['ok', '  '] }), 422, 'empty_finding');
    expect(blank.details).toEqual([expect.objectContaining({ field: 'findings.1' })]);
  });

  it('answers malformed input with 400, even where a rule is broken too', async () => {
    expectError(await post('/v1/agencies', { id: 'x', name: '北京', jurisdiction: { zh: '北京' } }), 400, 'invalid_request');
    expectError(await post('/v1/agencies', { id: 'x', name: '', jurisdiction: 'beijing' }), 400, 'invalid_request');
  });

  it('answers several broken rules together', async () => {
    const res = await post('/v1/datasets', { name: 'x', providerAgencyId: 'a', shareClass: 'none', openClass: 'none', legalBasis: ' ', fields: ['name'] });
    expectError(res, 422, 'legal_basis_required');
    const both = await post('/v1/share-requests', { datasetId: 'd', purpose: 'p', scenario: 's', legalDuty: 'l', accessMode: 'api', commitment: false, accessUntil: '2026-02-30' });
    const error = expectError(both, 422, 'invalid_request_body');
    expect((error.details as { code: string }[]).map((d) => d.code).sort()).toEqual(['commitment_required', 'invalid_access_until']);
  });

  it('refuses an over-long path parameter with 400, as documented, not 414', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/cases/${'x'.repeat(500)}` });
    expectError(res, 400, 'invalid_request');
    expectError(await app.inject({ method: 'POST', url: `/v1/tasks/${'%F1%A8%A4%B2'.repeat(300)}/claim` }), 400, 'invalid_request');
    expectError(await app.inject({ method: 'POST', url: `/v1/tasks/${'t'.repeat(301)}/release` }), 400, 'invalid_request');
  });
});
