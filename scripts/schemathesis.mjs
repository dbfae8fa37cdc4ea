// Where schemathesis (the OpenAPI fuzzer from PyPI) lives, and how it is installed: a Python
// virtual environment holding exactly the versions of scripts/schemathesis-requirements.txt,
// cached outside the repository like the Temporal CLI and the test server.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REQUIREMENTS = fileURLToPath(new URL('./schemathesis-requirements.txt', import.meta.url));
const MIN_PYTHON = [3, 11]; // schemathesis 4 requires Python >= 3.11

// A venv's console scripts name the interpreter by absolute path, so they break when the scratch
// venv is renamed into place; the interpreter itself finds its venv from where it is called.
const ENTRY = 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "st"; sys.exit(schemathesis())';

function requirementsText() {
  return readFileSync(REQUIREMENTS, 'utf8');
}

/** The schemathesis version the requirements file pins. */
export function schemathesisVersion() {
  const m = /^schemathesis==(\S+)$/m.exec(requirementsText());
  if (!m) throw new Error(`${REQUIREMENTS} does not pin schemathesis (a line "schemathesis==X.Y.Z")`);
  return m[1];
}

/** Where the environment of the pinned set lives (PDG_CACHE_DIR or XDG_CACHE_HOME move it). */
export function schemathesisCacheDir() {
  const base = process.env.PDG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pdg');
  // Named by the whole pinned set, so changing any pin installs a fresh environment beside the old.
  const digest = createHash('sha256').update(requirementsText()).digest('hex').slice(0, 12);
  return join(base, 'schemathesis', `${schemathesisVersion()}-${digest}`);
}

function venvPython(dir) {
  return join(dir, 'bin', 'python');
}

/** True when `dir` holds a finished environment (its stamp is written last, before the rename). */
function installed(dir) {
  return existsSync(join(dir, 'installed.json')) && existsSync(venvPython(dir));
}

function basePython() {
  const python = process.env.PYTHON ?? 'python3';
  const r = spawnSync(python, ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (r.error) return { python, problem: `${python} was not found (${r.error.code ?? r.error.message})` };
  if (r.status !== 0) {
    return { python, problem: `${python} has no venv/ensurepip module (e.g. \`apt-get install python3-venv\`):\n${r.stderr.trim()}` };
  }
  const [major, minor] = r.stdout.trim().split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return { python, problem: `${python} is Python ${r.stdout.trim()}; schemathesis needs ${MIN_PYTHON.join('.')} or newer (set PYTHON)` };
  }
  return { python };
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.trim()}`);
  }
  return r.stdout;
}

/**
 * Installs the pinned schemathesis once (about 10 s with PyPI reachable); later calls return at
 * once. Returns the environment's directory.
 */
export function ensureSchemathesis({ log = console.log } = {}) {
  const dir = schemathesisCacheDir();
  if (installed(dir)) return dir;
  const version = schemathesisVersion();
  const { python, problem } = basePython();
  if (problem) throw new Error(`The API fuzzer (schemathesis ${version}, from PyPI) runs in a Python virtual environment:\n  - ${problem}`);

  // Install into a scratch folder and rename, so an interrupted install never leaves half a venv.
  const scratch = `${dir}.installing-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  log(`Installing schemathesis ${version} from PyPI into ${dir} (first run only)…`);
  try {
    run(python, ['-m', 'venv', scratch], `${python} -m venv`);
    run(
      venvPython(scratch),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--require-virtualenv', '-r', REQUIREMENTS],
      `pip install -r ${REQUIREMENTS}`,
    );
    // Importing the CLI proves the environment runs, not only that pip finished.
    const probe = 'from importlib.metadata import version; import schemathesis.cli; print(version("schemathesis"))';
    const reported = run(venvPython(scratch), ['-c', probe], 'importing schemathesis').trim();
    if (reported !== version) throw new Error(`pip installed schemathesis ${reported}, not the pinned ${version}`);
    writeFileSync(join(scratch, 'installed.json'), `${JSON.stringify({ schemathesis: version, python }, null, 2)}\n`);
    if (!installed(dir)) {
      // Replace a broken copy; a complete one from a concurrent run is kept.
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(scratch, dir);
      } catch (err) {
        if (!installed(dir)) throw err;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`schemathesis ${version} ready in ${dir}`);
  return dir;
}

/** The command that runs `st <args>` from the cached environment (call ensureSchemathesis first). */
export function schemathesisCommand(args) {
  const dir = schemathesisCacheDir();
  if (!installed(dir)) {
    throw new Error(`schemathesis is not installed yet (${dir} is missing); run \`node scripts/ensure-schemathesis.mjs\``);
  }
  return { python: venvPython(dir), args: ['-c', ENTRY, ...args] };
}
