import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // API and workflow tests start real Temporal and PostgreSQL servers once per run.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: run files in parallel but not more than the machine can take.
    maxWorkers: 2,
  },
});
