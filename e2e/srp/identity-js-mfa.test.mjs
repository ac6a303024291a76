// amazon-cognito-identity-js with TOTP: in a pool where MFA is optional and
// authenticator apps are enabled, a user signed in with SRP adds an
// authenticator (associateSoftwareToken, verifySoftwareToken) and prefers
// it (setUserMfaPreference); the next authenticateUser stops at
// totpRequired, sendMFACode answers SOFTWARE_TOKEN_MFA, and the session it
// gives refreshes. The pool is created here with admin calls the file
// signs itself (this folder's dependencies are the two libraries only), so
// the Go side needs no MFA-specific set-up. Codes are computed with node's
// crypto (RFC 6238) from the secret the server hands out.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { authenticate, memoryStorage, recordSession, refresh } from './identity-js-helpers.mjs';
import { callsSince, calls, claims, endpoint, password, recordSecret, requireEnv } from './helpers.mjs';
import { admin, mfaPool, totp } from './mfa-helpers.mjs';

test('amazon-cognito-identity-js: TOTP set up after SRP sign-in, then SOFTWARE_TOKEN_MFA', async () => {
  const p = await mfaPool('identity-js-mfa');
  const storage = memoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: p.userPoolId, ClientId: p.clientId, endpoint, Storage: storage });
  let cognitoUser = new CognitoUser({ Username: p.username, Pool: pool, Storage: storage });

  let i = calls.length;
  const first = await authenticate(cognitoUser, p.username, password);
  assert.ok(first.session, 'no authenticator yet: tokens straight away');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);

  const secret = recordSecret(await new Promise((resolve, reject) => {
    cognitoUser.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject });
  }));
  assert.match(secret, /^[A-Z2-7]{32}$/);

  // A code that is wrong for every accepted step is refused, and the
  // library reports it through onFailure.
  const good = new Set([-1, 0, 1].map((o) => totp(secret, o)));
  const wrong = ['000000', '111111', '222222'].find((c) => !good.has(c));
  const mismatch = await new Promise((resolve, reject) => {
    cognitoUser.verifySoftwareToken(wrong, 'e2e phone', { onSuccess: () => reject(new Error('a wrong code was accepted')), onFailure: resolve });
  });
  assert.equal(mismatch.code, 'EnableSoftwareTokenMFAException');

  const verified = await new Promise((resolve, reject) => {
    cognitoUser.verifySoftwareToken(totp(secret), 'e2e phone', { onSuccess: resolve, onFailure: reject });
  });
  assert.equal(verified.Status, 'SUCCESS');

  const pref = await new Promise((resolve, reject) => {
    cognitoUser.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  assert.equal(pref, 'SUCCESS');
  const data = await new Promise((resolve, reject) => {
    cognitoUser.getUserData((err, res) => (err ? reject(err) : resolve(res)), { bypassCache: true });
  });
  assert.equal(data.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
  assert.deepEqual(data.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

  i = calls.length;
  await new Promise((resolve, reject) => {
    cognitoUser.signOut((err) => (err ? reject(err) : resolve()));
  });
  assert.deepEqual(callsSince(i), ['RevokeToken']);
  assert.equal(pool.getCurrentUser(), null);

  cognitoUser = new CognitoUser({ Username: p.username, Pool: pool, Storage: storage });
  i = calls.length;
  const second = await authenticate(cognitoUser, p.username, password);
  assert.ok(second.totp, 'an authenticator is preferred: the library must ask for a code');
  assert.equal(second.totp.FRIENDLY_DEVICE_NAME, 'e2e phone');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);

  // The step after the one verifySoftwareToken used: the server takes a
  // code once, and one step either side of now.
  i = calls.length;
  const session = await new Promise((resolve, reject) => {
    cognitoUser.sendMFACode(totp(secret, 1), { onSuccess: (s) => resolve(recordSession(s)), onFailure: reject }, 'SOFTWARE_TOKEN_MFA');
  });
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA']);
  assert.ok(session.isValid());
  assert.equal(claims(session.getAccessToken().getJwtToken()).username, p.username);
  assert.equal(pool.getCurrentUser()?.getUsername(), p.username);

  i = calls.length;
  const refreshed = await refresh(cognitoUser, session);
  assert.deepEqual(callsSince(i), ['InitiateAuth']);
  assert.ok(refreshed.isValid());
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  assert.equal(claims(refreshed.getIdToken().getJwtToken())['cognito:username'], p.username);
});
