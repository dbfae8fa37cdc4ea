#!/usr/bin/env node
// Called by `npm test`: makes sure the pinned schemathesis (the OpenAPI fuzzer of
// test/api/fuzz.test.ts) is installed in its cached virtual environment. Exits at once when it is.
import { ensureSchemathesis } from './schemathesis.mjs';

try {
  ensureSchemathesis();
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
}
