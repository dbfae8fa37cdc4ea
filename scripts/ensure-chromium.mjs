#!/usr/bin/env node
// Called by `npm test`: makes sure a Chromium the console's browser tests can drive is installed.
// playwright-core downloads no browser (none is reachable from here): the tests drive Debian's
// `chromium` package. Installed once per machine (apt), so this exits at once afterwards. Prints
// the binary's path; CHROMIUM_PATH overrides the search.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

let found = findChromium();
if (!found) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(
      'ensure-chromium: no Chromium found for the console\'s browser tests (test/console). Install it, e.g.\n' +
        '  sudo apt-get install -y chromium   (Debian/Ubuntu)\n' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
  console.log('ensure-chromium: installing Debian\'s chromium package (once per machine)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'], { stdio: 'inherit', env });
  found = findChromium();
  if (!found || !existsSync(found)) {
    console.error('ensure-chromium: apt-get installed chromium, but no binary was found afterwards');
    process.exit(1);
  }
}
console.log(`ensure-chromium: ${found}`);
