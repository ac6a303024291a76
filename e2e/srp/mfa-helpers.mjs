// Shared by the MFA scenarios: signed admin calls (this folder depends on
// the two client libraries only, so the pool is set up with node's crypto),
// a pool with TOTP MFA, RFC 6238 codes from a secret (../totp.mjs), and a
// user's devices as the server lists them. It needs only harness.mjs's environment and
// SRP_PASSWORD, so the scenarios of a server of their own can use it too.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { endpoint, recordSecret, requireEnv } from './harness.mjs';
import { totp } from '../totp.mjs';

export { totp };

// admin sends one SigV4-signed Cognito admin action with the harness's key.
export async function admin(action, body) {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const region = 'us-east-1';
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
  };
  const signed = Object.keys(headers).sort();
  const hash = (s) => createHash('sha256').update(s).digest('hex');
  const canonical = ['POST', url.pathname || '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), hash(payload)].join('\n');
  const scope = `${day}/${region}/cognito-idp/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hash(canonical)].join('\n');
  const hmac = (key, s) => createHmac('sha256', key).update(s).digest();
  let key = hmac(`AWS4${requireEnv('AWS_SECRET_ACCESS_KEY')}`, day);
  for (const part of [region, 'cognito-idp', 'aws4_request']) {
    key = hmac(key, part);
  }
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host, ...sent } = headers;
  const res = await fetch(url, {
    method: 'POST',
    body: payload,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${requireEnv('AWS_ACCESS_KEY_ID')}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
    },
  });
  const out = await res.json();
  if (!res.ok) {
    throw new Error(`${action}: HTTP ${res.status}: ${JSON.stringify(out)}`);
  }
  return out;
}

// mfaPool creates a pool with TOTP MFA, a public client and a confirmed
// user with the suite's password (SRP_PASSWORD). By default MFA is
// optional with authenticator apps only, and the client has Cognito's
// default flows (SRP, refresh); settings.pool adds to CreateUserPool (a
// DeviceConfiguration, say), settings.mfa replaces SetUserPoolMfaConfig's
// input and settings.client adds to CreateUserPoolClient.
export async function mfaPool(label, settings = {}) {
  const password = recordSecret(requireEnv('SRP_PASSWORD'));
  const suffix = randomBytes(4).toString('hex');
  const { UserPool } = await admin('CreateUserPool', { PoolName: `e2e-srp-${label}-${suffix}`, ...settings.pool });
  const mfaConfig = settings.mfa ?? { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } };
  const mfa = await admin('SetUserPoolMfaConfig', { UserPoolId: UserPool.Id, ...mfaConfig });
  assert.equal(mfa.MfaConfiguration, mfaConfig.MfaConfiguration);
  const { UserPoolClient } = await admin('CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'srp-mfa-e2e', ...settings.client });
  const username = `${label}-${suffix}`;
  await admin('AdminCreateUser', { UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true });
  return { userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId, username, password };
}

// devices lists a user's devices as AdminListDevices shows them: key and
// remembered status (dev:device_remembered_status), sorted by key as
// Array.prototype.sort sorts strings.
export async function devices(p) {
  const { Devices } = await admin('AdminListDevices', { UserPoolId: p.userPoolId, Username: p.username });
  return Devices.map((d) => ({
    key: d.DeviceKey,
    status: d.DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status')?.Value,
  })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

// previousTotp is the code of the step before now, for a scenario that
// needs three codes of one authenticator: the server takes each step
// once and accepts one step either side of its clock, so the codes of
// steps -1, 0 and +1, used in that order, are all good. Close to the end
// of a step, the previous step could be two behind by the time the server
// checks it, so that moment is waited out first.
export async function previousTotp(secret) {
  const left = 30000 - (Date.now() % 30000);
  if (left < 2000) {
    await sleep(left + 100);
  }
  return totp(secret, -1);
}
