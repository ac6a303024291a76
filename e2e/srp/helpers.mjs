// Shared set-up for the SRP scenarios of TestSRPJavaScript: the pools and
// users e2e/srp_test.go created (passed in the environment), on top of
// harness.mjs's endpoint, secret bookkeeping and call recorder.
import { recordSecret, requireEnv } from './harness.mjs';

export { calls, callsSince, claims, endpoint, recordSecret, requireEnv } from './harness.mjs';

// The two pools: one without device tracking, one that remembers devices
// only when the user says so (DeviceOnlyRememberedOnUserPrompt).
export const plainPool = {
  userPoolId: requireEnv('SRP_POOL_ID'),
  clientId: requireEnv('SRP_CLIENT_ID'),
};
export const devicePool = {
  userPoolId: requireEnv('SRP_DEVICE_POOL_ID'),
  clientId: requireEnv('SRP_DEVICE_CLIENT_ID'),
};
export const password = recordSecret(requireEnv('SRP_PASSWORD'));

// user returns the name of one of the users the Go side created for this
// file (SRP_USER_<NAME>).
export function user(name) {
  return requireEnv(`SRP_USER_${name}`);
}
