// The steps of a case through the pages that several browser tests take (journey.test.mjs,
// fourpeople.test.mjs): the form helpers, a case manager's path from registration to the youth's
// adhesion to the care plan, and from the financial need to the submitted dossier; the accounts
// and keys a test makes with the CLI (`caseflow user add`, `caseflow signer add`). Each step
// fills the pages as a person does and waits for the page the action leads to (harness.mjs's
// `follow`); `snap(name)` is called on the screens worth a screenshot and an axe-core run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base, state, follow, brusselsDate, newPage } from './harness.mjs';

export const caseflow = process.env.CASEFLOW_CLI;
export const env = { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') };

// The CLI on the browser server's database.
export function cli(args, input) {
  return execFileSync(caseflow, args, { encoding: 'utf8', env, input });
}

// The main submit button of the form on the page (not "add a row", not the language switch).
export const primary = 'main form button[type=submit]:not([name])';

export async function submit(page, selector = primary) {
  return follow(page, () => page.click(selector));
}

// Submits a form that must be accepted: back on the situation's page, in `state` if given (in
// words); else the test fails with what the form said.
export async function accepted(page, situation, selector = primary, state = null) {
  await submit(page, selector);
  const errors = await page.locator('.error-summary, #errors').allTextContents();
  assert.equal(new URL(page.url()).pathname, situation, errors.join(' '));
  if (state) assert.match(await page.textContent('dd.state'), state);
}

export async function openEvent(page, situation, event) {
  await follow(page, () => page.click(`a[href="${situation}/events/${event}"]`));
}

export async function consent(page, situation, type, note) {
  await openEvent(page, situation, 'consent.recorded');
  await page.check(`input[name=type][value=${type}]`);
  await page.check('input[name=given][value=true]');
  await page.check('input[name=by][value=youth]');
  await page.fill('#date', brusselsDate());
  await page.fill('#note', note);
  return page;
}

// A page signed in as `name` in its own browser context (its own cookies), at `start`.
export async function signedIn(browser, [name, password], locale = 'fr-BE', start = '/caseload') {
  const page = await newPage(browser, locale, { acceptDownloads: true });
  await page.goto(base + start);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await submit(page, 'main button[type=submit]');
  return page;
}

// The network's authority key, kept beside the service tests' template (tests/service/ServiceFixture.h).
function templateDir() {
  const fixtureRoot = path.join(path.dirname(caseflow), 'tests', 'service-fixture');
  const found = readdirSync(fixtureRoot).filter(name => !name.startsWith('building-'))
    .map(name => path.join(fixtureRoot, name)).find(dir => existsSync(path.join(dir, 'network-ca.key')));
  assert.ok(found, `no network-ca.key under ${fixtureRoot}`);
  return found;
}

// An account for `name` in `role` (password `accountPassword`, language `lang`) and their key from
// `caseflow signer add`: the .p12 and the .browser-key.json beside it, with its own password.
export function signerWithKey(name, role, { accountPassword = 'signer account password', lang = 'fr' } = {}) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'caseflow-browser-key-'));
  const password = `${name} key password`;
  cli(['user', 'add', name, '--role', role]);
  cli(['user', 'password', name, '--lang', lang], accountPassword + '\n');
  writeFileSync(path.join(folder, 'ca.password'), 'service fixture\n');
  writeFileSync(path.join(folder, 'key.password'), password + '\n');
  cli(['signer', 'add', name, '--role', role, '--ca-key', path.join(templateDir(), 'network-ca.key'),
    '--ca-password-file', path.join(folder, 'ca.password'), '--password-file', path.join(folder, 'key.password'),
    '-o', path.join(folder, 'signer.p12')]);
  return { folder, password, keyFile: path.join(folder, 'signer.browser-key.json') };
}

// Registration to the youth's adhesion to the agreed care plan, as the case manager on `page`:
// the situation registered, information sharing agreed, the four `partners` (contact names in the
// directory, the pedopsychiatrist first: R6) added, the concertation requested and held (refused
// once by R5, a roadmap row added without script), the plan agreed with `pedopsychiatrist` (an
// option of the plan form: 'partner:p1', 'network:np-dubois'). Returns the situation's path and id.
export async function registrationToAdhesion(page, { lang, reference, partners, pedopsychiatrist, words, snap }) {
  const today = brusselsDate();
  await follow(page, () => page.click('a[href="/situations/new"]'));
  await snap('register');
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
  await snap('registered');
  const situation = new URL(page.url()).pathname;
  const id = situation.split('/').pop();

  // The youth agrees to information sharing (R9).
  await consent(page, situation, 'information-sharing', words.sharing);
  await snap('consent');
  await accepted(page, situation);

  // Four partners picked from the directory: the pedopsychiatrist first (R6), mental health (R5).
  for (const [i, contact] of partners.entries()) {
    await openEvent(page, situation, 'partner.added');
    if (i === 0) await snap('partner');
    await page.check(`label:has-text("${contact}") input[name=entry]`);
    await accepted(page, situation);
  }

  // The concertation request, by the school's partner.
  await openEvent(page, situation, 'concertation.requested');
  await snap('request');
  await page.selectOption('#requestedBy', 'p2');
  await page.fill('#reason', words.reason);
  await accepted(page, situation);

  // The concertation: with one partner present R5 refuses, next to the participants, and the
  // form keeps what was typed; a roadmap row is added without script; then it is held.
  await openEvent(page, situation, 'concertation.held');
  await snap('concertation');
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
  await snap('concertation-refused');
  await follow(page, () => page.click('button[name=add-row]'));
  assert.equal(await page.locator('select[name=who-4]').count(), 1);
  assert.equal(await page.inputValue('input[name=what-1]'), words.roadmap);
  for (const partner of ['p2', 'p3', 'p4']) await page.selectOption(`#attendance-${partner}`, 'present');
  await page.selectOption('#who-4', 'p3');
  await page.fill('input[name=what-4]', words.roadmap2);
  await page.fill('input[name=when-4]', brusselsDate(2));
  await accepted(page, situation, primary, words.held);

  // The care plan: two objectives, two actions linked to them (the second on a row added
  // without script), and the pedopsychiatrist who signs it.
  await openEvent(page, situation, 'plan.agreed');
  await page.fill('#agreedOn', today);
  await page.selectOption('#pedopsychiatrist', pedopsychiatrist);
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
  await snap('care-plan');
  await accepted(page, situation, 'main button.primary', words.planAgreed);

  // The youth adheres to the plan (R9), on the consent form again.
  await consent(page, situation, 'plan-adhesion', words.adhesion);
  await accepted(page, situation);
  return { situation, id };
}

// The financial need and the funding request of `amount` (typed the Belgian way), the IBAN
// checked as it is typed, refused once by R13 without the declaration, then submitted.
export async function needToSubmission(page, situation, { amount, words, snap }) {
  const today = brusselsDate();
  await openEvent(page, situation, 'need.identified');
  await page.fill('#date', today);
  await page.fill('#reason', words.need);
  await snap('need');
  await accepted(page, situation, 'main button.primary', words.dossier);

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
  await snap('funding-request-refused');
  await page.check('#noDoubleSubsidy');
  await accepted(page, situation, 'main button.primary');
}

// The words of a case in French, the situation page's states included.
export const frenchWords = {
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
};
