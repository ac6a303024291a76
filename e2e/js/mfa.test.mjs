// TOTP multi-factor authentication through the AWS SDK for JavaScript v3:
// a pool that requires MFA (sign-in → MFA_SETUP → AssociateSoftwareToken
// and VerifySoftwareToken with the session → tokens, then
// SOFTWARE_TOKEN_MFA on the next sign-in), and an optional one where a
// signed-in user adds an authenticator with their access token. The codes
// are computed here with node's crypto (RFC 6238), from the secret the
// server hands out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, createPool, recordSecret, rejects } from './helpers.mjs';
import { createClient, createUser, recordTokens } from './tokenhelpers.mjs';
import { totp } from '../totp.mjs';

const client = adminClient();

// A code of none of the accepted steps (now and either side).
function wrongCode(secret) {
  const good = new Set([-1, 0, 1].map((o) => totp(secret, o)));
  for (let d = 0; ; d++) {
    const c = String(d).repeat(6);
    if (!good.has(c)) {
      return c;
    }
  }
}

function initiate(clientId, { username, password }) {
  return client.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
}

function respond(clientId, name, session, responses) {
  return client.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName: name, Session: session, ChallengeResponses: responses,
  }));
}

test('a pool that requires TOTP: MFA_SETUP, then SOFTWARE_TOKEN_MFA', async (t) => {
  const pool = await createPool(client);
  const app = await createClient(client, pool.Id, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const user = await createUser(client, pool.Id);
  let secret;
  let verifySession;

  await t.test('SetUserPoolMfaConfig turns TOTP on and MFA required', async () => {
    const out = await client.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: pool.Id,
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    assert.equal(out.MfaConfiguration, 'ON');
    assert.equal(out.SoftwareTokenMfaConfiguration.Enabled, true);
    const got = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.Id }));
    assert.equal(got.MfaConfiguration, 'ON');
    assert.equal(got.SoftwareTokenMfaConfiguration.Enabled, true);
    await rejects(client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.Id, MfaConfiguration: 'ON' })),
      'InvalidParameterException', {
        message: "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
      });
  });

  await t.test('the password leads to MFA_SETUP, and the session sets up an authenticator', async () => {
    const start = await initiate(app.ClientId, user);
    assert.equal(start.ChallengeName, 'MFA_SETUP');
    assert.equal(start.AuthenticationResult, undefined);
    assert.deepEqual(JSON.parse(start.ChallengeParameters.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);

    const assoc = await client.send(new AssociateSoftwareTokenCommand({ Session: start.Session }));
    secret = recordSecret(assoc.SecretCode);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(assoc.Session);

    await rejects(client.send(new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: wrongCode(secret) })),
      'EnableSoftwareTokenMFAException', { message: 'Code mismatch and fail enable Software Token MFA' });
    const verified = await client.send(new VerifySoftwareTokenCommand({
      Session: assoc.Session, UserCode: totp(secret), FriendlyDeviceName: 'e2e phone',
    }));
    assert.equal(verified.Status, 'SUCCESS');
    assert.ok(verified.Session);
    verifySession = verified.Session;
  });

  await t.test('MFA_SETUP with the verified session gives tokens', async () => {
    const out = await respond(app.ClientId, 'MFA_SETUP', verifySession, { USERNAME: user.username });
    const result = recordTokens(out.AuthenticationResult);
    assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);
    const me = await client.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    assert.equal(me.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    assert.deepEqual(me.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
  });

  await t.test('the next sign-in asks for a code from the app', async () => {
    const start = await initiate(app.ClientId, user);
    assert.equal(start.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(start.ChallengeParameters.USER_ID_FOR_SRP, user.username);
    assert.equal(start.ChallengeParameters.FRIENDLY_DEVICE_NAME, 'e2e phone');
    await rejects(respond(app.ClientId, 'SOFTWARE_TOKEN_MFA', start.Session, {
      USERNAME: user.username, SOFTWARE_TOKEN_MFA_CODE: wrongCode(secret),
    }), 'CodeMismatchException', { message: 'Invalid code or auth state for the user.' });
    // The code of the step after the one VerifySoftwareToken used: a code
    // is good once, and the server accepts one step either side.
    const code = totp(secret, 1);
    const out = await respond(app.ClientId, 'SOFTWARE_TOKEN_MFA', start.Session, {
      USERNAME: user.username, SOFTWARE_TOKEN_MFA_CODE: code,
    });
    const result = recordTokens(out.AuthenticationResult);
    assert.ok(result.AccessToken && result.RefreshToken);

    const again = await initiate(app.ClientId, user);
    await rejects(respond(app.ClientId, 'SOFTWARE_TOKEN_MFA', again.Session, {
      USERNAME: user.username, SOFTWARE_TOKEN_MFA_CODE: code,
    }), 'ExpiredCodeException', { message: 'Your software token has already been used once.' });
  });

  await t.test('a session that is not ours is refused', async () => {
    await rejects(client.send(new AssociateSoftwareTokenCommand({ Session: 'A'.repeat(40) })),
      'NotAuthorizedException', { message: 'Invalid session for the user.' });
  });
});

test('an optional pool: a signed-in user adds an authenticator', async () => {
  const pool = await createPool(client);
  const app = await createClient(client, pool.Id, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
  const user = await createUser(client, pool.Id);
  await client.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.Id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true },
  }));

  const first = await initiate(app.ClientId, user);
  const access = recordTokens(first.AuthenticationResult).AccessToken;
  assert.ok(access, 'no MFA yet: tokens straight away');

  await rejects(client.send(new SetUserMFAPreferenceCommand({
    AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  })), 'InvalidParameterException', { message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA' });

  const assoc = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
  const secret = recordSecret(assoc.SecretCode);
  const verified = await client.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(secret) }));
  assert.equal(verified.Status, 'SUCCESS');
  await client.send(new SetUserMFAPreferenceCommand({
    AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  }));

  const start = await initiate(app.ClientId, user);
  assert.equal(start.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  const out = await respond(app.ClientId, 'SOFTWARE_TOKEN_MFA', start.Session, {
    USERNAME: user.username, SOFTWARE_TOKEN_MFA_CODE: totp(secret, 1),
  });
  assert.ok(recordTokens(out.AuthenticationResult).AccessToken);
});
