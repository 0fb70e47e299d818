// End-to-end tests of the early phases' forms (issue 15, wave 2) in Debian's Chromium, driven by
// playwright-core, with axe-core on every new screen (zero WCAG 2.1 A and AA violations): a
// case manager registers a new case and takes it to a held concertation using only the pages,
// in French and in Dutch, partners picked from the directory; a concertation refused by R5
// shows the rule next to the participants. Same harness as browser.test.mjs: ctest starts the
// server (start-server.sh) and names its folder in CASEFLOW_WEB_STATE; screens are saved under
// CASEFLOW_WEB_SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { base, shots, state, screen, useBrowser } from './harness.mjs';


const chrome = useBrowser();


async function submit(page, selector = 'main form button[type=submit]:not([name])') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

function isoIn(months) {
  const day = new Date();
  day.setMonth(day.getMonth() + months);
  return day.toISOString().slice(0, 10);
}

// Registers a youth and takes the case to a held concertation through the pages only.
async function firstPhases(name, password, locale, prefix, reference, words) {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  await page.goto(base + '/caseload');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await submit(page, 'main button[type=submit]');

  await page.click('a[href="/situations/new"]');
  await screen(page, `${prefix}-01-register`);
  await page.fill('#reference', reference);
  await page.fill('#givenName', 'Noa');
  await page.fill('#familyName', 'Test');
  await page.fill('#birthDate', '2012-05-10');
  await page.fill('#postalCode', '5000');
  await page.fill('#municipality', 'Namur');
  await page.check('input[name=environment][value=family]');
  await submit(page);
  assert.match(page.url(), /\/situations\/[0-9]+\?registered=1$/);
  assert.match(await page.textContent('main .notice'), words.registered);
  await screen(page, `${prefix}-02-registered`);
  const situation = new URL(page.url()).pathname;

  await page.click(`a[href="${situation}/events/consent.recorded"]`);
  await screen(page, `${prefix}-03-consent`);
  await page.check('input[name=type][value=information-sharing]');
  await page.check('input[name=given][value=true]');
  await page.check('input[name=by][value=parent]');
  await submit(page);

  for (let i = 0; i < 4; i++) {
    await page.click(`a[href="${situation}/events/partner.added"]`);
    if (i === 0) await screen(page, `${prefix}-04-partner`);
    // The pedopsychiatrist first (R6), then the next entries of the directory.
    const radios = page.locator('input[name=entry]');
    const chosen = i === 0 ? page.locator('label:has-text("Dr Hélène Marchal") input[name=entry]').first() : radios.nth(i * 3);
    await chosen.check();
    await submit(page);
    assert.equal(new URL(page.url()).pathname, situation);
  }

  await page.click(`a[href="${situation}/events/concertation.requested"]`);
  await screen(page, `${prefix}-05-request`);
  await page.selectOption('#requestedBy', { index: 2 });
  await page.fill('#reason', words.reason);
  await submit(page);

  await page.click(`a[href="${situation}/events/concertation.held"]`);
  await screen(page, `${prefix}-06-concertation`);
  // Only one partner present: R5 refuses, next to the participants, and the form keeps it all.
  for (const id of ['p2', 'p3', 'p4']) await page.selectOption(`#attendance-${id}`, 'excused');
  await page.fill('#decisions', words.decision);
  await page.selectOption('#caseManager', 'p2');
  await page.fill('#meeting-1', isoIn(7));
  await page.selectOption('#who-1', 'p1');
  await page.fill('input[name=what-1]', words.action);
  await page.fill('input[name=when-1]', isoIn(1));
  await submit(page);
  assert.match(await page.textContent('#participants-error'), /R5/);
  assert.equal(await page.inputValue('#decisions'), words.decision);
  await screen(page, `${prefix}-07-concertation-refused`);

  await Promise.all([page.waitForNavigation(), page.click('button[name=add-row]')]);
  assert.equal(await page.locator('select[name=who-4]').count(), 1);
  assert.equal(await page.inputValue('input[name=what-1]'), words.action);
  for (const id of ['p2', 'p3', 'p4']) await page.selectOption(`#attendance-${id}`, 'present');
  await page.selectOption('#who-4', 'p3');
  await page.fill('input[name=what-4]', words.action + ' (2)');
  await page.fill('input[name=when-4]', isoIn(2));
  await submit(page);
  assert.equal(new URL(page.url()).pathname, situation);
  assert.match(await page.textContent('dd.state'), words.held);
  await screen(page, `${prefix}-08-concertation-held`);
  await context.close();
}

test('a new case to a held concertation in French, through the pages', async () => {
  await firstPhases('Élodie Massart', 'case manager password', 'fr-BE', 'early-fr', 'KIR-26-E2E-FR', {
    registered: /La situation a été enregistrée/, reason: 'Refus scolaire et automutilation.',
    decision: 'Reporter la réunion.', action: 'Bilan pédopsychiatrique', held: /concertation tenue/i,
  });
});

test('a new case to a held concertation in Dutch, through the pages', async () => {
  await firstPhases('Pieter Claes', 'dutch case manager password', 'nl-BE', 'early-nl', 'KIR-26-E2E-NL', {
    registered: /De situatie werd geregistreerd/, reason: 'Schoolweigering en zelfverwonding.',
    decision: 'De vergadering uitstellen.', action: 'Kinderpsychiatrische evaluatie', held: /overleg/i,
  });
});

test('the partner directory, kept by the coordinator', async () => {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-BE' });
  const page = await context.newPage();
  await page.goto(base + '/directory');
  await page.fill('#name', 'Marie Coordinator');
  await page.fill('#password', 'coordinator password');
  await submit(page, 'main button[type=submit]');
  assert.match(await page.textContent('h1'), /Répertoire des partenaires/);
  await screen(page, 'early-fr-09-directory');
  await page.fill('#organisation', '');
  await submit(page, 'main section form button[type=submit]');
  assert.match(await page.textContent('#organisation-error'), /obligatoire/);
  await screen(page, 'early-fr-10-directory-refused');
  await page.fill('#organisation', 'Maison de quartier Test');
  await page.fill('#person', 'Inès Moreau');
  await page.selectOption('#sector', 'social');
  await submit(page, 'main section form button[type=submit]');
  assert.match(await page.textContent('main'), /Inès Moreau/);
  await context.close();
});
