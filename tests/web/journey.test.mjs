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
import { base, state, screen, useBrowser, newPage, follow, brusselsDate, doctorKey } from './harness.mjs';

const caseflow = process.env.CASEFLOW_CLI;
const chrome = useBrowser();

function cli(...args) {
  return execFileSync(caseflow, args, { encoding: 'utf8', env: { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') } });
}

// The main submit button of the form on the page (not "add a row", not the language switch).
const primary = 'main form button[type=submit]:not([name])';

async function submit(page, selector = primary) {
  return follow(page, () => page.click(selector));
}

// Submits a form that must be accepted: back on the situation's page, in `state` if given (in
// words); else the test fails with what the form said.
async function accepted(page, situation, selector = primary, state = null) {
  await submit(page, selector);
  const errors = await page.locator('.error-summary, #errors').allTextContents();
  assert.equal(new URL(page.url()).pathname, situation, errors.join(' '));
  if (state) assert.match(await page.textContent('dd.state'), state);
}

async function openEvent(page, situation, event) {
  await follow(page, () => page.click(`a[href="${situation}/events/${event}"]`));
}

async function consent(page, situation, type, note) {
  await openEvent(page, situation, 'consent.recorded');
  await page.check(`input[name=type][value=${type}]`);
  await page.check('input[name=given][value=true]');
  await page.check('input[name=by][value=youth]');
  await page.fill('#date', brusselsDate());
  await page.fill('#note', note);
  return page;
}

async function journey(lang, [name, password], reference, amount, words) {
  const today = brusselsDate();
  let n = 0;
  const shot = what => `journey-${lang}-${String(++n).padStart(2, '0')}-${what}`;
  const page = await newPage(chrome.browser, lang === 'nl' ? 'nl-BE' : 'fr-BE', { acceptDownloads: true });

  // Sign in; the page speaks the user's language.
  await page.goto(base + '/caseload');
  await screen(page, shot('sign-in'));
  await page.fill('#name', name);
  await page.fill('#password', password);
  await submit(page, 'main button[type=submit]');
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  await screen(page, shot('caseload'));

  // Registration.
  await follow(page, () => page.click('a[href="/situations/new"]'));
  await screen(page, shot('register'));
  await page.fill('#reference', reference);
  await page.fill('#givenName', 'Noa');
  await page.fill('#familyName', 'Lambert');
  await page.fill('#birthDate', '2012-05-10');
  await page.fill('#postalCode', '5000');
  await page.fill('#municipality', 'Namur');
  await page.check('input[name=environment][value=family]');
  await page.selectOption('#language', lang);
  await submit(page);
  assert.match(page.url(), /\/situations\/[0-9]+\?registered=1$/);
  assert.match(await page.textContent('main .notice'), words.registered);
  await screen(page, shot('registered'));
  const situation = new URL(page.url()).pathname;
  const id = situation.split('/').pop();

  // The youth agrees to information sharing (R9).
  await consent(page, situation, 'information-sharing', words.sharing);
  await screen(page, shot('consent'));
  await accepted(page, situation);

  // Four partners picked from the directory: the pedopsychiatrist first (R6), mental health (R5).
  for (const [i, contact] of ['Dr Hélène Marchal', 'Valérie Dethier', 'Isabelle Hardy', 'Jeroen Goossens'].entries()) {
    await openEvent(page, situation, 'partner.added');
    if (i === 0) await screen(page, shot('partner'));
    await page.check(`label:has-text("${contact}") input[name=entry]`);
    await accepted(page, situation);
  }

  // The concertation request, by the school's partner.
  await openEvent(page, situation, 'concertation.requested');
  await screen(page, shot('request'));
  await page.selectOption('#requestedBy', 'p2');
  await page.fill('#reason', words.reason);
  await accepted(page, situation);

  // The concertation: with one partner present R5 refuses, next to the participants, and the
  // form keeps what was typed; a roadmap row is added without script; then it is held.
  await openEvent(page, situation, 'concertation.held');
  await screen(page, shot('concertation'));
  await page.fill('#date', today);
  for (const partner of ['p2', 'p3', 'p4']) await page.selectOption(`#attendance-${partner}`, 'excused');
  await page.selectOption('#attendance-p1', 'present');
  await page.fill('#decisions', words.decision);
  await page.selectOption('#caseManager', 'p2');
  await page.fill('#meeting-1', brusselsDate(7));
  await page.selectOption('#who-1', 'p1');
  await page.fill('input[name=what-1]', words.roadmap);
  await page.fill('input[name=when-1]', brusselsDate(1));
  await submit(page);
  assert.match(await page.textContent('#participants-error'), /R5/);
  assert.equal(await page.inputValue('#decisions'), words.decision);
  await screen(page, shot('concertation-refused'));
  await follow(page, () => page.click('button[name=add-row]'));
  assert.equal(await page.locator('select[name=who-4]').count(), 1);
  assert.equal(await page.inputValue('input[name=what-1]'), words.roadmap);
  for (const partner of ['p2', 'p3', 'p4']) await page.selectOption(`#attendance-${partner}`, 'present');
  await page.selectOption('#who-4', 'p3');
  await page.fill('input[name=what-4]', words.roadmap2);
  await page.fill('input[name=when-4]', brusselsDate(2));
  await accepted(page, situation, primary, words.held);

  // The care plan: two objectives, two actions linked to them (the second on a row added
  // without script), the network's pedopsychiatrist, whose key signs it below.
  const doctor = doctorKey(caseflow);
  await openEvent(page, situation, 'plan.agreed');
  await page.fill('#agreedOn', today);
  await page.selectOption('#pedopsychiatrist', doctor.partner);
  await page.fill('#objective-1-text', words.objective1);
  await page.fill('#objective-2-text', words.objective2);
  await page.fill('#action-1-text', words.action1);
  await page.selectOption('#action-1-objective', '1');
  await page.selectOption('#action-1-responsible', 'p1');
  await page.fill('#action-1-start', brusselsDate(1));
  await page.fill('#action-1-end', brusselsDate(5));
  await submit(page, 'button[name=add][value=action]');
  assert.equal(await page.inputValue('#action-1-text'), words.action1);
  await page.fill('#action-4-text', words.action2);
  await page.selectOption('#action-4-objective', '2');
  await page.selectOption('#action-4-responsible', 'p3');
  await page.fill('#action-4-start', brusselsDate(1));
  await page.fill('#meeting-1-date', brusselsDate(3));
  await page.fill('#meeting-2-date', brusselsDate(8));
  await screen(page, shot('care-plan'));
  await accepted(page, situation, 'main button.primary', words.planAgreed);

  // The youth adheres to the plan (R9), on the consent form again.
  await consent(page, situation, 'plan-adhesion', words.adhesion);
  await accepted(page, situation);

  // The signature, split: the plan downloaded from the page, signed elsewhere, uploaded.
  await openEvent(page, situation, 'plan.signed');
  await screen(page, shot('plan-signature'));
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

  // The financial need.
  await openEvent(page, situation, 'need.identified');
  await page.fill('#date', today);
  await page.fill('#reason', words.need);
  await screen(page, shot('need'));
  await accepted(page, situation, 'main button.primary', words.dossier);

  // The funding request: the amount typed the Belgian way, the IBAN checked as it is typed.
  await openEvent(page, situation, 'dossier.submitted');
  await page.fill('#date', today);
  await page.fill('#line-1-description', words.expense);
  await page.selectOption('#line-1-category', 'therapy');
  await page.fill('#line-1-supplier', 'Atelier Kleur');
  await page.fill('#line-1-amount', amount);
  await page.selectOption('#line-1-action', 'a1');
  await page.fill('#payee', 'Service de santé mentale de Namur');
  await page.fill('#iban', 'BE68 5390 0754 7035');
  assert.equal(await page.getAttribute('#iban', 'aria-invalid'), 'true');
  await page.fill('#iban', 'BE68 5390 0754 7034');
  assert.equal(await page.getAttribute('#iban', 'aria-invalid'), null);
  assert.match(await page.textContent('#iban-check'), words.ibanValid);
  // Without the declaration R13 refuses, next to the checkbox, and the form keeps the amount.
  await submit(page, 'main button.primary');
  assert.match(await page.textContent('#errors'), /R13/);
  assert.equal(await page.inputValue('#line-1-amount'), amount);
  await screen(page, shot('funding-request-refused'));
  await page.check('#noDoubleSubsidy');
  await accepted(page, situation, 'main button.primary');

  // The situation page says it in words, in the user's language.
  assert.match(await page.textContent('dd.state'), words.budgetCheck);
  const history = await page.locator('ol.history li').allTextContents();
  assert.match(history.at(-1), words.submitted);
  await screen(page, shot('submitted'));
  await page.context().close();

  // And the log holds exactly what the pages fired, refusals leaving no trace.
  const events = JSON.parse(cli('events', id, '--json')).map(e => e.type);
  assert.deepEqual(events, ['situation.registered', 'consent.recorded', 'partner.added', 'partner.added',
    'partner.added', 'partner.added', 'concertation.requested', 'concertation.held', 'plan.agreed',
    'consent.recorded', 'plan.signed', 'need.identified', 'dossier.submitted']);
  const shown = JSON.parse(cli('situation', 'show', id, '--json'));
  assert.equal(shown.state, 'budget-check');
  const amounts = [...shown.document.matchAll(/<line [^>]*amount="([0-9]+)"/g)].map(m => m[1]);
  assert.deepEqual(amounts, ['123456']);
}

test('a new case to a submitted dossier in French, through the pages only', async () => {
  await journey('fr', ['Julie Renard', 'french journey password'], `KIR-26-J-FR-${process.pid}`, '1 234,56', {
    registered: /La situation a été enregistrée/,
    sharing: 'Noa accepte que les partenaires échangent ce qui est nécessaire.',
    reason: 'Refus scolaire et automutilation.', decision: 'Un bilan pédopsychiatrique d\'abord.',
    roadmap: 'Bilan pédopsychiatrique', roadmap2: 'Rencontre avec l\'école', held: /concertation tenue/i,
    objective1: 'Offrir à Noa un espace thérapeutique.', objective2: 'Maintenir Noa à l\'école.',
    action1: 'Art-thérapie, 16 séances.', action2: 'Personne de confiance à l\'école.',
    adhesion: 'Noa adhère au plan après en avoir parlé avec sa mère.',
    need: 'Aucune art-thérapie remboursée dans la région.', expense: '16 séances d\'art-thérapie',
    planAgreed: /plan de soins convenu/, planValidated: /plan de soins validé/, dossier: /dossier en préparation/,
    ibanValid: /chiffres de contrôle/, budgetCheck: /vérification budgétaire/,
    submitted: /dossier de demande introduit/i,
  });
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
