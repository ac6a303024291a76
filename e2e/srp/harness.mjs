// What every SRP scenario shares with the Go harness, whatever server it
// runs against: the endpoint, secret bookkeeping for the harness's log
// check, and a record of the requests the clients send, so a scenario can
// tell which flow a library really took. helpers.mjs adds the pools and
// users TestSRPJavaScript creates; a scenario run against another server
// (such as the --dev one of TestSRPEmailMFA) imports this file instead.
import { appendFileSync } from 'node:fs';

export function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these scenarios through go test ./e2e/ -run SRP`);
  }
  return v;
}

export const endpoint = requireEnv('USERPOOL_ENDPOINT');

// recordSecret tells the harness a token or password this scenario used;
// the test fails if any of them shows up in the server's output.
export function recordSecret(value) {
  if (value) {
    appendFileSync(requireEnv('E2E_SECRETS_FILE'), `${value}\n`);
  }
  return value;
}

// calls records every JSON API call the libraries make: the action, for
// RespondToAuthChallenge the challenge answered, and the device key sent
// (InitiateAuth's AuthParameters, a challenge's ChallengeResponses, or
// GetTokensFromRefreshToken's DeviceKey). Both libraries call the global
// fetch when they send, so wrapping it sees everything.
export const calls = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  const target = headers.get('x-amz-target');
  if (target) {
    const action = target.split('.').pop();
    let body = {};
    try {
      body = JSON.parse(typeof init.body === 'string' ? init.body : '{}');
    } catch {
      // Not JSON: recorded without its members.
    }
    calls.push({
      action,
      challenge: body.ChallengeName,
      deviceKey: body.AuthParameters?.DEVICE_KEY ?? body.ChallengeResponses?.DEVICE_KEY ?? body.DeviceKey,
    });
  }
  return realFetch(input, init);
};

// callsSince returns the calls made from index i on, as "Action" or
// "RespondToAuthChallenge:CHALLENGE" strings.
export function callsSince(i) {
  return calls.slice(i).map((c) => (c.challenge ? `${c.action}:${c.challenge}` : c.action));
}

// claims decodes a JWT's payload without verifying it.
export function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
