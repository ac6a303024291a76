// MFA set-up on the hosted page in a real browser, in a pool that requires
// MFA and offers an authenticator app and e-mail codes, for users who have
// neither factor nor an e-mail address. One user chooses Email, gives an
// address, types a wrong code and then the one mailed there, and is sent
// back to the client; in a fresh browser their next sign-in asks for an
// e-mail code straight away. Another chooses the authenticator app, gets
// its key, and signs in with a code computed from it. The codes are read
// from the development outbox (GET /_dev/messages), so this script runs
// only against a --dev server: TestBrowserHostedMFASetup starts one. The
// Go test builds the authorize URLs, serves the callback and redeems the
// codes; this script drives the browsers, checks what the user sees, and
// writes the callback URLs to RESULT_FILE.
//
// The e-mailed codes are not recorded as secrets: a --dev server logs
// every message it sends, codes included, by design.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { env, launch, recordSecret, waitForCallback } from './chromium.mjs';
import { totp } from '../totp.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const callback = env('CALLBACK_URL');
const poolId = env('POOL_ID');
const password = env('MFA_PASSWORD');
const emailUser = env('MFA_EMAIL_USERNAME');
const address = env('MFA_EMAIL_ADDRESS');
const totpUser = env('MFA_TOTP_USERNAME');
// How Cognito masks an address at example.com in CODE_DELIVERY_DESTINATION.
const masked = `${address[0]}***@e***`;

function step(msg) {
  console.log(`- ${msg}`);
}

// outbox lists the messages the server has sent, oldest first.
async function outbox() {
  const res = await fetch(`${endpoint}/_dev/messages`);
  assert.equal(res.status, 200, 'GET /_dev/messages: is the server running with --dev?');
  return res.json();
}

// sentSince returns the messages to username since the outbox held
// `since` messages.
async function sentSince(username, since) {
  return (await outbox()).slice(since).filter((m) => m.poolId === poolId && m.username === username);
}

// codeSince returns the one sign-in code mailed to username since the
// outbox held `since` messages, checking where it went.
async function codeSince(username, since) {
  const sent = await sentSince(username, since);
  assert.equal(sent.length, 1, `one message to ${username}, got ${JSON.stringify(sent.map((m) => m.purpose))}`);
  const [m] = sent;
  assert.deepEqual([m.destination, m.deliveryMedium, m.purpose], [address, 'EMAIL', 'Authentication']);
  assert.match(m.code, /^\d{6}$/);
  assert.ok(m.body.includes(m.code), 'the message carries its code');
  return m.code;
}

// otherCode is a six-digit code that is not `code`.
function otherCode(code) {
  return code === '000000' ? '111111' : '000000';
}

// signIn follows an authorize URL to the login page and submits the
// user's password.
async function signIn(page, authorizeURL, username) {
  await page.goto(authorizeURL);
  const login = new URL(page.url());
  assert.equal(login.origin + login.pathname, `${endpoint}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// mfaForm checks the MFA form on the page (its heading, its hidden
// challenge) and records its sealed session, which carries the sign-in.
async function mfaForm(page, heading, challenge) {
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  assert.equal(await page.title(), heading);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.locator('input[name=challenge]').inputValue(), challenge);
  recordSecret(await page.locator('input[name=mfa_session]').inputValue());
}

async function lead(page) {
  return (await page.locator('p.lead').first().textContent()).trim();
}

// choices are the labels of the choice page's buttons and the factors
// they send.
async function choices(page) {
  return page.locator('form button[name=answer]').evaluateAll((bs) => bs.map((b) => [b.textContent.trim(), b.value]));
}

async function focused(page) {
  return page.evaluate(() => document.activeElement?.id);
}

// sessionCookie returns the hosted session's cookie, recorded as a
// secret: it signs its bearer in.
async function sessionCookie(context) {
  const c = (await context.cookies(endpoint)).find((c) => c.name === 'cognito');
  assert.ok(c, 'no hosted session cookie');
  recordSecret(c.value);
  return c;
}

const result = {};

// Each sign-in has a browser of its own, as on different machines (the
// e-mail user's second one has none of the first one's cookies); the two
// users' runs go side by side to keep the run short.
async function emailSetUp(b) {
  step('email: the sign-in asks to set up MFA, offering both factors');
  await signIn(b.page, env('AUTHORIZE_URL_EMAIL_SETUP'), emailUser);
  await mfaForm(b.page, 'Set up multi-factor authentication', 'MFA_SETUP:choose');
  assert.deepEqual(await choices(b.page), [['Authenticator app', 'SOFTWARE_TOKEN_MFA'], ['Email', 'EMAIL_OTP']]);
  assert.equal(await b.page.getByRole('textbox').count(), 0, 'the choice page asks for text');

  step('email: choosing Email asks for an address and sends nothing yet');
  const since = (await outbox()).length;
  await b.page.getByRole('button', { name: 'Email', exact: true }).click();
  await mfaForm(b.page, 'Set up email codes', 'MFA_SETUP:email');
  const input = b.page.getByLabel('Email address');
  assert.equal(await input.getAttribute('id'), 'email');
  assert.equal(await input.getAttribute('type'), 'email');
  assert.equal(await focused(b.page), 'email', 'the address field has no focus');
  assert.deepEqual(await sentSince(emailUser, since), [], 'a message went out before the address was given');

  step('email: the address gets a code, and the page says where it went');
  await b.page.keyboard.type(address);
  await b.page.keyboard.press('Enter');
  await mfaForm(b.page, 'Enter your code', 'EMAIL_OTP');
  assert.equal(await lead(b.page), `We sent a code by email to ${masked}.`);
  assert.equal(await focused(b.page), 'code', 'the code field has no focus');
  const code = await codeSince(emailUser, since);

  step('email: a wrong code is refused and the form stays');
  await b.page.getByLabel('Code', { exact: true }).fill(otherCode(code));
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  const alert = b.page.getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), 'Invalid code or auth state for the user.');
  await mfaForm(b.page, 'Enter your code', 'EMAIL_OTP');
  assert.equal(await lead(b.page), `We sent a code by email to ${masked}.`);
  assert.equal(await b.page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal((await sentSince(emailUser, since)).length, 1, 'a wrong code sent another message');

  step('email: the right code goes back to the client with a session');
  await b.page.getByLabel('Code', { exact: true }).fill(code);
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  result.emailSetup = await waitForCallback(b.page, callback);
  await sessionCookie(b.context);
  assert.deepEqual(b.problems, [], 'the pages logged errors');
  return code;
}

async function emailAgain(b, setupCode) {
  step('email again: a fresh browser asks for an e-mail code at once');
  const since = (await outbox()).length;
  await signIn(b.page, env('AUTHORIZE_URL_EMAIL_AGAIN'), emailUser);
  await mfaForm(b.page, 'Enter your code', 'EMAIL_OTP');
  assert.equal(await lead(b.page), `We sent a code by email to ${masked}.`);
  const code = await codeSince(emailUser, since);
  if (code !== setupCode) {
    step('email again: the set-up code is used up');
    await b.page.getByLabel('Code', { exact: true }).fill(setupCode);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('alert').waitFor();
    assert.equal((await b.page.getByRole('alert').textContent()).trim(), 'Invalid code or auth state for the user.');
  }
  await b.page.getByLabel('Code', { exact: true }).fill(code);
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  result.emailAgain = await waitForCallback(b.page, callback);
  await sessionCookie(b.context);
  assert.deepEqual(b.problems, [], 'the pages logged errors');
}

async function totpSetUp(b) {
  step('totp: choosing the authenticator app shows its key');
  const since = (await outbox()).length;
  await signIn(b.page, env('AUTHORIZE_URL_TOTP'), totpUser);
  await mfaForm(b.page, 'Set up multi-factor authentication', 'MFA_SETUP:choose');
  await b.page.getByRole('button', { name: 'Authenticator app' }).click();
  await mfaForm(b.page, 'Set up an authenticator app', 'MFA_SETUP');
  const key = recordSecret((await b.page.locator('#secret-code').textContent()).trim());
  assert.match(key, /^[A-Z2-7]{16,}$/, 'the key is not base32');
  assert.equal(await b.page.locator('input[name=secret_code]').inputValue(), key);
  assert.equal(await focused(b.page), 'code', 'the code field has no focus');

  step('totp: a code from the key goes back to the client');
  await b.page.getByLabel('Code from the app').fill(totp(key));
  await b.page.getByRole('button', { name: 'Verify and sign in' }).click();
  result.totp = await waitForCallback(b.page, callback);
  await sessionCookie(b.context);
  assert.deepEqual(await sentSince(totpUser, since), [], 'the authenticator set-up sent a message');
  assert.deepEqual(b.problems, [], 'the pages logged errors');
}

// Every browser that started is closed, whatever fails. allSettled, not
// all: a failure in one user's run lets the other finish first.
const opened = [];
async function browser() {
  const b = await launch();
  opened.push(b);
  return b;
}
let failed;
try {
  const runs = [
    browser().then(emailSetUp).then(async (code) => emailAgain(await browser(), code)),
    browser().then(totpSetUp),
  ];
  failed = (await Promise.allSettled(runs)).filter((r) => r.status === 'rejected');
} finally {
  await Promise.all(opened.map((b) => b.close()));
}
if (failed.length > 0) {
  for (const f of failed.slice(1)) {
    console.error(f.reason);
  }
  throw failed[0].reason;
}
await writeFile(env('RESULT_FILE'), JSON.stringify(result));
console.log('hosted MFA set-up: all steps passed');
