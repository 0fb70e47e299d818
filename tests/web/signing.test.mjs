// Signing in the browser in Debian's Chromium (playwright-core), axe-core on every screen: a
// pedopsychiatrist issued a key with `caseflow signer add` (its .browser-key.json beside the
// .p12) finds the care plan waiting for them, reads it, chooses the key file, types its password
// and signs; WebCrypto opens the key and signs in the page, the server records plan.signed, and
// the plan exported afterwards verifies with `xmlsec1 --verify --trusted-pem` against the
// network's CA. Then the plan is revised: the page shows the signature gone, the dossier's
// submission is refused (R11) until the plan is signed again in the browser. Screens are saved
// under CASEFLOW_WEB_SCREENSHOTS as signing-NN-NAME.png. Last, a coordinator with their own key
// decides the submitted dossier and signs the decision the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { base, state, screen, useBrowser } from './harness.mjs';
import { signerWithKey } from './steps.mjs';

const caseflow = process.env.CASEFLOW_CLI;
const here = path.dirname(new URL(import.meta.url).pathname);
const scenario = path.join(here, '../../samples/namur/scenarios/04-ciney-twelve-returned.xml');
const env = { ...process.env, CASEFLOW_DB: path.join(state, 'web.db') };
const chrome = useBrowser();

function cli(args, input) {
  return execFileSync(caseflow, args, { encoding: 'utf8', env, input });
}

// The first scenario step of `from` (its data changed by `edit`), fired as `event` with the CLI
// as its actor did, on its date unless `date` says otherwise.
function fire(id, event, { from = event, edit = data => data, date: on } = {}) {
  const step = `/scenario/step[@event = "${from}"][1]`;
  const data = execFileSync('xmllint', ['--xpath', `${step}/*`, scenario], { encoding: 'utf8' });
  const date = on || execFileSync('xmllint', ['--xpath', `string(${step}/@date)`, scenario], { encoding: 'utf8' }).trim();
  const actor = execFileSync('xmllint', ['--xpath', `string(${step}/@actor)`, scenario], { encoding: 'utf8' }).trim();
  return spawnSync(caseflow, ['event', id, event, '--as', actor, '--data', '-'],
    { encoding: 'utf8', env: { ...env, CASEFLOW_TODAY: date }, input: edit(data) });
}

// A pedopsychiatrist of the network with an account, a case whose plan names them and waits for
// their signature, and their key from `caseflow signer add` (steps.mjs's signerWithKey).
function doctorWithPlan(doctor, reference, lang = 'fr') {
  const key = signerWithKey(doctor, 'pedopsychiatrist', { lang });
  const id = execFileSync('bash', [path.join(here, 'later-prepare.sh'), 'held', reference, doctor, doctor],
    { encoding: 'utf8', env }).trim();
  const agreed = fire(id, 'plan.agreed');
  assert.equal(agreed.status, 0, agreed.stderr);
  execFileSync('bash', [path.join(here, 'later-prepare.sh'), 'adhesion', id], { env });
  return { id, ...key };
}

async function signedInAs(name, lang = 'fr') {
  const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: `${lang}-BE` });
  const page = await context.newPage();
  await page.goto(base + '/signatures');
  await page.fill('#name', name);
  await page.fill('#password', 'signer account password');
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  return { context, page };
}

// From the list of what waits, the plan's page, the key file and its password, signed.
async function signPlan(page, id, { keyFile, password }, shot) {
  await page.goto(base + '/signatures');
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/situations/${id}/sign/plan"]`)]);
  assert.equal(await page.isVisible('#browser-signing'), true, 'the script shows the key form');
  await page.setInputFiles('#key-file', keyFile);
  await page.fill('#key-password', password);
  if (shot) await screen(page, shot);
  await Promise.all([page.waitForURL(url => url.pathname === `/situations/${id}`), page.click('#sign-form button')]);
}

function verifiesWithXmlsec(id, folder) {
  cli(['ca', 'export', '-o', path.join(folder, 'network-ca.pem')]);
  const plan = path.join(folder, `plan-${Date.now()}.xml`);
  cli(['plan', 'export-signed', id, '-o', plan]);
  return spawnSync('xmlsec1', ['--verify', '--trusted-pem', path.join(folder, 'network-ca.pem'), plan],
    { encoding: 'utf8' });
}

// The pedopsychiatrist's guides (docs/guide-pedopsychiatre-fr.md, docs/guide-kinderpsychiater-nl.md)
// show these screens in each language.
const signersByLanguage = [
  { lang: 'fr', language: 'French', doctor: 'Dr Nora Signataire', reference: 'KIR-26-991', shots: 'signing',
    wrongPassword: /mot de passe/, validated: /plan de soins validé/ },
  { lang: 'nl', language: 'Dutch', doctor: 'Dr Noor Tekenaar', reference: 'KIR-26-994', shots: 'signing-nl',
    wrongPassword: /wachtwoord/, validated: /zorgplan gevalideerd/ },
];

for (const { lang, language, doctor, reference, shots, wrongPassword, validated } of signersByLanguage) {
  test(`a pedopsychiatrist signs the care plan in the browser with the key file from caseflow signer add, in ${language}`, async () => {
    const issued = doctorWithPlan(doctor, reference, lang);
    const { context, page } = await signedInAs(doctor, lang);
    await page.goto(base + '/signatures');
    await screen(page, `${shots}-01-waiting`);
    await page.click(`a[href="/situations/${issued.id}/sign/plan"]`);
    await page.waitForURL(url => url.pathname.endsWith('/sign/plan'));
    assert.match(await page.textContent('dd.signer'), new RegExp(doctor));
    await screen(page, `${shots}-02-plan`);

    // A wrong password is told in the page; nothing reaches the server.
    await page.setInputFiles('#key-file', issued.keyFile);
    await page.fill('#key-password', 'not the password');
    await page.click('#sign-form button');
    await page.locator('#sign-status', { hasText: wrongPassword }).waitFor(); // a polled selector: the CSP forbids eval
    await screen(page, `${shots}-03-wrong-password`);

    const posted = [];
    page.on('request', request => { if (request.method() === 'POST') posted.push(new URLSearchParams(request.postData() || '')); });
    await signPlan(page, issued.id, issued, `${shots}-04-key-chosen`);
    assert.match(await page.textContent('dd.state'), validated);
    await screen(page, `${shots}-05-signed`);
    // What left the page: a certificate, a nonce, a signature value; never the key file's secret.
    assert.deepEqual(posted.map(form => [...form.keys()].sort()), [
      ['certificate', 'csrf', 'nonce', 'signatureValue', 'version'], ['csrf', 'nonce', 'signatureValue', 'version']]);
    assert.match(posted[0].get('certificate'), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(Buffer.from(posted[1].get('signatureValue'), 'base64').length, 64); // r||s
    assert.doesNotMatch(posted.map(String).join('&'), /privateKey|PRIVATE|key\+password/);
    assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

    const verified = verifiesWithXmlsec(issued.id, issued.folder);
    assert.equal(verified.status, 0, verified.stderr);
    await context.close();
  });
}

test('a plan changed after signing shows its signature gone and the dossier waits until it is signed again', async () => {
  const doctor = 'Dr Jan Tweemaal';
  const issued = doctorWithPlan(doctor, 'KIR-26-992');
  const { context, page } = await signedInAs(doctor);
  await signPlan(page, issued.id, issued);
  assert.equal(fire(issued.id, 'need.identified').status, 0);

  // The plan revised while the dossier is prepared: the revision drops the signature.
  const revised = fire(issued.id, 'plan.revised', { from: 'plan.agreed', date: '2026-03-12',
    edit: data => data.replace('16 wekelijkse sessies', '20 wekelijkse sessies') });
  assert.equal(revised.status, 0, revised.stderr);
  await page.goto(base + `/situations/${issued.id}/sign/plan`);
  assert.equal(await page.getAttribute('dd.current-signature', 'data-status'), 'missing');
  assert.match(await page.textContent('dd.current-signature'), /aucune signature/);
  await screen(page, 'signing-06-revised-unsigned');
  const refused = fire(issued.id, 'dossier.submitted');
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /R11/);

  await signPlan(page, issued.id, issued);
  await page.goto(base + `/situations/${issued.id}/sign/plan`);
  assert.equal(await page.getAttribute('dd.current-signature', 'data-status'), 'valid');
  await screen(page, 'signing-07-signed-again');
  const submitted = fire(issued.id, 'dossier.submitted');
  assert.equal(submitted.status, 0, submitted.stderr);
  const verified = verifiesWithXmlsec(issued.id, issued.folder);
  assert.equal(verified.status, 0, verified.stderr);
  await context.close();
});

test('a coordinator decides a submitted dossier and signs the decision in the browser with their own key', async () => {
  const doctor = 'Dr Lea Beslist';
  const issued = doctorWithPlan(doctor, 'KIR-26-993');
  const asDoctor = await signedInAs(doctor);
  await signPlan(asDoctor.page, issued.id, issued);
  await asDoctor.context.close();
  assert.equal(fire(issued.id, 'need.identified').status, 0);
  const submitted = fire(issued.id, 'dossier.submitted');
  assert.equal(submitted.status, 0, submitted.stderr);

  const coordinator = 'Coordinatrice Décide';
  const key = signerWithKey(coordinator, 'coordinator');
  const { context, page } = await signedInAs(coordinator);
  await page.goto(base + '/signatures');
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/situations/${issued.id}/sign/decision"]`)]);
  await page.selectOption('#request', 'fr1');
  // The dossier lacks its payee (R15 would refuse an approval): returned for completion, signed.
  await page.selectOption('#outcome', 'returned');
  await page.fill('#date', '2026-03-23');
  await page.fill('#reasons', 'Le bénéficiaire du paiement (nom et IBAN) manque.\nJoindre le devis du taxi social.');
  await page.setInputFiles('#key-file', key.keyFile);
  await page.fill('#key-password', key.password);
  await screen(page, 'signing-08-decision');
  await Promise.all([page.waitForNavigation(), page.click('#sign-form button.primary')]);
  const errors = await page.locator('#errors').count() ? await page.textContent('#errors') : '';
  assert.equal(new URL(page.url()).pathname, `/situations/${issued.id}`, errors);
  await screen(page, 'signing-09-decided');
  const decision = path.join(key.folder, 'decision.xml');
  cli(['decision', 'export-signed', issued.id, '-o', decision]);
  cli(['ca', 'export', '-o', path.join(key.folder, 'network-ca.pem')]);
  const verified = spawnSync('xmlsec1', ['--verify', '--trusted-pem', path.join(key.folder, 'network-ca.pem'), decision],
    { encoding: 'utf8' });
  assert.equal(verified.status, 0, verified.stderr);
  await context.close();
});
