// End-to-end tests of the web workspace, in Chromium through playwright-core.
//
//   node tests/web/e2e.mjs URL
//
// Usually started by tests/web/run_e2e.sh, which makes the hub, the accounts and the server and
// passes the accounts in the environment (E2E_ANALYST_A, E2E_ANALYST_A_PASSWORD, E2E_ANALYST_B,
// E2E_ANALYST_B_PASSWORD, E2E_ADMIN, E2E_ADMIN_PASSWORD, E2E_LEAD, E2E_LEAD_PASSWORD). Prints "ok - NAME" or
// "not ok - NAME: ERROR" per test and "N passed, N failed" last; exits 1 if any failed. E2E_ONLY (a
// regular expression) runs only the tests whose names match.

import { createHmac, createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
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
  return pdfOfPages([text]);
}

/** A PDF with a page for each line of text (Helvetica). */
function pdfOfPages(texts) {
  const n = texts.length;
  const font = 3 + 2 * n;
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${texts.map((_, i) => `${3 + 2 * i} 0 R`).join(' ')}] /Count ${n} >>`];
  for (const [i, text] of texts.entries()) {
    const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${4 + 2 * i} 0 R >>`);
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
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
    // From an empty page each time: the hits of the query before (or of an earlier test's)
    // must not be taken for this one's, and the same query is then asked afresh.
    await box.fill('');
    await box.press('Enter');
    await page.getByText('Enter a query above to search.').waitFor();
    await box.fill(query);
    await box.press('Enter');
    const total = page.getByTestId('search-total');
    await total.waitFor();
    if ((await page.locator('.hit-list li.hit').count()) > 0) return;
    if (Date.now() > deadline) throw new AssertionError(`no hit for ${query} within ${seconds} s (${await total.textContent()})`);
    await page.waitForTimeout(1000);
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

// ---------------------------------------------------------------------------------------------
// Coding: the workspace, search by code, the framework editor, agreement

// A fictional statement with a character outside the Basic Multilingual Plane (two UTF-16 units,
// one code point) before the passages coded, so that an offset off by one shows.
const CODING_TEXT = 'Запіс 📝 сведкі. Мяне збілі дубінкай у пастарунку на Акрэсціна. Потым нас трымалі без вады дзве ночы.';
const CODED_PASSAGE = 'Мяне збілі дубінкай у пастарунку';
const OVERLAPPING_PASSAGE = 'дубінкай у пастарунку на Акрэсціна';
const THIRD_PASSAGE = 'трымалі без вады дзве ночы';
const LAST_SENTENCE = 'Потым нас трымалі без вады дзве ночы.';
/** Where `passage` lies in `text`, in code points (what the API counts). */
function codePoints(text, passage) {
  const at = text.indexOf(passage);
  const begin = Array.from(text.slice(0, at)).length;
  return { begin, end: begin + Array.from(passage).length };
}

async function codePointOffsetsConvertExactly() {
  // The page's own module (web/src/codepoints.ts), compiled with the esbuild Vite brings.
  const esbuild = require('esbuild');
  const built = await esbuild.build({
    entryPoints: [path.join(webDir, 'src/codepoints.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const { OffsetMap, slicePoints } = await import(
    `data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`
  );
  for (const text of ['', 'plain ASCII', CODING_TEXT, '😀', 'a😀b𝟙c', '😀😀x😀', 'жнівень 2020 👮‍♂️ Акрэсціна']) {
    const points = Array.from(text);
    const map = new OffsetMap(text);
    assert(map.points === points.length && map.units === text.length, `lengths of ${JSON.stringify(text)}`);
    let units = 0;
    for (let p = 0; p <= points.length; p++) {
      assert(map.toUnits(p) === units, `toUnits(${p}) of ${JSON.stringify(text)} is ${map.toUnits(p)}, not ${units}`);
      assert(map.toPoints(units) === p, `toPoints(${units}) of ${JSON.stringify(text)} is ${map.toPoints(units)}, not ${p}`);
      // Inside a surrogate pair: the start of that character.
      if (p < points.length && points[p].length === 2) {
        assert(map.toPoints(units + 1) === p, `toPoints inside the pair at ${units} of ${JSON.stringify(text)}`);
      }
      for (let q = p; q <= points.length; q++) {
        const want = points.slice(p, q).join('');
        assert(slicePoints(text, p, q) === want, `slicePoints(${p}, ${q}) of ${JSON.stringify(text)}`);
      }
      if (p < points.length) units += points[p].length;
    }
    assert(map.toUnits(points.length + 5) === text.length && map.toPoints(-3) === 0, 'offsets are clamped to the text');
  }
}

/** The screen points of the first and last characters of `passage` in the coding text. */
async function passageEnds(page, passage) {
  return page.getByTestId('coding-text').evaluate((pre, passage) => {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push({ n, s: all.length });
      all += n.data;
    }
    const at = all.indexOf(passage);
    if (at < 0) return null;
    const charRect = (u) => {
      const { n, s } = nodes.find(({ n, s }) => u >= s && u < s + n.data.length);
      const r = document.createRange();
      r.setStart(n, u - s);
      r.setEnd(n, u - s + 1);
      return r.getClientRects()[0];
    };
    pre.scrollIntoView({ block: 'center' });
    const a = charRect(at);
    const b = charRect(at + passage.length - 1);
    return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
  }, passage);
}

/** Selects `passage` of the coding text by dragging the mouse over it. */
async function selectWithMouse(page, passage) {
  const ends = await passageEnds(page, passage);
  assert(ends, `the passage is in the text: ${passage}`);
  await page.mouse.move(ends.x1, ends.y1);
  await page.mouse.down();
  await page.mouse.move((ends.x1 + ends.x2) / 2, (ends.y1 + ends.y2) / 2, { steps: 4 });
  await page.mouse.move(ends.x2, ends.y2, { steps: 4 });
  await page.mouse.up();
  await page.getByTestId('pending-passage').getByText(passage, { exact: true }).waitFor();
}

/** Selects `passage` of the coding text as a script (or a keyboard user's browser) would. */
async function selectByScript(page, passage) {
  const found = await page.getByTestId('coding-text').evaluate((pre, passage) => {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push({ n, s: all.length });
      all += n.data;
    }
    const at = all.indexOf(passage);
    if (at < 0) return false;
    const point = (u, end) => {
      const { n, s } = nodes.find(({ n, s }) => (end ? u > s && u <= s + n.data.length : u >= s && u < s + n.data.length));
      return [n, u - s];
    };
    pre.focus();
    const r = document.createRange();
    r.setStart(...point(at, false));
    r.setEnd(...point(at + passage.length, true));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
    return true;
  }, passage);
  assert(found, `the passage is in the text: ${passage}`);
  await page.getByTestId('pending-passage').getByText(passage, { exact: true }).waitFor();
}

/** The coding workspace's view of an object, from the API (as the signed-in user). */
async function codingObject(page, id) {
  return page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/coding/objects/${id}`, { credentials: 'same-origin' });
    return { status: r.status, json: await r.json() };
  }, id);
}

async function analystCodesAPassageWithAKeyPress() {
  const page = await analystPage();
  // A new interview of the witness, with the statement as its transcript.
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const record = page.getByRole('region', { name: 'Record an interview' });
  await record.getByLabel('Interviewer', { exact: true }).fill('intake officer K.');
  await record.getByLabel('Place', { exact: true }).fill('Vilnius');
  await record.getByLabel('Languages', { exact: true }).fill('be');
  await record.getByLabel('Transcript', { exact: true }).setInputFiles({
    name: 'statement-coding.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(CODING_TEXT, 'utf8'),
  });
  const rows = page.locator('table.interviews-table tbody tr');
  const listed = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-interview')));
  const before = await listed();
  await record.getByRole('button', { name: 'Record interview' }).click();
  await record.getByRole('status').getByText(/The interview of .* was recorded\./).waitFor();
  let interviewId;
  for (let i = 0; i < 50 && !interviewId; i++) {
    interviewId = (await listed()).find((id) => id && !before.includes(id));
    if (!interviewId) await page.waitForTimeout(100);
  }
  assert(interviewId, 'the new interview is listed');
  await page.locator(`tr[data-interview="${interviewId}"] a`).first().click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^Interview of ${WITNESS.code} on `) }).waitFor();

  // The transcript links to the coding workspace.
  const panel = page.locator('.texts-beside .texts-column').first().locator('.text-panel').first();
  await panel.getByTestId('text-body').getByText('Мяне збілі').waitFor();
  await panel.getByRole('link', { name: /^Code this text/ }).click();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  state.codingObjectId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/coding\//, '').replace(/\?.*$/, ''));
  assert(/^[0-9a-f]{32}$/.test(state.codingObjectId), `the workspace is the object's (${state.codingObjectId})`);
  const text = page.getByTestId('coding-text');
  await text.getByText('Мяне збілі').waitFor();
  const shown = await text.textContent();
  assert(shown.trim() === CODING_TEXT, `the whole text is shown as it is (${shown})`);
  await page.getByText('No codings yet.').waitFor();

  // The filter highlights a code; a mouse selection and Enter apply it.
  const filter = page.getByRole('combobox', { name: 'Find a code' });
  await filter.fill('baton');
  const option = page.locator('[role="option"][aria-selected="true"]');
  await option.getByText('Baton blows').waitFor();
  assert((await filter.getAttribute('aria-activedescendant')) === (await option.getAttribute('id')), 'the box points at the highlighted code');
  await selectWithMouse(page, CODED_PASSAGE);
  assert((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'coding-text', 'the text has the focus');
  await shot(page, 'coding-selection');
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Coded as “Baton blows”.').waitFor();
  const coded = text.locator('span.coded');
  await coded.first().waitFor();
  assert((await coded.allTextContents()).join('') === CODED_PASSAGE, 'exactly the passage is highlighted');
  const editor = page.getByRole('region', { name: 'Selected coding' });
  await editor.getByTestId('coding-coder').getByText(ANALYST_A.username).waitFor();
  assert((await editor.getByTestId('coding-version').textContent()) === '1', 'a new coding is version 1');
  state.annotationId = await editor.getAttribute('data-annotation-id');

  // The API holds it at the passage's code points (the emoji before it counts once).
  let api = await codingObject(page, state.codingObjectId);
  assert(api.json.text === shown, 'the page shows the text the API gives');
  const want = codePoints(api.json.text, CODED_PASSAGE);
  const a = api.json.annotations.find((x) => x.id === state.annotationId);
  assert(a && a.kind === 'text' && a.begin === want.begin && a.end === want.end,
    `the coding is at code points ${want.begin}..${want.end} (${a && `${a.begin}..${a.end}`})`);
  assert(a.passage === CODED_PASSAGE && a.codes[0].id === 'physical.baton-blows', `the passage and code are stored (${a.passage})`);

  // An overlapping passage, selected by script, coded with a click; a third with a number key.
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await selectByScript(page, OVERLAPPING_PASSAGE);
  await filter.fill('punch');
  await page.locator('[role="option"]', { hasText: 'Punches' }).click();
  await page.getByRole('status').getByText('Coded as “Punches”.').waitFor();
  await text.locator('span.coded-depth-2').first().waitFor();
  assert((await text.locator('span.coded-depth-2').allTextContents()).join('') === 'дубінкай у пастарунку', 'the overlap is marked');
  await selectByScript(page, THIRD_PASSAGE);
  const recent = page.locator('.recent-codes li').first();
  assert((await recent.textContent()).includes('1') && (await recent.textContent()).includes('Punches'), 'the last code used is number 1');
  await page.keyboard.press('1');
  await page.getByRole('status').getByText('Coded as “Punches”.').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Codings (3)' }).waitFor();
  api = await codingObject(page, state.codingObjectId);
  const third = api.json.annotations.find((x) => x.passage === THIRD_PASSAGE);
  const want3 = codePoints(api.json.text, THIRD_PASSAGE);
  assert(third && third.begin === want3.begin && third.end === want3.end, 'the third coding is at its code points');
  await shot(page, 'coding-workspace');
}

async function analystEditsAFacetAndIsToldOfAConcurrentChange() {
  assert(state.annotationId, 'needs the coding of the previous test');
  const page = await analystPage();
  await openPage(page, `coding/${state.codingObjectId}?annotation=${state.annotationId}`, `Coding — witness ${WITNESS.code}`);
  const editor = page.locator(`section.coding-editor[data-annotation-id="${state.annotationId}"]`);
  await editor.waitFor();
  assert((await page.getByTestId('coding-text').locator('span.coded-selected').allTextContents()).join('') === CODED_PASSAGE,
    'the coding asked for in the address is selected in the text');
  await editor.getByLabel('Date (from)', { exact: true }).fill('2020-08-11');
  await editor.getByLabel('Date precision', { exact: true }).selectOption('day');
  await editor.getByLabel('Place', { exact: true }).fill('Minsk');
  await editor.getByLabel('Facility', { exact: true }).fill('Akrestsina detention centre');
  await editor.getByLabel('Units', { exact: true }).fill('OMON, riot police');
  await editor.getByRole('button', { name: 'Save coding' }).click();
  await page.getByRole('status').getByText('Saved (version 2).').waitFor();
  assert((await editor.getByTestId('coding-version').textContent()) === '2', 'the editor shows version 2');
  const api = await codingObject(page, state.codingObjectId);
  const a = api.json.annotations.find((x) => x.id === state.annotationId);
  assert(a.facets.place === 'Minsk' && a.facets.facility === 'Akrestsina detention centre' && a.facets.date.from === '2020-08-11',
    `the facets are stored (${JSON.stringify(a.facets)})`);
  assert(JSON.stringify(a.facets.units) === '["OMON","riot police"]', `the units are a list (${JSON.stringify(a.facets.units)})`);

  // A change made meanwhile (here through the API) is not overwritten: the page says reload.
  const status = await page.evaluate(async (a) => {
    const body = { object_id: a.object_id, kind: a.kind, begin: a.begin, end: a.end, codes: a.codes.map((c) => c.id), facets: a.facets, memo: 'changed elsewhere', version: a.version };
    const r = await fetch(`/api/v1/coding/annotations/${a.id}`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('evhub.csrf') ?? '' },
      body: JSON.stringify(body),
    });
    return r.status;
  }, a);
  assert(status === 200, `the change behind the page's back was stored (${status})`);
  await editor.getByLabel('Memo', { exact: true }).fill('my memo');
  await editor.getByRole('button', { name: 'Save coding' }).click();
  await page.getByRole('alert').getByText(/^Someone changed this coding/).waitFor();
  await shot(page, 'coding-stale');
  await page.getByTestId('coding-reload').click();
  await page.locator(`section.coding-editor[data-annotation-id="${state.annotationId}"][data-version="3"]`).waitFor();
  assert((await editor.getByLabel('Memo', { exact: true }).inputValue()) === 'changed elsewhere', 'the reload shows the other change');

  // The history lists every version.
  await editor.getByRole('button', { name: 'Show history' }).click();
  await editor.getByTestId('coding-history').locator('li').nth(2).waitFor();
  assert((await editor.getByTestId('coding-history').locator('li').count()) === 3, 'three versions');
}

async function searchFindsThePassageByCodeAndOpensTheWorkspace() {
  assert(state.annotationId, 'needs the coding of an earlier test');
  const page = await analystPage();
  await openPage(page, 'search', 'Search');
  // The index follows the coding through the server's background jobs.
  await searchUntilFound(page, 'code:physical.baton-blows', 60);
  const hit = page.locator('.hit-list li.hit[data-hit-type="coded-passage"]').first();
  await hit.waitFor();
  assert((await hit.getByTestId('hit-type').textContent()) === 'Coded passage', 'the hit is a coded passage');
  // A parent code finds it too, with the place of its facets.
  await searchUntilFound(page, 'code:physical place:Minsk', 45);
  const link = page.locator('.hit-list li.hit[data-hit-type="coded-passage"] .hit-title a').first();
  const href = await link.getAttribute('href');
  assert(href === `#/coding/${state.codingObjectId}?annotation=${encodeURIComponent(state.annotationId)}`, `the hit opens the workspace at the coding (${href})`);
  await shot(page, 'search-coded');
  await link.click();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  await page.locator(`section.coding-editor[data-annotation-id="${state.annotationId}"]`).waitFor();
  const selected = page.getByTestId('coding-text').locator('span.coded-selected');
  await selected.first().waitFor();
  assert((await selected.allTextContents()).join('') === CODED_PASSAGE, 'the passage is highlighted as selected');
  assert(await selected.first().isVisible(), 'and scrolled into view');
}

async function aUserWithoutACodingRoleIsRefused() {
  assert(state.codingObjectId, 'needs the coded object of an earlier test');
  let page = state.adminPage;
  if (!page || page.isClosed()) {
    page = await newPage();
    await signIn(page, ADMIN);
    state.adminPage = page;
  }
  await openPage(page, `coding/${state.codingObjectId}`, 'Coding workspace');
  await page.getByText('You do not have the rights to see this.').waitFor();
  assert((await page.getByTestId('coding-text').count()) === 0, 'no text is shown');
  assert(!(await page.content()).includes('збілі'), 'no word of the text is on the page');
  const { status } = await codingObject(page, state.codingObjectId);
  assert(status === 403, `the API refuses it too (${status})`);
  assert(
    (await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Coder agreement' }).count()) === 0,
    'no agreement link for an administrator',
  );
}

async function administratorEditsTheFramework() {
  let page = state.adminPage;
  if (!page || page.isClosed()) {
    page = await newPage();
    await signIn(page, ADMIN);
    state.adminPage = page;
  }
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Coding framework' }).click();
  await page.getByRole('heading', { level: 1, name: 'Coding framework' }).waitFor();
  assert((await page.locator('.nav-coming').getByText('Coding').count()) === 0, 'Coding is no longer listed as coming soon');
  const tree = page.getByTestId('framework-tree');
  await tree.locator('[data-code-id="physical.baton-blows"]').getByText('Baton blows').waitFor();
  const before = Number(await page.getByTestId('framework-version').textContent());

  // A code added under "Physical ill-treatment".
  const add = page.getByRole('region', { name: 'Add a code' });
  await add.getByLabel('Under', { exact: true }).selectOption('physical');
  await add.getByLabel('Name of the new code', { exact: true }).fill('hair-pulling');
  await add.getByText('the code’s id will be physical.hair-pulling').waitFor();
  await add.getByLabel('Label (English)', { exact: true }).fill('Hair pulling');
  await add.getByLabel('Label (Беларуская)', { exact: true }).fill('Цяганне за валасы');
  await add.getByLabel('Label (Русский)', { exact: true }).fill('Таскание за волосы');
  await add.getByLabel('Definition (English)', { exact: true }).fill('Pulling a person by the hair.');
  await add.getByRole('button', { name: 'Add code' }).click();
  await add.getByRole('status').getByText(`The code physical.hair-pulling was added (framework version ${before + 1}).`).waitFor();
  await tree.locator('[data-code-id="physical.hair-pulling"]').getByText('Hair pulling').waitFor();
  assert(Number(await page.getByTestId('framework-version').textContent()) === before + 1, 'the version went up');

  // A label edited: codings made before keep the words their coder saw.
  const punches = tree.locator('[data-code-id="physical.punches"]');
  await punches.getByRole('button', { name: 'Edit the code “Punches”' }).click();
  const form = page.getByRole('form', { name: 'Edit the code “Punches”' });
  await form.getByLabel('Label (English)', { exact: true }).fill('Punches (fist blows)');
  await form.getByRole('button', { name: 'Save the code' }).click();
  await page.getByRole('status').getByText(new RegExp(`^Framework version ${before + 2} stored: Words changed: physical.punches`)).waitFor();
  await punches.getByText('Punches (fist blows)').waitFor();
  await punches.getByText('revision 2').waitFor();

  // A CSV checked first (dry run), then imported.
  const imp = page.getByRole('region', { name: 'Import a framework' });
  await imp.getByLabel('Framework file', { exact: true }).setInputFiles({
    name: 'more-codes.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'id,parent,label_en,label_be,label_ru,definition_en,definition_be,definition_ru,restricted,retired\n' +
        'physical.cold-water,physical,Doused with cold water,Аблівалі халоднай вадой,Обливали холодной водой,,,,no,no\n',
      'utf8',
    ),
  });
  assert((await imp.getByLabel('Format', { exact: true }).inputValue()) === 'csv', 'the format follows the file name');
  const apply = imp.getByRole('button', { name: 'Apply the import' });
  assert(await apply.isDisabled(), 'nothing is applied before a dry run');
  await imp.getByRole('button', { name: 'Check (dry run)' }).click();
  const diff = imp.getByTestId('framework-diff');
  await diff.locator('[data-diff="added"]').getByText('physical.cold-water').waitFor();
  assert((await diff.getAttribute('data-acceptable')) === 'true', 'the CSV is acceptable');
  await shot(page, 'framework-import');
  assert((await tree.locator('[data-code-id="physical.cold-water"]').count()) === 0, 'the dry run changed nothing');
  await apply.click();
  await page.getByRole('status').getByText(new RegExp(`^Framework version ${before + 3} imported: Added: physical.cold-water`)).waitFor();
  await tree.locator('[data-code-id="physical.cold-water"]').waitFor();
  await shot(page, 'framework');

  // The editor in Belarusian.
  await page.locator('.site-header .language select').selectOption('be');
  await page.getByRole('heading', { level: 1, name: 'Схема кадавання' }).waitFor();
  await tree.locator('[data-code-id="physical.hair-pulling"]').getByText('Цяганне за валасы').waitFor();
  await shot(page, 'framework-be');
  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Coding framework' }).waitFor();
}

async function aCodingSaysItsLabelChangedSinceCoded() {
  assert(state.codingObjectId, 'needs the coded object of an earlier test');
  const page = await analystPage();
  await openPage(page, `coding/${state.codingObjectId}`, `Coding — witness ${WITNESS.code}`);
  // The page may have been open on this object already: read it afresh.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  const item = page.locator('.coding-list li', { hasText: THIRD_PASSAGE });
  await item.getByRole('button').click();
  const editor = page.getByRole('region', { name: 'Selected coding' });
  await editor.getByTestId('selected-passage').getByText(THIRD_PASSAGE).waitFor();
  const code = editor.locator('.applied-codes li[data-code-id="physical.punches"]');
  await code.getByText('Punches', { exact: true }).waitFor();
  await code.getByTestId('label-changed').getByText('label changed since coded').waitFor();
  // The new code is offered; the workspace in Russian.
  await page.getByRole('combobox', { name: 'Find a code' }).fill('hair');
  await page.locator('[role="option"][aria-selected="true"]').getByText('Hair pulling').waitFor();
  await page.locator('.site-header .language select').selectOption('ru');
  await page.getByRole('heading', { level: 1, name: `Кодирование — свидетель ${WITNESS.code}` }).waitFor();
  await page.locator('[role="option"][aria-selected="true"]').getByText('Таскание за волосы').waitFor();
  await shot(page, 'coding-ru');
  await page.locator('.site-header .language select').selectOption('en');
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
}

async function agreementOfTwoCodersIsReported() {
  assert(state.codingObjectId, 'needs the coded object of an earlier test');
  // A second coder (the lead) codes the same text: the same sentence as baton blows.
  const page = await newPage();
  await signIn(page, LEAD);
  await openPage(page, `coding/${state.codingObjectId}`, `Coding — witness ${WITNESS.code}`);
  await page.getByRole('heading', { level: 2, name: 'Codings (3)' }).waitFor();
  await selectByScript(page, 'Мяне збілі дубінкай');
  await page.getByRole('combobox', { name: 'Find a code' }).fill('baton');
  await page.locator('[role="option"]', { hasText: 'Baton blows' }).click();
  await page.getByRole('status').getByText('Coded as “Baton blows”.').waitFor();

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Coder agreement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Coder agreement' }).waitFor();
  await page.getByLabel('Coders', { exact: true }).fill(`${ANALYST_A.username}, ${LEAD.username}`);
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await page.getByTestId('agreement-coders').getByText(new RegExp(`^(${ANALYST_A.username}, ${LEAD.username}|${LEAD.username}, ${ANALYST_A.username})$`)).waitFor();
  assert(decodeURIComponent(page.url()).includes(`#/agreement?coders=${ANALYST_A.username},${LEAD.username}`), 'the address keeps the coders');

  // Baton blows: both coded the second sentence, neither the others: kappa 1.
  const baton = page.locator('section.agreement-code[data-code="physical.baton-blows"]');
  // The pair in the server's order of coders.
  const pair = baton.locator(`tr[data-pair="${ANALYST_A.username}|${LEAD.username}"], tr[data-pair="${LEAD.username}|${ANALYST_A.username}"]`);
  await pair.waitFor();
  assert((await pair.getByTestId('kappa').getAttribute('data-value')) === '1', `kappa is 1 (${await pair.textContent()})`);
  assert((await baton.getByRole('heading', { level: 2 }).textContent()).includes('Baton blows'), 'the code is named');
  // Punches: only the analyst applied it; its disagreements are shown with their sentences.
  const punches = page.locator('section.agreement-code[data-code="physical.punches"]');
  await punches.getByRole('button', { name: /^Show the disagreements with their text/ }).click();
  const row = punches.locator('.disagreements-table tbody tr', { hasText: LAST_SENTENCE });
  await row.waitFor();
  assert((await row.locator('.coding-passage').textContent()) === LAST_SENTENCE, 'the sentence is cut at its code points');
  assert((await row.getByTestId('applied').textContent()) === ANALYST_A.username, 'applied by the analyst');
  assert((await row.getByTestId('not-applied').textContent()) === LEAD.username, 'not by the lead');
  await page.getByText('How to read these figures').click();
  await shot(page, 'agreement');
}

/** A PNG of `width` × `height` pixels in two colours (made here: no image library needed). */
function twoColourPng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const dark = x > width / 3 && x < (2 * width) / 3;
      row.set(dark ? [60, 70, 90] : [220, 225, 230], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `seconds` of a quiet tone as a 16-bit mono WAV at 8 kHz. */
function toneWav(seconds) {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return out;
}

/** Adds a document to the witness and opens its page. */
async function addDocumentAndOpenIt(page, file, kind, description) {
  await openPage(page, `witnesses/${WITNESS.code}`, `Witness ${WITNESS.code}`);
  const add = page.getByRole('region', { name: 'Add a document' });
  await add.getByLabel('File', { exact: true }).setInputFiles(file);
  await add.getByLabel('Kind', { exact: true }).selectOption(kind);
  await add.getByLabel('Description', { exact: true }).fill(description);
  await add.getByRole('button', { name: 'Add document' }).click();
  await add.getByRole('status').getByText(`${file.name} was added to the witness’s documents.`).waitFor();
  await page.locator('table.documents-table tbody tr', { hasText: description }).locator('a').first().click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`witness ${WITNESS.code}$`) }).waitFor();
}

async function imageRegionsAndRecordingTimesAreCoded() {
  const page = await analystPage();
  // A photograph: a rectangle dragged on it is coded.
  await addDocumentAndOpenIt(page, { name: 'yard.png', mimeType: 'image/png', buffer: twoColourPng(300, 200) }, 'photo', 'photo of the yard');
  await page.locator('figure.viewer').getByRole('link', { name: 'Code regions' }).click();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  const image = page.getByTestId('coding-image');
  await image.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="coding-image"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  const box = await page.getByTestId('region-overlay').boundingBox();
  assert(box && box.width > 100, `the image is shown (${JSON.stringify(box)})`);
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.6, { steps: 4 });
  await page.mouse.up();
  await page.getByTestId('region-pending').waitFor();
  await page.getByTestId('pending-passage').getByText(/^Page 1: region 25% from the left, 20% from the top, 50% wide, 40% high$/).waitFor();
  await page.getByRole('combobox', { name: 'Find a code' }).fill('stress');
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Coded as “Stress positions”.').waitFor();
  await page.locator('svg [data-annotation-id].region-selected').waitFor();
  const imageId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/coding\//, ''));
  let api = await codingObject(page, imageId);
  const region = api.json.annotations[0];
  const near = (v, want) => Math.abs(v - want) < 0.02;
  assert(region.kind === 'region' && region.page === 1 && near(region.x, 0.25) && near(region.y, 0.2) && near(region.width, 0.5) && near(region.height, 0.4),
    `the region is stored in fractions of the image (${JSON.stringify(region)})`);
  await shot(page, 'coding-image');
  // Removed after a confirmation; the record keeps its versions.
  const editor = page.getByRole('region', { name: 'Selected coding' });
  await editor.getByRole('button', { name: 'Remove coding…' }).click();
  await editor.getByRole('button', { name: 'Remove this coding' }).click();
  await page.getByRole('status').getByText('The coding was removed. Its earlier versions are kept.').waitFor();
  assert((await page.locator('svg [data-annotation-id]').count()) === 0, 'the rectangle is gone');
  api = await codingObject(page, imageId);
  assert(api.json.annotations.length === 0, 'the API lists it no more');

  // A recording: a start and an end marked on the player.
  await addDocumentAndOpenIt(page, { name: 'call.wav', mimeType: 'audio/wav', buffer: toneWav(3) }, 'audio', 'recorded phone call');
  await page.locator('figure.viewer').getByRole('link', { name: 'Code time ranges' }).click();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  const player = page.getByTestId('coding-player');
  await player.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="coding-player"]')?.readyState >= 1);
  const seek = (s) =>
    player.evaluate(
      (el, s) =>
        new Promise((resolve) => {
          el.addEventListener('seeked', () => resolve(), { once: true });
          el.currentTime = s;
        }),
      s,
    );
  await seek(0.5);
  await page.getByRole('button', { name: 'Mark start' }).click();
  await seek(1.75);
  await page.getByRole('button', { name: 'Mark end' }).click();
  await page.getByTestId('pending-passage').getByText('From 0:00.5 to 0:01.7').waitFor();
  await page.getByRole('combobox', { name: 'Find a code' }).fill('threats-to-family');
  await page.locator('[role="option"][aria-selected="true"]').click();
  await page.getByRole('status').getByText(/^Coded as “/).waitFor();
  const audioId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/coding\//, ''));
  api = await codingObject(page, audioId);
  const range = api.json.annotations[0];
  assert(range.kind === 'time' && range.begin === 500 && range.end === 1750, `the time range is stored in ms (${range.begin}..${range.end})`);
  await page.locator('svg.timeline rect.timeline-range').waitFor();
  await shot(page, 'coding-recording');
}

async function pdfPageRegionsAreCoded() {
  const page = await analystPage();
  await addDocumentAndOpenIt(page, { name: 'record.pdf', mimeType: 'application/pdf', buffer: pdfOfPages(['Detention record, page one', 'Medical note, page two']) }, 'other', 'two-page detention record');
  await page.locator('figure.viewer').getByRole('link', { name: 'Code regions' }).click();
  await page.getByRole('heading', { level: 1, name: `Coding — witness ${WITNESS.code}` }).waitFor();
  const loaded = (n) =>
    page.waitForFunction((n) => {
      const img = document.querySelector('[data-testid="coding-image"]');
      return img && img.complete && img.naturalWidth > 0 && img.getAttribute('src').endsWith(`/pages/${n}`);
    }, n);
  await page.getByTestId('pdf-page').getByText('Page 1 of 2').waitFor();
  await loaded(1);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByTestId('pdf-page').getByText('Page 2 of 2').waitFor();
  await loaded(2);
  const box = await page.getByTestId('region-overlay').boundingBox();
  assert(box && box.width > 100 && box.height > box.width, `the page is shown upright (${JSON.stringify(box)})`);
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.05);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.1, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.15, { steps: 4 });
  await page.mouse.up();
  await page.getByTestId('pending-passage').getByText(/^Page 2: region 10% from the left, 5% from the top, 60% wide, 10% high$/).waitFor();
  await page.getByRole('combobox', { name: 'Find a code' }).fill('stress');
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Coded as “Stress positions”.').waitFor();
  const pdfId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/coding\//, '').replace(/\?.*$/, ''));
  const api = await codingObject(page, pdfId);
  assert(api.json.pages === 2, `the workspace counts two pages (${api.json.pages})`);
  const region = api.json.annotations[0];
  const near = (v, want) => Math.abs(v - want) < 0.02;
  assert(region && region.kind === 'region' && region.page === 2 && near(region.x, 0.1) && near(region.width, 0.6),
    `the region is stored on page 2 (${JSON.stringify(region)})`);
  await page.getByText('Coded regions on pages: 2').waitFor();
  await shot(page, 'coding-pdf-page');
  // Followed from elsewhere (a search hit), the coding opens on its page.
  await page.goto(url(`/#/coding/${encodeURIComponent(pdfId)}?annotation=${encodeURIComponent(region.id)}`));
  await page.getByTestId('pdf-page').getByText('Page 2 of 2').waitFor();
  await loaded(2);
  await page.locator('svg [data-annotation-id].region-selected').waitFor();
  // Page 1 has no region on it.
  await page.getByRole('button', { name: 'Previous page' }).click();
  await loaded(1);
  assert((await page.locator('svg [data-annotation-id]').count()) === 0, 'page 1 shows no rectangle');
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
  // Its number in the list depends on the other passages coded so (objects sort by random id).
  await row.getByRole('checkbox', { name: new RegExp(`\\(witness ${CASE.witness}\\)$`) }).check();
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
  // The drafted reference is removed and the passage cited again where the cursor is.
  const box = perpetrators.getByLabel('Perpetrators', { exact: true });
  const withoutMarker = CASE.perpetrators.replace(' [1]', '');
  await box.fill(withoutMarker);
  await perpetrators.getByRole('button', { name: 'Remove reference 1' }).click();
  assert((await perpetrators.locator('li[data-reference]').count()) === 0, 'the reference is gone');
  await box.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await perpetrators.getByText('Cite a coded passage').click();
  const citable = perpetrators.locator(`li[data-annotation="${cases.annotationId}"]`);
  await citable.getByText(CASE.passage).waitFor();
  await citable.getByRole('button', { name: /^Cite coding \d+$/ }).click();
  assert((await box.inputValue()) === CASE.perpetrators, `the marker is written at the cursor (${await box.inputValue()})`);
  await perpetrators.locator('li[data-reference="1"]').getByText(CASE.passage).waitFor();
  await shot(page, 'summary-edit');
  await perpetrators.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').getByText('Saved as version 2.').waitFor();
  await perpetrators.getByTestId('text-perpetrators').getByText('Riot police officers (OMON)').waitFor();
  const cited = await perpetrators.getByRole('link', { name: 'Reference 1: open the passage in the coding workspace' }).getAttribute('href');
  assert(cited === `#/coding/${cases.objectId}?annotation=${cases.annotationId}`, `the new [1] links to the passage (${cited})`);

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
  ['code point offsets convert exactly, with characters outside the BMP', codePointOffsetsConvertExactly],
  ['an analyst codes a passage with a key press and sees it highlighted', analystCodesAPassageWithAKeyPress],
  ['an analyst edits a facet and is told to reload after a concurrent change', analystEditsAFacetAndIsToldOfAConcurrentChange],
  ['search finds the passage by its code and opens the workspace at it', searchFindsThePassageByCodeAndOpensTheWorkspace],
  ['image regions and recording time ranges are coded', imageRegionsAndRecordingTimesAreCoded],
  ['regions on the pages of a PDF are coded', pdfPageRegionsAreCoded],
  ['a user without a coding role is refused the workspace', aUserWithoutACodingRoleIsRefused],
  ['an administrator adds a code, edits a label and imports a CSV after a dry run', administratorEditsTheFramework],
  ['a coding says its code’s label changed since it was coded', aCodingSaysItsLabelChangedSinceCoded],
  ['the agreement of two coders is reported with the disagreeing sentences', agreementOfTwoCodersIsReported],
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
  ['a legal officer, two witnesses and their statements are set up through the API', disclosureIsSetUp],
  ['a legal officer registers a request and sees what the consent gate blocks, and why', legalOfficerRegistersARequestAndSeesWhatTheGateBlocks],
  ['a legal officer pseudonymises and reviews an item, and cannot approve their own package', legalOfficerRedactsReviewsAndCannotApproveTheirOwnPackage],
  ['the lead approves; the package is exported, downloaded and verified with age, tar, minisign and sha256sum', leadApprovesAndThePackageIsExportedAndVerifiedWithStockTools],
  ['the witness page and the disclosure log say where the testimony went, and whom to notify', theWitnessPageAndTheLogSayWhereTheTestimonyWent],
  ['an analyst of another partner sees no requests or packages', othersSeeNoRequestsOrPackages],
  ['sign-in works with the keyboard alone', signInWithKeyboardOnly],
  ['sign-in page in Belarusian', belarusianSignInPage],
  ['strict CSP and no CSP violations or page errors', strictCspAndNoViolations],
];

// ---------------------------------------------------------------------------------------------
// Runner

// ---- requests for assistance and disclosure packages ----
// Two fictional witnesses set up through the API by the lead: W-00400, whose consent covers the
// ICC, with a statement naming her and her telephone, and W-00401, who has given no consent. A
// legal officer (legal-a, added by the administrator) registers an ICC request, builds a package
// in which the gate blocks W-00401's statement with its reason, pseudonymises W-00400's and
// reviews it; the lead approves (the builder may not); the bag is exported, downloaded and
// checked with the stock tools; the witness's page and the disclosure log say where it went.

const LEGAL = {
  username: env('E2E_LEGAL', 'legal-a'),
  password: env('E2E_LEGAL_PASSWORD', 'legal officer A password e2e'),
};
const DISCLOSURE = {
  witness: 'W-00400',
  unconsented: 'W-00401',
  name: 'Fictional Witness Valiantsina',
  phone: '+370 600 11111',
  reference: 'OTP/2026/0417',
};
const disclosure = { allowed: null, blocked: null, requestId: null, packageId: null, legalPage: null };

async function disclosureIsSetUp() {
  let admin = state.adminPage;
  if (!admin || admin.isClosed()) {
    admin = await newPage();
    await signIn(admin, ADMIN);
  }
  await apiCall(admin, 'POST', '/api/v1/users', {
    username: LEGAL.username,
    organisation: 'Partner A',
    password: LEGAL.password,
    roles: ['legal-officer'],
  });
  const lead = await signedInPage('leadPage', LEAD);
  const witness = (code, personal) =>
    apiCall(lead, 'POST', '/api/v1/witnesses', {
      code,
      gender: 'female',
      age_band: '30-44',
      country: 'BY',
      languages: ['en'],
      vulnerabilities: [],
      do_not_contact: false,
      ...(personal ? { personal } : {}),
    });
  await witness(DISCLOSURE.witness, { name: DISCLOSURE.name, contacts: `Signal ${DISCLOSURE.phone}` });
  await apiCall(lead, 'POST', `/api/v1/witnesses/${DISCLOSURE.witness}/consents`, {
    given_on: '2026-01-10',
    taken_by: 'intake officer K.',
    scopes: ['internal-analysis', 'share-icc'],
  });
  await witness(DISCLOSURE.unconsented);
  const statement = `My name is ${DISCLOSURE.name}; call me on ${DISCLOSURE.phone}. In August 2020 the riot police beat us in the yard of the detention centre.`;
  disclosure.allowed = (await apiCall(lead, 'POST', `/api/v1/objects?domain=${DISCLOSURE.witness}&sensitivity=normal`, statement)).id;
  disclosure.blocked = (await apiCall(lead, 'POST', `/api/v1/objects?domain=${DISCLOSURE.unconsented}&sensitivity=normal`, 'A fictional statement without consent.')).id;
  await apiCall(lead, 'POST', `/api/v1/witnesses/${DISCLOSURE.witness}/documents`, { object_id: disclosure.allowed, kind: 'other' });
}

async function legalOfficerRegistersARequestAndSeesWhatTheGateBlocks() {
  assert(disclosure.allowed, 'needs the set-up');
  const page = await newPage();
  await signIn(page, LEGAL);
  disclosure.legalPage = page;
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Requests', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Requests for assistance' }).waitFor();
  await page.getByText('No requests registered yet.').waitFor();
  const form = page.getByRole('region', { name: 'Register a request' });
  await form.getByRole('button', { name: 'Register request' }).click();
  await form.getByRole('alert').getByText('Choose who asks.').waitFor();
  await form.getByLabel('Requester', { exact: true }).selectOption('icc-otp');
  await form.getByLabel('State or body', { exact: true }).fill('ICC Office of the Prosecutor');
  await form.getByLabel('Their reference', { exact: true }).fill(DISCLOSURE.reference);
  await form.getByLabel('Deadline', { exact: true }).fill('2026-12-31');
  await form.getByLabel('What is asked for, in the request’s words', { exact: true }).fill('Accounts of ill-treatment at the detention centre in August 2020.');
  await form.getByLabel('Periods (YYYY-MM-DD..YYYY-MM-DD)', { exact: true }).fill('2020-08-09..2020-08-31');
  await form.getByRole('button', { name: 'Register request' }).click();
  const heading = page.getByRole('heading', { level: 1, name: /^Request RQ-\d{4}-\d{4}$/ });
  await heading.waitFor();
  disclosure.requestId = (await heading.textContent()).replace('Request ', '');
  await page.getByTestId('request-status').getByText('Received').waitFor();
  await page.getByRole('button', { name: 'Change status' }).click();
  await page.getByRole('status').getByText('The request is now “Scoping” (version 2).').waitFor();
  // The letter of request is kept with it, and comes back as it was sent.
  const letters = page.getByRole('region', { name: 'Correspondence' });
  await letters.locator('summary', { hasText: 'Add a letter' }).click();
  const letterText = `Letter of request ${DISCLOSURE.reference} (fictional).`;
  await letters.getByLabel('File', { exact: true }).setInputFiles({ name: 'letter.txt', mimeType: 'text/plain', buffer: Buffer.from(letterText) });
  await letters.getByLabel('What it is', { exact: true }).fill('letter of request');
  await letters.getByRole('button', { name: 'Add a letter' }).click();
  await letters.getByRole('status').getByText('The letter was added (version 3).').waitFor();
  const letterHref = await letters.locator('li[data-letter]').getByRole('link', { name: 'Download' }).getAttribute('href');
  const back = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), letterHref);
  assert(back === letterText, `the letter comes back as sent (${back})`);

  // The items: the witness's documents from a source, and another object by its id.
  const build = page.getByRole('region', { name: 'Build a package' });
  await build.getByLabel('Source', { exact: true }).selectOption('witness');
  await build.getByLabel('Code, id or query', { exact: true }).fill(DISCLOSURE.witness);
  await build.getByRole('button', { name: 'Add from source' }).click();
  await build.getByRole('status').getByText('1 items added.').waitFor();
  await build.locator(`table.candidates-table tr[data-object="${disclosure.allowed}"]`).getByText(`Document from ${DISCLOSURE.witness}`).waitFor();
  await build.getByLabel('Object ids (one a line, optionally followed by a folder)').fill(disclosure.blocked);
  await build.getByRole('button', { name: 'Add objects' }).click();
  await build.locator(`table.candidates-table tr[data-object="${disclosure.blocked}"]`).waitFor();
  await build.getByRole('button', { name: 'Build package' }).click();
  await page.getByRole('heading', { level: 1, name: /^Package EVH-\d{4}-\d{4}$/ }).waitFor();
  disclosure.packageId = decodeURIComponent(new URL(page.url()).hash.replace('#/packages/', ''));
  await page.getByTestId('gate-summary').getByText('1 of 2 items pass the consent gate; 1 blocked.').waitFor();
  const blocked = await page.getByTestId('gate-2').textContent();
  assert(blocked.startsWith(`Blocked: ${DISCLOSURE.unconsented}`), `the gate says why, in its words (${blocked})`);
  await page.getByTestId('consent-to-renew').getByText(`Consent to renew: ${DISCLOSURE.unconsented}`).waitFor();
  await page.getByTestId('gate-1').getByText('Allowed (consent v1)').waitFor();
  await shot(page, 'package-gate');
  // A package with a blocked item cannot go to review.
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('region', { name: 'Review and approval' }).getByRole('alert').waitFor();
  await page.getByTestId('package-state').getByText('Draft').waitFor();
}

async function legalOfficerRedactsReviewsAndCannotApproveTheirOwnPackage() {
  assert(disclosure.packageId, 'needs the package of the test before');
  const page = disclosure.legalPage;
  await page.getByText('Change the items').click();
  await page.getByLabel('Items', { exact: true }).fill(disclosure.allowed);
  await page.getByRole('button', { name: 'Save items' }).click();
  await page.getByRole('status').getByText(/^Saved as version \d+; every item passed the gate again\.$/).waitFor();
  await page.getByTestId('gate-summary').getByText('1 of 1 items pass the consent gate; 0 blocked.').waitFor();
  // The form for one item checks its boxes before sending them.
  await page.getByRole('button', { name: 'Redact item 1' }).click();
  await page.getByLabel('Boxes', { exact: true }).fill('1,0.1,0.2');
  await page.getByRole('button', { name: 'Redact', exact: true }).click();
  await page.getByRole('alert').getByText('Line 1: write page,x,y,width,height, fractions of the page.').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  // Every text at once, as for a package of hundreds of statements.
  await page.getByRole('button', { name: 'Redact every text' }).click();
  await page.getByRole('status').getByText('1 texts redacted in one version. Read the redacted copies, then confirm the reviews.').waitFor();
  // The redacted copy holds neither the name nor the telephone.
  const row = page.locator(`tr[data-object="${disclosure.allowed}"]`);
  const href = await row.getByRole('link', { name: 'Redacted copy' }).getAttribute('href');
  const copy = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), href);
  assert(!copy.includes(DISCLOSURE.name) && !copy.includes(DISCLOSURE.phone) && copy.includes('riot police'), `the copy is pseudonymised (${copy})`);
  await page.getByRole('button', { name: 'Confirm the review of item 1' }).click();
  await page.getByRole('status').getByText('The redaction of item 1 is reviewed.').waitFor();
  await row.getByText(`reviewed by ${LEGAL.username}`).waitFor();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('status').getByText(/^Submitted for review \(version \d+\)\.$/).waitFor();
  await page.getByTestId('package-state').getByText('In review').waitFor();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('region', { name: 'Review and approval' }).getByRole('alert').waitFor();
  await page.getByTestId('package-state').getByText('In review').waitFor();
  await shot(page, 'package-self-approval-refused');
}

async function leadApprovesAndThePackageIsExportedAndVerifiedWithStockTools() {
  assert(disclosure.packageId, 'needs the package of the tests before');
  const lead = await signedInPage('leadPage', LEAD);
  await openPage(lead, `packages/${disclosure.packageId}`, /^Package EVH-/);
  await lead.getByRole('button', { name: 'Approve' }).click();
  await lead.getByRole('status').getByText(/^Approved by you \(version \d+\)\.$/).waitFor();
  await lead.getByTestId('package-state').getByText('Approved').waitFor();

  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evhub-e2e-bag-'));
  try {
    const key = path.join(dir, 'recipient.key');
    execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
    const page = disclosure.legalPage;
    await page.reload();
    const exportPanel = page.getByRole('region', { name: 'Export' });
    await exportPanel.getByLabel('Recipient’s age public keys (age1…, one a line)').fill('not-a-key');
    await exportPanel.getByRole('button', { name: 'Export package' }).click();
    await exportPanel.getByRole('alert').getByText('Give the recipient’s age public key (it starts with age1).').waitFor();
    await exportPanel.getByLabel('Recipient’s age public keys (age1…, one a line)').fill(recipient);
    await exportPanel.getByRole('button', { name: 'Export package' }).click();
    await exportPanel.getByRole('status').getByText(/\.tar\.age is ready: \d+ files, Payload-Oxum \d+\.\d+\./).waitFor();
    await page.getByTestId('package-state').getByText('Exported').waitFor();
    await shot(page, 'package-exported');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('package-download').click()]);
    const file = path.join(dir, 'package.tar.age');
    await download.saveAs(file);
    // The recipient, with stock Debian tools only.
    execFileSync('age', ['-d', '-i', key, '-o', path.join(dir, 'package.tar'), file]);
    execFileSync('tar', ['-xf', path.join(dir, 'package.tar'), '-C', dir]);
    const bag = readdirSync(dir).find((n) => /^EVH-\d{4}-\d{4}$/.test(n));
    assert(bag, `the tar holds the bag (${readdirSync(dir).join(', ')})`);
    const at = path.join(dir, bag);
    execFileSync('minisign', ['-Vm', 'tagmanifest-sha256.txt', '-p', 'hub.pub', '-x', 'tagmanifest-sha256.txt.minisig'], { cwd: at, stdio: 'ignore' });
    execFileSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: at });
    execFileSync('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt'], { cwd: at });
    const leaked = (() => {
      try {
        return execFileSync('grep', ['-rl', DISCLOSURE.name, at], { encoding: 'utf8' });
      } catch {
        return '';
      }
    })();
    assert(leaked === '', `the witness's name is nowhere in the bag (${leaked})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function theWitnessPageAndTheLogSayWhereTheTestimonyWent() {
  assert(disclosure.requestId, 'needs the exported package');
  const page = disclosure.legalPage;
  await openPage(page, `witnesses/${DISCLOSURE.witness}`, `Witness ${DISCLOSURE.witness}`);
  const history = page.getByRole('region', { name: 'Where this testimony has gone' });
  await history.locator(`tr[data-object="${disclosure.allowed}"]`).getByText(DISCLOSURE.reference).waitFor();
  await history.getByTestId('holders').locator(`li[data-request="${disclosure.requestId}"]`).waitFor();
  // The witness withdraws consent: the page says to notify those who hold her testimony.
  const lead = await signedInPage('leadPage', LEAD);
  await apiCall(lead, 'POST', `/api/v1/witnesses/${DISCLOSURE.witness}/consents`, {
    given_on: '2026-01-10',
    taken_by: 'intake officer K.',
    scopes: ['internal-analysis', 'share-icc'],
    withdrawn_on: '2026-11-01',
  });
  await page.reload();
  await history.getByRole('alert').getByText(/has withdrawn consent: notify the recipients below/).waitFor();
  await shot(page, 'witness-disclosures');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Disclosure log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Disclosure log' }).waitFor();
  const row = page.locator(`table.disclosures-table tr[data-object="${disclosure.allowed}"]`);
  await row.getByText('ICC Office of the Prosecutor').first().waitFor();
  assert((await row.textContent()).includes('v1'), 'the consent version that permitted it is logged');
}

async function othersSeeNoRequestsOrPackages() {
  assert(disclosure.packageId, 'needs the package');
  const page = await newPage();
  await signIn(page, ANALYST_B);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  assert((await nav.getByRole('link', { name: 'Requests', exact: true }).count()) === 0, 'no Requests link for an analyst');
  await openPage(page, 'requests', 'Requests for assistance');
  await page.getByRole('alert').getByText(/do not have the rights/).waitFor();
  await openPage(page, `packages/${disclosure.packageId}`, /^Package /);
  await page.getByRole('alert').waitFor();
  const r = await page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/packages/${id}`, { credentials: 'same-origin' });
    return { status: res.status, body: await res.text() };
  }, disclosure.packageId);
  assert(r.status === 403 && !r.body.includes(DISCLOSURE.witness), `the API refuses with no data (${r.status})`);
}

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
  // E2E_ONLY (a regular expression) runs only the tests whose names match, for working on some;
  // they must not need what the others make.
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const [name, fn] of tests) {
    if (only && !only.test(name)) continue;
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
