// aws-amplify v6 with TOTP: in a pool where MFA is optional and
// authenticator apps are enabled, a user signed in with SRP sets up an
// authenticator (setUpTOTP, verifyTOTPSetup) and prefers it
// (updateMFAPreference); after signOut, signIn stops at
// CONFIRM_SIGN_IN_WITH_TOTP_CODE, confirmSignIn with a code signs in, and
// fetchAuthSession({ forceRefresh: true }) refreshes. The pool is created
// here with admin calls the file signs itself (this folder's dependencies
// are the two libraries only). Codes are computed with node's crypto
// (RFC 6238) from the secret the server hands out.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn, fetchAuthSession, fetchMFAPreference, getCurrentUser, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup,
} from 'aws-amplify/auth';
import { callsSince, calls, claims, endpoint, password, recordSecret, requireEnv } from './helpers.mjs';
import { admin, mfaPool, totp } from './mfa-helpers.mjs';

test('Amplify v6: TOTP set up after signIn, then CONFIRM_SIGN_IN_WITH_TOTP_CODE', async () => {
  const p = await mfaPool('amplify-mfa');
  Amplify.configure({
    Auth: { Cognito: { userPoolId: p.userPoolId, userPoolClientId: p.clientId, userPoolEndpoint: endpoint } },
  });

  let i = calls.length;
  const first = await signIn({ username: p.username, password });
  assert.equal(first.isSignedIn, true, 'no authenticator yet: signed in straight away');
  assert.equal(first.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  recordSecret((await fetchAuthSession()).tokens.accessToken.toString());

  const setup = await setUpTOTP();
  const secret = recordSecret(setup.sharedSecret);
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const uri = new URL(setup.getSetupUri('userpool-e2e', p.username));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), secret);

  const good = new Set([-1, 0, 1].map((o) => totp(secret, o)));
  const wrong = ['000000', '111111', '222222'].find((c) => !good.has(c));
  await assert.rejects(verifyTOTPSetup({ code: wrong }), (err) => err.name === 'EnableSoftwareTokenMFAException');
  await verifyTOTPSetup({ code: totp(secret), options: { friendlyDeviceName: 'e2e phone' } });
  await updateMFAPreference({ totp: 'PREFERRED' });
  assert.deepEqual(await fetchMFAPreference(), { enabled: ['TOTP'], preferred: 'TOTP' });

  await signOut();
  await assert.rejects(getCurrentUser(), (err) => err.name === 'UserUnAuthenticatedException');

  i = calls.length;
  const second = await signIn({ username: p.username, password });
  assert.equal(second.isSignedIn, false);
  assert.equal(second.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);

  // The step after the one verifyTOTPSetup used: the server takes a code
  // once, and one step either side of now.
  i = calls.length;
  const done = await confirmSignIn({ challengeResponse: totp(secret, 1) });
  assert.equal(done.isSignedIn, true);
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA']);
  assert.equal((await getCurrentUser()).username, p.username);

  const { tokens } = await fetchAuthSession();
  recordSecret(tokens.accessToken.toString());
  assert.equal(tokens.accessToken.payload.username, p.username);

  i = calls.length;
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  recordSecret(refreshed.tokens.accessToken.toString());
  assert.deepEqual(callsSince(i), ['GetTokensFromRefreshToken']);
  assert.notEqual(refreshed.tokens.accessToken.toString(), tokens.accessToken.toString());
  assert.equal(claims(refreshed.tokens.idToken.toString())['cognito:username'], p.username);
  await signOut();
});
