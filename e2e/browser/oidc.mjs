// openid-client, knowing only the issuer URL, signs a user in through the
// hosted page in a real browser: discovery, an authorization URL with PKCE,
// state and nonce, the code exchange with ID-token validation, userInfo, a
// refresh, and the end-session URL with Cognito's logout_uri.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { env, launch, waitForCallback } from './chromium.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const poolId = env('POOL_ID');
const clientId = env('CLIENT_ID');
const callback = env('CALLBACK_URL');
const signedOut = env('SIGNED_OUT_URL');
const username = env('OIDC_USERNAME');
const password = env('OIDC_PASSWORD');
const email = env('OIDC_EMAIL');

function step(msg) {
  console.log(`- ${msg}`);
}

step('discovery');
const issuer = new URL(`${endpoint}/${poolId}`);
// The server runs on plain http on the loopback in tests.
const config = await client.discovery(issuer, clientId, undefined, client.None(), {
  execute: [client.allowInsecureRequests],
});
const meta = config.serverMetadata();
assert.equal(meta.issuer, issuer.href);
assert.equal(meta.authorization_endpoint, `${endpoint}/oauth2/authorize`);
assert.ok(meta.code_challenge_methods_supported.includes('S256'));

step('authorization URL');
const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: callback,
  scope: 'openid email profile',
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});
assert.equal(url.origin + url.pathname, `${endpoint}/oauth2/authorize`);

const { page, problems, close } = await launch();
try {
  step('sign-in on the hosted page');
  await page.goto(url.href);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const back = new URL(await waitForCallback(page, callback));

  step('code exchange');
  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.ok(tokens.refresh_token, 'no refresh token from the code grant');
  const claims = tokens.claims();
  assert.equal(claims.iss, issuer.href);
  assert.equal(claims.aud, clientId);
  assert.equal(claims['cognito:username'], username);
  assert.equal(claims.email, email);

  step('userInfo');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, email);
  assert.equal(info.username, username);

  step('refresh');
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token && refreshed.access_token !== tokens.access_token);

  step('end session');
  const logout = client.buildEndSessionUrl(config, { logout_uri: signedOut });
  assert.equal(logout.origin + logout.pathname, `${endpoint}/logout`);
  await page.goto(logout.href);
  await page.waitForURL((u) => u.href === signedOut);

  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
console.log('openid-client: all steps passed');
