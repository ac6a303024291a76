// Web apps in a real browser against Userpool, each from an origin of its
// own (APP_URL, another loopback port than the server's), so every call
// is a cross-origin request that needs the server's CORS answers:
//
//   - the Amplify v6 app (app/amplify-app.js, bundled by build-app.mjs):
//     signUp, confirmSignUp with the e-mailed code, signIn (SRP),
//     fetchAuthSession with forceRefresh, fetchUserAttributes,
//     signOut({ global: true }), after which the old access token is
//     refused;
//   - the same app signing in again with an e-mailed one-time code
//     (signIn with authFlowType USER_AUTH, preferredChallenge EMAIL_OTP,
//     then confirmSignIn with the code), and refreshing;
//   - the same app, from http://localhost (the passkeys' relying party),
//     with a Chrome DevTools virtual authenticator: a password sign-in,
//     associateWebAuthnCredential, a sign-out, a sign-in with the passkey
//     (USER_AUTH, WEB_AUTHN), and a refresh;
//   - a single-page OIDC client (app/spa.js, plain fetch): code + PKCE on
//     the hosted pages, then /oauth2/token and /oauth2/userInfo from the
//     page;
//   - the hosted sign-up (from /login's "Sign up" link to the callback)
//     and password reset ("Forgot your password?" to a sign-in with the
//     new password and the callback).
//
// The codes come from the development outbox (GET /_dev/messages), so
// this script runs only against a --dev server: TestBrowserApps starts
// one, builds and serves the apps, and redeems the hosted journeys'
// codes, which this script writes to RESULT_FILE. A --dev server logs
// the codes it sends, by design, so they are not recorded as secrets.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env, launch, recordSecret, waitForCallback } from './chromium.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const appURL = env('APP_URL');
const poolId = env('POOL_ID');
const clientId = env('CLIENT_ID');
const callback = env('CALLBACK_URL');
const screenshots = env('SCREENSHOT_DIR');
const amplifyUser = env('AMPLIFY_USERNAME');
const hostedUser = env('HOSTED_USERNAME');
const password = env('APP_PASSWORD');
const newPassword = env('APP_NEW_PASSWORD');

function step(msg) {
  console.log(`- ${msg}`);
}

const emailOf = (username) => `${username}@example.com`;

// newestCode returns the newest code sent to username, after waiting for
// the outbox to hold more than `since` of their messages.
async function newestCode(username, since = 0) {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${endpoint}/_dev/messages`);
    assert.equal(res.status, 200, 'GET /_dev/messages: is the server running with --dev?');
    const sent = (await res.json()).filter((m) => m.poolId === poolId && m.username === username);
    if (sent.length > since) {
      const m = sent.at(-1);
      assert.equal(m.destination, emailOf(username));
      return { code: m.code, count: sent.length };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code for ${username}`);
}

// withBrowser runs fn with a fresh browser profile, and fails on anything
// the pages logged as an error (a refused CORS request shows up there)
// but the errors fn expects, which it returns.
async function withBrowser(fn) {
  const b = await launch();
  try {
    const expected = (await fn(b.page, b.context)) ?? [];
    assert.deepEqual(b.problems, expected, 'the pages logged errors');
  } finally {
    await b.close();
  }
}

const result = {};

await withBrowser(async (page) => {
  step('the Amplify app loads from its own origin');
  await page.goto(`${appURL}/amplify.html`);
  await page.getByText('ready').waitFor();
  assert.notEqual(new URL(page.url()).origin, new URL(endpoint).origin);
  const app = (fn, ...args) => page.evaluate(([fn, args]) => window.app[fn](...args), [fn, args]);
  await app('configure', poolId, clientId, endpoint);

  step('signUp, then confirmSignUp with the e-mailed code');
  const up = await app('signUp', amplifyUser, password, emailOf(amplifyUser));
  assert.equal(up.isSignUpComplete, false);
  assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(up.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const { code } = await newestCode(amplifyUser);
  const confirmed = await app('confirmSignUp', amplifyUser, code);
  assert.equal(confirmed.isSignUpComplete, true);

  step('signIn with SRP');
  const calls = [];
  page.on('request', (r) => {
    if (r.url().startsWith(endpoint)) {
      calls.push(`${r.method()} ${r.headers()['x-amz-target'] ?? ''}`);
    }
  });
  const signedIn = await app('signIn', amplifyUser, password);
  assert.equal(signedIn.isSignedIn, true, JSON.stringify(signedIn));
  assert.ok(calls.includes('POST AWSCognitoIdentityProviderService.InitiateAuth'), calls.join(', '));
  assert.ok(calls.includes('POST AWSCognitoIdentityProviderService.RespondToAuthChallenge'), calls.join(', '));

  step('fetchAuthSession, then with forceRefresh');
  const first = await app('session', false);
  assert.ok(first.access && first.id, 'no tokens');
  recordSecret(first.access);
  const refreshed = await app('session', true);
  recordSecret(refreshed.access);
  assert.ok(refreshed.access && refreshed.access !== first.access, 'forceRefresh brought no new access token');
  const payload = JSON.parse(Buffer.from(refreshed.access.split('.')[1], 'base64url'));
  assert.equal(payload.client_id, clientId);

  step('fetchUserAttributes');
  const attrs = await app('fetchUserAttributes');
  assert.equal(attrs.email, emailOf(amplifyUser));
  assert.equal(attrs.email_verified, 'true');

  step('signOut({ global: true }) revokes the access token');
  await app('signOut');
  const after = await app('getUser', refreshed.access);
  assert.equal(after.status, 400);
  assert.equal(after.body.__type, 'NotAuthorizedException');
  assert.equal(after.errorType, 'NotAuthorizedException:', 'the page cannot read x-amzn-ErrorType');
  assert.equal(after.body.message, 'Access Token has been revoked');
  // The browser logs the refusal itself.
  return [`Failed to load resource: the server responded with a status of 400 (Bad Request) (${endpoint}/)`];
});

await withBrowser(async (page) => {
  step('the Amplify app signs in with an e-mailed one-time code (USER_AUTH)');
  await page.goto(`${appURL}/amplify.html`);
  await page.getByText('ready').waitFor();
  const app = (fn, ...args) => page.evaluate(([fn, args]) => window.app[fn](...args), [fn, args]);
  await app('configure', poolId, clientId, endpoint);
  const { count } = await newestCode(amplifyUser);
  const started = await app('signInWithEmailCode', amplifyUser);
  assert.equal(started.isSignedIn, false);
  assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', JSON.stringify(started));
  assert.equal(started.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const { code } = await newestCode(amplifyUser, count);
  const done = await app('confirmSignIn', code);
  assert.equal(done.isSignedIn, true, JSON.stringify(done));
  const first = await app('session', false);
  recordSecret(first.access);
  const refreshed = await app('session', true);
  recordSecret(refreshed.access);
  assert.ok(refreshed.access && refreshed.access !== first.access, 'forceRefresh brought no new access token');
  const attrs = await app('fetchUserAttributes');
  assert.equal(attrs.email, emailOf(amplifyUser));
});

await withBrowser(async (page, context) => {
  step('the Amplify app registers a passkey in a virtual authenticator, and signs in with it');
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  const local = new URL(appURL);
  local.hostname = 'localhost';
  await page.goto(`${local.origin}/amplify.html`);
  await page.getByText('ready').waitFor();
  const app = (fn, ...args) => page.evaluate(([fn, args]) => window.app[fn](...args), [fn, args]);
  await app('configure', poolId, clientId, endpoint);
  const signedIn = await app('signIn', amplifyUser, password);
  assert.equal(signedIn.isSignedIn, true, JSON.stringify(signedIn));
  const passkeys = await app('associatePasskey');
  assert.equal(passkeys.length, 1, JSON.stringify(passkeys));
  assert.equal(passkeys[0].rp, 'localhost');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'the passkey is not in the authenticator');
  await app('signOutHere');
  const withPasskey = await app('signInWithPasskey', amplifyUser);
  assert.equal(withPasskey.isSignedIn, true, JSON.stringify(withPasskey));
  const first = await app('session', false);
  recordSecret(first.access);
  const refreshed = await app('session', true);
  recordSecret(refreshed.access);
  assert.ok(refreshed.access && refreshed.access !== first.access, 'forceRefresh brought no new access token');
});

await withBrowser(async (page) => {
  step('the OIDC single-page app signs in on the hosted pages');
  await page.goto(`${appURL}/spa.html?${new URLSearchParams({ endpoint, client_id: clientId })}`);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByLabel('Username').fill(amplifyUser);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${appURL}/spa.html?`));
  await page.getByText('signed in').waitFor();
  const got = JSON.parse(await page.locator('#result').textContent());
  assert.equal(got.userInfo.email, emailOf(amplifyUser));
  assert.equal(got.userInfo.username, amplifyUser);
  assert.deepEqual(got.tokenTypes, ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
});

await withBrowser(async (page) => {
  step('hosted sign-up: from the login page to the callback');
  await page.goto(env('AUTHORIZE_URL_SIGNUP'));
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Sign up' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/signup');
  await page.getByLabel('Username').fill(hostedUser);
  await page.getByLabel('Email address').fill(emailOf(hostedUser));
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.screenshot({ path: join(screenshots, 'hosted-signup.png') });
  await page.getByRole('button', { name: 'Sign up' }).click();
  assert.equal((await page.getByRole('alert').textContent()).trim(), 'Password did not conform with policy: Password not long enough');
  assert.equal(await page.getByLabel('Email address').inputValue(), emailOf(hostedUser), 'the e-mail address was not kept');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();

  await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/confirmUser');
  assert.equal(await page.getByLabel('Username').inputValue(), hostedUser);
  const first = await newestCode(hostedUser);
  await page.getByRole('button', { name: 'Resend code' }).click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').textContent(), /^We sent a new code by email to \S+\.$/);
  const { code } = await newestCode(hostedUser, first.count);
  await page.getByLabel('Code').fill(first.code === code ? '000000' : first.code);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  assert.equal((await page.getByRole('alert').textContent()).trim(), 'Invalid verification code provided, please try again.');
  await page.screenshot({ path: join(screenshots, 'hosted-confirm.png') });
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  result.signUp = await waitForCallback(page, callback);
});

await withBrowser(async (page) => {
  step('hosted password reset: from the login page to a sign-in with the new password');
  await page.goto(env('AUTHORIZE_URL_FORGOT'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
  await page.getByLabel('Username').fill(amplifyUser);
  await page.screenshot({ path: join(screenshots, 'hosted-forgot-password.png') });
  const before = await newestCode(amplifyUser);
  await page.getByRole('button', { name: 'Reset my password' }).click();
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/confirmForgotPassword');
  const { code } = await newestCode(amplifyUser, before.count);
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Enter the new password again').fill(newPassword + 'x');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.equal((await page.getByRole('alert').textContent()).trim(), 'The passwords do not match.');
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Enter the new password again').fill(newPassword);
  await page.screenshot({ path: join(screenshots, 'hosted-reset-password.png') });
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal((await page.getByRole('status').textContent()).trim(), 'Your password has been reset. Sign in with your new password.');
  assert.equal(await page.getByLabel('Username').inputValue(), amplifyUser);
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  result.forgot = await waitForCallback(page, callback);
});

await writeFile(env('RESULT_FILE'), JSON.stringify(result));
console.log('ok');
