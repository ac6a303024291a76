// The development clock with the AWS SDK for JavaScript v3: a --dev server's
// clock (POST /_dev/clock) is moved past each lifetime, and the tokens a
// client holds expire exactly when Cognito's would: the access token after
// its 60 minutes, the refresh token after its 30 days, and a refresh token
// of a client that asked for ten years after ten years and not before.
// TestDevClockJavaScript (e2e/devclock_test.go) gives this file a --dev
// server of its own, since moving the clock would expire the tokens of
// every other scenario sharing the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, createPool, endpoint, rejects } from './helpers.mjs';
import { createClient, createUser, refreshAuth, signIn } from './tokenhelpers.mjs';

// devClock sends one request to /_dev/clock and returns its answer.
async function devClock(body) {
  const res = await fetch(`${endpoint}/_dev/clock`, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const out = await res.json();
  assert.equal(res.status, 200, `/_dev/clock ${JSON.stringify(body)}: ${JSON.stringify(out)}`);
  return out;
}

const advance = (d) => devClock({ advance: d });

test('the dev clock expires access, refresh and ten-year refresh tokens as Cognito would', async () => {
  const admin = adminClient();
  const flows = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };
  const pool = await createPool(admin);
  const monthly = await createClient(admin, pool.Id, flows); // Cognito's defaults: 60 minutes, 30 days
  const decade = await createClient(admin, pool.Id, {
    ...flows, RefreshTokenValidity: 3650, TokenValidityUnits: { RefreshToken: 'days' },
  });
  const user = await createUser(admin, pool.Id);
  const m = await signIn(admin, monthly.ClientId, user);
  const d = await signIn(admin, decade.ClientId, user);

  const start = await devClock();
  assert.equal(start.offset, '0s');
  assert.ok(Math.abs(Date.parse(start.now) - Date.now()) < 60_000, `a fresh clock reads ${start.now}`);

  const getUser = (accessToken) => admin.send(new GetUserCommand({ AccessToken: accessToken }));
  const expiredAccess = { message: 'Access Token has expired' };
  const expiredRefresh = { message: 'Refresh Token has expired' };

  const moved = await advance('59m');
  assert.equal(moved.offset, '59m0s');
  assert.ok(Date.parse(moved.now) - Date.parse(start.now) >= 59 * 60_000, 'the clock moved 59 minutes');
  await getUser(m.AccessToken);
  await advance('2m');
  await rejects(getUser(m.AccessToken), 'NotAuthorizedException', expiredAccess);
  await rejects(getUser(d.AccessToken), 'NotAuthorizedException', expiredAccess);

  // The refresh tokens still work, and what they give is fresh by the
  // server's clock.
  const fresh = await refreshAuth(admin, monthly.ClientId, m.RefreshToken);
  await getUser(fresh.AccessToken);

  // 29 days and 23 hours after the sign-in, the 30-day token still works;
  // an hour and a minute later it has expired. The ten-year one has not.
  await advance('29d21h59m');
  await refreshAuth(admin, monthly.ClientId, m.RefreshToken);
  await advance('1h1m');
  await rejects(refreshAuth(admin, monthly.ClientId, m.RefreshToken), 'NotAuthorizedException', expiredRefresh);
  await rejects(getUser(fresh.AccessToken), 'NotAuthorizedException', expiredAccess);
  const later = await refreshAuth(admin, decade.ClientId, d.RefreshToken);
  await getUser(later.AccessToken);

  // Ten years are 3650 days: a day before, it works; a day after, not.
  const before = await advance('3619d');
  assert.equal(before.offset, `${3649 * 24}h1m0s`);
  await refreshAuth(admin, decade.ClientId, d.RefreshToken);
  await advance('2d');
  await rejects(refreshAuth(admin, decade.ClientId, d.RefreshToken), 'NotAuthorizedException', expiredRefresh);

  const reset = await devClock({ reset: true });
  assert.equal(reset.offset, '0s');
});
