// The registry of processes (domain/processes.ts) is what every layer reads: a descriptor that
// names a module which is missing, or exports the wrong thing, would only fail when a case of the
// process runs. These checks fail first.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processes, processIds, workflowTypeOf } from '../../src/domain/process';
import { POLICIES, allSettings, processRuleKeys } from '../../src/domain/policies';
import { decisionFieldCatalogue, DECISION_FIELDS } from '../../src/domain/decision-forms';

const src = (path: string) => new URL(`../../src/${path}`, import.meta.url);

describe('the registry of processes', () => {
  it('lists P1…P6 and P10 in order, each id and code once', () => {
    expect(processes().map((p) => p.code)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P10']);
    expect(processIds()).toEqual(['share-request', 'share-demand', 'open-data-application', 'objection', 'quality-rectification', 'rights-claim', 'third-party-authorisation']);
    expect(new Set(processes().map((p) => p.tag.name)).size).toBe(processes().length);
  });

  it('names a rules file for each process: domain/<id>.ts', () => {
    for (const p of processes()) expect(existsSync(src(`domain/${p.id}.ts`)), p.id).toBe(true);
  });

  it('names workflow modules that export their workflow type (camelCase of the file name)', async () => {
    const types: string[] = [];
    for (const p of processes()) {
      for (const m of p.workflows) {
        const mod = (await import(`../../src/workflows/${m}.ts`)) as Record<string, unknown>;
        expect(typeof mod[workflowTypeOf(m)], `workflows/${m}.ts`).toBe('function');
        types.push(workflowTypeOf(m));
      }
    }
    // Workflow type names are in every recorded history: they never change.
    expect(types).toEqual(['shareRequest', 'shareDemand', 'openDataApplication', 'openDataRequest', 'objection', 'qualityRectification', 'rightsClaim', 'thirdPartyAuthorisation']);
  });

  it('names route modules that default-export a plugin, and activity modules that export activities(deps)', async () => {
    for (const p of processes()) {
      for (const m of p.routes) expect(typeof ((await import(`../../src/api/routes/${m}.ts`)) as { default: unknown }).default, m).toBe('function');
      for (const m of p.activities ?? []) expect(typeof ((await import(`../../src/activities/${m}.ts`)) as { activities: unknown }).activities, m).toBe('function');
    }
  });

  it('gives each process its own settings, prefixed by its id, and the product its own after them', () => {
    const ids = allSettings().map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of processes()) for (const s of p.settings) expect(s.id.startsWith(`${p.id}.`), s.id).toBe(true);
    expect(ids.at(-1)).toBe('reminder.leadWorkingDays');
  });

  it('keys every policy rule by a registered process and one of its rule keys', () => {
    for (const policy of POLICIES) {
      for (const [process, rules] of Object.entries(policy.processes)) {
        expect(processIds(), `${policy.id}`).toContain(process);
        for (const key of Object.keys(rules ?? {})) expect(processRuleKeys(process), `${policy.id} ${process}`).toContain(key);
      }
    }
  });

  it('merges each process’s decision fields into one catalogue, no name declared twice', () => {
    const names = [Object.keys(DECISION_FIELDS), ...processes().map((p) => Object.keys(p.decisionFields ?? {}))].flat();
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(decisionFieldCatalogue()).sort()).toEqual([...names].sort());
    expect(decisionFieldCatalogue().finding50).toMatchObject({ type: 'string', maxLength: 4000 });
  });

  it('is frozen: no caller changes what a process is under a running case', () => {
    const [first] = processes();
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.ruleKeys.required)).toBe(true);
    expect(() => (first.caseActions as string[]).push('x')).toThrow();
  });
});
