#!/usr/bin/env node
// Called by `npm start` and `npm test`: builds the console (console/src → console/dist, Vite) when
// the build is missing or older than any of its sources, so `npm start` serves it without a
// separate step; otherwise exits at once. The build is not committed: it is derived, and a
// committed bundle would drift from the sources it was built from (and bloat every diff).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const consoleDir = join(root, 'console');
const built = join(consoleDir, 'dist', 'index.html');

/** The newest modification time (ms) of a file or of the files below a folder. */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = [join(consoleDir, 'src'), join(consoleDir, 'index.html'), join(consoleDir, 'vite.config.ts'), join(root, 'package-lock.json')];
const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.filter(existsSync).map(newest));
if (!stale) process.exit(0);

console.log('ensure-console: building the console (vite build console/)…');
const started = Date.now();
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(consoleDir, 'vite.config.ts')], { cwd: root, stdio: 'inherit' });
} catch {
  console.error('ensure-console: the console did not build (see above); is `npm ci` done?');
  process.exit(1);
}
// Compressed once here, served as they are (@fastify/static preCompressed): no compression per request.
const assets = join(consoleDir, 'dist', 'assets');
for (const file of [built, ...readdirSync(assets).map((f) => join(assets, f))].filter((f) => /\.(js|css|html)$/.test(f))) {
  const body = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
}
console.log(`ensure-console: built console/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
