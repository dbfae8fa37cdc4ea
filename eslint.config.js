// ESLint flat config: type-aware typescript-eslint over the TypeScript of src/, test/ and scripts/
// (and the root config files), plain JavaScript rules over the .mjs scripts.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no Temporal client/worker/
// activity SDKs, and none of the project's I/O layers. `import type` stays allowed (workflows type
// their activity proxies from the activities' signatures).
const NOT_IN_WORKFLOWS = 'Workflow code runs in the Temporal sandbox: use @temporalio/workflow or pure code.';
const NODE_BUILTIN = `Node built-in. ${NOT_IN_WORKFLOWS}`;
const workflowSafeImports = {
  paths: builtinModules.map((name) => ({ name, message: NODE_BUILTIN, allowTypeImports: true })),
  patterns: [
    { group: ['node:*'], message: NODE_BUILTIN },
    { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'] },
    { group: ['pg', 'pg/*', 'drizzle-orm', 'drizzle-orm/*', 'fastify', 'fastify/*', '@fastify/*'] },
    { group: ['**/activities', '**/activities/**', '**/api', '**/api/**', '**/db', '**/db/**', '**/embedded/**', '**/temporal/ensure-search-attributes', '**/worker', '**/server', '**/main', '**/config'] },
  ].map((pattern) => ({ message: NOT_IN_WORKFLOWS, allowTypeImports: true, ...pattern })),
};

export default defineConfig(
  { ignores: ['node_modules/', '.data/', '.tmp/', 'src/db/migrations/', 'console/dist/', 'dist/'] },
  {
    files: ['**/*.{ts,mts,cts,tsx,js,mjs}'],
    extends: [js.configs.recommended],
    rules: {
      // The Chinese document templates lay out clauses with the ideographic space (U+3000).
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    files: ['**/*.{ts,mts,cts,tsx}'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks a deliberately unused binding; rest siblings drop a field from an object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON response bodies loosely.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The .mjs scripts are not in tsconfig: JavaScript rules only, without type information.
    files: ['**/*.{js,mjs}'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', workflowSafeImports],
    },
  },
);
