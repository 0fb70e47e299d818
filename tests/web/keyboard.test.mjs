// The main flow with the keyboard alone (issue 15, "Accessibility"): a case manager (an account of
// this test's own, start-server.sh) signs in, registers a youth, records the consent, adds three
// partners from the directory, requests the concertation and records it (a roadmap row added)
// using only Tab, Shift+Tab, Enter, Space and the arrow keys. No mouse, no `fill`: text is typed with page.keyboard into the field
// Tab brought the focus to. Each stop asserts where the focus is (document.activeElement) and
// that it can be seen (an outline or a box shadow, WCAG 2.4.7); the skip link must lead into the
// content. axe-core on every screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, screen, useBrowser, newPage, follow, brusselsDate } from './harness.mjs';

const chrome = useBrowser();

// What a sighted keyboard user relies on: the focused element matches `selector` and is drawn
// with a visible focus indicator.
async function expectFocus(page, selector) {
  const focus = await page.evaluate(s => {
    const element = document.activeElement;
    const style = element && getComputedStyle(element);
    return {
      matches: !!element && element.matches(s),
      what: element ? element.outerHTML.slice(0, 120) : 'nothing',
      visible: !!style && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'),
    };
  }, selector);
  assert.ok(focus.matches, `the focus should be on ${selector}, it is on ${focus.what}`);
  assert.ok(focus.visible, `the focus on ${selector} cannot be seen (no outline, no box shadow)`);
}

// Tab (or Shift+Tab) until `selector` has the focus, at most `presses` times: a date field keeps
// the focus across its day, month and year parts, so it may take more than one press.
async function tabTo(page, selector, { presses = 40, key = 'Tab' } = {}) {
  for (let i = 0; i < presses; ++i) {
    await page.keyboard.press(key);
    if (await page.evaluate(s => document.activeElement?.matches(s), selector)) return expectFocus(page, selector);
  }
  assert.fail(`${key} never reached ${selector}`);
}

// Press `key` until the focused control satisfies `done` (a select's value, a radio's label).
async function pressUntil(page, key, done, what, argument = null, presses = 80) {
  for (let i = 0; i < presses; ++i) {
    if (await page.evaluate(done, argument)) return;
    await page.keyboard.press(key);
  }
  assert.fail(`${key} never reached ${what}`);
}

// The order of a date field's parts follows the browser's own language, not the page's (Debian's
// headless Chromium shows month, day, year whatever the context's locale): learnt once, on a
// blank page of the same browser, by typing an unambiguous date.
async function dateOrder(browser) {
  const page = await browser.newPage();
  await page.setContent('<input type="date" id="d"/>');
  await page.focus('#d');
  await page.keyboard.type('01022000');
  const value = await page.inputValue('#d');
  await page.close();
  if (value === '2000-02-01') return ['day', 'month', 'year'];
  if (value === '2000-01-02') return ['month', 'day', 'year'];
  assert.fail(`the date field's parts are in an unknown order (01022000 gave ${value})`);
}

// A date typed into the focused date field, part after part, as the field shows them.
async function typeDate(page, iso, order) {
  const [year, month, day] = iso.split('-');
  const parts = { year, month, day };
  await page.keyboard.type(order.map(part => parts[part]).join(''));
  assert.equal(await page.evaluate(() => document.activeElement.value), iso);
}

test('registration to a held concertation with the keyboard alone', async () => {
  const order = await dateOrder(chrome.browser);
  const page = await newPage(chrome.browser);
  await page.goto(base + '/caseload');

  // Sign in.
  await tabTo(page, '#name');
  await page.keyboard.type('Sarah Henrard');
  await tabTo(page, '#password', { presses: 1 });
  await page.keyboard.type('keyboard journey password');
  await follow(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\/caseload$/);

  // To the registration form by the navigation; the skip link is the first stop and leads into
  // the content.
  await tabTo(page, 'a[href="/situations/new"]');
  await follow(page, () => page.keyboard.press('Enter'));
  await tabTo(page, 'a.skip', { presses: 1 });
  await page.keyboard.press('Enter');
  // Registration: text typed into each field Tab reaches, in the order they are read; the first
  // is the first stop after the skip link.
  await tabTo(page, '#reference', { presses: 1 });
  await screen(page, 'keyboard-flow-01-register');
  await page.keyboard.type(`KIR-26-KEYS-${process.pid}`);
  await tabTo(page, '#givenName', { presses: 1 });
  await page.keyboard.type('Lina');
  // Shift+Tab goes back: a typo corrected in the previous field.
  await tabTo(page, '#reference', { presses: 1, key: 'Shift+Tab' });
  await page.keyboard.press('End');
  await page.keyboard.type('2');
  await tabTo(page, '#givenName', { presses: 1 });
  await tabTo(page, '#familyName', { presses: 1 });
  await page.keyboard.type('Dumont');
  await tabTo(page, '#birthDate', { presses: 1 });
  await typeDate(page, '2011-09-03', order);
  await tabTo(page, '#postalCode', { presses: 4 });
  await page.keyboard.type('5100');
  await tabTo(page, '#municipality', { presses: 1 });
  await page.keyboard.type('Jambes');
  // A radio group is one stop: Space chooses the focused option, an arrow the next one.
  await tabTo(page, 'input[name=environment][value=family]', { presses: 1 });
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'input[name=environment][value=institution]');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked('input[name=environment][value=family]'));
  await tabTo(page, '#language', { presses: 1 });
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.inputValue('#language'), 'nl');
  await tabTo(page, 'input[name=emergency]', { presses: 1 });
  await tabTo(page, 'main form button[type=submit]', { presses: 1 });
  await follow(page, () => page.keyboard.press('Enter'));
  assert.match(page.url(), /\/situations\/[0-9]+\?registered=1$/);
  assert.match(await page.textContent('main .notice'), /La situation a été enregistrée/);
  const situation = new URL(page.url()).pathname;
  await screen(page, 'keyboard-flow-02-registered');

  // The consent: one stop per radio group, arrows to choose.
  await tabTo(page, `a[href="${situation}/events/consent.recorded"]`);
  await follow(page, () => page.keyboard.press('Enter'));
  await tabTo(page, 'input[name=type]');
  await pressUntil(page, 'ArrowDown', () => document.activeElement.value === 'information-sharing', 'information sharing');
  await tabTo(page, 'input[name=given][value=true]', { presses: 1 });
  await page.keyboard.press('Space');
  await tabTo(page, 'input[name=by][value=youth]', { presses: 1 });
  await page.keyboard.press('Space');
  await tabTo(page, '#date', { presses: 1 });
  await typeDate(page, brusselsDate(), order);
  await tabTo(page, '#note', { presses: 4 });
  await page.keyboard.type('Lina accepte que les partenaires échangent le nécessaire.');
  await screen(page, 'keyboard-flow-03-consent');
  await tabTo(page, 'main form button[type=submit]', { presses: 1 });
  await follow(page, () => page.keyboard.press('Enter'));
  assert.equal(new URL(page.url()).pathname, situation);

  // Three partners from the directory (R5): the list is one radio group, walked with the arrows.
  for (const contact of ['Dr Hélène Marchal', 'Valérie Dethier', 'Isabelle Hardy']) {
    await tabTo(page, `a[href="${situation}/events/partner.added"]`);
    await follow(page, () => page.keyboard.press('Enter'));
    await tabTo(page, 'input[name=entry]');
    await pressUntil(page, 'ArrowDown', c => document.activeElement.closest('label')?.textContent.includes(c) ?? false, contact, contact);
    // The arrow checked the radio it moved to.
    assert.ok(await page.evaluate(c => document.activeElement.checked && document.activeElement.closest('label').textContent.includes(c), contact));
    if (contact === 'Valérie Dethier') await screen(page, 'keyboard-flow-04-partner');
    await tabTo(page, 'main form button[type=submit]');
    await follow(page, () => page.keyboard.press('Enter'));
    assert.equal(new URL(page.url()).pathname, situation);
  }

  // The concertation request, by the second partner.
  await tabTo(page, `a[href="${situation}/events/concertation.requested"]`);
  await follow(page, () => page.keyboard.press('Enter'));
  await tabTo(page, '#requestedBy');
  await pressUntil(page, 'ArrowDown', () => document.activeElement.value === 'p2', 'the second partner');
  await tabTo(page, '#reason');
  await page.keyboard.type('Décrochage scolaire, repli à la maison.');
  await screen(page, 'keyboard-flow-05-request');
  await tabTo(page, 'main form button[type=submit]');
  await follow(page, () => page.keyboard.press('Enter'));
  assert.equal(new URL(page.url()).pathname, situation);
  assert.match(await page.textContent('dd.state'), /concertation demandée/);
  await screen(page, 'keyboard-flow-06-requested');

  // The concertation: every partner is present unless changed; the case manager chosen with the
  // arrows, the decisions typed, a roadmap row, "Add a row" (the page comes back with the focus
  // in the new row), the next meeting more than six months later (R8).
  await tabTo(page, `a[href="${situation}/events/concertation.held"]`);
  await follow(page, () => page.keyboard.press('Enter'));
  await tabTo(page, '#caseManager', { presses: 80 });
  await pressUntil(page, 'ArrowDown', () => document.activeElement.value === 'p2', 'the second partner');
  await tabTo(page, '#decisions', { presses: 1 });
  await page.keyboard.type('Un bilan pédopsychiatrique d\'abord.');
  // A roadmap row from its first control, which has the focus: who (arrows), what, when.
  async function roadmapRow(row, partner, what, monthsLater) {
    await pressUntil(page, 'ArrowDown', p => document.activeElement.value === p, partner, partner);
    await tabTo(page, `input[name=what-${row}]`, { presses: 1 });
    await page.keyboard.type(what);
    await tabTo(page, `input[name=when-${row}]`, { presses: 1 });
    await typeDate(page, brusselsDate(monthsLater), order);
  }
  await tabTo(page, '#who-1', { presses: 1 });
  await roadmapRow(1, 'p1', 'Bilan pédopsychiatrique', 1);
  await tabTo(page, 'button[name=add-row]');
  await follow(page, () => page.keyboard.press('Enter'));
  // The browser applies autofocus at its first rendering after the page is parsed, which on a
  // loaded machine can come after the load event: wait for it (bounded) before asserting.
  await page.waitForFunction(() => document.activeElement?.matches('#who-4'), null, { timeout: 10000 }).catch(() => {});
  await expectFocus(page, '#who-4');
  assert.equal(await page.inputValue('input[name=what-1]'), 'Bilan pédopsychiatrique');
  await roadmapRow(4, 'p3', 'Rencontre avec l\'école', 2);
  await tabTo(page, '#meeting-1');
  await typeDate(page, brusselsDate(7), order);
  await screen(page, 'keyboard-flow-07-concertation');
  await tabTo(page, 'main form button[type=submit]:not([name])');
  await follow(page, () => page.keyboard.press('Enter'));
  const errors = await page.locator('.error-summary').allTextContents();
  assert.equal(new URL(page.url()).pathname, situation, errors.join(' '));
  assert.match(await page.textContent('dd.state'), /concertation tenue/i);
});
