// The coordinator's administration in Debian's Chromium (playwright-core), axe-core on every
// screen (issue 16, item 5): a coordinator issues an API token, sees it once, uses it against the
// API, revokes it; revokes a signer's certificate after the confirmation step; and every admin
// screen passes axe in French and in Dutch. The two coordinators and the signer are added here
// with the CLI (`caseflow user add`, `caseflow signer add` with the template's CA key), so no
// other test's users or keys change. Screens are saved as admin-NN-NAME.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base, state, screen, follow, newPage, useBrowser } from './harness.mjs';

const caseflow = process.env.CASEFLOW_CLI;
const env = { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') };
const fixtureRoot = path.join(path.dirname(caseflow), 'tests', 'service-fixture');
const templateDir = readdirSync(fixtureRoot).filter(name => !name.startsWith('building-'))
  .map(name => path.join(fixtureRoot, name)).find(dir => existsSync(path.join(dir, 'network-ca.key')));
const chrome = useBrowser();

const admins = { fr: ['Anne Administration', 'admin password fr'], nl: ['Bram Beheer', 'admin password nl'] };
// A signer of its own, so that revoking it leaves the other tests' keys alone; unique per run.
const signer = `Dr Révocable ${Date.now()}`;

function cli(args, input) {
  return execFileSync(caseflow, args, { env, input, encoding: 'utf8' }).trim();
}

before(() => {
  for (const [language, [name, password]] of Object.entries(admins)) {
    try { cli(['user', 'add', name, '--role', 'coordinator']); } catch { /* a rerun on the same server */ }
    cli(['user', 'password', name, '--lang', language], password + '\n');
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseflow-admin-signer-'));
  writeFileSync(path.join(folder, 'ca.password'), 'service fixture\n');
  writeFileSync(path.join(folder, 'key.password'), 'revocable key password\n');
  cli(['signer', 'add', signer, '--role', 'pedopsychiatrist', '--ca-key', path.join(templateDir, 'network-ca.key'),
    '--ca-password-file', path.join(folder, 'ca.password'), '--password-file', path.join(folder, 'key.password'),
    '-o', path.join(folder, 'signer.p12')]);
});

async function signedIn([name, password], locale) {
  const page = await newPage(chrome.browser, locale);
  await page.goto(base + '/sign-in');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await follow(page, () => page.click('main button[type=submit]'));
  return page;
}

test('the coordinator issues an API token, sees it once and revokes it', async () => {
  const page = await signedIn(admins.fr, 'fr-BE');
  await follow(page, () => page.click('header nav a[href="/admin/accounts"]'));
  assert.equal(await page.textContent('h1'), 'Comptes');
  await screen(page, 'admin-01-accounts');
  await follow(page, () => page.click('nav.admin-nav a[href="/admin/tokens"]'));
  await screen(page, 'admin-02-tokens');
  await page.selectOption('#token-owner', 'Other CaseManager');
  await page.fill('#token-days', '7');
  await follow(page, () => page.click('form[action="/admin/tokens"] button'));
  const secret = await page.inputValue('#issued-secret');
  assert.match(secret, /^cfk_[0-9a-f]{12}_[0-9a-f]{64}$/);
  assert.match(await page.textContent('.issued'), /il n'est montré que cette fois/);
  await screen(page, 'admin-03-token-issued');
  const id = secret.slice(4, 16);
  const api = () => page.request.get(base + '/api/v1/due', { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal((await api()).status(), 200);
  // Shown once: the list has its id, never the token again.
  await page.goto(base + '/admin/tokens');
  assert.ok(!(await page.content()).includes(secret));
  const row = page.locator('tbody tr').filter({ hasText: id });
  assert.match(await row.textContent(), /actif/);
  await follow(page, () => row.locator('button').click());
  assert.match(await page.textContent('main'), /Le jeton a été révoqué/);
  assert.match(await page.locator('tbody tr').filter({ hasText: id }).textContent(), /révoqué le/);
  assert.equal((await api()).status(), 401);
  await screen(page, 'admin-04-token-revoked');
});

test('the coordinator revokes a signer\'s certificate after confirming it with a reason', async () => {
  const page = await signedIn(admins.fr, 'fr-BE');
  await page.goto(base + '/admin/signers');
  await screen(page, 'admin-05-signers');
  const row = page.locator('tbody tr').filter({ hasText: signer });
  assert.match(await row.textContent(), /valable/);
  await follow(page, () => row.locator('a').click());
  // The confirmation step: nothing is revoked yet.
  assert.match(await page.textContent('.confirm h2'), new RegExp(`Révoquer le certificat de ${signer}`));
  await screen(page, 'admin-06-signer-confirm');
  assert.doesNotMatch(cli(['signer', 'list']), new RegExp(`${signer}.*REVOKED`));
  await page.fill('#revoke-reason', 'clé perdue');
  await follow(page, () => page.click('.confirm button[type=submit]'));
  assert.match(await page.textContent('main'), /Le certificat a été révoqué/);
  assert.match(await page.locator('tbody tr').filter({ hasText: signer }).textContent(), /révoqué le .*clé perdue/);
  // The trust store the Verifier reads, as `caseflow signer list` shows it.
  assert.match(cli(['signer', 'list']), new RegExp(`${signer}.*REVOKED`));
  await screen(page, 'admin-07-signer-revoked');
});

test('every admin screen passes axe in French and in Dutch', async () => {
  for (const [language, locale] of [['fr', 'fr-BE'], ['nl', 'nl-BE']]) {
    const page = await signedIn(admins[language], locale);
    for (const [n, name] of [['08', 'accounts'], ['09', 'tokens'], ['10', 'signers'], ['11', 'reads']]) {
      await page.goto(`${base}/admin/${name}`);
      assert.equal(await page.getAttribute('html', 'lang'), language);
      await screen(page, `admin-${n}-${name}-${language}`);
    }
    // The read audit filtered by a situation, and a refused account form, in that language.
    await page.goto(`${base}/admin/reads?situation=12`);
    await screen(page, `admin-12-reads-filtered-${language}`);
    await page.goto(`${base}/admin/accounts`);
    await page.fill('#new-name', `Refusé ${language}`);
    await page.fill('#new-password', 'short');
    await follow(page, () => page.click('form[action="/admin/accounts"] button'));
    assert.ok(await page.locator('.field-error').count() >= 1);
    await screen(page, `admin-13-account-refused-${language}`);
  }
});
