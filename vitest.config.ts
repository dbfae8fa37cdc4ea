import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The default report, and a JSON one from which scripts/test-summary.mjs prints the closing line.
    reporters: ['default', ['json', { outputFile: '.tmp/vitest-report.json' }]],
    projects: [
      {
        // Pure domain rules: no servers.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // API and workflow tests run against real Temporal and PostgreSQL, started once per run.
        test: {
          name: 'integration',
          include: ['test/api/**/*.test.ts', 'test/workflows/**/*.test.ts', 'test/console/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
