import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // The platform's tables, and each process's own (db/processes/<id>.ts).
  schema: ['./src/db/schema.ts', './src/db/processes/*.ts'],
  out: './src/db/migrations',
});
