// Shared set-up for the JavaScript scenarios: a client pointed at the server
// under test, secret bookkeeping for the harness's log check, and error
// assertions. The Go test (e2e/clients_test.go) sets the environment.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these scenarios through go test ./e2e/`);
  }
  return v;
}

export const endpoint = requireEnv('USERPOOL_ENDPOINT');
export const region = 'us-east-1';
export const adminCredentials = {
  accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
  secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
};

// One attempt only: a request the server refuses or fails must show at
// once, not after the SDK's backoff.
export function adminClient(overrides = {}) {
  return new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: adminCredentials,
    maxAttempts: 1,
    ...overrides,
  });
}

// recordSecret tells the harness a password or secret this scenario used;
// the test fails if any of them shows up in the server's output.
export function recordSecret(value) {
  appendFileSync(requireEnv('E2E_SECRETS_FILE'), `${value}\n`);
  return value;
}

// suffix makes names unique: the files of a suite share one server.
export function suffix() {
  return randomBytes(5).toString('hex');
}

// newPassword returns a recorded password that satisfies the scenarios'
// pool policies (12+ characters, upper, lower, digit, symbol).
export function newPassword() {
  return recordSecret(`Pw-${suffix()}-7Qx!`);
}

// rejects awaits a call that must fail and checks what the SDK surfaces:
// the exception name, the HTTP status (or one of a list) and, when given,
// the exact message (a string) or a pattern it must match (a RegExp).
export async function rejects(promise, name, { status = 400, message } = {}) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name}, but the call succeeded`);
  assert.equal(err.name, name, `error name (message: ${err.message})`);
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(
    statuses.includes(err.$metadata?.httpStatusCode),
    `HTTP status of ${name} is ${err.$metadata?.httpStatusCode}, want ${statuses.join(' or ')}`,
  );
  if (typeof message === 'string') {
    assert.equal(err.message, message);
  } else if (message instanceof RegExp) {
    assert.match(err.message, message);
  }
  return err;
}

// attr returns the value of a {Name, Value} attribute, or undefined.
export function attr(attributes, name) {
  return (attributes ?? []).find((a) => a.Name === name)?.Value;
}

// The pool every scenario starts from: a custom attribute and a password
// policy, as the issue asks.
export const customAttribute = {
  Name: 'tier',
  AttributeDataType: 'String',
  Mutable: true,
  StringAttributeConstraints: { MinLength: '1', MaxLength: '16' },
};

export const passwordPolicy = {
  MinimumLength: 12,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: false,
  TemporaryPasswordValidityDays: 3,
};

export async function createPool(client, name = `e2e-js-${suffix()}`) {
  const out = await client.send(new CreateUserPoolCommand({
    PoolName: name,
    Policies: { PasswordPolicy: passwordPolicy },
    Schema: [customAttribute],
  }));
  return out.UserPool;
}
