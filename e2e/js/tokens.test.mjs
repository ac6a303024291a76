// The token lifecycle through the AWS SDK for JavaScript v3: sign-in,
// NEW_PASSWORD_REQUIRED, REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken with
// rotation, RevokeToken and GlobalSignOut, with every ID and access token
// checked by aws-jwt-verify against the pool's issuer and JWKS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtInvalidAudienceError, JwtInvalidSignatureError } from 'aws-jwt-verify/error';
import {
  adminClient, attr, createPool, endpoint, newPassword, recordSecret, rejects, suffix,
} from './helpers.mjs';
import {
  adminScope, createClient, createUser, decodeHeader, decodePayload, discover,
  recordTokens, refreshAuth, signIn, verifiers,
} from './tokenhelpers.mjs';

const client = adminClient();

// Cognito's answers (the project's behaviour reference, §4.7 and §4.4).
const revokedRefresh = 'Refresh Token has been revoked';
const revokedAccess = 'Access Token has been revoked';
const incorrect = 'Incorrect username or password.';

function getUser(accessToken) {
  return client.send(new GetUserCommand({ AccessToken: accessToken }));
}

function getTokens(clientId, refreshToken) {
  return client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }))
    .then((out) => recordTokens(out.AuthenticationResult));
}

test('token lifecycle', async (t) => {
  const pool = await createPool(client);
  const issuer = `${endpoint}/${pool.Id}`;
  const plain = await createClient(client, pool.Id, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  // Rotation is incompatible with ALLOW_REFRESH_TOKEN_AUTH (reference §4.3).
  const rotating = await createClient(client, pool.Id, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  const user = await createUser(client, pool.Id);
  let jwksUri;
  let plainVerify;
  let first;

  await t.test('discovery names the issuer and the JWKS', async () => {
    const doc = await discover(pool.Id);
    assert.equal(doc.issuer, issuer);
    assert.equal(doc.jwks_uri, `${issuer}/.well-known/jwks.json`);
    jwksUri = doc.jwks_uri;
    plainVerify = verifiers({ issuer, jwksUri, clientId: plain.ClientId });
  });

  await t.test('USER_PASSWORD_AUTH returns ID, access and refresh tokens', async () => {
    first = await signIn(client, plain.ClientId, user);
    assert.equal(first.TokenType, 'Bearer');
    assert.equal(first.ExpiresIn, 3600);
    assert.ok(first.IdToken && first.AccessToken && first.RefreshToken);
  });

  await t.test('aws-jwt-verify accepts the ID and access tokens', async () => {
    const id = await plainVerify.id.verify(first.IdToken);
    assert.equal(id.token_use, 'id');
    assert.equal(id.aud, plain.ClientId);
    assert.equal(id.iss, issuer);
    assert.equal(id['cognito:username'], user.username);
    assert.equal(id.email, `${user.username}@example.com`);
    assert.equal(id.exp - id.iat, 3600);

    const access = await plainVerify.access.verify(first.AccessToken);
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, plain.ClientId);
    assert.equal(access.username, user.username);
    assert.equal(access.scope, adminScope);
    assert.equal(access.sub, id.sub);
    assert.equal(access.aud, undefined, 'access tokens carry no aud (reference §3.3)');
    // ID and access tokens are signed with different keys (reference §3.1).
    assert.notEqual(decodeHeader(first.IdToken).kid, decodeHeader(first.AccessToken).kid);
  });

  await t.test('aws-jwt-verify rejects a tampered token and the wrong token use', async () => {
    const [h, p, s] = first.IdToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodePayload(first.IdToken), 'cognito:username': 'mallory' }))
      .toString('base64url');
    await assert.rejects(plainVerify.id.verify(`${h}.${forged}.${s}`), JwtInvalidSignatureError);
    // An access token has no aud, so the ID-token verifier refuses it.
    await assert.rejects(plainVerify.id.verify(first.AccessToken), JwtInvalidAudienceError);
    await assert.rejects(plainVerify.access.verify(first.IdToken), /token_use is id, want access/);
    // Another client's verifier refuses this client's access token.
    const other = verifiers({ issuer, jwksUri, clientId: rotating.ClientId });
    await assert.rejects(other.access.verify(first.AccessToken), /client_id is/);
  });

  await t.test('a wrong password is refused', async () => {
    await rejects(signIn(client, plain.ClientId, { username: user.username, password: newPassword() }),
      'NotAuthorizedException', { message: incorrect });
  });

  await t.test('GetUser with the access token', async () => {
    const out = await getUser(first.AccessToken);
    assert.equal(out.Username, user.username);
    assert.equal(attr(out.UserAttributes, 'email'), `${user.username}@example.com`);
  });

  await t.test('REFRESH_TOKEN_AUTH returns new ID and access tokens and no refresh token', async () => {
    const out = await refreshAuth(client, plain.ClientId, first.RefreshToken);
    assert.equal(out.RefreshToken, undefined);
    assert.equal(out.TokenType, 'Bearer');
    assert.equal(out.ExpiresIn, 3600);
    assert.notEqual(out.AccessToken, first.AccessToken);
    const id = await plainVerify.id.verify(out.IdToken);
    const access = await plainVerify.access.verify(out.AccessToken);
    const before = decodePayload(first.AccessToken);
    // A refresh keeps the sign-in's auth_time and family (reference §3.1, §3.2).
    assert.equal(access.auth_time, before.auth_time);
    assert.equal(access.origin_jti, before.origin_jti);
    assert.notEqual(access.jti, before.jti);
    assert.equal(id.auth_time, before.auth_time);
    // The refresh token stays valid: refresh again with it.
    await refreshAuth(client, plain.ClientId, first.RefreshToken);
  });

  await t.test('GetTokensFromRefreshToken without rotation returns no refresh token', async () => {
    const out = await getTokens(plain.ClientId, first.RefreshToken);
    assert.equal(out.RefreshToken, undefined);
    await plainVerify.access.verify(out.AccessToken);
  });

  await t.test('a refresh token is bound to its app client', async () => {
    await rejects(getTokens(rotating.ClientId, first.RefreshToken), 'NotAuthorizedException',
      { message: 'Invalid Refresh Token.' });
  });

  await t.test('GetTokensFromRefreshToken with rotation replaces the refresh token', async () => {
    const rotVerify = verifiers({ issuer, jwksUri, clientId: rotating.ClientId });
    const signedIn = await signIn(client, rotating.ClientId, user);
    const next = await getTokens(rotating.ClientId, signedIn.RefreshToken);
    assert.ok(next.RefreshToken, 'a rotating client returns a new refresh token');
    assert.notEqual(next.RefreshToken, signedIn.RefreshToken);
    const access = await rotVerify.access.verify(next.AccessToken);
    const id = await rotVerify.id.verify(next.IdToken);
    assert.equal(id.aud, rotating.ClientId);
    assert.equal(access.auth_time, decodePayload(signedIn.AccessToken).auth_time);

    // The replacement works and is replaced in turn.
    const third = await getTokens(rotating.ClientId, next.RefreshToken);
    assert.ok(third.RefreshToken);
    assert.notEqual(third.RefreshToken, next.RefreshToken);
    // RetryGracePeriodSeconds 0: a replaced token is refused at once, and
    // its reuse revokes the sign-in, the newest refresh token included.
    await rejects(getTokens(rotating.ClientId, signedIn.RefreshToken), 'RefreshTokenReuseException');
    await rejects(getTokens(rotating.ClientId, third.RefreshToken), 'NotAuthorizedException', { message: 'Refresh Token has been revoked' });
  });

  await t.test('REFRESH_TOKEN_AUTH is refused on a rotating client', async () => {
    const signedIn = await signIn(client, rotating.ClientId, user);
    await rejects(refreshAuth(client, rotating.ClientId, signedIn.RefreshToken), 'InvalidParameterException');
    // The refusal does not spend the token.
    const next = await getTokens(rotating.ClientId, signedIn.RefreshToken);
    assert.ok(next.RefreshToken);
  });

  await t.test('NEW_PASSWORD_REQUIRED after AdminCreateUser', async () => {
    const username = `new-${suffix()}`;
    const temporary = newPassword();
    await client.send(new AdminCreateUserCommand({
      UserPoolId: pool.Id, Username: username, TemporaryPassword: temporary, MessageAction: 'SUPPRESS',
    }));
    const started = await client.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: plain.ClientId,
      AuthParameters: { USERNAME: username, PASSWORD: temporary },
    }));
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(started.AuthenticationResult, undefined);
    assert.ok(started.Session, 'the challenge carries a Session');
    recordSecret(started.Session);

    const chosen = newPassword();
    const done = await client.send(new RespondToAuthChallengeCommand({
      ClientId: plain.ClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: chosen },
    }));
    recordTokens(done.AuthenticationResult);
    assert.ok(done.AuthenticationResult?.RefreshToken, 'the challenge answer signs the user in');
    const id = await plainVerify.id.verify(done.AuthenticationResult.IdToken);
    assert.equal(id['cognito:username'], username);

    await rejects(signIn(client, plain.ClientId, { username, password: temporary }),
      'NotAuthorizedException', { message: incorrect });
    await signIn(client, plain.ClientId, { username, password: chosen });
  });

  await t.test('RevokeToken ends the sign-in and its access tokens, not others', async () => {
    const revoked = await signIn(client, plain.ClientId, user);
    const refreshed = await refreshAuth(client, plain.ClientId, revoked.RefreshToken);
    const other = await signIn(client, plain.ClientId, user);

    await client.send(new RevokeTokenCommand({ ClientId: plain.ClientId, Token: revoked.RefreshToken }));
    await rejects(refreshAuth(client, plain.ClientId, revoked.RefreshToken), 'NotAuthorizedException',
      { message: revokedRefresh });
    await rejects(getTokens(plain.ClientId, revoked.RefreshToken), 'NotAuthorizedException',
      { message: revokedRefresh });
    await rejects(getUser(revoked.AccessToken), 'NotAuthorizedException', { message: revokedAccess });
    await rejects(getUser(refreshed.AccessToken), 'NotAuthorizedException', { message: revokedAccess });
    // Revoked tokens still verify offline (reference §4.4): only Cognito knows.
    await plainVerify.access.verify(revoked.AccessToken);

    // Another sign-in of the same user is untouched.
    await getUser(other.AccessToken);
    await refreshAuth(client, plain.ClientId, other.RefreshToken);
  });

  await t.test('GlobalSignOut ends every sign-in of the user', async () => {
    const a = await signIn(client, plain.ClientId, user);
    const b = await signIn(client, rotating.ClientId, user);
    const out = await client.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    assert.deepEqual(Object.keys(out).filter((k) => k !== '$metadata'), []);

    await rejects(getUser(a.AccessToken), 'NotAuthorizedException', { message: revokedAccess });
    await rejects(getUser(b.AccessToken), 'NotAuthorizedException', { message: revokedAccess });
    await rejects(refreshAuth(client, plain.ClientId, a.RefreshToken), 'NotAuthorizedException',
      { message: revokedRefresh });
    await rejects(getTokens(rotating.ClientId, b.RefreshToken), 'NotAuthorizedException',
      { message: revokedRefresh });
    await rejects(client.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken })),
      'NotAuthorizedException', { message: revokedAccess });

    // Signing in again right away starts a session that works.
    const again = await signIn(client, plain.ClientId, user);
    await getUser(again.AccessToken);
    await refreshAuth(client, plain.ClientId, again.RefreshToken);
  });
});
