// aws-amplify v6: signIn (USER_SRP_AUTH by default) and
// fetchAuthSession({ forceRefresh: true }), which refreshes with
// GetTokensFromRefreshToken. In node, Amplify keeps tokens in its in-memory
// storage (there is no localStorage).
import test from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { callsSince, calls, claims, endpoint, password, plainPool, recordSecret, user } from './helpers.mjs';

Amplify.configure({
  Auth: { Cognito: { userPoolId: plainPool.userPoolId, userPoolClientId: plainPool.clientId, userPoolEndpoint: endpoint } },
});

test('Amplify signIn with SRP, then fetchAuthSession({ forceRefresh: true })', async () => {
  const username = user('AMPLIFY');
  let i = calls.length;
  const result = await signIn({ username, password });
  assert.equal(result.isSignedIn, true);
  assert.equal(result.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  assert.equal((await getCurrentUser()).username, username);

  const { tokens } = await fetchAuthSession();
  recordSecret(tokens.accessToken.toString());
  assert.equal(tokens.accessToken.payload.username, username);

  i = calls.length;
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  recordSecret(refreshed.tokens.accessToken.toString());
  assert.deepEqual(callsSince(i), ['GetTokensFromRefreshToken']);
  assert.notEqual(refreshed.tokens.accessToken.toString(), tokens.accessToken.toString());
  assert.equal(claims(refreshed.tokens.idToken.toString())['cognito:username'], username);

  await signOut();
  await assert.rejects(signIn({ username, password: recordSecret(`${password}-wrong`) }), (err) => err.name === 'NotAuthorizedException');
});
