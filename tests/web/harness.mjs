// What every browser test file shares: the server ctest started (its address in
// CASEFLOW_WEB_STATE), the screenshot folder, one headless Debian Chromium per file, and
// `screen`, which saves a screen and runs axe-core on it (no WCAG 2.1 A or AA violation may
// remain).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const state = process.env.CASEFLOW_WEB_STATE;
export const shots = process.env.CASEFLOW_WEB_SCREENSHOTS;
export const base = readFileSync(path.join(state, 'address'), 'utf8').trim();
mkdirSync(shots, { recursive: true });

// Launches Chromium before the file's tests and closes it after; call once at top level.
export function useBrowser() {
  const holder = { browser: null };
  before(async () => {
    holder.browser = await chromium.launch({
      executablePath: process.env.CASEFLOW_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  after(async () => { await holder.browser?.close(); });
  return holder;
}

export async function screen(page, name) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.evaluate(axeSource); // through the debugger protocol: the page's CSP allows no inline script
  const results = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const problems = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `${name}: accessibility violations`);
}
