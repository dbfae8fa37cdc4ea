// Where the Temporal CLI (dev server + Web UI) lives, and how it is built: from its Go module at a
// pinned version (Temporal's download site is not reachable here), cached outside the repository.
import { existsSync, mkdirSync, rmSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

// v1.5.1 = Temporal server 1.29.1, UI 2.42.1, pure-Go SQLite. Later CLI versions carry a `replace`
// directive in their go.mod, which `go install pkg@version` refuses.
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function temporalCacheDir() {
  const base = process.env.PDG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pdg');
  return join(base, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

export function temporalBinary() {
  return process.env.TEMPORAL_CLI_PATH ?? join(temporalCacheDir(), 'temporal');
}

function goVersionOk() {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, found: 'no `go` on PATH' };
  const m = /^go(\d+)\.(\d+)/.exec(r.stdout.trim());
  const ok = !!m && (Number(m[1]) > 1 || Number(m[2]) >= 25);
  return { ok, found: r.stdout.trim() };
}

/** Builds the CLI once (about 4 minutes cold); later calls return at once. */
export function ensureTemporalCli({ log = console.log } = {}) {
  const bin = temporalBinary();
  if (existsSync(bin)) return bin;
  const go = goVersionOk();
  if (!go.ok) {
    throw new Error(
      `Building the Temporal dev server needs Go >= 1.25 (found: ${go.found}). ` +
        'Install Go, or set TEMPORAL_ADDRESS to use an existing Temporal server.',
    );
  }
  const dir = temporalCacheDir();
  // Build into a scratch folder and rename, so an interrupted build never leaves a half binary.
  const scratch = `${dir}.building-${process.pid}`;
  mkdirSync(scratch, { recursive: true });
  log(`Building Temporal CLI ${TEMPORAL_CLI_VERSION} from its Go module (first run only, a few minutes)…`);
  try {
    execFileSync('go', ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    });
    if (!existsSync(bin)) {
      mkdirSync(dir, { recursive: true });
      renameSync(join(scratch, 'temporal'), bin);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`Temporal CLI ready at ${bin}`);
  return bin;
}
