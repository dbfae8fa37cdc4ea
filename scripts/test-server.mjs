// Where Temporal's time-skipping test server lives, and how it is fetched: the Java
// `io.temporal:temporal-test-server` artifact and its runtime dependencies, resolved from Maven
// Central with `mvn` (Temporal's download site, which the TypeScript SDK would use, is not
// reachable here), copied into a cache directory outside the repository.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';

// 1.38.0 is the newest release on Maven Central (checked 2026-11); it runs on Java 17.
export const TEST_SERVER_GROUP = 'io.temporal';
export const TEST_SERVER_ARTIFACT = 'temporal-test-server';
export const TEST_SERVER_VERSION = '1.38.0';
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';

// Quicker JVM start for a short-lived, lightly loaded server (C1 only, serial GC).
const DEFAULT_JVM_ARGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx512m'];

export function testServerCacheDir() {
  const base = process.env.PDG_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pdg');
  return join(base, 'temporal-test-server', TEST_SERVER_VERSION);
}

export function testServerClasspathFile() {
  return join(testServerCacheDir(), 'classpath.txt');
}

function javaBinary() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** The cached classpath, or undefined when it is missing or any of its jars is gone. */
function readClasspath() {
  const file = testServerClasspathFile();
  if (!existsSync(file)) return undefined;
  const entries = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  if (entries.length === 0 || !entries.every((jar) => existsSync(jar))) return undefined;
  return entries;
}

function toolProblem(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return `${what} was not found (${cmd}: ${r.error.code ?? r.error.message})`;
  if (r.status !== 0) return `\`${cmd} ${args.join(' ')}\` failed:\n${(r.stderr || r.stdout).trim()}`;
  return undefined;
}

function pom() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/test-server.mjs: only used to resolve the test server's runtime classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.pdg</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${TEST_SERVER_GROUP}</groupId>
      <artifactId>${TEST_SERVER_ARTIFACT}</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * Resolves the test server jar and its runtime dependencies once (a few seconds with a warm
 * ~/.m2, longer when Maven has to download ~40 MB); later calls return at once.
 * Returns the classpath entries (absolute jar paths).
 */
export function ensureTestServer({ log = console.log } = {}) {
  const cached = readClasspath();
  if (cached) return cached;

  const problems = [
    toolProblem(javaBinary(), ['-version'], 'Java (e.g. `apt-get install openjdk-17-jre-headless`, or set JAVA_HOME)'),
    toolProblem('mvn', ['-v'], 'Maven (`apt-get install maven`)'),
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(
      `Temporal's time-skipping test server (${TEST_SERVER_GROUP}:${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION}) ` +
        `is a Java program fetched from Maven Central with \`mvn\`, and it needs \`java\` to run:\n  - ` +
        problems.join('\n  - '),
    );
  }

  const dir = testServerCacheDir();
  // Resolve into a scratch folder and rename, so an interrupted run never leaves a half classpath.
  const scratch = `${dir}.resolving-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`Resolving Temporal test server ${TEST_SERVER_VERSION} from Maven Central (first run only)…`);
  try {
    writeFileSync(join(scratch, 'pom.xml'), pom());
    const r = spawnSync(
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=lib'],
      { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (r.status !== 0) {
      throw new Error(
        `mvn could not resolve ${TEST_SERVER_GROUP}:${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} ` +
          `and its dependencies (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).trim()}`,
      );
    }
    const names = readdirSync(join(scratch, 'lib')).filter((name) => name.endsWith('.jar')).sort();
    if (!names.includes(`${TEST_SERVER_ARTIFACT}-${TEST_SERVER_VERSION}.jar`)) {
      throw new Error(`mvn finished but resolved no ${TEST_SERVER_ARTIFACT}-${TEST_SERVER_VERSION}.jar`);
    }
    // The classpath names the jars where they will be after the rename below.
    writeFileSync(join(scratch, 'classpath.txt'), names.map((name) => `${join(dir, 'lib', name)}\n`).join(''));
    if (!readClasspath()) {
      // Replace a stale copy (jars deleted); a complete one from a concurrent run is kept.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(join(dir, '..'), { recursive: true });
      try {
        renameSync(scratch, dir);
      } catch (err) {
        if (!readClasspath()) throw err;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const jars = readClasspath();
  if (!jars) throw new Error(`${testServerClasspathFile()} is missing after resolving the test server`);
  log(`Temporal test server ready: ${jars.length} jars in ${join(dir, 'lib')}`);
  return jars;
}

/**
 * The command that starts the test server on `port`. Time skipping starts locked (as with the
 * TypeScript SDK's own test environment); clients unlock it while they wait.
 */
export function testServerCommand(port, { jvmArgs = DEFAULT_JVM_ARGS } = {}) {
  const classpath = readClasspath();
  if (!classpath) {
    throw new Error(
      `The Temporal test server is not resolved yet (${testServerClasspathFile()} is missing or stale); ` +
        'run `node scripts/ensure-test-server.mjs`.',
    );
  }
  return {
    java: javaBinary(),
    args: [...jvmArgs, '-cp', classpath.join(delimiter), TEST_SERVER_MAIN_CLASS, String(port)],
  };
}
