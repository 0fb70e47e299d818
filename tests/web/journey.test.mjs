// Issue 15's proof that the web application carries a case on its own: a case manager (an account
// of these tests' own, start-server.sh, so no other test's caseload changes) takes a new case from
// registration to a submitted dossier using only the pages, once in French and once in Dutch.
// Registration, consents, four partners from the directory, the concertation request, the
// concertation (refused once by R5, next to the participants, then held with a roadmap row added
// without script), the care plan, the youth's adhesion, the plan signed in the split flow
// (downloaded from the page, signed with `caseflow sign-file` and the pedopsychiatrist's key as on
// their own machine, uploaded), the financial need and the funding request (an amount typed the
// Belgian way, the IBAN checked as it is typed, refused once by R13). Then the situation page must
// say, in the user's language, that the dossier is submitted, and the CLI must find the expected
// events in the log and the amount in cents. axe-core on every screen, saved as journey-LANG-NN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { screen, useBrowser, newPage, doctorKey, base } from './harness.mjs';
import { caseflow, cli, submit, accepted, openEvent, registrationToAdhesion, needToSubmission, frenchWords } from './steps.mjs';

const chrome = useBrowser();

async function journey(lang, [name, password], reference, amount, words) {
  let n = 0;
  const shot = what => `journey-${lang}-${String(++n).padStart(2, '0')}-${what}`;
  const page = await newPage(chrome.browser, lang === 'nl' ? 'nl-BE' : 'fr-BE', { acceptDownloads: true });
  const snap = what => screen(page, shot(what));

  // Sign in; the page speaks the user's language.
  await page.goto(base + '/caseload');
  await snap('sign-in');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await submit(page, 'main button[type=submit]');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await snap('caseload');

  // Registration to the youth's adhesion to the plan, whose pedopsychiatrist is the network's
  // Dr Claire Dubois: her key signs it below.
  const doctor = doctorKey(caseflow);
  const { situation, id } = await registrationToAdhesion(page, {
    lang, reference, words, snap, pedopsychiatrist: doctor.partner,
    partners: ['Dr Hélène Marchal', 'Valérie Dethier', 'Isabelle Hardy', 'Jeroen Goossens'] });

  // The signature, split: the plan downloaded from the page, signed elsewhere, uploaded.
  await openEvent(page, situation, 'plan.signed');
  await snap('plan-signature');
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.click(`a[href="${situation}/events/plan.signed/document"]`)]);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseflow-journey-'));
  const toSign = path.join(folder, download.suggestedFilename());
  await download.saveAs(toSign);
  const passwordFile = path.join(folder, 'password');
  writeFileSync(passwordFile, doctor.password + '\n');
  const signed = path.join(folder, 'signed.xml');
  execFileSync(caseflow, ['sign-file', toSign, '--key', doctor.file, '--password-file', passwordFile, '-o', signed]);
  await page.setInputFiles('#signed', signed);
  await accepted(page, situation, 'main button.primary', words.planValidated);

  // The financial need and the funding request.
  await needToSubmission(page, situation, { amount, words, snap });

  // The situation page says it in words, in the user's language.
  assert.match(await page.textContent('dd.state'), words.budgetCheck);
  const history = await page.locator('ol.history li').allTextContents();
  assert.match(history.at(-1), words.submitted);
  await snap('submitted');
  await page.context().close();

  // And the log holds exactly what the pages fired, refusals leaving no trace.
  const events = JSON.parse(cli(['events', id, '--json'])).map(e => e.type);
  assert.deepEqual(events, ['situation.registered', 'consent.recorded', 'partner.added', 'partner.added',
    'partner.added', 'partner.added', 'concertation.requested', 'concertation.held', 'plan.agreed',
    'consent.recorded', 'plan.signed', 'need.identified', 'dossier.submitted']);
  const shown = JSON.parse(cli(['situation', 'show', id, '--json']));
  assert.equal(shown.state, 'budget-check');
  const amounts = [...shown.document.matchAll(/<line [^>]*amount="([0-9]+)"/g)].map(m => m[1]);
  assert.deepEqual(amounts, ['123456']);
}

test('a new case to a submitted dossier in French, through the pages only', async () => {
  await journey('fr', ['Julie Renard', 'french journey password'], `KIR-26-J-FR-${process.pid}`, '1 234,56',
    frenchWords);
});

test('a new case to a submitted dossier in Dutch, through the pages only', async () => {
  await journey('nl', ['Lotte Maes', 'dutch journey password'], `KIR-26-J-NL-${process.pid}`, '1.234,56', {
    registered: /De situatie werd geregistreerd/,
    sharing: 'Noa gaat akkoord dat de partners het nodige uitwisselen.',
    reason: 'Schoolweigering en zelfverwonding.', decision: 'Eerst een kinderpsychiatrische evaluatie.',
    roadmap: 'Kinderpsychiatrische evaluatie', roadmap2: 'Gesprek met de school', held: /overleg/i,
    objective1: 'Noa een therapeutische ruimte bieden.', objective2: 'Noa\'s plaats op school behouden.',
    action1: 'Kunsttherapie, 16 sessies.', action2: 'Vertrouwenspersoon op school.',
    adhesion: 'Noa stemt in met het plan na een gesprek met haar moeder.',
    need: 'Geen terugbetaalde kunsttherapie in de regio.', expense: '16 sessies kunsttherapie',
    planAgreed: /zorgplan afgesproken/, planValidated: /zorgplan gevalideerd/, dossier: /dossier in voorbereiding/,
    ibanValid: /controlecijfers/, budgetCheck: /budgettaire controle/,
    submitted: /aanvraagdossier ingediend/i,
  });
});
