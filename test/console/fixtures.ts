// Chromium for the console's browser tests: Debian's package (scripts/ensure-chromium.mjs installs
// it), driven by playwright-core, headless. Root cannot use Chromium's sandbox, hence --no-sandbox.
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/chromium.mjs';

/**
 * A headless Chromium.
 * @throws Error naming what to install when no Chromium is found (the tests never skip silently).
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium for the console tests: run `node scripts/ensure-chromium.mjs` (apt-get install chromium), or set CHROMIUM_PATH');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'] });
}

/** Every Content-Security-Policy violation and page error the page reports, as text. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  return problems;
}
