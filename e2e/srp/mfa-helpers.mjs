// Shared by the MFA scenarios: signed admin calls (this folder depends on
// the two client libraries only, so the pool is set up with node's crypto),
// a pool with optional TOTP MFA, and RFC 6238 codes from a secret.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { endpoint, password, recordSecret, requireEnv } from './helpers.mjs';

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

// mfaPool creates a pool with optional TOTP MFA, a public client with the
// default flows (SRP, refresh) and a confirmed user with the suite's
// password.
export async function mfaPool(label) {
  const suffix = randomBytes(4).toString('hex');
  const { UserPool } = await admin('CreateUserPool', { PoolName: `e2e-srp-${label}-${suffix}` });
  const mfa = await admin('SetUserPoolMfaConfig', {
    UserPoolId: UserPool.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  assert.equal(mfa.MfaConfiguration, 'OPTIONAL');
  const { UserPoolClient } = await admin('CreateUserPoolClient', { UserPoolId: UserPool.Id, ClientName: 'srp-mfa-e2e' });
  const username = `${label}-${suffix}`;
  await admin('AdminCreateUser', { UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true });
  return { userPoolId: UserPool.Id, clientId: UserPoolClient.ClientId, username };
}

// base32Decode reads an unpadded RFC 4648 base32 string.
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s) {
    const i = alphabet.indexOf(c);
    assert.ok(i >= 0, `SecretCode has a non-base32 character: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// totp is the six-digit code of a base32 secret for the 30-second step
// `offset` steps from now.
export function totp(secret, offset = 0) {
  const step = Math.floor(Date.now() / 30000) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const sum = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = sum[sum.length - 1] & 0xf;
  return String((sum.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}
