// The money pages in Debian's Chromium (playwright-core), axe-core on every screen (issue 16,
// items 2-4): the coordinator's budget check returns a dossier with reasons; finance records a
// payment typed « 1.234,56 » and submits the same form twice, which pays once; the committee
// opens its report in Dutch. The users finance and the committee sign in with are added here
// with the CLI (`caseflow user add`), and the request finance pays is approved beforehand with
// `caseflow decision sign` and the coordinator's key, as on her own machine. Screens are saved
// under CASEFLOW_WEB_SCREENSHOTS as money-NN-NAME.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base, state, screen, useBrowser } from './harness.mjs';

const caseflow = process.env.CASEFLOW_CLI;
const env = { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') };

// The coordinator's key, issued when the service template was built (tests/service/ServiceFixture.h).
const fixtureRoot = path.join(path.dirname(caseflow), 'tests', 'service-fixture');
const templateDir = readdirSync(fixtureRoot).filter(name => !name.startsWith('building-'))
  .map(name => path.join(fixtureRoot, name))
  .find(dir => existsSync(path.join(dir, 'coordinator-Marie-Coordinator.p12')));
const coordinatorKey = path.join(templateDir, 'coordinator-Marie-Coordinator.p12');

// Situations of the template (ServiceFixture.h): 15..20 are copies of sample 12 asking 9 000 EUR
// each, waiting in budget check. The coordinator returns 16; finance pays 17, approved for 1 250 EUR.
const returned = 16, paid = 17;
const users = {
  coordinator: ['Marie Coordinator', 'coordinator password'],
  finance: ['Fanny Finances', 'finance password 1'],
  committee: ['Kees Comité', 'committee password 1'],
};

const chrome = useBrowser();

function cli(args, input) {
  return execFileSync(caseflow, args, { env, input, encoding: 'utf8' }).trim();
}

before(() => {
  for (const [key, role, language] of [['finance', 'finance', 'fr'], ['committee', 'committee', 'nl']]) {
    const [name, password] = users[key];
    try { cli(['user', 'add', name, '--role', role]); } catch { /* already there: a rerun on the same server */ }
    cli(['user', 'password', name, '--lang', language], password + '\n');
  }
  const shown = JSON.parse(cli(['situation', 'show', String(paid), '--json']));
  if (!JSON.stringify(shown).includes('budget-check')) return; // approved by an earlier run
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseflow-decision-'));
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(path.join(folder, 'decision.xml'),
    `<budgetDecision request="fr1" date="${today}" outcome="approved" amount="125000" by="Marie Coordinator"/>`);
  writeFileSync(path.join(folder, 'password'), 'service fixture\n');
  cli(['decision', 'sign', String(paid), '--data', path.join(folder, 'decision.xml'), '--key', coordinatorKey,
    '--password-file', path.join(folder, 'password'), '--as', 'coordinator:Marie Coordinator']);
});

async function signedIn([name, password], locale) {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  await page.goto(base + '/sign-in');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  return page;
}

test('the coordinator returns a dossier for completion with reasons at the budget check', async () => {
  const page = await signedIn(users.coordinator, 'fr-BE');
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/budget-check"]')]);
  assert.equal(await page.textContent('h1'), 'Vérification budgétaire');
  const dossier = page.locator(`#request-${returned}-fr1`);
  // The workflow's checks, each with its rule and its result in words.
  assert.match(await dossier.locator('table.checks').textContent(), /R14[\s\S]*R18[\s\S]*R11/);
  assert.match(await dossier.locator('table.checks').textContent(), /réussi/);
  assert.ok(await page.locator('#envelope-chart-table').count() === 1);
  await screen(page, 'money-01-budget-check');
  await dossier.locator('textarea').fill('Joindre le devis signé du prestataire\nPréciser le calendrier des séances');
  await Promise.all([page.waitForNavigation(), dossier.locator('button[value=returned]').click()]);
  assert.match(await page.textContent('main'), /Le dossier a été renvoyé pour être complété/);
  assert.equal(await page.locator(`#request-${returned}-fr1`).count(), 0);
  await screen(page, 'money-02-returned');
  const history = cli(['situation', 'show', String(returned), '--json']);
  assert.match(history, /Joindre le devis signé du prestataire/);
  // The same page at 400 px: the chart scales down, nothing overflows the screen.
  await page.setViewportSize({ width: 400, height: 900 });
  await screen(page, 'money-03-budget-check-400px');
  const chartWidth = await page.locator('.envelope-chart svg').evaluate(svg => svg.getBoundingClientRect().width);
  assert.ok(chartWidth <= 400, `the chart is ${chartWidth} px wide`);
});

test('finance records a payment typed the Belgian way and a second submission pays nothing more', async () => {
  const page = await signedIn(users.finance, 'fr-BE');
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/finance"]')]);
  assert.equal(await page.textContent('h1'), 'Finances');
  await screen(page, 'money-04-finance');
  const form = page.locator('form.payment').filter({ has: page.locator(`input[name=situation][value="${paid}"]`) });
  await form.locator('input[name=amount]').fill('1.234,56');
  await form.locator('input[name=reference]').fill('VIR-2026-0042');
  // The double click: the same form posted twice, as a browser resubmits it.
  const fields = Object.fromEntries(await form.locator('input').evaluateAll(inputs =>
    inputs.map(input => [input.name, input.value])));
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.match(await page.textContent('main'), /Le paiement a été enregistré/);
  const again = await page.request.post(base + '/finance', { form: fields, maxRedirects: 0 });
  assert.equal(again.status(), 303);
  await page.reload();
  await screen(page, 'money-05-paid');
  const csv = await (await page.request.get(base + '/finance/payments.csv')).text();
  const lines = csv.split('\r\n').filter(line => line.startsWith(`${paid},`));
  assert.equal(lines.length, 1, csv);
  assert.match(lines[0], /,123456,1234\.56,VIR-2026-0042,/);
  // No clinical text on finance's page (R19).
  const main = await page.textContent('main');
  for (const secret of ['Sarah', 'Lemaire', 'thérapie', 'Houyet', 'Beauraing']) assert.ok(!main.includes(secret), secret);
});

test('the committee opens its anonymised report in Dutch', async () => {
  const page = await signedIn(users.committee, 'nl-BE');
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/committee"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.textContent('h1'), 'Rapport aan het begeleidingscomité');
  await screen(page, 'money-06-committee');
  await Promise.all([page.waitForNavigation(), page.click('a[href*="format=html"]')]);
  const report = await page.textContent('body');
  assert.match(report, /Rapport aan het begeleidingscomité 20\d\d/);
  assert.ok(await page.locator('svg').count() >= 2);
  for (const secret of ['Sarah', 'Lemaire', 'thérapie', 'Houyet']) assert.ok(!report.includes(secret), secret);
  await page.screenshot({ path: path.join(process.env.CASEFLOW_WEB_SCREENSHOTS, 'money-07-committee-report.png'), fullPage: true });
});
