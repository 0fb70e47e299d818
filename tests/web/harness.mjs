// What every browser test file shares: the server ctest started (its address in
// CASEFLOW_WEB_STATE), the screenshot folder, one headless Debian Chromium per file, `screen`,
// which saves a screen and runs axe-core on it (no WCAG 2.1 A or AA violation may remain), and
// `follow`, which acts and waits for the page the action leads to. Every action that loads a
// page goes through `follow` (or page.goto), so no test relies on how long a click or a key press
// happens to wait by itself: a slow server (the sanitizer build) must not change what is read.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const state = process.env.CASEFLOW_WEB_STATE;
export const shots = process.env.CASEFLOW_WEB_SCREENSHOTS;
export const base = readFileSync(path.join(state, 'address'), 'utf8').trim();
mkdirSync(shots, { recursive: true });

// The sanitizer build serves pages several times slower (ctest sets CASEFLOW_WEB_SLOW=3 there):
// Playwright's waits stretch by the same factor as ctest's timeouts.
const slow = Number(process.env.CASEFLOW_WEB_SLOW || 1);

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

// A new page in a new context (its own cookies), with the timeouts the build needs.
export async function newPage(browser, locale = 'fr-BE', options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, ...options });
  context.setDefaultTimeout(15000 * slow);
  context.setDefaultNavigationTimeout(30000 * slow);
  return context.newPage();
}

// Does `action` (a click, a key press) and waits until the page it leads to has loaded: a
// redirect after POST, a form shown again with its errors, a link followed. Returns the response.
export async function follow(page, action) {
  const [response] = await Promise.all([page.waitForNavigation(), action()]);
  return response;
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

// The business date the server uses (Europe/Brussels, docs/testing.md), `months` later.
export function brusselsDate(months = 0) {
  const day = new Date();
  day.setUTCMonth(day.getUTCMonth() + months);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(day);
}

// The pedopsychiatrist's key, issued by the pilot database's authority when the service template
// was built (tests/service/ServiceFixture.h, keyFileName): it stays "on their machine", here a
// file next to the template. Dr Claire Dubois is the network's pedopsychiatrist `np-dubois`.
export function doctorKey(caseflow) {
  const fixtureRoot = path.join(path.dirname(caseflow), 'tests', 'service-fixture');
  const name = 'pedopsychiatrist-Dr-Claire-Dubois.p12';
  const folder = readdirSync(fixtureRoot).filter(entry => !entry.startsWith('building-'))
    .map(entry => path.join(fixtureRoot, entry)).find(dir => existsSync(path.join(dir, name)));
  assert.ok(folder, `no ${name} under ${fixtureRoot}`);
  return { file: path.join(folder, name), password: 'service fixture', partner: 'network:np-dubois' };
}
