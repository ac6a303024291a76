// amazon-cognito-identity-js with remembered devices and TOTP, in pools
// that track devices and remember every device the library confirms
// (DeviceOnlyRememberedOnUserPrompt false). Where the pool asks remembered
// devices for MFA too (ChallengeRequiredOnNewDevice false), a sign-in that
// names a confirmed device gets SOFTWARE_TOKEN_MFA first; the library sends
// DEVICE_KEY with sendMFACode, the server answers DEVICE_SRP_AUTH, and the
// device proves itself (DEVICE_PASSWORD_VERIFIER) before the tokens, which
// are bound to that device. Where a remembered device stands in for MFA
// (ChallengeRequiredOnNewDevice true), it proves itself right after the
// password and no code is asked; a new device still gets MFA. The pools
// are created here with admin calls, like the other MFA scenarios.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { authenticate, memoryStorage, recordSession, refresh } from './identity-js-helpers.mjs';
import { callsSince, calls, claims, endpoint, recordSecret } from './harness.mjs';
import { devices, mfaPool, previousTotp, totp } from './mfa-helpers.mjs';

// memoryStorage is one browser's localStorage: the library keeps the
// tokens and the device's key and secret there.
// newUser is a fresh CognitoUser on storage, as a new page load has: the
// device it names is only what the storage holds.
function newUser(p, storage) {
  const pool = new CognitoUserPool({ UserPoolId: p.userPoolId, ClientId: p.clientId, endpoint, Storage: storage });
  return new CognitoUser({ Username: p.username, Pool: pool, Storage: storage });
}

// sendTotp answers SOFTWARE_TOKEN_MFA; the library goes on by itself
// through DEVICE_SRP_AUTH or ConfirmDevice, whichever the answer calls for.
function sendTotp(cognitoUser, code) {
  return new Promise((resolve, reject) => {
    cognitoUser.sendMFACode(code, { onSuccess: (s) => resolve(recordSession(s)), onFailure: reject }, 'SOFTWARE_TOKEN_MFA');
  });
}

// setUpTotp adds an authenticator to the signed-in user and prefers it;
// its verification uses the previous step's code, leaving this step's and
// the next one's for two sign-ins.
async function setUpTotp(cognitoUser) {
  const secret = recordSecret(await new Promise((resolve, reject) => {
    cognitoUser.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject });
  }));
  const code = await previousTotp(secret);
  const verified = await new Promise((resolve, reject) => {
    cognitoUser.verifySoftwareToken(code, 'e2e phone', { onSuccess: resolve, onFailure: reject });
  });
  assert.equal(verified.Status, 'SUCCESS');
  const pref = await new Promise((resolve, reject) => {
    cognitoUser.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  assert.equal(pref, 'SUCCESS');
  return secret;
}

function accessClaims(session) {
  return claims(session.getAccessToken().getJwtToken());
}

const deviceKeyPattern = /^us-east-1_[0-9a-f-]{36}$/;

// firstSignIn signs in from a new browser before any MFA is set up: the
// pool issues a device, the library confirms it, and the pool remembers
// it without asking the user.
async function firstSignIn(p, storage) {
  const cognitoUser = newUser(p, storage);
  const i = calls.length;
  const { session, userConfirmationNecessary } = await authenticate(cognitoUser, p.username, p.password);
  assert.ok(session, 'no authenticator yet: tokens straight away');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
  assert.equal(userConfirmationNecessary, undefined, 'the pool remembers devices without asking the user');
  const deviceKey = cognitoUser.deviceKey;
  assert.match(deviceKey, deviceKeyPattern);
  assert.equal(accessClaims(session).device_key, deviceKey);
  return { cognitoUser, deviceKey };
}

// newDeviceWithTotp signs in from a new browser once an authenticator is
// preferred: MFA, then a new device, which the library confirms.
async function newDeviceWithTotp(p, storage, code) {
  const cognitoUser = newUser(p, storage);
  let i = calls.length;
  const challenged = await authenticate(cognitoUser, p.username, p.password);
  assert.ok(challenged.totp, 'a new device must pass MFA');
  assert.equal(challenged.totp.FRIENDLY_DEVICE_NAME, 'e2e phone');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [undefined, undefined], 'a new browser names no device');
  i = calls.length;
  const session = await sendTotp(cognitoUser, code);
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA', 'ConfirmDevice']);
  const deviceKey = cognitoUser.deviceKey;
  assert.match(deviceKey, deviceKeyPattern);
  assert.equal(accessClaims(session).device_key, deviceKey);
  return deviceKey;
}

test('amazon-cognito-identity-js: a confirmed device answers SOFTWARE_TOKEN_MFA, then proves itself', async (t) => {
  const p = await mfaPool('identity-js-device-mfa', {
    pool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } },
  });

  // A laptop signs in and sets up the authenticator.
  const laptop = await firstSignIn(p, memoryStorage());
  const secret = await setUpTotp(laptop.cognitoUser);

  // A phone signs in: MFA, then a device of its own.
  const phoneStorage = memoryStorage();
  const phoneKey = await newDeviceWithTotp(p, phoneStorage, totp(secret, 0));
  assert.notEqual(phoneKey, laptop.deviceKey);

  // The phone again: the library reads its device from storage once
  // InitiateAuth is answered and names it in PASSWORD_VERIFIER; MFA comes
  // first all the same, and the device proves itself after.
  const phone = newUser(p, phoneStorage);
  let i = calls.length;
  const challenged = await authenticate(phone, p.username, p.password);
  assert.ok(challenged.totp, 'this pool asks remembered devices for MFA too');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [undefined, phoneKey]);

  // A wrong code is refused and leaves the challenge open.
  const good = new Set([-1, 0, 1, 2].map((o) => totp(secret, o)));
  const wrong = ['000000', '111111', '222222'].find((c) => !good.has(c));
  i = calls.length;
  await assert.rejects(sendTotp(phone, wrong), (err) => err.code === 'CodeMismatchException');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA']);

  // The right code: the server answers DEVICE_SRP_AUTH, and the library
  // goes on with the device's proof. sendMFACode sends DEVICE_SRP_AUTH with
  // the session of the SOFTWARE_TOKEN_MFA challenge it has just answered
  // (it does not keep the one DEVICE_SRP_AUTH came with); the server takes
  // it once that answer was right (the library depends on it).
  await t.test('sendMFACode goes on through DEVICE_SRP_AUTH to tokens bound to the phone', async () => {
    i = calls.length;
    const session = await sendTotp(phone, totp(secret, 1));
    assert.deepEqual(callsSince(i), [
      'RespondToAuthChallenge:SOFTWARE_TOKEN_MFA',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [phoneKey, phoneKey, phoneKey]);
    assert.equal(phone.deviceKey, phoneKey);
    const access = accessClaims(session);
    assert.equal(access.device_key, phoneKey);
    assert.equal(access.username, p.username);

    // Bound to the phone: the refresh sends its key and keeps it.
    i = calls.length;
    const refreshed = await refresh(phone, session);
    assert.deepEqual(callsSince(i), ['InitiateAuth']);
    assert.equal(calls[i].deviceKey, phoneKey);
    assert.equal(accessClaims(refreshed).device_key, phoneKey);
  });

  // Two devices, both remembered: the MFA sign-in of a known device
  // issues none, whether or not it got through.
  assert.deepEqual(await devices(p), [laptop.deviceKey, phoneKey].sort().map((key) => ({ key, status: 'remembered' })));
});

test('amazon-cognito-identity-js: a remembered device stands in for MFA when ChallengeRequiredOnNewDevice is set', async () => {
  const p = await mfaPool('identity-js-device-skip', {
    pool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } },
  });

  const laptopStorage = memoryStorage();
  const laptop = await firstSignIn(p, laptopStorage);
  assert.deepEqual(await devices(p), [{ key: laptop.deviceKey, status: 'remembered' }]);
  const secret = await setUpTotp(laptop.cognitoUser);

  // The remembered laptop: password, then the device's proof, no code.
  let cognitoUser = newUser(p, laptopStorage);
  let i = calls.length;
  let signedIn = await authenticate(cognitoUser, p.username, p.password);
  assert.ok(signedIn.session, 'a remembered device must not be asked for MFA here');
  assert.deepEqual(callsSince(i), [
    'InitiateAuth',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
  assert.equal(accessClaims(signedIn.session).device_key, laptop.deviceKey);

  // A new phone is not remembered: MFA, then a device of its own, which
  // the pool remembers at once.
  const phoneStorage = memoryStorage();
  const phoneKey = await newDeviceWithTotp(p, phoneStorage, totp(secret, 0));
  assert.notEqual(phoneKey, laptop.deviceKey);

  cognitoUser = newUser(p, phoneStorage);
  i = calls.length;
  signedIn = await authenticate(cognitoUser, p.username, p.password);
  assert.ok(signedIn.session, 'the phone is remembered now: no MFA');
  assert.deepEqual(callsSince(i), [
    'InitiateAuth',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
  assert.equal(accessClaims(signedIn.session).device_key, phoneKey);

  i = calls.length;
  const refreshed = await refresh(cognitoUser, signedIn.session);
  assert.deepEqual(callsSince(i), ['InitiateAuth']);
  assert.equal(calls[i].deviceKey, phoneKey);
  assert.equal(accessClaims(refreshed).device_key, phoneKey);

  assert.deepEqual(await devices(p), [laptop.deviceKey, phoneKey].sort().map((key) => ({ key, status: 'remembered' })));
});
