// amazon-cognito-identity-js: authenticateUser with USER_SRP_AUTH (its
// default) and refreshSession; then a remembered device: the library
// confirms the device it is issued, setDeviceStatusRemembered remembers it,
// the next authenticateUser proves it with DEVICE_SRP_AUTH, and
// refreshSession sends its DEVICE_KEY.
import test from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { memoryStorage } from './identity-js-helpers.mjs';
import { callsSince, calls, claims, devicePool, endpoint, password, plainPool, recordSecret, user } from './helpers.mjs';

// memoryStorage is the Storage the library keeps tokens and the device's
// secret in (window.localStorage in a browser).
function newUser(p, username, storage) {
  const pool = new CognitoUserPool({ UserPoolId: p.userPoolId, ClientId: p.clientId, endpoint, Storage: storage });
  return new CognitoUser({ Username: username, Pool: pool, Storage: storage });
}

function authenticate(cognitoUser, username, pw) {
  return new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: username, Password: pw }), {
      onSuccess: (session, userConfirmationNecessary) => {
        recordSecret(session.getAccessToken().getJwtToken());
        recordSecret(session.getRefreshToken().getToken());
        resolve({ session, userConfirmationNecessary });
      },
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('unexpected SMS_MFA')),
      totpRequired: () => reject(new Error('unexpected SOFTWARE_TOKEN_MFA')),
      customChallenge: () => reject(new Error('unexpected CUSTOM_CHALLENGE')),
    });
  });
}

function refresh(cognitoUser, session) {
  return new Promise((resolve, reject) => {
    cognitoUser.refreshSession(session.getRefreshToken(), (err, s) => {
      if (err) {
        reject(err);
        return;
      }
      recordSecret(s.getAccessToken().getJwtToken());
      resolve(s);
    });
  });
}

function callback(fn) {
  return new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));
}

test('authenticateUser with USER_SRP_AUTH, then refreshSession', async () => {
  const username = user('PLAIN');
  const storage = memoryStorage();
  const cognitoUser = newUser(plainPool, username, storage);

  const i = calls.length;
  const { session } = await authenticate(cognitoUser, username, password);
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.ok(session.isValid());
  const access = claims(session.getAccessToken().getJwtToken());
  assert.equal(access.username, username);
  assert.equal(access.device_key, undefined);
  assert.equal(claims(session.getIdToken().getJwtToken())['cognito:username'], username);

  const j = calls.length;
  const refreshed = await refresh(cognitoUser, session);
  assert.deepEqual(callsSince(j), ['InitiateAuth']);
  assert.ok(refreshed.isValid());
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  // REFRESH_TOKEN_AUTH returns no refresh token; the library keeps the old one.
  assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
  assert.equal(claims(refreshed.getAccessToken().getJwtToken()).username, username);

  await assert.rejects(
    authenticate(newUser(plainPool, username, memoryStorage()), username, recordSecret(`${password}-wrong`)),
    (err) => err.code === 'NotAuthorizedException' && err.message === 'Incorrect username or password.',
  );
});

test('remembered device: DEVICE_SRP_AUTH, then refreshSession with the device key', async () => {
  const username = user('DEVICE');
  const storage = memoryStorage();

  // First sign-in: a new device, which the library confirms; the pool
  // remembers devices only when the user says so.
  const first = newUser(devicePool, username, storage);
  let i = calls.length;
  const signedIn = await authenticate(first, username, password);
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
  assert.equal(signedIn.userConfirmationNecessary, true);
  const deviceKey = first.deviceKey;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
  assert.equal(claims(signedIn.session.getAccessToken().getJwtToken()).device_key, deviceKey);
  await callback((cb) => first.setDeviceStatusRemembered(cb));

  // Second sign-in from the same storage: the library sends the device
  // key and proves the device.
  const second = newUser(devicePool, username, storage);
  i = calls.length;
  const again = await authenticate(second, username, password);
  assert.deepEqual(callsSince(i), [
    'InitiateAuth',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);
  assert.equal(claims(again.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // refreshSession sends the device key the sign-in is bound to.
  i = calls.length;
  const refreshed = await refresh(second, again.session);
  assert.deepEqual(callsSince(i), ['InitiateAuth']);
  assert.equal(calls[i].deviceKey, deviceKey);
  assert.equal(claims(refreshed.getAccessToken().getJwtToken()).device_key, deviceKey);
  // The first sign-in is bound to the same device.
  await refresh(second, signedIn.session);

  const listed = await new Promise((resolve, reject) => second.listDevices(10, null, { onSuccess: resolve, onFailure: reject }));
  assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
  const status = listed.Devices[0].DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status');
  assert.equal(status?.Value, 'remembered');

  // Forgetting the device ends its sign-ins.
  await callback((cb) => second.forgetDevice(cb));
  await assert.rejects(refresh(newUser(devicePool, username, storage), again.session), (err) => err.code === 'NotAuthorizedException');
});
