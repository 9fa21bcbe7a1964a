// Browser test of the organization admins' page ({kc}/realms/{realm}/api-keys-console/), run by
// OrgAdminPageIT against the suite's Keycloak with Debian's Chromium (no browser download).
//
//   node org-admin.spec.mjs        with the environment:
//   KC_URL, REALM, ORG_ID, ORG_NAME, OWNER_USERNAME, OWNER_PASSWORD, MEMBER_USERNAME, MEMBER_PASSWORD,
//   SCREENSHOT_DIR (PNG files), RESULT_FILE (JSON: ids of the keys it made), CHROMIUM (default /usr/bin/chromium),
//   KEY_DESCRIPTION (optional; default "Browser test <time>"), REALM_DISPLAY_NAME (optional; default "Intellia")
//
// Exit code 0 when every step passed; otherwise 1 and the failed step on stderr.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') throw new Error(`missing environment variable ${name}`);
  return value;
};

const kc = env('KC_URL').replace(/\/$/, '');
const realm = env('REALM');
const orgId = env('ORG_ID');
const orgName = env('ORG_NAME');
const owner = { username: env('OWNER_USERNAME'), password: env('OWNER_PASSWORD') };
const member = { username: env('MEMBER_USERNAME'), password: env('MEMBER_PASSWORD') };
const screenshots = env('SCREENSHOT_DIR');
const resultFile = env('RESULT_FILE');
const pageUrl = `${kc}/realms/${encodeURIComponent(realm)}/api-keys-console/`;
const realmDisplayName = env('REALM_DISPLAY_NAME', 'Intellia');
const resourceServer = { id: env('RS_CLIENT', 'intellia-api'), secret: env('RS_SECRET', 'intellia-api-secret') };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

const result = { steps: [] };
let step = 'start';
let current = null; // the page in use, for a screenshot when a step fails

function begin(name) {
  step = name;
  result.steps.push(name);
  console.log(`- ${name}`);
}

/** A screenshot down to the end of the page's content (or of an open dialog). */
async function shoot(page, name) {
  const bottom = await page.evaluate(() => Math.max(...[...document.querySelectorAll('main, dialog[open]')]
    .map((e) => e.getBoundingClientRect().bottom)));
  const { width, height } = page.viewportSize();
  const clip = { x: 0, y: 0, width, height: Math.min(height, Math.ceil(bottom) + 24) };
  await page.screenshot({ path: join(screenshots, `${name}.png`), clip });
}

/** A fresh browser context (no cookies, no storage) whose page reports script and CSP errors. */
async function newPage(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(kc).origin });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  current = page;
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && page.url().startsWith(pageUrl)) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

/** Opens the page (without the trailing slash: it must redirect) and signs in through Keycloak. */
async function signIn(page, user, screenshot) {
  const response = await page.goto(pageUrl.replace(/\/$/, ''));
  assert.equal(new URL(page.url()).pathname, new URL(pageUrl).pathname, 'redirected to the trailing slash');
  const headers = response.headers();
  assert.match(headers['content-security-policy'] ?? '', /script-src 'self'/, 'a strict CSP');
  assert.match(headers['content-type'] ?? '', /^text\/html/);
  if (screenshot) {
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shoot(page, screenshot);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.includes('/protocol/openid-connect/auth'));
  const auth = new URL(page.url()).searchParams;
  assert.equal(auth.get('code_challenge_method'), 'S256', 'PKCE S256');
  assert.ok(auth.get('code_challenge'), 'a code challenge');
  // With organizations enabled, Keycloak asks for the username first, then for the password.
  await page.locator('#username').fill(user.username);
  if (!(await page.locator('#password').isVisible())) await page.locator('#kc-login').click();
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
  await page.waitForURL((url) => url.href.startsWith(pageUrl));
  await page.getByText(user.username, { exact: true }).waitFor();
  assert.ok(!page.url().includes('code='), 'the authorization code is gone from the address bar');
}

async function main() {
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    // --- an Owner manages keys ---------------------------------------------------------------------
    begin('owner signs in (authorization code + PKCE)');
    const page = await newPage(browser);
    await signIn(page, owner, '00-signed-out');

    begin('the page looks like Keycloak: its PatternFly 5, the realm\'s display name');
    assert.ok(await page.evaluate(() => getComputedStyle(document.documentElement)
      .getPropertyValue('--pf-v5-global--primary-color--100').trim() !== ''), 'PatternFly 5 is loaded');
    assert.equal(await page.locator('#realm-name').innerText(), realmDisplayName);
    assert.equal(await page.title(), `API keys · ${realmDisplayName}`);

    begin('owner picks the organization');
    const picker = page.getByLabel('Organization', { exact: true });
    await picker.selectOption(orgId);
    await page.getByRole('heading', { name: `API keys of ${orgName}` }).waitFor();
    await page.getByText('This organization has no API keys yet.').waitFor();
    await shoot(page, '01-owner-no-keys');

    begin('owner creates a key');
    const description = process.env.KEY_DESCRIPTION || `Browser test ${Date.now()}`;
    await page.getByRole('button', { name: 'Create API key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByRole('button', { name: 'Create' }).click(); // empty description: refused in the form
    await create.getByText('Enter a description').waitFor();
    await create.getByLabel(/^Description/).fill(description);
    await create.getByLabel('agents read').check();
    await create.getByLabel('conversations read').check();
    await create.getByLabel('assume_role write').check();
    const expiry = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const local = new Date(expiry.getTime() - expiry.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const preset = create.getByLabel('Expires', { exact: true });
    assert.deepEqual(await preset.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value)),
      ['1', '7', '30', '90', '365', 'custom', 'never'], 'every preset, and no expiry, without a lifetime policy');
    assert.equal(await preset.inputValue(), 'never', 'no expiry is the default when allowed');
    await preset.selectOption('custom');
    await create.getByLabel(/^Custom expiry/).fill(local);
    await shoot(page, '02-create-form');
    await create.getByRole('button', { name: 'Create' }).click();

    begin('the new key is shown once');
    const secretDialog = page.getByRole('dialog', { name: 'Your new API key' });
    await secretDialog.waitFor();
    await secretDialog.getByText("you won't see it again").waitFor();
    const key = await secretDialog.getByLabel('New API key').inputValue();
    assert.match(key, /^ik_[A-Za-z0-9_]{40,125}$/, 'the key starts with ik_');
    await page.locator('#key-rows tr', { hasText: description }).waitFor(); // listed behind the dialog
    await shoot(page, '03-key-shown-once');
    await secretDialog.getByRole('button', { name: 'Copy' }).click();
    await secretDialog.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key, 'the copy button copied the key');
    await secretDialog.getByRole('button', { name: 'I have copied the key' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#secret').inputValue(), '', 'the secret is gone from the page');
    assert.ok(!(await page.content()).includes(key.slice(16)), 'the secret is nowhere in the page');

    begin('the key is listed');
    assert.equal(await page.locator('#key-rows tr').count(), 1);
    result.createdKeyId = await page.locator('#key-rows tr').getAttribute('data-key-id');
    const row = page.locator(`#key-rows tr[data-key-id="${result.createdKeyId}"]`);
    const prefix = (await row.locator('.prefix').innerText()).replace('…', '');
    assert.ok(prefix.length >= 12 && key.startsWith(prefix), `prefix ${prefix} of the key`);
    const rowText = await row.innerText();
    assert.match(rowText, /agents read/);
    assert.match(rowText, /assume_role write/);
    assert.match(rowText, /Never used/, 'never used, said as such');
    assert.doesNotMatch(rowText, /Never expires/, 'it has an expiry');
    assert.equal(await row.locator('.expiring-soon').count(), 0, 'a key expiring in 30 days is not marked');
    result.createdPrefix = prefix;
    await page.mouse.move(0, 0);
    await shoot(page, '04-key-listed');

    begin('a reload keeps the owner signed in and the organization picked');
    await page.reload();
    await page.getByRole('heading', { name: `API keys of ${orgName}` }).waitFor();
    await row.waitFor();

    begin('after some uses the key shows its 30 days as a sparkline, labeled in words');
    assert.equal(await row.locator('svg.sparkline rect').count(), 0, 'no bars before any use');
    for (let i = 0; i < 3; i++) {
      const introspection = await fetch(`${kc}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: key, client_id: resourceServer.id, client_secret: resourceServer.secret }),
      });
      assert.equal((await introspection.json()).active, true, 'the new key introspects active');
    }
    await page.reload();
    await page.getByRole('heading', { name: `API keys of ${orgName}` }).waitFor();
    const spark = row.locator('svg.sparkline');
    await spark.waitFor();
    assert.equal(await spark.getAttribute('aria-label'), '3 uses, 0 refused in 30 days');
    assert.equal(await spark.locator('title').textContent(), '3 uses, 0 refused in 30 days');
    assert.equal(await spark.locator('rect.spark-used').count(), 1, 'one day with uses: one bar');
    assert.equal(await spark.locator('rect.spark-refused').count(), 0);

    begin('owner rotates the key with a 24-hour grace period');
    const expiresBefore = await row.locator('td').nth(5).innerText();
    await row.getByRole('button', { name: /^Rotate / }).click();
    const rotate = page.getByRole('dialog', { name: /^Rotate API key/ });
    await rotate.getByLabel('24 hours').check();
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    const rotatedDialog = page.getByRole('dialog', { name: 'Your rotated API key' });
    const successor = await rotatedDialog.getByLabel('New API key').inputValue();
    assert.match(successor, /^ik_/);
    assert.notEqual(successor, key);
    await rotatedDialog.getByRole('button', { name: 'I have copied the key' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#key-rows tr').length === 2);
    const successorRow = page.locator(`#key-rows tr:not([data-key-id="${result.createdKeyId}"])`);
    assert.match(await successorRow.innerText(), new RegExp(description));
    result.rotatedKeyId = await successorRow.getAttribute('data-key-id');
    assert.ok(successor.startsWith((await successorRow.locator('.prefix').innerText()).replace('…', '')));
    assert.notEqual(await row.locator('td').nth(5).innerText(), expiresBefore, 'the old key now expires at the end of its grace');

    begin('the old key is marked as in its grace and linked to its successor');
    const successorPrefix = (await successorRow.locator('.prefix').innerText());
    const marker = row.locator('.grace-marker');
    assert.match(await marker.innerText(), /^Rotated, stops at /);
    assert.ok(await marker.locator('time').getAttribute('datetime'), 'the end of grace as a time');
    assert.equal(await successorRow.locator('.grace-marker').count(), 0, 'the new key is not in a grace');
    assert.equal(await row.getByRole('button', { name: /^Rotate / }).count(), 0, 'a key in its grace cannot be rotated again');
    const link = row.getByRole('link', { name: successorPrefix });
    assert.match(await row.locator('.successor').innerText(), new RegExp(`^Replaced by ${successorPrefix.replace('…', '')}`));
    assert.match(await successorRow.locator('.predecessor').innerText(), /^Replaces ik_/);
    await link.click();
    await page.waitForFunction((id) => document.activeElement?.dataset.keyId === id, result.rotatedKeyId);
    assert.equal(new URL(page.url()).hash, '', 'the link leaves the address (the sign-in\'s fragment) alone');
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement?.blur());
    await page.waitForTimeout(2100); // the highlight fades
    await shoot(page, '05-key-rotated');

    begin('on a phone (390×844) every value is labeled');
    await page.setViewportSize(PHONE);
    assert.equal(await page.locator('#keys thead').isVisible(), false, 'no header row on a phone');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing wider than the screen');
    const cells = await page.locator('#key-rows td[data-label]').evaluateAll((tds) => tds.map((td) => ({
      label: td.dataset.label,
      shown: td.querySelector(':scope > .cell-label')?.checkVisibility() ? td.querySelector(':scope > .cell-label').innerText : '',
      hasTime: td.querySelector('time') !== null,
    })));
    assert.equal(cells.length, 2 * 6, 'six labeled values per key');
    cells.forEach((c) => assert.equal(c.shown.trim(), `${c.label}:`, `the ${c.label} value is labeled on a phone`));
    assert.ok(cells.some((c) => c.hasTime), 'dates are among the labeled values');
    const phoneText = await page.locator('#key-rows').innerText();
    assert.match(phoneText, /Last used:\s*Never used/);
    assert.ok(await row.locator('svg.sparkline').isVisible(), 'the sparkline shows on a phone');
    assert.match(phoneText, /Expires:\s*Rotated, stops at/);
    assert.ok(await row.locator('.grace-marker').isVisible(), 'the grace marker shows on a phone');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshots, '06-phone-key-list.png'), fullPage: true });

    begin('revoking asks in the page, naming the key; cancel keeps it');
    await successorRow.getByRole('button', { name: /^Revoke / }).click();
    const confirm = page.getByRole('dialog', { name: `Revoke API key ${successorPrefix}?` });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), new RegExp(description));
    assert.match(await confirm.innerText(), /stops working at once/);
    await page.screenshot({ path: join(screenshots, '07-phone-revoke-confirmation.png') });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#key-rows tr').count(), 2, 'cancelling keeps the key');
    await page.setViewportSize(DESKTOP);

    begin('owner confirms revoking the new key');
    await successorRow.getByRole('button', { name: /^Revoke / }).click();
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(/API key ik_.* revoked\./).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#key-rows tr').length === 1);
    assert.equal(await row.locator('.successor').count(), 0, 'no link to a revoked key');

    begin('owner revokes the old key too: the list is empty');
    await row.getByRole('button', { name: /^Revoke / }).click();
    await page.getByRole('dialog', { name: /^Revoke API key ik_/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('This organization has no API keys yet.').waitFor();
    assert.equal(await page.locator('#key-rows tr').count(), 0);
    await shoot(page, '08-keys-revoked');
    assert.deepEqual(page.problems, [], 'no script or CSP errors');

    begin('under a lifetime policy the presets stop at its maximum and "no expiry" is gone');
    await page.route('**/api-keys-console/config.json', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      json.keyLifetime = { maxDays: 30, requireExpiry: true };
      await route.fulfill({ response, json });
    });
    await page.reload();
    await page.getByRole('heading', { name: `API keys of ${orgName}` }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const limited = page.getByRole('dialog', { name: 'Create API key' });
    const limitedPreset = limited.getByLabel('Expires', { exact: true });
    assert.deepEqual(await limitedPreset.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value)),
      ['1', '7', '30', 'custom']);
    assert.equal(await limitedPreset.inputValue(), '30', 'the longest allowed preset is chosen');
    await limited.getByText('Keys may live at most 30 days.').waitFor();
    await limited.getByRole('button', { name: 'Cancel' }).click();
    await page.unroute('**/api-keys-console/config.json');
    await page.reload();
    await page.getByRole('heading', { name: `API keys of ${orgName}` }).waitFor();

    begin('a key expiring within 7 days is marked in the list');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const soon = page.getByRole('dialog', { name: 'Create API key' });
    await soon.getByLabel(/^Description/).fill(`${description} (short)`);
    await soon.getByLabel('Expires', { exact: true }).selectOption('1');
    await soon.getByRole('button', { name: 'Create' }).click();
    const soonDialog = page.getByRole('dialog', { name: 'Your new API key' });
    await soonDialog.getByRole('button', { name: 'I have copied the key' }).click();
    const soonRow = page.locator('#key-rows tr', { hasText: `${description} (short)` });
    await soonRow.waitFor();
    result.shortKeyId = await soonRow.getAttribute('data-key-id');
    assert.match(await soonRow.locator('.expiring-soon').innerText(), /Expires soon/);
    await shoot(page, '08b-expiring-soon');
    await soonRow.getByRole('button', { name: /^Revoke / }).click();
    await page.getByRole('dialog', { name: /^Revoke API key ik_/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('This organization has no API keys yet.').waitFor();
    assert.deepEqual(page.problems, [], 'no script or CSP errors');

    begin('owner signs out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(pageUrl));
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.context().close();

    // --- a plain member manages nothing ----------------------------------------------------------------
    begin('a plain member sees no key management');
    const memberPage = await newPage(browser);
    await signIn(memberPage, member);
    await memberPage.getByRole('heading', { name: 'No organizations you can manage' }).waitFor();
    assert.equal(await memberPage.getByRole('button', { name: 'Create API key' }).isVisible(), false);
    assert.equal(await memberPage.locator('#keys').isVisible(), false);
    assert.equal(await memberPage.getByLabel('Organization', { exact: true }).isVisible(), false);
    await shoot(memberPage, '09-member-no-organizations');
    assert.deepEqual(memberPage.problems, [], 'no script or CSP errors');

    result.passed = true;
  } catch (e) {
    await current?.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

try {
  await main();
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
  console.log('PASSED');
} catch (e) {
  result.passed = false;
  result.failedStep = step;
  result.error = String(e?.stack || e);
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
  console.error(`FAILED at step "${step}": ${e?.stack || e}`);
  process.exit(1);
}
