// Issue 16's proof that the web application carries the whole funding process: four people in
// four browser contexts (and a second coordinator in a fifth) take one situation from its
// registration to its last payment through the pages only. The coordinator adds the
// pedopsychiatrist to the directory; the case manager registers the case and takes it to the
// youth's adhesion to the care plan (steps.mjs); the pedopsychiatrist signs the plan in the
// browser with the key file `caseflow signer add` made; the case manager asks 6 543,21 €, above
// the network's stronger-validation threshold (5 000 €), so the coordinator's approval needs a
// second coordinator's countersignature (R14): the coordinator asks for it, the second
// coordinator countersigns in the browser, the coordinator signs; finance pays 2 000,00 € by hand
// and the rest by a payment run built on the finance page, whose pain.001 is the CLI's. Then
// still to pay is 0, the situation is in follow-up, the exported plan and decision verify with
// `xmlsec1 --verify --trusted-pem` against the network's CA, and the log holds exactly the events
// the pages fired. Accounts, keys and the doctor's assignment are set up with the CLI, as an
// administrator does. axe-core runs on the screens this test adds (fourpeople-NN-NAME.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { base, screen, useBrowser, follow, brusselsDate } from './harness.mjs';
import {
  cli, submit, accepted, signedIn, signerWithKey, registrationToAdhesion, needToSubmission, frenchWords,
} from './steps.mjs';

const chrome = useBrowser();
const skip = async () => {};

// Signs the form of a signing page with `key` and waits for the page the server answers with.
async function signOnPage(page, key, button) {
  assert.equal(await page.isVisible('#browser-signing'), true, 'the script shows the key form');
  await page.setInputFiles('#key-file', key.keyFile);
  await page.fill('#key-password', key.password);
  await follow(page, () => page.click(button));
  const errors = await page.locator('#errors').count() ? await page.textContent('#errors') : '';
  return errors;
}

test('four people take one situation from registration to the last payment through the pages', async () => {
  const tag = process.pid.toString(36);
  const today = brusselsDate();
  const doctor = `Dr Iris Quatrevents ${tag}`;
  const coordinator = `Coordinatrice Première ${tag}`;
  const second = `Coordinateur Second ${tag}`;
  const caseManager = [`Camille Quatrevents ${tag}`, 'four people case manager'];
  const finance = [`Fanny Quatrevents ${tag}`, 'four people finance'];
  for (const [[name, password], role] of [[caseManager, 'case_manager'], [finance, 'finance']]) {
    cli(['user', 'add', name, '--role', role]);
    cli(['user', 'password', name, '--lang', 'fr'], password + '\n');
  }
  const keys = {
    doctor: signerWithKey(doctor, 'pedopsychiatrist'),
    coordinator: signerWithKey(coordinator, 'coordinator'),
    second: signerWithKey(second, 'coordinator'),
  };
  const account = name => [name, 'signer account password'];
  let n = 0;
  const shot = (page, what) => screen(page, `fourpeople-${String(++n).padStart(2, '0')}-${what}`);

  // The coordinator adds the pedopsychiatrist to the partner directory.
  const asCoordinator = await signedIn(chrome.browser, account(coordinator), 'fr-BE', '/directory');
  await asCoordinator.fill('#organisation', `Centre Quatre Vents ${tag}`);
  await asCoordinator.fill('#person', doctor);
  await asCoordinator.fill('#profession', 'Pédopsychiatre');
  await asCoordinator.selectOption('#sector', 'mental-health');
  await asCoordinator.check('input[name=pedopsychiatrist]');
  await submit(asCoordinator, 'main section form button[type=submit]');
  assert.match(await asCoordinator.textContent('main'), new RegExp(doctor));

  // The case manager registers the case and takes it to the youth's adhesion to the plan.
  const asCaseManager = await signedIn(chrome.browser, caseManager);
  const { situation, id } = await registrationToAdhesion(asCaseManager, {
    lang: 'fr', reference: `KIR-26-4P-${tag}`, words: frenchWords, snap: skip, pedopsychiatrist: 'partner:p1',
    partners: [doctor, 'Valérie Dethier', 'Isabelle Hardy', 'Jeroen Goossens'] });
  cli(['user', 'assign', doctor, '--situations', id]);

  // The pedopsychiatrist signs the plan in the browser, from the list of what waits for them.
  const asDoctor = await signedIn(chrome.browser, account(doctor), 'fr-BE', '/signatures');
  await follow(asDoctor, () => asDoctor.click(`a[href="${situation}/sign/plan"]`));
  assert.equal(await signOnPage(asDoctor, keys.doctor, '#sign-form button'), '');
  assert.equal(new URL(asDoctor.url()).pathname, situation);
  assert.match(await asDoctor.textContent('dd.state'), frenchWords.planValidated);

  // The case manager states the need and submits 6 543,21 €, above the threshold.
  await asCaseManager.goto(base + situation);
  await needToSubmission(asCaseManager, situation, { amount: '6 543,21', words: frenchWords, snap: skip });
  assert.match(await asCaseManager.textContent('dd.state'), frenchWords.budgetCheck);

  // The coordinator approves at the budget check and asks for the countersignature (R14).
  await asCoordinator.goto(base + '/budget-check');
  await follow(asCoordinator, () => asCoordinator.click(`a[href="${situation}/sign/decision?request=fr1"]`));
  await asCoordinator.selectOption('#outcome', 'approved');
  await asCoordinator.fill('#amount', '6 543,21');
  await asCoordinator.fill('#date', today);
  await asCoordinator.fill('#reasons', 'Dossier complet.\nArt-thérapie sans autre financement.');
  await submit(asCoordinator, 'button[data-plain]');
  assert.match(await asCoordinator.textContent('main'), /attend la contre-signature/);
  await shot(asCoordinator, 'decision-asked');

  // The second coordinator finds it on their list, reads it and countersigns it in the browser.
  const asSecond = await signedIn(chrome.browser, account(second), 'fr-BE', '/signatures');
  await shot(asSecond, 'to-countersign');
  await follow(asSecond, () => asSecond.click(`a[href="${situation}/sign/countersign"]`));
  assert.match(await asSecond.textContent('main'), /6\s543,21/);
  await shot(asSecond, 'countersign');
  assert.equal(await signOnPage(asSecond, keys.second, '#sign-form button.primary'), '');
  assert.match(await asSecond.textContent('main'), new RegExp(`${second} a contresigné`));
  await shot(asSecond, 'countersigned');

  // The coordinator signs the decision as it stands, the countersignature inside.
  await asCoordinator.goto(base + `${situation}/sign/decision`);
  assert.match(await asCoordinator.textContent('main'), new RegExp(`${second} a contresigné`));
  assert.match(await asCoordinator.textContent('dl.facts'), /6\s543,21/); // shown as it stands, not typed again
  await shot(asCoordinator, 'decision-countersigned');
  assert.equal(await signOnPage(asCoordinator, keys.coordinator, '#sign-form button.primary'), '');
  assert.equal(new URL(asCoordinator.url()).pathname, situation);

  // Finance pays 2 000,00 € by hand, then the rest by a payment run of this request.
  const asFinance = await signedIn(chrome.browser, finance, 'fr-BE', '/finance');
  const form = asFinance.locator('form.payment').filter({ has: asFinance.locator(`input[name=situation][value="${id}"]`) });
  await form.locator('input[name=amount]').fill('2 000,00');
  await form.locator('input[name=reference]').fill(`VIR-4P-${tag}`);
  await follow(asFinance, () => form.locator('button[type=submit]').click());
  assert.match(await asFinance.textContent('main'), /Le paiement a été enregistré/);
  await asFinance.check(`#pay-${id}-fr1`);
  await asFinance.fill('#run-date', today);
  await shot(asFinance, 'payment-run');
  await submit(asFinance, 'button[name=scope][value=ticked]');
  const run = new URL(asFinance.url()).searchParams.get('run');
  assert.match(run || '', /^run-[0-9]+$/, await asFinance.textContent('main'));
  assert.match(await asFinance.textContent('main'), new RegExp(`Le lot de paiements ${run} a été constitué`));
  await shot(asFinance, 'run-built');
  const row = asFinance.locator('table.list tbody tr').filter({ hasText: `KIR-26-4P-${tag} — fr1` }).first();
  assert.match(await row.locator('td').last().textContent(), /^0,00\s€$/); // still to pay
  const file = await (await asFinance.request.get(base + `/finance/runs/${run}/pain.001.xml`)).text();
  assert.equal(file, cli(['payments', 'export', run]));
  assert.match(file, /<InstdAmt Ccy="EUR">4543\.21<\/InstdAmt>/);

  // The situation is paid: in follow-up, as its page says to the case manager.
  await asCaseManager.goto(base + situation);
  assert.match(await asCaseManager.textContent('dd.state'), /suivi/);
  for (const page of [asCoordinator, asCaseManager, asDoctor, asSecond, asFinance]) await page.context().close();

  // Outsiders verify the signed plan and decision against the network's CA with xmlsec1: in the
  // decision, from the decision's own signature (the countersignature's comes first in the
  // file), and the countersignature on its own, as it signed itself (Reference URI="").
  const folder = keys.coordinator.folder;
  const inFolder = name => path.join(folder, name);
  cli(['ca', 'export', '-o', inFolder('CA.pem')]);
  cli(['plan', 'export-signed', id, '-o', inFolder('plan.xml')]);
  cli(['decision', 'export-signed', id, '-o', inFolder('decision.xml')]);
  writeFileSync(inFolder('countersignature.xml'), execFileSync('xmllint',
    ['--xpath', "/*/*[local-name()='countersignature']", inFolder('decision.xml')], { encoding: 'utf8' }));
  for (const args of [[inFolder('plan.xml')], ['--node-xpath', "/*/*[local-name()='Signature']", inFolder('decision.xml')],
    [inFolder('countersignature.xml')]]) {
    const verified = spawnSync('xmlsec1', ['--verify', '--trusted-pem', inFolder('CA.pem'), ...args], { encoding: 'utf8' });
    assert.equal(verified.status, 0, `${args.join(' ')}: ${verified.stderr}`);
  }
  assert.match(readFileSync(inFolder('decision.xml'), 'utf8'), new RegExp(`<countersignature by="${second}"`));

  // The log holds what the pages fired, refusals leaving no trace.
  const events = JSON.parse(cli(['events', id, '--json'])).map(e => e.type);
  assert.deepEqual(events, ['situation.registered', 'consent.recorded', 'partner.added', 'partner.added',
    'partner.added', 'partner.added', 'concertation.requested', 'concertation.held', 'plan.agreed',
    'consent.recorded', 'plan.signed', 'need.identified', 'dossier.submitted', 'budget.approved',
    'payment.recorded', 'payment.recorded']);
  assert.equal(JSON.parse(cli(['situation', 'show', id, '--json'])).state, 'follow-up');
});
