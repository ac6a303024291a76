// Shared set-up for the token scenarios (tokens*.test.mjs): app clients,
// users with a permanent password, sign-in, and aws-jwt-verify verifiers
// pointed at the pool's issuer and JWKS on the server under test.
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { endpoint, newPassword, recordSecret, suffix } from './helpers.mjs';

// The scope of every access token the API (not the OAuth endpoints) issues.
export const adminScope = 'aws.cognito.signin.user.admin';

// createClient creates an app client without a secret and returns it.
export async function createClient(client, poolId, props) {
  const out = await client.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: `e2e-js-${suffix()}`,
    ...props,
  }));
  return out.UserPoolClient;
}

// createUser creates a confirmed user with a recorded permanent password.
export async function createUser(client, poolId, username = `user-${suffix()}`) {
  const password = newPassword();
  await client.send(new AdminCreateUserCommand({
    UserPoolId: poolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  }));
  await client.send(new AdminSetUserPasswordCommand({
    UserPoolId: poolId, Username: username, Password: password, Permanent: true,
  }));
  return { username, password };
}

// recordTokens registers a result's access and refresh tokens as secrets:
// they are bearer credentials, so the server must not log them either.
export function recordTokens(result) {
  for (const t of [result?.AccessToken, result?.RefreshToken]) {
    if (t) {
      recordSecret(t);
    }
  }
  return result;
}

// signIn runs USER_PASSWORD_AUTH and returns the AuthenticationResult.
export async function signIn(client, clientId, { username, password }) {
  const out = await client.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  assert.equal(out.ChallengeName, undefined, 'a confirmed user with a permanent password gets no challenge');
  return recordTokens(out.AuthenticationResult);
}

// refreshAuth runs REFRESH_TOKEN_AUTH and returns the AuthenticationResult.
export async function refreshAuth(client, clientId, refreshToken) {
  const out = await client.send(new InitiateAuthCommand({
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  }));
  return recordTokens(out.AuthenticationResult);
}

// discover reads the pool's OpenID configuration, as a relying party would
// before it trusts a JWKS.
export async function discover(poolId) {
  const res = await fetch(`${endpoint}/${poolId}/.well-known/openid-configuration`);
  assert.equal(res.status, 200, 'openid-configuration status');
  return res.json();
}

// The library's own fetcher speaks only https (node:https), and the server
// under test listens on plain http on loopback; its documented extension
// point, a Fetcher, lets it read our JWKS with the global fetch instead.
// Everything else — key selection by kid, signature, claims — is the
// library's.
const httpFetcher = {
  async fetch(uri) {
    const res = await fetch(uri);
    if (res.status !== 200) {
      throw new Error(`GET ${uri}: status ${res.status}`);
    }
    return res.arrayBuffer();
  },
};

// verifiers builds aws-jwt-verify verifiers for a pool and an app client:
// one for ID tokens (aud = the client) and one for access tokens (no aud;
// client_id checked instead), each also checking token_use, as
// CognitoJwtVerifier does for real Cognito issuers (which it insists on).
// The access verifier leaves scope to the scenarios: the library checks it
// before customJwtCheck, which would hide a wrong token_use.
export function verifiers({ issuer, jwksUri, clientId }) {
  const jwksCache = new SimpleJwksCache({ fetcher: httpFetcher });
  const tokenUse = (want) => ({ payload }) => {
    if (payload.token_use !== want) {
      throw new Error(`token_use is ${payload.token_use}, want ${want}`);
    }
  };
  const id = JwtVerifier.create({
    issuer, jwksUri, audience: clientId, customJwtCheck: tokenUse('id'),
  }, { jwksCache });
  const access = JwtVerifier.create({
    issuer,
    jwksUri,
    audience: null,
    customJwtCheck: (props) => {
      tokenUse('access')(props);
      if (props.payload.client_id !== clientId) {
        throw new Error(`client_id is ${props.payload.client_id}, want ${clientId}`);
      }
    },
  }, { jwksCache });
  return { id, access };
}

// decodePayload reads a JWT's claims without verifying it, for comparing
// tokens a verifier has already accepted.
export function decodePayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// decodeHeader reads a JWT's header.
export function decodeHeader(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}
