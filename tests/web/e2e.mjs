// End-to-end tests of the web workspace, in Chromium through playwright-core.
//
//   node tests/web/e2e.mjs URL
//
// Usually started by tests/web/run_e2e.sh, which makes the hub, the accounts and the server and
// passes the accounts in the environment (E2E_ANALYST_A, E2E_ANALYST_A_PASSWORD, E2E_ANALYST_B,
// E2E_ANALYST_B_PASSWORD, E2E_ADMIN, E2E_ADMIN_PASSWORD, E2E_LEAD, E2E_LEAD_PASSWORD). Prints "ok - NAME" or
// "not ok - NAME: ERROR" per test and "N passed, N failed" last; exits 1 if any failed.

import { createHmac, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = process.env.E2E_WEB_DIR || path.resolve(here, '../../web');
const require = createRequire(path.join(webDir, 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.log(`not ok - setup: playwright-core not found under ${webDir}/node_modules (run npm ci in web/): ${e.message.split('\n')[0]}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const base = process.argv[2];
if (!base) {
  console.error('usage: node tests/web/e2e.mjs URL');
  process.exit(2);
}
const url = (p = '') => new URL(p, base).toString();

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return v;
};
const ANALYST_A = { username: env('E2E_ANALYST_A', 'analyst-a'), password: env('E2E_ANALYST_A_PASSWORD') };
const ANALYST_B = { username: env('E2E_ANALYST_B', 'analyst-b'), password: env('E2E_ANALYST_B_PASSWORD') };
const ADMIN = { username: env('E2E_ADMIN', 'admin-a'), password: env('E2E_ADMIN_PASSWORD') };
const LEAD = { username: env('E2E_LEAD', 'lead-a'), password: env('E2E_LEAD_PASSWORD') };
// A fictional witness: the intake officer (analyst-a also holds that role) registers them.
const WITNESS = {
  code: 'W-00200',
  name: 'Fictional Witness Nadzeya',
  contacts: 'Signal +370 600 00000',
};
const SHOTS = path.resolve(process.env.E2E_SCREENSHOTS || path.resolve(here, '../../build/e2e-screenshots'));
mkdirSync(SHOTS, { recursive: true });
// Pictures of failures from an earlier run would mislead.
for (const f of readdirSync(SHOTS)) if (/^failed-.*\.png$/.test(f)) rmSync(path.join(SHOTS, f));

const ACTION_TIMEOUT = 15_000;
const TEST_TIMEOUT = 120_000;

// ---------------------------------------------------------------------------------------------
// Helpers

class AssertionError extends Error {}
function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

/** RFC 6238 TOTP: HMAC-SHA1 over the 30-second step, 6 digits. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totpStep(ms = Date.now()) {
  return Math.floor(ms / 1000 / 30);
}
function totp(secret, step = totpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}
/** A code for a step not used yet (the server refuses a code twice): waits for the next step. */
async function freshTotp(secret) {
  while (totpStep() <= state.lastTotpStep) {
    const msToNext = 30_000 - (Date.now() % 30_000) + 250;
    await new Promise((r) => setTimeout(r, msToNext));
  }
  const step = totpStep();
  state.lastTotpStep = step;
  return totp(secret, step);
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// Content-Security-Policy violations anywhere fail the run.
const cspViolations = [];
const pageErrors = [];

let browser;
const contexts = [];
async function newPage({ lang } = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1366, height: 900 },
    locale: 'en-GB',
  });
  contexts.push(context);
  if (lang) {
    await context.addInitScript((l) => {
      if (!localStorage.getItem('evhub.lang')) localStorage.setItem('evhub.lang', l);
    }, lang);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT);
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content Security Policy/i.test(text)) cspViolations.push(text);
  });
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function gotoSignIn(page) {
  await page.goto(url('/'));
  await page.locator('#signin-username').waitFor();
}

/** Signs in through the form; `secret` answers the second-factor question if it comes. */
async function signIn(page, who, secret) {
  await gotoSignIn(page);
  await page.fill('#signin-username', who.username);
  await page.fill('#signin-password', who.password);
  await page.click('form button[type=submit]');
  const signedIn = page.locator('.signed-in-as');
  const codeField = page.locator('#signin-totp');
  await signedIn.or(codeField).first().waitFor();
  if (await codeField.isVisible()) {
    assert(secret, `${who.username} was asked for a code but no TOTP secret is known`);
    await codeField.fill(await freshTotp(secret));
    await page.click('form button[type=submit]');
  }
  await signedIn.waitFor();
  assert((await signedIn.textContent()).includes(who.username), 'the header names the signed-in user');
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#signin-username').waitFor();
}

async function openPage(page, hash, heading) {
  await page.goto(url(`/#/${hash}`));
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

// Shared between tests: the analyst's signed-in page (a second factor makes every sign-in
// wait for a fresh 30-second step) and the uploaded object.
const state = {
  totpSecret: null,
  lastTotpStep: 0,
  analystPage: null,
  upload: null, // { id, bytes, sha256, domain }
  adminPage: null,
  interviewId: null,
  documentId: null,
};

async function analystPage() {
  if (state.analystPage && !state.analystPage.isClosed()) return state.analystPage;
  const page = await newPage();
  await signIn(page, ANALYST_A, state.totpSecret);
  state.analystPage = page;
  return page;
}

// ---------------------------------------------------------------------------------------------
// Tests

async function signInEnrolTotpAndSignInWithCode() {
  const page = await newPage();
  await gotoSignIn(page);
  assert((await page.locator('html').getAttribute('lang')) === 'en', 'the page starts in English');
  await shot(page, 'sign-in');
  await signIn(page, ANALYST_A);
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  const src = await qr.getAttribute('src');
  assert(src.startsWith('data:image/svg+xml;base64,'), `the QR code is an SVG data URL (${src.slice(0, 40)})`);
  const secretText = await page.locator('#totp-secret').textContent();
  const secret = secretText.replace(/\s+/g, '');
  assert(/^[A-Z2-7]{16,}=*$/.test(secret), `a base32 secret is shown (${secretText})`);
  assert((await page.getByText('Secret key').count()) > 0, 'the secret has a label');
  await shot(page, 'security');

  state.totpSecret = secret;
  await page.fill('#totp-code', await freshTotp(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Done: the second factor is on').waitFor();

  await signOut(page);
  await page.fill('#signin-username', ANALYST_A.username);
  await page.fill('#signin-password', ANALYST_A.password);
  await page.click('form button[type=submit]');
  await page.locator('#signin-totp').waitFor();
  await page.getByText('Enter the code from your authenticator app').first().waitFor();
  await page.fill('#signin-totp', await freshTotp(secret));
  await page.click('form button[type=submit]');
  await page.locator('.signed-in-as').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  state.analystPage = page;
}

async function uploadShowsProgressAndVerifies() {
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Objects' }).click();
  await page.getByRole('heading', { level: 1, name: 'Objects' }).waitFor();

  const bytes = randomBytes(300 * 1024 + 17);
  const digest = sha256(bytes);
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'e2e-evidence.bin',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await page.getByLabel('Key domain', { exact: true }).fill('W-00123');
  await page.getByRole('button', { name: 'Upload' }).click();

  await page.getByText('Verified: SHA-256 matches').waitFor();
  assert((await page.getByTestId('upload-pct').textContent()).trim() === '100%', 'the progress shows 100%');
  assert((await page.locator('progress#upload-progress').getAttribute('value')) === '100', 'the progress bar is full');
  assert((await page.getByText('SHA-256 MISMATCH').count()) === 0, 'no mismatch');

  const row = page.locator('tbody tr', { has: page.locator(`code[title="${digest}"]`) });
  await row.waitFor();
  const id = await row.getAttribute('data-object-id');
  assert(/^[0-9a-f]{32}$/.test(id), `the row carries the object id (${id})`);
  assert((await row.textContent()).includes('W-00123'), 'the row shows the key domain');
  state.upload = { id, bytes, sha256: digest, domain: 'W-00123' };

  await row.getByRole('button', { name: `Verify object ${id}` }).click();
  const verified = row.locator('[data-verify=ok]');
  await verified.waitFor();
  assert(/^\s*✓?\s*Verified /.test(await verified.textContent()), 'the row says Verified <time>');
  await shot(page, 'objects');
}

async function restrictedUploadIsMarked() {
  const page = await analystPage();
  await openPage(page, 'objects', 'Objects');
  const bytes = randomBytes(4096);
  const digest = sha256(bytes);
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'e2e-medical.bin',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await page.getByLabel('Key domain', { exact: true }).fill('W-00124');
  await page.getByLabel('Sensitivity', { exact: true }).selectOption('sexual-violence');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText('Verified: SHA-256 matches').waitFor();
  const row = page.locator('tbody tr', { has: page.locator(`code[title="${digest}"]`) });
  await row.waitFor();
  const badge = row.locator('[data-sensitivity="sexual-violence"]');
  await badge.waitFor();
  assert((await badge.textContent()).trim() === 'Sexual and gender-based violence', 'the row names the restricted category');
  state.restricted = { id: await row.getAttribute('data-object-id') };
}

async function downloadMatchesUpload() {
  assert(state.upload, 'needs the upload of the previous test');
  const page = await analystPage();
  await openPage(page, 'objects', 'Objects');
  const row = page.locator(`tbody tr[data-object-id="${state.upload.id}"]`);
  await row.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: `Download object ${state.upload.id}` }).click(),
  ]);
  const file = await download.path();
  assert(file, `the download finished (${await download.failure()})`);
  const got = readFileSync(file);
  assert(got.length === state.upload.bytes.length, `the download has ${got.length} bytes, not ${state.upload.bytes.length}`);
  assert(got.equals(state.upload.bytes), 'the downloaded bytes are the uploaded ones');
}

async function languageSwitchIsRemembered() {
  const page = await analystPage();
  await openPage(page, 'objects', 'Objects');
  const nav = page.locator('nav.main-nav');

  await page.locator('.site-header .language select').selectOption('be');
  await page.getByRole('heading', { level: 1, name: 'Аб’екты' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'be', '<html lang> is be');
  await nav.getByRole('link', { name: 'Агляд' }).waitFor();
  await page.getByLabel('Мова').waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Аб’екты' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'be', 'Belarusian is remembered after a reload');
  await shot(page, 'objects-be');

  await page.locator('.site-header .language select').selectOption('ru');
  await page.getByRole('heading', { level: 1, name: 'Объекты' }).waitFor();
  await nav.getByRole('link', { name: 'Обзор' }).waitFor();
  await page.getByLabel('Язык').waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Объекты' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'ru', 'Russian is remembered after a reload');

  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Objects' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'en', 'back to English');
}

async function otherPartnerSeesNothing() {
  assert(state.upload, 'needs the upload of an earlier test');
  const page = await newPage();
  await signIn(page, ANALYST_B);
  await openPage(page, 'objects', 'Objects');
  await page.getByRole('heading', { level: 2, name: 'Held objects' }).waitFor();
  await page.locator('table.objects-table').or(page.getByText('No objects yet.')).first().waitFor();
  assert(
    (await page.locator(`[data-object-id="${state.upload.id}"]`).count()) === 0,
    'the Partner A object is not listed for Partner B',
  );
  assert(!(await page.content()).includes(state.upload.id), 'the Partner A object id appears nowhere on the page');
  const status = await page.evaluate(
    async (id) => (await fetch(`/api/v1/objects/${id}/content`, { credentials: 'same-origin' })).status,
    state.upload.id,
  );
  assert(status === 403, `a direct fetch of the content is refused with 403 (got ${status})`);

  await openPage(page, 'users', 'Users');
  await page.getByText('You do not have the rights to see this.').waitFor();
  assert((await page.locator('table').count()) === 0, 'no user data is shown');
}

async function adminSeesUploadAndSignInsInAudit() {
  assert(state.upload, 'needs the upload of an earlier test');
  const page = await newPage();
  await signIn(page, ADMIN);
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Processing jobs' }).waitFor();
  await page.getByText('No processing jobs').waitFor();
  await shot(page, 'dashboard');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
  await page.locator('table.audit-table').waitFor();
  await shot(page, 'audit');

  await page.getByLabel('Action', { exact: true }).selectOption('upload');
  await page.getByRole('button', { name: 'Show' }).click();
  const uploadRow = page.locator('tbody tr[data-action="upload"]', {
    has: page.locator(`code[title="${state.upload.id}"]`),
  });
  await uploadRow.waitFor();
  const uploader = (await uploadRow.locator('td.actor').textContent()).trim();
  assert(uploader === ANALYST_A.username, `the upload names who made it (${uploader})`);

  await page.getByLabel('Action', { exact: true }).selectOption('session.start');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('tbody tr[data-action="session.start"]').first().waitFor();
  assert((await page.locator('tbody tr[data-action="upload"]').count()) === 0, 'the filter keeps one action');
  const signIns = await page.locator('tbody tr[data-action="session.start"]').count();
  assert(signIns >= 3, `at least three sign-ins are listed (${signIns})`);

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  const analystRow = page.locator(`tbody tr[data-username="${ANALYST_A.username}"]`);
  await analystRow.waitFor();
  const rowText = await analystRow.textContent();
  assert(rowText.includes('Partner A') && rowText.includes('Analyst'), `the analyst's roles are shown (${rowText})`);
  assert(
    (await analystRow.locator('td').nth(3).textContent()).trim() === 'On',
    'the analyst’s second factor is shown as On',
  );
  await shot(page, 'users');
  state.adminPage = page;
}

async function administratorManagesUsers() {
  let page = state.adminPage;
  if (!page || page.isClosed()) {
    page = await newPage();
    await signIn(page, ADMIN);
  }
  await openPage(page, 'users', 'Users');
  const status = page.getByRole('status').filter({ hasText: /./ });

  // Too short a password is refused in the browser.
  await page.getByLabel('Username', { exact: true }).fill('new-reviewer');
  await page.getByLabel('Home organisation', { exact: true }).selectOption('Partner B');
  await page.getByLabel('Initial password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('The password must have at least 12 characters.').waitFor();

  await page.getByLabel('Initial password', { exact: true }).fill('a long enough initial password');
  await page.getByLabel('Reviewer (quality control)').check();
  await page.getByRole('button', { name: 'Add user' }).click();
  await status.getByText('User new-reviewer was added.').waitFor();
  const row = page.locator('tbody tr[data-username="new-reviewer"]');
  await row.waitFor();
  assert((await row.locator('.grants').textContent()).includes('Reviewer (quality control)'), 'the new user has the reviewer role');

  await row.locator('summary', { hasText: 'Grant a role' }).click();
  await row.getByLabel('Organisation', { exact: true }).selectOption('Partner A');
  await row.getByLabel('Role', { exact: true }).selectOption('legal-officer');
  await row.getByRole('button', { name: 'Grant', exact: true }).click();
  await status.getByText('new-reviewer now holds the role Legal officer in Partner A.').waitFor();
  assert((await row.locator('.grants').textContent()).includes('Legal officer'), 'the granted role is listed');

  await row.getByRole('button', { name: 'Revoke the role Legal officer in Partner A from new-reviewer' }).click();
  await status.getByText('new-reviewer no longer holds the role Legal officer in Partner A.').waitFor();
  assert(!(await row.locator('.grants').textContent()).includes('Legal officer'), 'the revoked role is gone');

  await row.getByRole('button', { name: 'Disable new-reviewer' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Enable new-reviewer' }).click();
  await row.getByText('Active', { exact: true }).waitFor();

  await page.getByLabel('Username', { exact: true }).fill('new-reviewer');
  await page.getByLabel('Home organisation', { exact: true }).selectOption('Partner B');
  await page.getByLabel('Initial password', { exact: true }).fill('a long enough initial password');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('A user with this name already exists.').waitFor();
}

async function oversizedFileIsRefusedBeforeSending() {
  const page = await analystPage();
  await openPage(page, 'objects', 'Objects');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evhub-e2e-'));
  try {
    const big = path.join(dir, 'too-big.bin');
    writeFileSync(big, '');
    truncateSync(big, 64 * 1024 * 1024 + 1); // sparse: no disk used
    let posted = false;
    const watch = (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/objects') posted = true;
    };
    page.on('request', watch);
    await page.getByLabel('File', { exact: true }).setInputFiles(big);
    await page.getByLabel('Key domain', { exact: true }).fill('W-00124');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').getByText('the web upload takes at most 64 MiB').waitFor();
    page.off('request', watch);
    assert(!posted, 'nothing was sent to the server');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function newTabWithoutTokenSignsInAgain() {
  // sessionStorage (the CSRF token) belongs to one tab; the cookie to the whole browser.
  const page = await newPage();
  await signIn(page, ANALYST_B);
  const second = await page.context().newPage();
  second.setDefaultTimeout(ACTION_TIMEOUT);
  await second.goto(url('/'));
  await second.locator('#signin-username').waitFor();
  await second.getByText('This tab lost its security token').waitFor();
}

async function endedSessionGoesBackToSignIn() {
  const page = await newPage();
  await signIn(page, ANALYST_B);
  // The session ends behind the app's back (as when it expires or is ended elsewhere).
  const status = await page.evaluate(async () => {
    const r = await fetch('/api/v1/session', {
      method: 'DELETE',
      headers: { 'X-CSRF-Token': sessionStorage.getItem('evhub.csrf') ?? '' },
    });
    return r.status;
  });
  assert(status === 204, `the session was ended (${status})`);
  await page.locator('nav.main-nav').getByRole('link', { name: 'Objects' }).click();
  await page.locator('#signin-username').waitFor();
  await page.getByText('Your session has ended. Sign in again.').waitFor();
}

async function signInWithKeyboardOnly() {
  const page = await newPage();
  await gotoSignIn(page);
  let focused = '';
  for (let i = 0; i < 15 && focused !== 'signin-username'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert(focused === 'signin-username', 'Tab reaches the username field');
  await page.keyboard.type(ANALYST_B.username);
  await page.keyboard.press('Tab');
  assert((await page.evaluate(() => document.activeElement?.id)) === 'signin-password', 'Tab moves to the password');
  await page.keyboard.type(ANALYST_B.password);
  await page.keyboard.press('Enter');
  await page.locator('.signed-in-as').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  // After a reload, the skip link is the first stop and moves the focus to the main content.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => document.activeElement?.textContent ?? '');
  assert(skip === 'Skip to main content', `the first Tab stop is the skip link (${skip})`);
  await page.keyboard.press('Enter');
  assert((await page.evaluate(() => document.activeElement?.id)) === 'main', 'the skip link focuses <main>');
}

async function belarusianSignInPage() {
  const page = await newPage({ lang: 'be' });
  await gotoSignIn(page);
  await page.getByRole('heading', { level: 1, name: 'Уваход у Evidence Hub' }).waitFor();
  await page.getByLabel('Імя карыстальніка').waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'be', '<html lang> is be');
  await shot(page, 'sign-in-be');
}

async function strictCspAndNoViolations() {
  const response = await (await newPage()).goto(url('/'));
  const csp = (await response.allHeaders())['content-security-policy'] ?? '';
  assert(/script-src 'self'/.test(csp) && /style-src 'self'/.test(csp), `the app is served with a strict CSP (${csp || 'none'})`);
  assert(cspViolations.length === 0, `Content-Security-Policy violations: ${cspViolations.join(' | ')}`);
  assert(pageErrors.length === 0, `uncaught page errors: ${pageErrors.join(' | ')}`);
}

// ---------------------------------------------------------------------------------------------
// The witness register

async function intakeOfficerRegistersWitnessWithConsent() {
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Witnesses' }).click();
  await page.getByRole('heading', { level: 1, name: 'Witnesses' }).waitFor();
  assert(
    (await page.locator('.nav-coming').getByText('Witnesses').count()) === 0,
    'Witnesses is no longer listed as coming soon',
  );

  // A name in the code field is refused in the browser.
  await page.getByLabel('Witness code', { exact: true }).fill('Nadzeya');
  await page.getByRole('button', { name: 'Register witness' }).click();
  await page.getByRole('alert').getByText('The code must be 1 to 4 capital letters').waitFor();

  await page.getByLabel('Witness code', { exact: true }).fill(WITNESS.code);
  await page.locator('#new-gender').selectOption('female');
  await page.locator('#new-age').selectOption('30-44');
  await page.locator('#new-country').fill('by');
  await page.getByLabel('Languages', { exact: true }).fill('be, ru');
  await page.getByLabel('Relative in detention', { exact: true }).check();
  const personal = page.getByRole('group', { name: 'Personal details (encrypted)' });
  await personal.getByText('shown only on request').waitFor();
  await personal.getByLabel('Name', { exact: true }).fill(WITNESS.name);
  await personal.getByLabel('Contacts', { exact: true }).fill(WITNESS.contacts);
  await shot(page, 'witness-register');
  await page.getByRole('button', { name: 'Register witness' }).click();

  await page.getByRole('heading', { level: 1, name: `Witness ${WITNESS.code}` }).waitFor();
  const state = page.getByTestId('consent-state');
  await state.getByText('No consent').waitFor();
  assert(!(await page.content()).includes(WITNESS.name), 'the name is not on the page until asked for');

  const form = page.locator('form', { has: page.locator('#consent-given') });
  await form.getByLabel('Given on', { exact: true }).fill('2026-03-01');
  await form.getByLabel('Taken by', { exact: true }).fill('intake officer K.');
  await form.getByLabel('Internal analysis', { exact: true }).check();
  await form.getByLabel('Sharing with the International Criminal Court', { exact: true }).check();
  await form.getByLabel('Renew by', { exact: true }).fill('2099-12-31');
  await form.getByLabel('Conditions', { exact: true }).fill('not before the trial');
  await form.getByRole('button', { name: 'Add consent version' }).click();
  await page.getByRole('status').getByText(`Consent v1 of ${WITNESS.code} was recorded.`).waitFor();
  await state.getByText('Valid').waitFor();
  const v1 = page.locator('tr[data-consent-version="1"]');
  await v1.waitFor();
  const row = await v1.textContent();
  assert(row.includes('Sharing with the International Criminal Court') && row.includes('not before the trial'),
    `the consent history shows v1 with its scopes and conditions (${row})`);
  await shot(page, 'witness');
}

async function consentIsCheckedForLawyersAndTheIcc() {
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const check = page.getByRole('region', { name: 'Check consent' });
  await check.getByLabel('Purpose', { exact: true }).selectOption('sharing');
  await check.getByLabel('Recipient', { exact: true }).selectOption('lawyer');
  await check.getByRole('button', { name: 'Check' }).click();
  const decision = check.getByTestId('consent-decision');
  await decision.waitFor();
  let text = await decision.textContent();
  assert((await decision.getAttribute('data-allowed')) === 'false', `sharing with lawyers is refused (${text})`);
  assert(text.includes(`${WITNESS.code}: consent v1 does not cover lawyers`), `the reason names the version (${text})`);

  await check.getByLabel('Recipient', { exact: true }).selectOption('icc');
  await check.getByRole('button', { name: 'Check' }).click();
  await check.locator('[data-testid="consent-decision"][data-allowed="true"]').waitFor();
  text = await decision.textContent();
  assert(text.startsWith('Allowed.') && text.includes('the ICC'), `sharing with the ICC is allowed (${text})`);
}

async function personalDetailsAreShownOnRequest() {
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const panel = page.getByRole('region', { name: 'Personal details' });
  await panel.getByText('Each view is written to the audit trail').waitFor();
  await panel.getByRole('button', { name: 'Show personal details' }).click();
  const details = panel.getByTestId('personal-details');
  await details.waitFor();
  const text = await details.textContent();
  assert(text.includes(WITNESS.name) && text.includes(WITNESS.contacts), `the personal details are shown (${text})`);
  await panel.getByRole('button', { name: 'Hide personal details' }).click();
  await panel.getByRole('button', { name: 'Show personal details' }).waitFor();
  assert(!(await page.content()).includes(WITNESS.name), 'hidden again');
}

async function registerListsAndFiltersWitnesses() {
  const page = await analystPage();
  await openPage(page, 'witnesses', 'Witnesses');
  const row = page.locator(`tbody tr[data-witness="${WITNESS.code}"]`);
  await row.waitFor();
  const text = await row.textContent();
  assert(text.includes('Partner A') && text.includes('Female') && text.includes('BY') && text.includes('be, ru'),
    `the row shows the profile (${text})`);
  await row.locator('[data-consent-state="valid"]').waitFor();
  assert(!(await page.content()).includes(WITNESS.name), 'the register holds no names');
  await shot(page, 'witnesses');

  await page.getByLabel('Consent state', { exact: true }).selectOption('withdrawn');
  await page.getByText('No witnesses match these filters.').waitFor();
  await page.getByLabel('Consent state', { exact: true }).selectOption('valid');
  await row.waitFor();
  await page.locator('#filter-gender').selectOption('male');
  await page.getByText('No witnesses match these filters.').waitFor();
  await page.locator('#filter-gender').selectOption('');
  await page.locator('#filter-country').selectOption('BY');
  await row.waitFor();
  await page.getByRole('link', { name: WITNESS.code }).click();
  await page.getByRole('heading', { level: 1, name: `Witness ${WITNESS.code}` }).waitFor();
}

async function otherPartnerDoesNotSeeTheWitness() {
  const page = await newPage();
  await signIn(page, ANALYST_B);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Witnesses' }).click();
  await page.getByRole('heading', { level: 1, name: 'Witnesses' }).waitFor();
  await page.getByText('No witnesses registered yet.').waitFor();
  assert(!(await page.content()).includes(WITNESS.code), 'the Partner A code appears nowhere on the page');
  await page.getByText('Your roles let you read the register but not add to it.').waitFor();

  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  await page.getByText('You do not have the rights to see this.').waitFor();
  assert((await page.locator('dl.profile').count()) === 0, 'no profile is shown');
  const statuses = await page.evaluate(async (code) => {
    const get = async (p) => (await fetch(p, { credentials: 'same-origin' })).status;
    return [await get(`/api/v1/witnesses/${code}`), await get(`/api/v1/witnesses/${code}/personal`)];
  }, WITNESS.code);
  assert(statuses[0] === 403 && statuses[1] === 403, `direct requests are refused (${statuses})`);
}

async function leadListsConsentGapsAndErasesAWitness() {
  const page = await newPage();
  await signIn(page, LEAD);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Consent gaps' }).click();
  await page.getByRole('heading', { level: 1, name: 'Consent gaps' }).waitFor();
  await page.getByLabel('Purpose', { exact: true }).selectOption('sharing');
  await page.getByLabel('Recipient', { exact: true }).selectOption('lawyer');
  await page.getByRole('button', { name: 'Show gaps' }).click();
  const gap = page.locator(`tbody tr[data-gap="${WITNESS.code}"]`);
  await gap.waitFor();
  const text = await gap.textContent();
  assert(text.includes('Too narrow') && text.includes('does not cover lawyers'), `the gap says why (${text})`);
  await shot(page, 'consent-gaps');

  // A second witness, registered and erased by the lead.
  await openPage(page, 'witnesses', 'Witnesses');
  await page.getByLabel('Witness code', { exact: true }).fill('W-00201');
  await page.getByRole('button', { name: 'Register witness' }).click();
  await page.getByRole('heading', { level: 1, name: 'Witness W-00201' }).waitFor();
  const erase = page.getByRole('region', { name: 'Erase witness' });
  await erase.getByRole('button', { name: 'Erase witness…' }).click();
  const confirm = erase.getByRole('button', { name: 'Erase W-00201 for good' });
  await erase.getByLabel('Type the code W-00201 to confirm').fill('W-00201');
  assert(await confirm.isDisabled(), 'the erasure waits for a reason');
  await erase.getByLabel('Reason', { exact: true }).fill('registered by mistake');
  assert(await confirm.isEnabled(), 'the code and a reason enable the erasure');
  await shot(page, 'witness-erase-confirm');
  await confirm.click();
  await page.getByRole('heading', { level: 2, name: 'This witness was erased' }).waitFor();
  assert((await page.getByTestId('erasure-reason').textContent()) === 'registered by mistake', 'the tombstone keeps the reason');
  assert((await page.locator('.tombstone').textContent()).includes(LEAD.username), 'the tombstone names who erased');
  await shot(page, 'witness-erased');

  await openPage(page, 'witnesses', 'Witnesses');
  const tomb = page.locator('tbody tr[data-witness="W-00201"]');
  await tomb.getByText('Erased', { exact: true }).waitFor();

  // The register in Russian and Belarusian.
  await page.locator('.site-header .language select').selectOption('ru');
  await page.getByRole('heading', { level: 1, name: 'Свидетели' }).waitFor();
  await page.getByRole('navigation', { name: 'Основная навигация' }).getByRole('link', { name: 'Пробелы в согласиях' }).waitFor();
  await page.locator('.site-header .language select').selectOption('be');
  await page.getByRole('heading', { level: 1, name: 'Сведкі' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Зарэгістраваць сведку' }).waitFor();
  await shot(page, 'witnesses-be');
  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Witnesses' }).waitFor();
}

async function auditTrailShowsPersonalDetailViews() {
  let page = state.adminPage;
  if (!page || page.isClosed()) {
    page = await newPage();
    await signIn(page, ADMIN);
  }
  await openPage(page, 'audit', 'Audit trail');
  await page.getByLabel('Action', { exact: true }).selectOption('witness.personal.view');
  await page.getByRole('button', { name: 'Show' }).click();
  const view = page.locator('tbody tr[data-action="witness.personal.view"]').first();
  await view.waitFor();
  const text = await view.textContent();
  assert(text.includes(ANALYST_A.username), `the view names who looked (${text})`);
  assert(text.includes(WITNESS.code), `the view names the witness by code (${text})`);
  assert(text.includes('Personal details viewed'), 'the action is explained');
  const content = await page.content();
  assert(!content.includes(WITNESS.name) && !content.includes('+370'), 'the trail holds no personal details');
  await page.getByLabel('Action', { exact: true }).selectOption('witness.erase');
  await page.getByRole('button', { name: 'Show' }).click();
  const erased = page.locator('tbody tr[data-action="witness.erase"]').first();
  await erased.waitFor();
  assert((await erased.textContent()).includes(LEAD.username), 'the erasure names the lead');
  await shot(page, 'audit-witness');
  // An administrator reads the trail, not the register.
  assert(
    (await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Witnesses' }).count()) === 0,
    'no Witnesses link for an administrator',
  );
}

// ---------------------------------------------------------------------------------------------
// Interviews, documents, translations, contacts, jobs and import

// A fictional statement in Belarusian, the interview's transcript.
const STATEMENT_BE =
  'Мяне затрымалі ў Мінску дзесятага жніўня. У пастарунку нас білі і не давалі вады.';
const HUMAN_EN = 'They detained me in Minsk on the tenth of August. At the station we were beaten and given no water.';

/** A one-page PDF with a line of text (Helvetica), as a scanner's software might write it. */
function onePagePdf(text) {
  const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function intakeOfficerRecordsAnInterviewAndADocument() {
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  await page.getByText('No interviews recorded.').waitFor();

  const record = page.getByRole('region', { name: 'Record an interview' });
  // A place or "remote" is asked for before anything is sent.
  await record.getByLabel('Interviewer', { exact: true }).fill('intake officer K.');
  await record.getByRole('button', { name: 'Record interview' }).click();
  await record.getByRole('alert').getByText('Enter the place, or mark the interview as remote.').waitFor();
  await record.getByLabel('Place', { exact: true }).fill('Vilnius');
  await record.getByLabel('Transcript', { exact: true }).setInputFiles({
    name: 'statement-be.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(STATEMENT_BE, 'utf8'),
  });
  await shot(page, 'interview-record');
  await record.getByRole('button', { name: 'Record interview' }).click();
  await record.getByRole('status').getByText(/The interview of .* was recorded\./).waitFor();
  const row = page.locator('table.interviews-table tbody tr').first();
  await row.waitFor();
  assert((await row.textContent()).includes('Transcribed'), 'an interview with a transcript is transcribed');
  state.interviewId = await row.getAttribute('data-interview');

  const add = page.getByRole('region', { name: 'Add a document' });
  await add.getByLabel('File', { exact: true }).setInputFiles({
    name: 'certificate.pdf',
    mimeType: 'application/pdf',
    buffer: onePagePdf('Medical certificate: bruises on both arms and the back.'),
  });
  await add.getByLabel('Kind', { exact: true }).selectOption('medical');
  assert(
    (await add.getByLabel('Sensitivity', { exact: true }).inputValue()) === 'health',
    'a medical record is health material by default',
  );
  await add.getByLabel('Language', { exact: true }).fill('en');
  await add.getByLabel('Description', { exact: true }).fill('certificate from the district hospital');
  await add.getByRole('button', { name: 'Add document' }).click();
  await add.getByRole('status').getByText('certificate.pdf was added to the witness’s documents.').waitFor();
  const doc = page.locator('table.documents-table tbody tr').first();
  await doc.waitFor();
  assert((await doc.textContent()).includes('certificate from the district hospital'), 'the description is listed');
  state.documentId = await doc.getAttribute('data-document');
}

async function jobsFinishAndTheMonitorRetriesAFailure() {
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Processing jobs' }).waitFor();
  // Extraction of the transcript and the PDF, then the apertium translation it queues.
  for (let i = 0; i < 120; i++) {
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('table.jobs-table').waitFor();
    const translated = page.locator('tr[data-job-state="done"]', { hasText: 'Machine translation' });
    if ((await translated.count()) > 0 && (await page.locator('tr[data-job-state="queued"], tr[data-job-state="running"]').count()) === 0) break;
    await page.waitForTimeout(500);
  }
  await page.locator('tr[data-job-state="done"]', { hasText: 'Machine translation' }).first().waitFor();
  const done = await page.locator('tr[data-job-state="done"]', { hasText: WITNESS.code }).count();
  assert(done >= 3, `the witness’s extractions and translation are done (${done})`);
  // The random bytes uploaded earlier are no document: their extraction failed, with its error.
  await page.getByLabel('State', { exact: true }).selectOption('failed');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  const failed = page.locator('tr[data-job-state="failed"]').first();
  await failed.waitFor();
  assert((await failed.locator('td.job-error').textContent()).trim() !== '', 'a failed job shows its error');
  await shot(page, 'jobs');
  const id = await failed.getAttribute('data-job-id');
  await failed.getByRole('button', { name: `Retry job ${id}` }).click();
  await page.getByRole('status').getByText(`Job ${id} is queued again.`).waitFor();
}

async function transcriptIsShownBesideMachineAndHumanTranslations() {
  assert(state.interviewId, 'needs the interview of an earlier test');
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  await page.locator(`tr[data-interview="${state.interviewId}"] a`).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^Interview of ${WITNESS.code} on `) }).waitFor();

  const texts = page.locator('.texts-beside').first();
  const original = texts.locator('.texts-column').first().getByTestId('text-body');
  await original.waitFor();
  assert((await original.textContent()).includes('Мяне затрымалі'), 'the Belarusian transcript is on the left');
  const machine = texts.locator('.text-panel', { has: page.locator('[data-made-by="machine"]') });
  await machine.waitFor();
  assert((await machine.locator('h4').textContent()).includes('Translation — Russian'), 'the machine translation is Russian');
  assert((await machine.locator('[data-made-by="machine"]').textContent()).includes('apertium'), 'made by apertium');
  const russian = (await machine.getByTestId('text-body').textContent()).trim();
  assert(/[а-яё]/i.test(russian) && russian !== STATEMENT_BE, `a Russian text beside it (${russian.slice(0, 60)})`);

  const form = page.locator('form.translate-form').first();
  await form.getByLabel('Language of the translation', { exact: true }).selectOption('en');
  await form.getByLabel('Translation', { exact: true }).fill(HUMAN_EN);
  await form.getByRole('button', { name: 'Save translation' }).click();
  await form.getByRole('status').getByText('Your translation (English) was saved.').waitFor();
  const human = texts.locator('.text-panel', { has: page.locator('[data-made-by="human"]') });
  await human.waitFor();
  assert(
    (await human.locator('[data-made-by="human"]').textContent()).includes(`Made by a person: ${ANALYST_A.username}`),
    'the human translation is marked as such, with who made it',
  );
  await human.getByText(HUMAN_EN).waitFor();

  const advance = page.getByRole('region', { name: 'Move the interview forward' });
  await advance.getByLabel('New status', { exact: true }).selectOption('translated');
  await advance.getByRole('button', { name: 'Change status' }).click();
  await page.getByTestId('interview-status').getByText('Translated').waitFor();
  await shot(page, 'interview');
}

async function documentIsShownWithItsExtractedText() {
  assert(state.documentId, 'needs the document of an earlier test');
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  await page.locator(`tr[data-document="${state.documentId}"] a`).click();
  await page.getByRole('heading', { level: 1, name: `Medical record — witness ${WITNESS.code}` }).waitFor();
  const viewer = page.locator('figure.viewer[data-display-type="application/pdf"]');
  await viewer.waitFor();
  const src = await viewer.getByTestId('document-frame').getAttribute('src');
  assert(src === `/api/v1/objects/${state.documentId}/content?inline=1`, `the PDF is framed from the API (${src})`);
  const extracted = page.locator('.text-panel', { hasText: 'Text from the file — English' });
  await extracted.waitFor();
  assert((await extracted.locator('[data-made-by="machine"]').textContent()).includes('poppler'), 'extracted by poppler');
  await extracted.getByText('bruises on both arms').waitFor();
  await shot(page, 'document');
}

async function contactWarningIsShownBeforeAContactIsPlanned() {
  const page = await analystPage();
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const form = page.getByRole('region', { name: 'Plan or record a contact' });
  const warnings = form.getByTestId('contact-warnings');
  await warnings.waitFor();
  const text = await warnings.textContent();
  assert(text.includes(`${WITNESS.code}: consent v1 does not cover re-contact`), `the consent's limit is shown first (${text})`);
  await form.getByLabel('By', { exact: true }).fill('intake officer K.');
  await form.getByLabel('Purpose', { exact: true }).fill('follow-up about the hearing');
  await form.getByRole('button', { name: 'Record contact' }).click();
  await form.getByRole('alert').getByText('Confirm that you have read the warnings.').waitFor();
  await form.getByLabel('I have read these warnings and the contact is still needed').check();
  await form.getByRole('button', { name: 'Record contact' }).click();
  await form.getByRole('status').getByText(/The contact planned for .* was recorded\./).waitFor();
  const row = page.locator('table.contacts-table tbody tr').first();
  await row.waitFor();
  assert((await row.textContent()).includes('follow-up about the hearing'), 'the contact is in the log');
  await shot(page, 'witness-records');
}

async function anotherPartnerCannotOpenTheInterviewDocumentOrJobs() {
  assert(state.interviewId && state.documentId, 'needs the interview and document of earlier tests');
  const page = await newPage();
  await signIn(page, ANALYST_B);
  await openPage(page, 'jobs', 'Processing jobs');
  await page.getByText('No processing jobs').waitFor();
  await openPage(page, `interviews/${state.interviewId}`, 'Interview');
  await page.getByText('You do not have the rights to see this.').waitFor();
  await openPage(page, `documents/${state.documentId}`, 'Document');
  await page.getByText('You do not have the rights to see this.').waitFor();
  const content = await page.content();
  assert(!content.includes(WITNESS.code) && !content.includes('bruises'), 'nothing of the witness is on the page');
  const statuses = await page.evaluate(
    async ([iv, doc]) => {
      const get = async (p) => (await fetch(p, { credentials: 'same-origin' })).status;
      return [await get(`/api/v1/interviews/${iv}`), await get(`/api/v1/documents/${doc}`), await get(`/api/v1/objects/${doc}/content?inline=1`)];
    },
    [state.interviewId, state.documentId],
  );
  assert(statuses.every((s) => s === 403), `direct requests are refused (${statuses})`);
}

async function importIsCheckedThenImported() {
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Import' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
  const importButton = page.getByRole('button', { name: 'Import', exact: true });
  await page.getByLabel('Manifest (CSV)', { exact: true }).setInputFiles({
    name: 'manifest.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('record,witness,organisation,date,by\nwitness,W-00210,Partner A,,\nconsent,W-00210,,2026-02-30,\n'),
  });
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  const problem = page.locator('table.problems-table tr[data-line="3"][data-column="4"]');
  await problem.waitFor();
  assert((await problem.textContent()).includes('date must be YYYY-MM-DD'), 'the problem is named at its line and column');
  assert(await importButton.isDisabled(), 'a manifest with problems cannot be imported');
  await shot(page, 'import-problems');

  await page.getByLabel('Manifest (CSV)', { exact: true }).setInputFiles({
    name: 'manifest.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'record,witness,organisation,date,by,scopes,remote,transcript\n' +
        'witness,W-00210,Partner A,,,,,\n' +
        'consent,W-00210,,2026-02-01,intake officer K.,internal-analysis,,\n' +
        'interview,W-00210,,2026-02-01,intake officer K.,,yes,w210.txt\n',
    ),
  });
  await page.getByLabel('Files the manifest names', { exact: true }).setInputFiles({
    name: 'w210.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Сведка расказала пра затрыманне.', 'utf8'),
  });
  await page.getByRole('button', { name: 'Check (dry run)' }).click();
  await page.getByText('No problems (rows: 3, files: 1); the manifest can be imported.').waitFor();
  await importButton.click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  const text = await report.textContent();
  assert(text.includes('Witnesses1') && text.includes('Interviews1'), `the report counts what came in (${text})`);
  await openPage(page, 'witnesses/W-00210', 'Witness W-00210');
  await page.locator('table.interviews-table tbody tr').first().waitFor();
}

// ---------------------------------------------------------------------------------------------
// Search and saved searches

// A word of the Belarusian transcript (STATEMENT_BE), and one only the later transcript holds.
const SEARCH_WORD = 'затрымалі';
const NEW_WORD = 'heliotrope';
const NEW_TRANSCRIPT = 'A second, fictional statement: behind the heliotrope fence of the yard we waited for hours.';

/** Searches `query` on the search page until a hit appears (the index follows the jobs), up to `seconds`. */
async function searchUntilFound(page, query, seconds = 60) {
  const box = page.getByLabel('Query', { exact: true });
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    await box.fill(query);
    await box.press('Enter');
    const total = page.getByTestId('search-total');
    await total.waitFor();
    if ((await page.locator('.hit-list li.hit').count()) > 0) return;
    if (Date.now() > deadline) throw new AssertionError(`no hit for ${query} within ${seconds} s (${await total.textContent()})`);
    await page.waitForTimeout(1000);
    // The same query again: go through another URL first, so that it is asked afresh.
    await box.fill('');
    await box.press('Enter');
    await page.getByText('Enter a query above to search.').waitFor();
  }
}

async function analystSearchesSeesMarkedSnippetsAndNarrowsByAFacet() {
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Search' }).click();
  await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
  assert((await page.locator('.nav-coming').getByText('Search').count()) === 0, 'Search is no longer listed as coming soon');
  await page.getByText('How to write a query').click();
  await page.getByText('these words, one after another').waitFor();

  await searchUntilFound(page, SEARCH_WORD);
  assert(decodeURIComponent(page.url()).includes(`#/search?q=${SEARCH_WORD}`), `the URL keeps the query (${page.url()})`);
  const hit = page.locator('.hit-list li.hit', { has: page.locator(`a[href="#/interviews/${encodeURIComponent(state.interviewId)}"]`) }).first();
  await hit.waitFor();
  const facts = await hit.locator('.hit-facts').textContent();
  assert(facts.includes(WITNESS.code) && facts.includes('Partner A'), `the hit names the witness and organisation (${facts})`);
  const mark = hit.locator('.snippet mark').first();
  await mark.waitFor();
  assert((await mark.textContent()).toLowerCase() === SEARCH_WORD, `the word is marked (${await mark.textContent()})`);
  assert((await hit.locator('.snippet-label').first().textContent()).includes('—'), 'the snippet names its kind and language');

  // The preview shows the hit's passages beside the list.
  await hit.getByRole('button', { name: /^Preview/ }).click();
  const preview = page.getByTestId('search-preview');
  await preview.locator('.snippets-large mark').first().waitFor();
  assert((await preview.locator('a', { hasText: 'Open the interview' }).count()) === 1, 'the preview opens the interview');
  await shot(page, 'search');

  // A language facet narrows the query and the results.
  const facet = page.locator('[data-facet="language"] button.facet-button[aria-pressed="false"]').first();
  await facet.waitFor();
  const facetValue = await facet.locator('xpath=..').getAttribute('data-facet-value');
  await facet.click();
  const box = page.getByLabel('Query', { exact: true });
  await page.locator(`[data-facet="language"] [data-facet-value="${facetValue}"] button[aria-pressed="true"]`).waitFor();
  assert((await box.inputValue()) === `${SEARCH_WORD} lang:${facetValue}`, `the filter is added to the query (${await box.inputValue()})`);
  await page.locator('.hit-list li.hit').first().waitFor();
  const languages = await page.locator('.hit-list li.hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-hit-language')));
  assert(languages.length > 0 && languages.every((l) => l === facetValue), `only ${facetValue} hits are left (${languages})`);
  assert((await page.locator('[data-facet="organisation"] button').count()) === 0, 'the organisation facet only counts');

  // The search can be bookmarked: a reload shows the same.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
  assert((await box.inputValue()) === `${SEARCH_WORD} lang:${facetValue}`, 'the query survives a reload');
  await page.locator('.hit-list li.hit .snippet mark').first().waitFor();
  await shot(page, 'search-facet');
}

async function aMalformedQueryShowsWhatIsWrong() {
  const page = await analystPage();
  await openPage(page, 'search', 'Search');
  const box = page.getByLabel('Query', { exact: true });
  await box.fill('"unclosed');
  await box.press('Enter');
  const error = page.locator('#search-q-error[role="alert"]').getByText('this quotation mark is never closed');
  await error.waitFor();
  assert((await box.getAttribute('aria-invalid')) === 'true', 'the box is marked invalid');
  assert((await page.locator('.hit-list').count()) === 0, 'no results are shown');
  await shot(page, 'search-error');
  // Corrected, the search runs.
  await box.fill(SEARCH_WORD);
  await box.press('Enter');
  await page.locator('.hit-list li.hit').first().waitFor();
  assert((await page.locator('#search-q-error').textContent()) === '', 'the error is gone');
}

async function anotherPartnerFindsNothing() {
  const page = await newPage();
  await signIn(page, ANALYST_B);
  await openPage(page, 'search', 'Search');
  const box = page.getByLabel('Query', { exact: true });
  await box.fill(SEARCH_WORD);
  await box.press('Enter');
  await page.getByTestId('search-total').getByText('Nothing found.').waitFor();
  assert((await page.locator('.hit-list li').count()) === 0, 'no hits');
  await page.getByTestId('facets').getByText('Nothing to narrow by.').waitFor();
  assert((await page.locator('.facet-count').count()) === 0, 'no facet counts');
  const content = await page.content();
  assert(!content.includes(WITNESS.code) && !content.includes('<mark>'), 'nothing of Partner A is on the page');
  const body = await page.evaluate(async (q) => {
    const r = await fetch(`/api/v1/search?q=${encodeURIComponent(q)}&facets=1`, { credentials: 'same-origin' });
    return { status: r.status, json: await r.json() };
  }, SEARCH_WORD);
  const counts = Object.values(body.json.facets ?? {}).flat().length;
  assert(body.status === 200 && body.json.total === 0 && body.json.hits.length === 0 && counts === 0,
    `the API answers nothing either (${JSON.stringify(body.json).slice(0, 200)})`);
}

async function aSavedSearchShowsWhatIsNewUntilMarkedSeen() {
  assert(state.interviewId, 'needs the witness of earlier tests');
  const page = await analystPage();
  await openPage(page, `search?q=${NEW_WORD}`, 'Search');
  await page.getByTestId('search-total').getByText('Nothing found.').waitFor();
  const save = page.getByRole('form', { name: 'Save this search' });
  await save.getByRole('button', { name: 'Save this search' }).click();
  await save.getByRole('alert').getByText('Give the search a name.').waitFor();
  await save.getByLabel('Name for the saved search', { exact: true }).fill('Heliotrope fence');
  await save.getByRole('button', { name: 'Save this search' }).click();
  await save.getByRole('status').getByText('The search “Heliotrope fence” was saved.').waitFor();
  const item = page.locator('.saved-list li', { hasText: 'Heliotrope fence' });
  await item.waitFor();
  assert((await item.getAttribute('data-new')) === '0', 'nothing is new when it is saved');

  // New material: another interview of the witness, with a transcript that has the word.
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const record = page.getByRole('region', { name: 'Record an interview' });
  await record.getByLabel('Interviewer', { exact: true }).fill('intake officer K.');
  await record.getByLabel('Place', { exact: true }).fill('Vilnius');
  await record.getByLabel('Languages', { exact: true }).fill('en');
  await record.getByLabel('Transcript', { exact: true }).setInputFiles({
    name: 'statement-en.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(NEW_TRANSCRIPT, 'utf8'),
  });
  await record.getByRole('button', { name: 'Record interview' }).click();
  await record.getByRole('status').getByText(/The interview of .* was recorded\./).waitFor();

  // The saved search counts it once the index has it.
  await openPage(page, 'search', 'Search');
  const deadline = Date.now() + 60_000;
  for (;;) {
    await item.waitFor();
    if (Number(await item.getAttribute('data-new')) > 0) break;
    if (Date.now() > deadline) throw new AssertionError('the saved search shows nothing new within 60 s');
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
  }
  assert((await item.getByTestId('saved-new').textContent()).startsWith('New: '), 'the count is labelled');
  await item.getByRole('link', { name: 'Heliotrope fence' }).click();
  await page.getByRole('heading', { level: 2, name: 'New for “Heliotrope fence”' }).waitFor();
  const hit = page.locator('.hit-list li.hit').first();
  await hit.waitFor();
  assert((await hit.locator('.snippet mark').first().textContent()).toLowerCase() === NEW_WORD, 'the new hit has the word marked');
  await shot(page, 'search-saved');
  await page.getByRole('button', { name: 'Mark as seen' }).click();
  await page.getByRole('status').getByText('Marked as seen').waitFor();
  await page.getByTestId('search-total').getByText('Nothing new since you last looked.').waitFor();
  await page.locator('.saved-list li[data-new="0"]', { hasText: 'Heliotrope fence' }).waitFor();

  // And it can be deleted.
  await item.getByRole('button', { name: 'Delete the saved search “Heliotrope fence”' }).click();
  await page.getByText('The saved search “Heliotrope fence” was deleted.').waitFor();
  assert((await page.locator('.saved-list li', { hasText: 'Heliotrope fence' }).count()) === 0, 'the saved search is gone');
}

async function searchPageInBelarusianAndRussian() {
  const page = await analystPage();
  await openPage(page, `search?q=${SEARCH_WORD}`, 'Search');
  await page.locator('.hit-list li.hit').first().waitFor();
  await page.locator('.site-header .language select').selectOption('be');
  await page.getByRole('heading', { level: 1, name: 'Пошук' }).waitFor();
  await page.getByLabel('Запыт', { exact: true }).waitFor();
  await page.getByTestId('search-total').getByText(/^Знойдзена: /).waitFor();
  await shot(page, 'search-be');
  await page.locator('.site-header .language select').selectOption('ru');
  await page.getByRole('heading', { level: 1, name: 'Поиск' }).waitFor();
  await page.getByTestId('search-total').getByText(/^Найдено: /).waitFor();
  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
}

// ---- incidents and witness summaries ----
// A witness of their own (W-00300), with a transcript and a coded passage set up through the
// API (the coding workspace is another page's); then, in the browser, an incident drafted from
// the passage and shown on the timeline, and a witness summary drafted, edited, reviewed under
// the four-eyes rule, approved and exported to PDF, whose text pdftotext reads back. The
// reviewer (role reviewer in Partner A) is added by the administrator during the set-up.

const REVIEWER = {
  username: env('E2E_REVIEWER', 'reviewer-a'),
  password: env('E2E_REVIEWER_PASSWORD', 'reviewer A password e2e'),
};
const CASE = {
  witness: 'W-00300',
  transcript:
    'A fictional statement. On the eleventh of August the riot police beat us with batons in the yard. We were given no water for two days.',
  passage: 'the riot police beat us with batons',
  title: 'Beatings in the detention centre yard, August 2020',
  perpetrators: 'Riot police officers (OMON) beat the detainees [1].',
  saw: 'She was held in the yard of the detention centre for two days.',
  comment: 'Say where the witness was held and for how long.',
};
const cases = { objectId: null, annotationId: null, incidentId: null, summaryId: null, leadPage: null, reviewerPage: null };

/** A JSON call of the API from a signed-in page, with its CSRF token; throws on an error answer. */
async function apiCall(page, method, apiPath, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const headers = { Accept: 'application/json', 'X-CSRF-Token': sessionStorage.getItem('evhub.csrf') ?? '' };
      if (b !== null) headers['Content-Type'] = typeof b === 'string' ? 'application/octet-stream' : 'application/json';
      const r = await fetch(p, {
        method: m,
        headers,
        body: b === null ? undefined : typeof b === 'string' ? b : JSON.stringify(b),
        credentials: 'same-origin',
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${m} ${p}: ${r.status} ${text.slice(0, 200)}`);
      return text ? JSON.parse(text) : null;
    },
    [method, apiPath, body ?? null],
  );
}

async function signedInPage(key, who) {
  if (cases[key] && !cases[key].isClosed()) return cases[key];
  const page = await newPage();
  await signIn(page, who);
  cases[key] = page;
  return page;
}

async function codedPassageIsSetUp() {
  let admin = state.adminPage;
  if (!admin || admin.isClosed()) {
    admin = await newPage();
    await signIn(admin, ADMIN);
  }
  await apiCall(admin, 'POST', '/api/v1/users', {
    username: REVIEWER.username,
    organisation: 'Partner A',
    password: REVIEWER.password,
    roles: ['reviewer'],
  });
  const page = await analystPage();
  await openPage(page, 'witnesses', 'Witnesses');
  await apiCall(page, 'POST', '/api/v1/witnesses', {
    code: CASE.witness,
    gender: 'female',
    age_band: '30-44',
    country: 'BY',
    languages: ['en'],
    vulnerabilities: [],
    do_not_contact: false,
  });
  const object = await apiCall(page, 'POST', `/api/v1/objects?domain=${CASE.witness}&sensitivity=normal`, CASE.transcript);
  await apiCall(page, 'POST', `/api/v1/witnesses/${CASE.witness}/interviews`, {
    on: '2021-03-02',
    place: 'Vilnius',
    remote: false,
    interviewer: 'intake officer K.',
    languages: ['en'],
    recordings: [],
    transcript: object.id,
  });
  // Spans count code points.
  const begin = [...CASE.transcript.slice(0, CASE.transcript.indexOf(CASE.passage))].length;
  const annotation = await apiCall(page, 'POST', '/api/v1/coding/annotations', {
    object_id: object.id,
    kind: 'text',
    begin,
    end: begin + [...CASE.passage].length,
    codes: ['physical.baton-blows'],
    facets: { date: { from: '2020-08', precision: 'month' }, place: 'Minsk', facility: 'Akrestsina detention centre', units: ['OMON'] },
  });
  assert(annotation.passage === CASE.passage, `the annotation quotes the passage (${annotation.passage})`);
  // Two more incidents for the timeline: a date known only roughly, and none.
  const blank = { place: '', facility: '', victims: [], perpetrators: { persons: [], units: [], description: '' }, summary: '', evidence: [] };
  await apiCall(page, 'POST', '/api/v1/incidents', {
    ...blank,
    title: 'Arrests near the Pushkinskaya metro station',
    acts: ['due-process.arbitrary-detention'],
    date: { from: '2020-08-09', to: '', precision: 'approximate' },
    place: 'Minsk',
  });
  await apiCall(page, 'POST', '/api/v1/incidents', {
    ...blank,
    title: 'Threats to relatives during questioning',
    acts: ['psychological.threats-to-family'],
    date: { from: '', to: '', precision: 'day' },
  });
  cases.objectId = object.id;
  cases.annotationId = annotation.id;
}

async function analystDraftsAnIncidentFromACodedPassage() {
  assert(cases.annotationId, 'needs the coded passage of the set-up');
  const page = await analystPage();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();

  const picker = page.getByRole('region', { name: 'Draft an incident from coded passages' });
  await picker.getByLabel('Code', { exact: true }).selectOption('physical');
  const row = picker.locator(`tr[data-annotation="${cases.annotationId}"]`);
  await row.locator('blockquote', { hasText: CASE.passage }).waitFor();
  assert((await row.textContent()).includes(CASE.witness), 'the passage names its witness');
  const coding = await row.getByRole('link', { name: 'Open in the coding workspace' }).getAttribute('href');
  assert(coding === `#/coding/${cases.objectId}?annotation=${cases.annotationId}`, `the passage links to the coding workspace (${coding})`);
  await row.getByLabel(`Choose passage 1 (witness ${CASE.witness})`).check();
  await shot(page, 'incident-passages');
  await picker.getByRole('button', { name: 'Draft an incident from the selected passages (1)' }).click();

  await page.getByRole('heading', { level: 1, name: 'New incident' }).waitFor();
  const editor = page.getByRole('form', { name: 'New incident' });
  await editor.locator('li[data-act="physical.baton-blows"]').waitFor();
  assert((await editor.getByLabel('Date (or the start of a range)').inputValue()) === '2020-08', 'the date comes from the coding');
  assert((await editor.getByLabel('How precisely the date is known').inputValue()) === 'month', 'known to the month');
  assert((await editor.getByLabel('Witness code').inputValue()) === CASE.witness, 'the witness is a victim');
  assert((await editor.getByLabel('Units', { exact: true }).inputValue()) === 'OMON', 'the unit named by the coder');
  await editor.locator('.cited blockquote', { hasText: CASE.passage }).waitFor();
  await editor.getByLabel('Title', { exact: true }).fill(CASE.title);
  await editor.getByLabel('What happened').fill('Detainees were beaten with batons in the yard.');
  await shot(page, 'incident-editor');
  await editor.getByRole('button', { name: 'Save the incident' }).click();

  await page.getByRole('heading', { level: 1, name: `Incident: ${CASE.title}` }).waitFor();
  cases.incidentId = decodeURIComponent(new URL(page.url()).hash.replace('#/incidents/', ''));
  assert(/^in-[0-9a-f]{32}$/.test(cases.incidentId), `the incident has its page (${page.url()})`);
  assert((await page.getByTestId('incident-date').textContent()).startsWith('August 2020'), 'the date is shown to the month');
  const cited = page.locator(`li.cited[data-annotation="${cases.annotationId}"]`);
  await cited.locator('blockquote', { hasText: CASE.passage }).waitFor();
  assert((await cited.textContent()).includes('Supports'), 'the passage supports the incident');
  await shot(page, 'incident');

  // The timeline: the month-precision incident at the start of August, the approximate one
  // after it, the undated one last.
  await page.getByRole('link', { name: '← All incidents' }).click();
  await page.getByRole('navigation', { name: 'How to show the incidents' }).getByRole('link', { name: 'Timeline' }).click();
  const entries = page.locator('ol.timeline li.timeline-entry');
  await entries.nth(2).waitFor();
  const shown = await entries.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-placement'), e.querySelector('[data-testid="timeline-date"]').textContent, e.querySelector('h3').textContent]),
  );
  assert(
    JSON.stringify(shown) ===
      JSON.stringify([
        ['start-of-month', 'August 2020', CASE.title],
        ['approximate', '≈ 9 August 2020', 'Arrests near the Pushkinskaya metro station'],
        ['undated', 'Undated', 'Threats to relatives during questioning'],
      ]),
    `the timeline orders and marks the dates (${JSON.stringify(shown)})`,
  );
  await entries.first().getByText('day not known: placed at the start of the month').waitFor();
  await shot(page, 'incidents-timeline');
  // A filter by act keeps the incidents with a code under it.
  await page.getByLabel('Act', { exact: true }).selectOption('physical');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.locator('ol.timeline li.timeline-entry[data-placement="approximate"]').waitFor({ state: 'detached' });
  assert((await entries.count()) === 1, 'only the beatings are left');
  await page.locator('.site-header .language select').selectOption('be');
  await page.getByRole('heading', { level: 1, name: 'Інцыдэнты' }).waitFor();
  await entries.first().locator('[data-testid="timeline-date"]').getByText('Жнівень 2020').waitFor();
  await shot(page, 'incidents-timeline-be');
  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();

  // Someone else changes the incident while it is being edited: the save is refused, with a reload.
  await openPage(page, `incidents/${cases.incidentId}`, `Incident: ${CASE.title}`);
  await page.getByRole('button', { name: 'Change the incident' }).click();
  const form = page.getByRole('form', { name: 'Change the incident' });
  await form.getByLabel('What happened').fill('Changed in the browser.');
  const current = await apiCall(page, 'GET', `/api/v1/incidents/${cases.incidentId}`);
  await apiCall(page, 'PUT', `/api/v1/incidents/${cases.incidentId}`, {
    version: current.version,
    title: current.title,
    acts: current.acts.map((a) => a.id),
    date: current.date,
    place: current.place,
    facility: current.facility,
    victims: current.victims,
    perpetrators: current.perpetrators,
    summary: 'Changed meanwhile by another tab.',
    evidence: current.evidence.map((e) => ({ annotation_id: e.annotation_id, role: e.role })),
  });
  await form.getByRole('button', { name: 'Save the changes' }).click();
  await form.getByRole('alert').getByText('Someone changed this incident while you were editing it').waitFor();
  await form.getByRole('button', { name: 'Reload the incident' }).click();
  await page.getByTestId('incident-summary').getByText('Changed meanwhile by another tab.').waitFor();
  await page.getByRole('status').getByText('The newest version is shown').waitFor();
}

async function leadDraftsEditsAndSubmitsASummaryButCannotApproveIt() {
  assert(cases.incidentId, 'needs the incident of the test before');
  const page = await signedInPage('leadPage', LEAD);
  await openPage(page, `witnesses/${CASE.witness}`, `Witness ${CASE.witness}`);
  await page.getByRole('region', { name: 'Witness summaries' }).getByRole('link', { name: 'Draft a witness summary' }).click();
  await page.getByRole('heading', { level: 1, name: 'Witness summaries' }).waitFor();
  const draft = page.getByRole('region', { name: 'Draft a witness summary' });
  assert((await draft.getByLabel('Witness code').inputValue()) === CASE.witness, 'the witness is filled in');
  await draft.getByRole('button', { name: 'Draft summary' }).click();

  await page.getByRole('heading', { level: 1, name: `Witness summary — ${CASE.witness}` }).waitFor();
  cases.summaryId = decodeURIComponent(new URL(page.url()).hash.replace('#/summaries/', ''));
  assert(/^ws-[0-9a-f]{32}$/.test(cases.summaryId), `the summary has its page (${page.url()})`);
  await page.getByTestId('summary-status').getByText('Draft').waitFor();
  // Grouped by the incident that cites the passage, which is quoted with its reference.
  const incident = page.locator('section[data-section="incident 1"]');
  await incident.getByRole('heading', { level: 3, name: `Incident 1: ${CASE.title}` }).waitFor();
  const suffered = incident.locator('[data-field="incident-1-suffered"]');
  assert((await suffered.getByTestId('text-incident-1-suffered').textContent()).includes(CASE.passage), 'what she suffered quotes the passage');
  const marker = await suffered.getByRole('link', { name: 'Reference 1: open the passage in the coding workspace' }).getAttribute('href');
  assert(marker === `#/coding/${cases.objectId}?annotation=${cases.annotationId}`, `[1] links to the passage (${marker})`);
  const reference = await suffered.locator('li[data-reference="1"]').textContent();
  assert(reference.includes(CASE.passage) && reference.includes(cases.objectId) && /characters \d+–\d+/.test(reference),
    `the reference quotes the passage with its object and span (${reference})`);

  // One section edited: a new version.
  const perpetrators = page.locator('section[data-section="perpetrators"]');
  await perpetrators.getByRole('button', { name: 'Edit: Perpetrators' }).click();
  await perpetrators.getByLabel('Perpetrators', { exact: true }).fill(CASE.perpetrators);
  await shot(page, 'summary-edit');
  await perpetrators.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').getByText('Saved as version 2.').waitFor();
  await perpetrators.getByTestId('text-perpetrators').getByText('Riot police officers (OMON)').waitFor();

  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('status').getByText('Submitted for review (version 3).').waitFor();
  await page.getByTestId('summary-status').getByText('In review').waitFor();
  // A lead may review, but not what they wrote: the server refuses, and says why.
  await page.getByRole('button', { name: 'Approve' }).click();
  const refusal = page.getByRole('alert').getByText(`Refused: ${LEAD.username} wrote witness summary ${cases.summaryId} and cannot review it`);
  await refusal.waitFor();
  await page.getByTestId('summary-status').getByText('In review').waitFor();
  await shot(page, 'summary-self-review-refused');
}

async function reviewerRequestsChangesAuthorResubmitsReviewerApproves() {
  assert(cases.summaryId, 'needs the summary of the test before');
  const reviewer = await signedInPage('reviewerPage', REVIEWER);
  await reviewer.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Witness summaries' }).click();
  await reviewer.getByRole('heading', { level: 1, name: 'Witness summaries' }).waitFor();
  assert((await reviewer.getByRole('region', { name: 'Draft a witness summary' }).count()) === 0, 'a reviewer drafts no summaries');
  await reviewer.getByLabel('Status', { exact: true }).selectOption('in-review');
  await reviewer.getByRole('button', { name: 'Show', exact: true }).click();
  const row = reviewer.locator(`tr[data-summary="${cases.summaryId}"][data-status="in-review"]`);
  await row.waitFor();
  await row.getByRole('link', { name: `Summary of ${CASE.witness}` }).click();
  await reviewer.getByRole('heading', { level: 1, name: `Witness summary — ${CASE.witness}` }).waitFor();

  // Changes requested on one section, with a comment that shows there.
  await reviewer.locator('section[data-section="incident 1"]').getByRole('button', { name: 'Comment: Incident 1' }).click();
  const review = reviewer.getByRole('region', { name: 'Review', exact: true });
  await reviewer.waitForFunction(() => document.getElementById('comment-section')?.value === 'incident 1');
  assert((await reviewer.evaluate(() => document.activeElement?.id)) === 'comment-text', 'the comment box has the focus');
  await review.getByLabel('Comment', { exact: true }).fill(CASE.comment);
  await review.getByRole('button', { name: 'Request changes' }).click();
  await reviewer.getByRole('status').getByText('Changes requested (version 4).').waitFor();
  await reviewer.getByTestId('summary-status').getByText('Changes requested').waitFor();
  const comment = reviewer.locator('section[data-section="incident 1"] li.comment');
  await comment.getByText(CASE.comment).waitFor();
  assert((await comment.textContent()).includes(`${REVIEWER.username} commented`), 'the comment names the reviewer');
  await shot(reviewer, 'summary-changes-requested');

  // The author sees the comment, edits the section and submits it again.
  const lead = await signedInPage('leadPage', LEAD);
  await openPage(lead, `summaries/${cases.summaryId}`, `Witness summary — ${CASE.witness}`);
  await lead.reload(); // the lead's page may show this summary already, as it was
  await lead.getByTestId('summary-status').getByText('Changes requested').waitFor();
  const incident = lead.locator('section[data-section="incident 1"]');
  await incident.locator('li.comment').getByText(CASE.comment).waitFor();
  await incident.getByRole('button', { name: 'Edit: Incident 1' }).click();
  const saw = incident.getByLabel('What the witness saw', { exact: true });
  await saw.fill(`${await saw.inputValue()} ${CASE.saw}`);
  await incident.getByRole('button', { name: 'Save', exact: true }).click();
  await lead.getByRole('status').getByText('Saved as version 5.').waitFor();
  await incident.getByText(CASE.saw).waitFor();
  await lead.getByRole('button', { name: 'Submit again for review' }).click();
  await lead.getByRole('status').getByText('Submitted for review (version 6).').waitFor();

  // The reviewer, who neither wrote nor edited it, approves the version they read.
  await reviewer.reload();
  await reviewer.getByTestId('summary-status').getByText('In review').waitFor();
  await reviewer.locator('section[data-section="incident 1"]').getByText(CASE.saw).waitFor();
  await reviewer.getByRole('button', { name: 'Approve' }).click();
  await reviewer.getByRole('status').getByText('Approved (version 7).').waitFor();
  await reviewer.getByTestId('summary-status').getByText('Approved').waitFor();
  assert((await reviewer.getByRole('button', { name: 'Request changes' }).count()) === 0, 'nothing is left to review');

  // Every version is kept; the difference between the draft and the approved text is shown.
  const history = reviewer.getByRole('region', { name: 'Versions', exact: true });
  await history.getByRole('button', { name: 'Show every version' }).click();
  await history.locator('tr[data-version="1"]').waitFor();
  assert((await history.locator('tbody tr').count()) === 7, 'seven versions');
  await history.getByLabel('From version').selectOption('1');
  await history.getByLabel('To version').selectOption('7');
  await history.getByRole('button', { name: 'Compare' }).click();
  const diff = history.getByTestId('diff');
  await diff.locator('ins.diff-add', { hasText: 'Riot police officers (OMON)' }).waitFor();
  await diff.locator('ins.diff-add', { hasText: `Reviewer: ${REVIEWER.username}` }).waitFor();
  assert((await diff.locator('del.diff-del').count()) > 0, 'removed lines are shown');
  await shot(reviewer, 'summary-diff');
}

async function approvedSummaryIsExportedToPdfAndItsTextChecked() {
  assert(cases.summaryId, 'needs the approved summary');
  const page = await signedInPage('reviewerPage', REVIEWER);
  await openPage(page, `summaries/${cases.summaryId}`, `Witness summary — ${CASE.witness}`);
  const exports = page.getByRole('region', { name: 'Export', exact: true });
  await exports.getByLabel('Format', { exact: true }).selectOption('pdf');
  assert(!(await exports.getByLabel('DRAFT on every page').isChecked()), 'an approved version needs no DRAFT mark');
  await exports.getByRole('button', { name: 'Export version 7' }).click();
  const link = exports.getByTestId('export-download');
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evhub-e2e-'));
  try {
    const pdf = path.join(dir, 'summary.pdf');
    await download.saveAs(pdf);
    const bytes = readFileSync(pdf);
    assert(bytes.subarray(0, 5).toString('latin1') === '%PDF-', 'the download is a PDF');
    const shown = await exports.locator('[data-testid="export-made"] code.hex').textContent();
    assert(shown === sha256(bytes), 'the SHA-256 shown is the download’s');
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert(text.includes(CASE.witness), 'the PDF names the witness by code');
    assert(text.includes(CASE.passage), 'the PDF quotes the passage');
    assert(text.includes('Riot police officers (OMON)'), 'the PDF has the edited text');
    assert(/Page 1 of \d+/.test(text), 'the pages are numbered');
    assert(!text.includes(CASE.comment), 'review comments are not exported');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await shot(page, 'summary-exported');
}

async function anotherPartnerCannotOpenTheIncidentOrTheSummary() {
  assert(cases.summaryId && cases.incidentId, 'needs the incident and the summary');
  const page = await newPage();
  await signIn(page, ANALYST_B);
  await openPage(page, `summaries/${cases.summaryId}`, 'Witness summary');
  await page.getByText('You do not have the rights to see this.').waitFor();
  await openPage(page, `incidents/${cases.incidentId}`, 'Incident');
  await page.getByText('You do not have the rights to see this.').waitFor();
  await openPage(page, 'summaries', 'Witness summaries');
  await page.getByText('No witness summaries yet.').waitFor();
  await openPage(page, 'incidents', 'Incidents');
  await page.getByText('No incidents recorded yet.').waitFor();
  const content = await page.content();
  assert(!content.includes(CASE.witness) && !content.includes(CASE.passage) && !content.includes(CASE.title), 'nothing of Partner A is on the page');
  const statuses = await page.evaluate(
    async ([s, i]) => {
      const get = async (p) => (await fetch(p, { credentials: 'same-origin' })).status;
      return [await get(`/api/v1/summaries/${s}`), await get(`/api/v1/incidents/${i}`), await get(`/api/v1/summaries/${s}/diff?from=1&to=2`)];
    },
    [cases.summaryId, cases.incidentId],
  );
  assert(statuses.every((s) => s === 403), `direct requests are refused (${statuses})`);
}

const tests = [
  ['analyst enrols a second factor and signs in with a code', signInEnrolTotpAndSignInWithCode],
  ['upload shows progress, matches the SHA-256 and verifies', uploadShowsProgressAndVerifies],
  ['a restricted upload is marked with its category', restrictedUploadIsMarked],
  ['download returns the uploaded bytes', downloadMatchesUpload],
  ['language switch to Belarusian and Russian is remembered', languageSwitchIsRemembered],
  ['another partner sees neither the object nor the users', otherPartnerSeesNothing],
  ['intake officer registers a witness with personal details and consent', intakeOfficerRegistersWitnessWithConsent],
  ['consent is refused for lawyers with the version named, and allowed for the ICC', consentIsCheckedForLawyersAndTheIcc],
  ['personal details are shown on request', personalDetailsAreShownOnRequest],
  ['an intake officer records an interview with a transcript and a document', intakeOfficerRecordsAnInterviewAndADocument],
  ['the jobs finish and the monitor shows and retries a failed one', jobsFinishAndTheMonitorRetriesAFailure],
  ['the transcript is shown beside the apertium translation and a human one', transcriptIsShownBesideMachineAndHumanTranslations],
  ['a document is shown with the text extracted from it', documentIsShownWithItsExtractedText],
  ['a contact warning is shown before a contact is planned', contactWarningIsShownBeforeAContactIsPlanned],
  ['another partner cannot open the interview, the document or the jobs', anotherPartnerCannotOpenTheInterviewDocumentOrJobs],
  ['an analyst searches, sees marked snippets and a preview, and narrows by a facet', analystSearchesSeesMarkedSnippetsAndNarrowsByAFacet],
  ['a malformed query shows what is wrong next to the box', aMalformedQueryShowsWhatIsWrong],
  ['another partner finds nothing and sees no facet counts', anotherPartnerFindsNothing],
  ['a saved search shows what is new until it is marked as seen', aSavedSearchShowsWhatIsNewUntilMarkedSeen],
  ['the search page in Belarusian and Russian', searchPageInBelarusianAndRussian],
  ['an import is checked, with problems by line and column, then imported', importIsCheckedThenImported],
  ['the register lists the witness and filters by consent, gender and country', registerListsAndFiltersWitnesses],
  ['another partner does not see the witness', otherPartnerDoesNotSeeTheWitness],
  ['a lead lists consent gaps and erases a witness, leaving a tombstone', leadListsConsentGapsAndErasesAWitness],
  ['administrator sees the upload and the sign-ins in the audit trail', adminSeesUploadAndSignInsInAudit],
  ['administrator adds a user, grants and revokes a role, disables and enables', administratorManagesUsers],
  ['the audit trail shows who viewed personal details and who erased', auditTrailShowsPersonalDetailViews],
  ['a file over 64 MiB is refused before sending', oversizedFileIsRefusedBeforeSending],
  ['a new tab without the CSRF token signs in again', newTabWithoutTokenSignsInAgain],
  ['an ended session goes back to sign-in', endedSessionGoesBackToSignIn],
  ['a reviewer, a coded passage and two incidents are set up through the API', codedPassageIsSetUp],
  ['an analyst drafts an incident from a coded passage, sees it on the timeline, and a stale edit is refused', analystDraftsAnIncidentFromACodedPassage],
  ['a lead drafts, edits and submits a witness summary, and cannot approve their own', leadDraftsEditsAndSubmitsASummaryButCannotApproveIt],
  ['a reviewer requests changes, the author edits and resubmits, the reviewer approves', reviewerRequestsChangesAuthorResubmitsReviewerApproves],
  ['the approved summary is exported to PDF, downloaded and its text checked', approvedSummaryIsExportedToPdfAndItsTextChecked],
  ['another partner cannot open the incident or the summary', anotherPartnerCannotOpenTheIncidentOrTheSummary],
  ['sign-in works with the keyboard alone', signInWithKeyboardOnly],
  ['sign-in page in Belarusian', belarusianSignInPage],
  ['strict CSP and no CSP violations or page errors', strictCspAndNoViolations],
];

// ---------------------------------------------------------------------------------------------
// Runner

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of tests) {
    let timer;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT / 1000} s`)), TEST_TIMEOUT);
        }),
      ]);
      console.log(`ok - ${name}`);
      passed++;
    } catch (e) {
      // The first line, and what Playwright was waiting for when it timed out.
      const lines = (e && e.message ? e.message : String(e)).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
      const waiting = lines.find((l) => /waiting for/.test(l));
      const message = waiting ? `${lines[0]} (${waiting.replace(/^[\s-]+/, '')})` : lines[0];
      console.log(`not ok - ${name}: ${message}`);
      failed++;
      // A picture of every open page, to see what went wrong.
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      for (const [i, ctx] of contexts.entries()) {
        for (const [j, p] of ctx.pages().entries()) {
          await p
            .screenshot({ path: path.join(SHOTS, `failed-${slug}-${i}-${j}.png`), fullPage: true })
            .catch(() => {});
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
  await browser.close().catch(() => {});
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`not ok - setup: ${e && e.message ? e.message.split('\n')[0] : e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
