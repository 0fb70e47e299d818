// The later phases in Debian's Chromium (playwright-core), axe-core on every screen: from a pilot
// situation whose concertation is held, a case manager agrees the care plan, has it signed in the
// split flow (the plan downloaded from the page, signed with `caseflow sign-file` and the
// pedopsychiatrist's key as on their own machine, the signed file uploaded), states the financial
// need and fills and submits the funding request with an amount typed « 1.234,56 ». Once in Dutch,
// once in French. Screens are saved under CASEFLOW_WEB_SCREENSHOTS as later-LANG-NN-NAME.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base, shots, state, screen, useBrowser } from './harness.mjs';

const caseflow = process.env.CASEFLOW_CLI;
const here = path.dirname(new URL(import.meta.url).pathname);

// The pedopsychiatrist's key, issued by the pilot database's authority when the service
// template was built (tests/service/ServiceFixture.h, keyFileName): it stays "on their machine",
// here a file.
const fixtureRoot = path.join(path.dirname(caseflow), 'tests', 'service-fixture');
const templateDir = readdirSync(fixtureRoot).filter(name => !name.startsWith('building-'))
  .map(name => path.join(fixtureRoot, name)).find(dir => existsSync(path.join(dir, 'pedopsychiatrist-Dr-Claire-Dubois.p12')));
const doctorKey = path.join(templateDir, 'pedopsychiatrist-Dr-Claire-Dubois.p12');
const doctorKeyPassword = 'service fixture';

const chrome = useBrowser();


function prepare(...args) {
  return execFileSync('bash', [path.join(here, 'later-prepare.sh'), ...args], { encoding: 'utf8' }).trim();
}

async function submit(page, selector = 'main button.primary') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// After an accepted form, the situation's page; else what the form said.
async function expectSituation(page, situation) {
  const errors = await page.locator('#errors').count() ? await page.textContent('#errors') : '';
  assert.equal(new URL(page.url()).pathname, situation, errors);
}

// One case from a held concertation to a submitted dossier, through the pages only (but the
// youth's adhesion, recorded by the first phases' consent form, and the signature itself).
async function laterPhases(lang, [name, password], reference, words) {
  const id = prepare('held', reference, name);
  const situation = `/situations/${id}`;
  const shot = (n, what) => `later-${lang}-${n}-${what}`;
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true,
    locale: lang === 'nl' ? 'nl-BE' : 'fr-BE' });
  const page = await context.newPage();
  await page.goto(base + situation);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await submit(page, 'main button[type=submit]');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await screen(page, shot('01', 'concertation-held'));

  // The care plan: two objectives, two actions linked to them, the network's pedopsychiatrist.
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${situation}/events/plan.agreed"]`)]);
  await page.fill('#agreedOn', '2026-03-09');
  await page.selectOption('#pedopsychiatrist', 'network:np-dubois');
  await page.fill('#objective-1-text', words.objective1);
  await page.fill('#objective-2-text', words.objective2);
  await page.fill('#action-1-text', words.action1);
  await page.selectOption('#action-1-objective', '1');
  await page.selectOption('#action-1-responsible', 'p1');
  await page.fill('#action-1-start', '2026-03-25');
  await page.fill('#action-1-end', '2026-07-15');
  // A fourth action row, without script: the form comes back with what was typed.
  await submit(page, 'button[name=add][value=action]');
  assert.equal(await page.inputValue('#action-1-text'), words.action1);
  assert.equal(await page.locator('#action-4-text').count(), 1);
  await page.fill('#action-4-text', words.action2);
  await page.selectOption('#action-4-objective', '2');
  await page.selectOption('#action-4-responsible', 'p4');
  await page.fill('#action-4-start', '2026-03-16');
  await page.fill('#meeting-1-date', '2026-06-08');
  await page.fill('#meeting-2-date', '2026-10-05');
  await screen(page, shot('02', 'care-plan'));
  await submit(page);
  await expectSituation(page, situation);
  assert.match(await page.textContent('dd.state'), words.planAgreed);
  prepare('adhesion', id);

  // The signature, split: download, `caseflow sign-file` with the key, upload.
  await page.reload();
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${situation}/events/plan.signed"]`)]);
  await screen(page, shot('03', 'plan-signature'));
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click(`a[href="${situation}/events/plan.signed/document"]`)]);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseflow-sign-'));
  const toSign = path.join(folder, download.suggestedFilename());
  await download.saveAs(toSign);
  const passwordFile = path.join(folder, 'password');
  writeFileSync(passwordFile, doctorKeyPassword + '\n');
  const signed = path.join(folder, 'signed.xml');
  execFileSync(caseflow, ['sign-file', toSign, '--key', doctorKey, '--password-file', passwordFile, '-o', signed]);
  await page.setInputFiles('#signed', signed);
  await submit(page);
  await expectSituation(page, situation);
  assert.match(await page.textContent('dd.state'), words.planValidated);

  // The financial need.
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${situation}/events/need.identified"]`)]);
  await page.fill('#date', '2026-03-11');
  await page.fill('#reason', words.need);
  await screen(page, shot('04', 'need'));
  await submit(page);
  assert.match(await page.textContent('dd.state'), words.dossier);

  // The funding request: an amount typed the Belgian way, the IBAN checked as it is typed.
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${situation}/events/dossier.submitted"]`)]);
  await page.fill('#date', '2026-03-16');
  await page.fill('#line-1-description', words.expense);
  await page.selectOption('#line-1-category', 'therapy');
  await page.fill('#line-1-supplier', 'Atelier Kleur');
  await page.fill('#line-1-amount', '1.234,56');
  await page.selectOption('#line-1-action', 'a1');
  await page.fill('#payee', 'Service de santé mentale de Ciney');
  await page.fill('#iban', 'BE68 5390 0754 7035');
  assert.equal(await page.getAttribute('#iban', 'aria-invalid'), 'true');
  await page.fill('#iban', 'BE68 5390 0754 7034');
  assert.equal(await page.getAttribute('#iban', 'aria-invalid'), null);
  assert.match(await page.textContent('#iban-check'), words.ibanValid);
  // Without the declaration R13 refuses, next to the checkbox, and the form keeps the amount.
  await submit(page);
  assert.match(await page.textContent('#errors'), /R13/);
  assert.equal(await page.inputValue('#line-1-amount'), '1.234,56');
  await screen(page, shot('05', 'funding-request-refused'));
  await page.check('#noDoubleSubsidy');
  await submit(page);
  await expectSituation(page, situation);
  assert.match(await page.textContent('dd.state'), words.budgetCheck);
  await screen(page, shot('06', 'submitted'));
  const shown = execFileSync(caseflow, ['situation', 'show', id, '--json'],
    { encoding: 'utf8', env: { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') } });
  assert.match(shown, /123456/);
  await context.close();
}

test('the later phases in Dutch: plan, signature, need and dossier through the pages', async () => {
  await laterPhases('nl', ['Pieter Claes', 'dutch case manager password'], 'KIR-26-981', {
    objective1: 'Jana een therapeutische ruimte in haar eigen taal bieden.',
    objective2: 'Jana\'s plaats op school behouden.',
    action1: 'Kunsttherapie in het Nederlands, 16 sessies.',
    action2: 'Vertrouwenspersoon op school.',
    need: 'Geen Nederlandstalige therapeut in de regio.',
    expense: '16 sessies kunsttherapie',
    planAgreed: /zorgplan afgesproken/, planValidated: /zorgplan gevalideerd/, dossier: /dossier in voorbereiding/,
    budgetCheck: /budgettaire controle/, ibanValid: /controlecijfers/,
  });
});

test('the later phases in French: plan, signature, need and dossier through the pages', async () => {
  await laterPhases('fr', ['Élodie Massart', 'case manager password'], 'KIR-26-982', {
    objective1: 'Offrir à Jana un espace thérapeutique dans sa langue.',
    objective2: 'Maintenir Jana à l\'école.',
    action1: 'Art-thérapie en néerlandais, 16 séances.',
    action2: 'Personne de confiance à l\'école.',
    need: 'Pas de thérapeute néerlandophone dans la région.',
    expense: '16 séances d\'art-thérapie',
    planAgreed: /plan de soins convenu/, planValidated: /plan de soins validé/, dossier: /dossier en préparation/,
    budgetCheck: /vérification budgétaire/, ibanValid: /chiffres de contrôle/,
  });
});
