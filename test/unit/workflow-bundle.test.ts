// Which modules the workflow bundle preloads once per workflow thread (src/temporal/workflow-bundle.mjs):
// the pure modules the workflow modules import for their values, never a workflow module (their
// state is each workflow's own) nor a module imported only for its types.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preloadedWorkflowModules } from '../../src/temporal/workflow-bundle.mjs';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('preloaded workflow modules', () => {
  it("are the domain modules the product's workflows import, with the search attributes, and no workflow module", () => {
    const preloaded = preloadedWorkflowModules(join(SRC, 'workflows'));
    expect(preloaded).toEqual(expect.arrayContaining([join(SRC, 'domain/decision-forms.ts'), join(SRC, 'domain/tasks.ts'), join(SRC, 'domain/process.ts'), join(SRC, 'temporal/search-attributes.ts')]));
    expect(preloaded.filter((p) => !p.startsWith(join(SRC, 'domain/')) && p !== join(SRC, 'temporal/search-attributes.ts'))).toEqual([]);
  });

  it('leave out type-only imports, relative workflow modules and packages, across multi-line imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdg-preload-'));
    try {
      mkdirSync(join(dir, 'workflows/kernel'), { recursive: true });
      writeFileSync(
        join(dir, 'workflows/a.ts'),
        [
          "import type { Shape } from '../domain/only-types';",
          "import { sleep } from '@temporalio/workflow';",
          "import { open } from './kernel/shell';",
          'import {',
          '  rule,',
          '  type Other,',
          "} from '../domain/rules';",
        ].join('\n'),
      );
      writeFileSync(join(dir, 'workflows/kernel/shell.ts'), "import { day } from '../../domain/calendar/dates';\nimport { KEY } from '../../temporal/search-attributes';\n");
      expect(preloadedWorkflowModules(join(dir, 'workflows'))).toEqual([join(dir, 'domain/calendar/dates.ts'), join(dir, 'domain/rules.ts'), join(dir, 'temporal/search-attributes.ts')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
