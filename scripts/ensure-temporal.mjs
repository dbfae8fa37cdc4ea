#!/usr/bin/env node
// Called by `npm start` and `npm test`: makes sure the Temporal dev server binary exists
// (built from its Go module, cached outside the repository). Skipped when TEMPORAL_ADDRESS
// points at an existing server.
// temporal-cli.mjs is in src/embedded: the product locates (and builds) the CLI at run time; this only builds it ahead.
import { ensureTemporalCli } from '../src/embedded/temporal-cli.mjs';

if (process.env.TEMPORAL_ADDRESS && !process.env.npm_lifecycle_event?.startsWith('test')) {
  console.log(`Using Temporal at ${process.env.TEMPORAL_ADDRESS}; no embedded dev server needed.`);
} else {
  try {
    ensureTemporalCli();
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
}
