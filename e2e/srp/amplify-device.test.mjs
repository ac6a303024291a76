// aws-amplify v6 with a remembered device: signIn confirms the device it
// is issued, rememberDevice remembers it, the next signIn proves it with
// DEVICE_SRP_AUTH, and fetchAuthSession({ forceRefresh: true }) sends its
// DeviceKey to GetTokensFromRefreshToken.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, fetchDevices, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { callsSince, calls, claims, devicePool, endpoint, password, recordSecret, user } from './helpers.mjs';

// Amplify names a device from navigator.userAgent when it confirms it;
// node 20 has no navigator, and without one Amplify quietly skips the
// confirmation.
globalThis.navigator ??= { userAgent: `node/${process.versions.node}` };

Amplify.configure({
  Auth: { Cognito: { userPoolId: devicePool.userPoolId, userPoolClientId: devicePool.clientId, userPoolEndpoint: endpoint } },
});

test('Amplify remembers a device and refreshes with its key', async () => {
  const username = user('AMPLIFY_DEVICE');
  let i = calls.length;
  assert.equal((await signIn({ username, password })).isSignedIn, true);
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
  const first = (await fetchAuthSession()).tokens;
  recordSecret(first.accessToken.toString());
  const deviceKey = first.accessToken.payload.device_key;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);

  await rememberDevice();
  const devices = await fetchDevices();
  assert.deepEqual(devices.map((d) => d.id), [deviceKey]);

  await signOut();
  i = calls.length;
  assert.equal((await signIn({ username, password })).isSignedIn, true);
  assert.deepEqual(callsSince(i), [
    'InitiateAuth',
    'RespondToAuthChallenge:PASSWORD_VERIFIER',
    'RespondToAuthChallenge:DEVICE_SRP_AUTH',
    'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
  ]);

  i = calls.length;
  const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens;
  recordSecret(refreshed.accessToken.toString());
  assert.deepEqual(callsSince(i), ['GetTokensFromRefreshToken']);
  assert.equal(calls[i].deviceKey, deviceKey);
  assert.equal(claims(refreshed.accessToken.toString()).device_key, deviceKey);
  await signOut();
});
