#!/usr/bin/env node
// Called by `npm test`: makes sure Temporal's time-skipping test server (a Java program from Maven
// Central) and its runtime classpath are cached outside the repository. Exits at once when they are.
import { ensureTestServer } from './test-server.mjs';

try {
  ensureTestServer();
} catch (err) {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
}
