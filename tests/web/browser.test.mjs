// End-to-end tests of the web application in Debian's Chromium, driven by playwright-core,
// with axe-core on every screen visited (zero WCAG 2.1 A and AA violations). ctest starts them
// (label browser) after start-server.sh has started `caseflow serve` on a copy of the pilot
// database; CASEFLOW_WEB_STATE names that fixture's folder. Every screen is saved under
// CASEFLOW_WEB_SCREENSHOTS (build/web-screenshots/). These tests read the pilot database as the
// fixture left it: the caseload test counts Élodie Massart's situations, so no test may register
// one under her name or Pieter Claes's (the journeys have accounts of their own), whatever order
// ctest runs them in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { base, state, screen, useBrowser, newPage as openPage, follow } from './harness.mjs';

const caseflow = process.env.CASEFLOW_CLI;

const users = {
  coordinator: ['Marie Coordinator', 'coordinator password'],
  french: ['Élodie Massart', 'case manager password'],
  dutch: ['Pieter Claes', 'dutch case manager password'],
};

const chrome = useBrowser();

function newPage() {
  return openPage(chrome.browser);
}


async function signIn(page, [name, password], target = '/caseload', prefix = 'sign-in') {
  await page.goto(base + target);
  assert.match(page.url(), /\/sign-in\?next=/);
  await screen(page, prefix);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await follow(page, () => page.click('main button[type=submit]'));
}

test('sign in and see the caseload in French', async () => {
  const page = await newPage();
  await signIn(page, users.french, '/caseload', 'fr-01-sign-in');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.equal(await page.textContent('h1'), 'Situations suivies');
  const rows = await page.locator('tbody tr').count();
  assert.equal(rows, 2); // situations 3 and 12
  assert.match(await page.textContent('tbody'), /vérification budgétaire/);
  await screen(page, 'fr-02-caseload');
  await follow(page, () => page.click('a[href="/situations/12"]'));
  assert.match(await page.textContent('h1'), /Situation 12/);
  assert.match(await page.textContent('#history-heading'), /Historique/);
  await screen(page, 'fr-03-situation');
  await follow(page, () => page.click('a[href="/due"]'));
  await screen(page, 'fr-04-due');
});

test('the same in Dutch', async () => {
  const page = await newPage();
  await signIn(page, users.dutch, '/caseload', 'nl-01-sign-in');
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.match(await page.textContent('thead'), /Volgende termijn/);
  assert.match(await page.textContent('tbody'), /budgettaire controle/);
  await screen(page, 'nl-02-caseload');
  await follow(page, () => page.click('a[href="/situations/12"]'));
  assert.match(await page.textContent('h1'), /Situatie 12/);
  await screen(page, 'nl-03-situation');
  // Switching language on the page itself.
  await follow(page, () => page.click('button[value=fr]'));
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.match(page.url(), /\/situations\/12$/);
  await follow(page, () => page.click('button[value=nl]'));
});

test('the coordinator sees every situation and manages accounts', async () => {
  const page = await newPage();
  await signIn(page, users.coordinator, '/caseload', 'coordinator-01-sign-in');
  await screen(page, 'coordinator-02-caseload');
  await follow(page, () => page.click('header a[href="/admin/accounts"]'));
  await screen(page, 'coordinator-03-accounts');
  await page.fill('#new-name', 'Sofie Peeters');
  await page.selectOption('#new-role', 'case_manager');
  await page.selectOption('#new-language', 'nl');
  await page.fill('#new-password', 'short');
  // The browser's own check would not stop a short password; the server's answer is what counts.
  await follow(page, () => page.click('form[action="/admin/accounts"] button'));
  assert.match(await page.textContent('.field-error'), /au moins 10 caractères/);
  assert.equal(await page.inputValue('#new-name'), 'Sofie Peeters');
  await screen(page, 'coordinator-04-account-refused');
});

test('a POST without CSRF token is refused', async () => {
  const page = await newPage();
  await signIn(page, users.french, '/caseload', 'csrf-01-sign-in');
  const answer = await page.request.post(base + '/language', { form: { lang: 'nl', back: '/caseload' } });
  assert.equal(answer.status(), 403);
  // The same through the page: its form without the token.
  await page.evaluate(() => document.querySelector('form.language input[name=csrf]').remove());
  const response = await follow(page, () => page.click('button[value=nl]'));
  assert.equal(response.status(), 403);
  assert.match(await page.textContent('main'), /jeton de sécurité/);
  await screen(page, 'csrf-02-refused');
  await page.goto(base + '/caseload');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr'); // nothing changed
});

test("a case manager is denied another's situation", async () => {
  const page = await newPage();
  await signIn(page, users.french, '/caseload', 'denied-01-sign-in');
  const response = await page.goto(base + '/situations/1');
  assert.equal(response.status(), 403);
  assert.match(await page.textContent('h1'), /Accès refusé/);
  await screen(page, 'denied-02-situation');
});

test('an idle session sends back to sign-in, keeping the target', async () => {
  // Its own server, whose sessions end after 2 idle seconds (the fixture's keep 30 minutes).
  const db = path.join(state, 'idle.db');
  copyFileSync(path.join(state, 'web.db'), db);
  const server = spawn(caseflow, ['serve', '--db', db, '--bind', '127.0.0.1:0', '--threads', '2', '--access-log', 'off'],
    { env: { ...process.env, CASEFLOW_SESSION_IDLE_SECONDS: '2' } });
  try {
    const address = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', chunk => { out += chunk; const m = out.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) resolve(m[0]); });
      server.on('exit', code => reject(new Error(`caseflow serve exited ${code}`)));
    });
    const page = await newPage();
    await page.goto(address + '/situations/12');
    await page.fill('#name', users.french[0]);
    await page.fill('#password', users.french[1]);
    await follow(page, () => page.click('main button[type=submit]'));
    assert.match(page.url(), /\/situations\/12$/);
    await new Promise(resolve => setTimeout(resolve, 3000));
    await page.goto(address + '/situations/12');
    assert.match(page.url(), /\/sign-in\?next=%2Fsituations%2F12&expired=1$/);
    assert.match(await page.textContent('main'), /Votre session a expiré/);
    await screen(page, 'expired-01-sign-in-again');
    await page.fill('#name', users.french[0]);
    await page.fill('#password', users.french[1]);
    await follow(page, () => page.click('main button[type=submit]'));
    assert.match(page.url(), /\/situations\/12$/);
  } finally {
    server.kill('SIGTERM');
  }
});

test('sign-in, caseload and situation with the keyboard alone', async () => {
  const page = await newPage();
  await page.goto(base + '/caseload');
  // Tab until a given element has the focus (at most 40 presses), as a keyboard user would.
  async function tabTo(selector) {
    for (let i = 0; i < 40; ++i) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(s => document.activeElement?.matches(s), selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  }
  await tabTo('#name');
  await page.keyboard.type(users.french[0]);
  await page.keyboard.press('Tab');
  await page.keyboard.type(users.french[1]);
  await follow(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\/caseload$/);
  await tabTo('a[href="/situations/12"]');
  await follow(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\/situations\/12$/);
  // The skip link is the first stop and leads to the content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
  await screen(page, 'keyboard-01-situation');
});

test('the partner directory, kept by the coordinator', async () => {
  const page = await newPage();
  await signIn(page, users.coordinator, '/directory', 'directory-01-sign-in');
  assert.match(await page.textContent('h1'), /Répertoire des partenaires/);
  await screen(page, 'directory-02-directory');
  await page.fill('#organisation', '');
  await follow(page, () => page.click('main section form button[type=submit]'));
  assert.match(await page.textContent('#organisation-error'), /obligatoire/);
  await screen(page, 'directory-03-refused');
  await page.fill('#organisation', 'Maison de quartier Test');
  await page.fill('#person', 'Inès Moreau');
  await page.selectOption('#sector', 'social');
  await follow(page, () => page.click('main section form button[type=submit]'));
  assert.match(await page.textContent('main'), /Inès Moreau/);
});
