// Concurrent refreshes of one refresh token through the AWS SDK for
// JavaScript v3: without rotation they all succeed; with rotation and no
// grace period exactly one rotation wins and every other one is told the
// token was reused (or, after such a reuse, that the sign-in is revoked):
// the reuse revokes the sign-in, the winner's new tokens included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetTokensFromRefreshTokenCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, createPool, endpoint } from './helpers.mjs';
import {
  createClient, createUser, recordTokens, refreshAuth, signIn, verifiers,
} from './tokenhelpers.mjs';

const client = adminClient();

test('concurrent refreshes of one token', async (t) => {
  const pool = await createPool(client);
  const issuer = `${endpoint}/${pool.Id}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const user = await createUser(client, pool.Id);

  await t.test('20 concurrent REFRESH_TOKEN_AUTH calls all succeed', async () => {
    const plain = await createClient(client, pool.Id, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const verify = verifiers({ issuer, jwksUri, clientId: plain.ClientId });
    const signedIn = await signIn(client, plain.ClientId, user);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => refreshAuth(client, plain.ClientId, signedIn.RefreshToken)),
    );
    const failures = results.filter((r) => r.status === 'rejected').map((r) => `${r.reason.name}: ${r.reason.message}`);
    assert.deepEqual(failures, []);
    const accessTokens = new Set(results.map((r) => r.value.AccessToken));
    assert.equal(accessTokens.size, 20, 'every refresh mints its own access token');
    for (const r of results) {
      assert.equal(r.value.RefreshToken, undefined);
      await verify.access.verify(r.value.AccessToken);
      await verify.id.verify(r.value.IdToken);
    }
  });

  await t.test('10 concurrent rotations with no grace period: exactly one wins', async () => {
    const rotating = await createClient(client, pool.Id, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    });
    const signedIn = await signIn(client, rotating.ClientId, user);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: rotating.ClientId, RefreshToken: signedIn.RefreshToken }),
    ).then((out) => recordTokens(out.AuthenticationResult))));

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    assert.equal(won.length, 1, `winners: ${won.length}; failures: ${lost.map((r) => r.reason.name).join(', ')}`);
    for (const r of lost) {
      if (r.reason.name === 'NotAuthorizedException') {
        assert.equal(r.reason.message, 'Refresh Token has been revoked');
      } else {
        assert.equal(r.reason.name, 'RefreshTokenReuseException', r.reason.message);
      }
      assert.equal(r.reason.$metadata?.httpStatusCode, 400);
    }
    // The reuse revoked the sign-in: the winner's tokens are refused.
    const winner = won[0].value;
    assert.ok(winner.RefreshToken);
    await assert.rejects(client.send(new GetUserCommand({ AccessToken: winner.AccessToken })),
      { name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    await assert.rejects(client.send(new GetTokensFromRefreshTokenCommand({
      ClientId: rotating.ClientId, RefreshToken: winner.RefreshToken,
    })), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });
});
