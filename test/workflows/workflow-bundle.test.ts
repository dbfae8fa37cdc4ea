// The workflow bundle workers load (built with src/temporal/workflow-bundle.mjs, as dist/ is): its
// inline source map still maps every workflow and domain module (stack traces of failures point
// into src/) but carries none of the sources' text, and it preloads typebox and the pure modules
// the workflows import (src/domain), never a workflow module.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  const at = code.lastIndexOf('//# sourceMappingURL=data:application/json;charset=utf-8;base64,');
  const map = JSON.parse(Buffer.from(code.slice(code.indexOf('base64,', at) + 'base64,'.length), 'base64').toString()) as {
    sources: string[];
    mappings: string;
    sourcesContent?: (string | null)[];
  };

  it('maps stack traces to the workflow and domain sources without carrying their text', () => {
    expect(at).toBeGreaterThan(0);
    expect(map.sources).toEqual(expect.arrayContaining([`${SRC}workflows/share-request.ts`, `${SRC}domain/decision-forms.ts`]));
    expect(map.mappings.length).toBeGreaterThan(100_000);
    expect((map.sourcesContent ?? []).filter(Boolean)).toEqual([]);
    // 4.6 MB with the sources' text inline; what the worker parses and keeps per thread.
    expect(code.length).toBeLessThan(3_000_000);
  });

  it('preloads typebox and the domain modules the workflows import before any workflow, and never a workflow module', () => {
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    expect(preload).toContain('typebox/build/schema');
    expect(preload).toContain('"./src/domain/decision-forms.ts"');
    expect(preload).toContain('"./src/domain/process.ts"');
    expect(preload).toContain('"./src/domain/tasks.ts"');
    expect(preload).not.toContain('./src/workflows/');
  });
});
