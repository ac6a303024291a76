// aws-amplify v6 with remembered devices and TOTP, in pools that track
// devices and remember every device Amplify confirms
// (DeviceOnlyRememberedOnUserPrompt false). Where the pool asks remembered
// devices for MFA too (ChallengeRequiredOnNewDevice false), signIn from a
// confirmed device stops at CONFIRM_SIGN_IN_WITH_TOTP_CODE, and
// confirmSignIn, which sends the device key with the code, goes on through
// DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER to tokens bound to that
// device. Where a remembered device stands in for MFA
// (ChallengeRequiredOnNewDevice true), signIn (SRP or USER_PASSWORD_AUTH)
// goes from the password to the device's proof with no code; a device
// that is no longer remembered, or a new one, gets MFA. The pools are
// created here with admin calls, like the other MFA scenarios.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchDevices, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { callsSince, calls, claims, endpoint, recordSecret } from './harness.mjs';
import { admin, devices, mfaPool, previousTotp, totp } from './mfa-helpers.mjs';

// Amplify names a device from navigator.userAgent when it confirms it;
// node 20 has no navigator, and without one Amplify quietly skips the
// confirmation.
globalThis.navigator ??= { userAgent: `node/${process.versions.node}` };

// newBrowser gives Amplify an empty storage of its own, where it keeps
// tokens and the device's key and secret: what a new browser has.
function newBrowser() {
  const m = new Map();
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (k, v) => {
      m.set(k, v);
    },
    getItem: async (k) => m.get(k) ?? null,
    removeItem: async (k) => {
      m.delete(k);
    },
    clear: async () => {
      m.clear();
    },
  });
}

// use points Amplify at a pool, from a new browser (configure resets the
// storage, so the browser's comes after it).
function use(p) {
  Amplify.configure({
    Auth: { Cognito: { userPoolId: p.userPoolId, userPoolClientId: p.clientId, userPoolEndpoint: endpoint } },
  });
  newBrowser();
}

// tokens returns the signed-in user's tokens, recorded as secrets.
async function tokens(options) {
  const t = (await fetchAuthSession(options)).tokens;
  recordSecret(t.accessToken.toString());
  recordSecret(t.idToken?.toString());
  return t;
}

// setUpTotp adds an authenticator to the signed-in user and prefers it;
// its verification uses the previous step's code, leaving this step's and
// the next one's for two sign-ins.
async function setUpTotp() {
  const secret = recordSecret((await setUpTOTP()).sharedSecret);
  await verifyTOTPSetup({ code: await previousTotp(secret), options: { friendlyDeviceName: 'e2e phone' } });
  await updateMFAPreference({ totp: 'PREFERRED' });
  return secret;
}

const deviceKeyPattern = /^us-east-1_[0-9a-f-]{36}$/;

// firstSignIn signs in before any MFA is set up: the pool issues a
// device, Amplify confirms it, and the pool remembers it without asking.
async function firstSignIn(p) {
  const i = calls.length;
  const out = await signIn({ username: p.username, password: p.password });
  assert.equal(out.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
  const deviceKey = (await tokens()).accessToken.payload.device_key;
  assert.match(deviceKey, deviceKeyPattern);
  return deviceKey;
}

// newDeviceWithTotp signs in from a new browser once an authenticator is
// preferred: MFA, then a new device, which Amplify confirms.
async function newDeviceWithTotp(p, code) {
  newBrowser();
  let i = calls.length;
  const out = await signIn({ username: p.username, password: p.password });
  assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'a new device must pass MFA');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [undefined, undefined], 'a new browser names no device');
  i = calls.length;
  const done = await confirmSignIn({ challengeResponse: code });
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA', 'ConfirmDevice']);
  const deviceKey = (await tokens()).accessToken.payload.device_key;
  assert.match(deviceKey, deviceKeyPattern);
  return deviceKey;
}

// refreshesWith checks that fetchAuthSession({ forceRefresh: true }) sends
// the device key and gets tokens still bound to it.
async function refreshesWith(deviceKey, before) {
  const i = calls.length;
  const refreshed = await tokens({ forceRefresh: true });
  assert.deepEqual(callsSince(i), ['GetTokensFromRefreshToken']);
  assert.equal(calls[i].deviceKey, deviceKey);
  assert.notEqual(refreshed.accessToken.toString(), before.accessToken.toString());
  assert.equal(claims(refreshed.accessToken.toString()).device_key, deviceKey);
}

const throughDevice = [
  'RespondToAuthChallenge:DEVICE_SRP_AUTH',
  'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
];

test('Amplify v6: a confirmed device answers CONFIRM_SIGN_IN_WITH_TOTP_CODE, then proves itself', async () => {
  const p = await mfaPool('amplify-device-mfa', {
    pool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } },
  });
  use(p);

  // A laptop signs in and sets up the authenticator.
  const laptopKey = await firstSignIn(p);
  const secret = await setUpTotp();
  await signOut();

  // A phone signs in: MFA, then a device of its own.
  const phoneKey = await newDeviceWithTotp(p, totp(secret, 0));
  assert.notEqual(phoneKey, laptopKey);
  await signOut();

  // The phone again: Amplify names its device in PASSWORD_VERIFIER (its
  // SRP InitiateAuth names none); MFA comes first all the same.
  let i = calls.length;
  const out = await signIn({ username: p.username, password: p.password });
  assert.equal(out.isSignedIn, false);
  assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'this pool asks remembered devices for MFA too');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [undefined, phoneKey]);

  // A wrong code is refused and leaves the challenge open.
  const good = new Set([-1, 0, 1, 2].map((o) => totp(secret, o)));
  const wrong = ['000000', '111111', '222222'].find((c) => !good.has(c));
  await assert.rejects(confirmSignIn({ challengeResponse: wrong }), (err) => err.name === 'CodeMismatchException');

  // Then the device proves itself, and the sign-in is bound to it.
  i = calls.length;
  const done = await confirmSignIn({ challengeResponse: totp(secret, 1) });
  assert.equal(done.isSignedIn, true);
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA', ...throughDevice]);
  assert.deepEqual(calls.slice(i).map((c) => c.deviceKey), [phoneKey, phoneKey, phoneKey]);
  const signedIn = await tokens();
  assert.equal(signedIn.accessToken.payload.device_key, phoneKey);
  assert.equal(signedIn.accessToken.payload.username, p.username);

  await refreshesWith(phoneKey, signedIn);

  // Two devices, both remembered: the MFA sign-in of a known device
  // issued none.
  const want = [laptopKey, phoneKey].sort().map((key) => ({ key, status: 'remembered' }));
  assert.deepEqual(await devices(p), want);
  assert.deepEqual((await fetchDevices()).map((d) => d.id).sort(), want.map((d) => d.key));
  await signOut();
});

test('Amplify v6: a remembered device stands in for MFA when ChallengeRequiredOnNewDevice is set', async () => {
  const p = await mfaPool('amplify-device-skip', {
    pool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } },
    client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  use(p);

  const laptopKey = await firstSignIn(p);
  assert.deepEqual(await devices(p), [{ key: laptopKey, status: 'remembered' }]);
  const secret = await setUpTotp();
  await signOut();

  // The remembered laptop: password, then the device's proof, no code;
  // with SRP (the device named in PASSWORD_VERIFIER) and with
  // USER_PASSWORD_AUTH (named in InitiateAuth) alike.
  for (const [authFlowType, before] of [
    ['USER_SRP_AUTH', ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']],
    ['USER_PASSWORD_AUTH', ['InitiateAuth']],
  ]) {
    const i = calls.length;
    const out = await signIn({ username: p.username, password: p.password, options: { authFlowType } });
    assert.equal(out.nextStep.signInStep, 'DONE', `${authFlowType}: a remembered device must not be asked for MFA here`);
    assert.deepEqual(callsSince(i), [...before, ...throughDevice], authFlowType);
    assert.equal(calls[i + before.length - 1].deviceKey, laptopKey, authFlowType);
    assert.equal((await tokens()).accessToken.payload.device_key, laptopKey, authFlowType);
    await signOut();
  }

  // Once the laptop is no longer remembered it stands in for nothing:
  // MFA first, then its proof, and the sign-in is still bound to it.
  await admin('AdminUpdateDeviceStatus', {
    UserPoolId: p.userPoolId, Username: p.username, DeviceKey: laptopKey, DeviceRememberedStatus: 'not_remembered',
  });
  let i = calls.length;
  const out = await signIn({ username: p.username, password: p.password });
  assert.equal(out.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'a device no longer remembered must pass MFA');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  i = calls.length;
  const done = await confirmSignIn({ challengeResponse: totp(secret, 0) });
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:SOFTWARE_TOKEN_MFA', ...throughDevice]);
  const signedIn = await tokens();
  assert.equal(signedIn.accessToken.payload.device_key, laptopKey);
  await refreshesWith(laptopKey, signedIn);
  await signOut();

  // A new phone: MFA, then a device of its own, remembered at once.
  const phoneKey = await newDeviceWithTotp(p, totp(secret, 1));
  assert.notEqual(phoneKey, laptopKey);
  await signOut();
  const status = { [laptopKey]: 'not_remembered', [phoneKey]: 'remembered' };
  assert.deepEqual(await devices(p), [laptopKey, phoneKey].sort().map((key) => ({ key, status: status[key] })));
});
