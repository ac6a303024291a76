// aws-amplify v6 sets up e-mail MFA inside the sign-in: in a pool that
// requires MFA and offers e-mail codes and authenticator apps, a user with
// neither (and no e-mail address) gets MFA_SETUP; Amplify lets them choose
// EMAIL, asks for an address, sends it in MFA_SETUP, and the server mails a
// code there and answers EMAIL_OTP. The right code signs in and makes the
// address the user's verified e-mail and their MFA; later sign-ins ask for
// a code by e-mail. The codes are read from the development outbox
// (GET /_dev/messages), so this file runs only against a --dev server:
// TestSRPEmailMFA starts one, and the .dev.mjs name keeps it out of
// TestSRPJavaScript's *.test.mjs. It imports harness.mjs, not helpers.mjs:
// this server has none of TestSRPJavaScript's pools.
//
// The codes are not recorded as secrets: a --dev server logs every
// message it sends, codes included, by design, so the log check would
// always find them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchMFAPreference, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { callsSince, calls, claims, endpoint, recordSecret } from './harness.mjs';
import { admin, mfaPool } from './mfa-helpers.mjs';

// outbox lists the messages the server has sent, oldest first.
async function outbox() {
  const res = await fetch(`${endpoint}/_dev/messages`);
  assert.equal(res.status, 200, 'GET /_dev/messages: is the server running with --dev?');
  return res.json();
}

// codeSince returns the one sign-in code mailed to p's user since the
// outbox held `since` messages, checking where it went.
async function codeSince(p, since, address) {
  const sent = (await outbox()).slice(since).filter((m) => m.poolId === p.userPoolId && m.username === p.username);
  assert.equal(sent.length, 1, `one message to ${p.username}, got ${JSON.stringify(sent.map((m) => m.purpose))}`);
  const [m] = sent;
  assert.deepEqual([m.destination, m.deliveryMedium, m.purpose], [address, 'EMAIL', 'Authentication']);
  assert.match(m.code, /^\d{6}$/);
  assert.ok(m.body.includes(m.code), 'the message carries its code');
  return m.code;
}

// publicCall sends an unsigned public action, as an app would.
async function publicCall(action, body) {
  const res = await fetch(endpoint, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
  });
  const out = await res.json();
  assert.equal(res.status, 200, `${action}: ${JSON.stringify(out)}`);
  return out;
}

function attr(user, name) {
  return user.UserAttributes.find((a) => a.Name === name)?.Value;
}

// tokens returns the signed-in user's tokens, recorded as secrets.
async function tokens(options) {
  const t = (await fetchAuthSession(options)).tokens;
  recordSecret(t.accessToken.toString());
  recordSecret(t.idToken.toString());
  return t;
}

// otherCode is a six-digit code that is not `code`.
function otherCode(code) {
  return code === '000000' ? '111111' : '000000';
}

test('Amplify v6: e-mail MFA set up in MFA_SETUP, then CONFIRM_SIGN_IN_WITH_EMAIL_CODE', async () => {
  const p = await mfaPool('amplify-email-mfa', {
    mfa: { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} },
    // USER_PASSWORD_AUTH too, for one sign-in without Amplify that shows
    // the challenge as the server sends it.
    client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  const address = `${p.username}@example.com`;
  const masked = `${address[0]}***@e***`;
  const getUser = () => admin('AdminGetUser', { UserPoolId: p.userPoolId, Username: p.username });

  // The user has no factor and no address: both factors the pool offers
  // are to set up, in the server's order, and no SMS, which it does not.
  const raw = await publicCall('InitiateAuth', {
    ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: p.username, PASSWORD: p.password },
  });
  assert.equal(raw.ChallengeName, 'MFA_SETUP');
  assert.deepEqual(raw.ChallengeParameters, { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]', USER_ID_FOR_SRP: p.username });
  assert.equal(raw.AuthenticationResult, undefined);

  Amplify.configure({
    Auth: { Cognito: { userPoolId: p.userPoolId, userPoolClientId: p.clientId, userPoolEndpoint: endpoint } },
  });

  let i = calls.length;
  const first = await signIn({ username: p.username, password: p.password });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
  assert.deepEqual(first.nextStep.allowedMFATypes, ['TOTP', 'EMAIL']);
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);

  // Choosing EMAIL is Amplify's own step: nothing is sent.
  i = calls.length;
  const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert.equal(chosen.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
  assert.deepEqual(callsSince(i), []);

  // The address goes in MFA_SETUP; the server mails a code to it.
  let since = (await outbox()).length;
  i = calls.length;
  const sent = await confirmSignIn({ challengeResponse: address });
  assert.equal(sent.isSignedIn, false);
  assert.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.deepEqual(sent.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: masked });
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:MFA_SETUP']);
  const setupCode = await codeSince(p, since, address);

  // Until the code comes back nothing about the user has changed.
  let user = await getUser();
  assert.equal(attr(user, 'email'), undefined);
  assert.equal(user.UserMFASettingList, undefined);

  // A wrong code is refused; the challenge stays open for the right one.
  i = calls.length;
  await assert.rejects(confirmSignIn({ challengeResponse: otherCode(setupCode) }), (err) => err.name === 'CodeMismatchException');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:EMAIL_OTP']);
  assert.equal(attr(await getUser(), 'email'), undefined);

  i = calls.length;
  const done = await confirmSignIn({ challengeResponse: setupCode });
  assert.equal(done.isSignedIn, true);
  assert.equal(done.nextStep.signInStep, 'DONE');
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:EMAIL_OTP']);
  assert.equal((await getCurrentUser()).username, p.username);
  let signedIn = await tokens();
  const id = claims(signedIn.idToken.toString());
  assert.equal(id['cognito:username'], p.username);
  assert.equal(id.email, address);
  assert.equal(id.email_verified, true);

  // The address is the user's, verified by the code, and e-mail codes
  // are their MFA, preferred.
  user = await getUser();
  assert.equal(attr(user, 'email'), address);
  assert.equal(attr(user, 'email_verified'), 'true');
  assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
  assert.equal(user.PreferredMfaSetting, 'EMAIL_OTP');
  assert.deepEqual(await fetchMFAPreference(), { enabled: ['EMAIL'], preferred: 'EMAIL' });
  await signOut();

  // The next sign-in asks for a code by e-mail, a new one: the set-up
  // code is used up.
  since = (await outbox()).length;
  i = calls.length;
  const again = await signIn({ username: p.username, password: p.password });
  assert.equal(again.isSignedIn, false);
  assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  assert.deepEqual(again.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: masked });
  assert.deepEqual(callsSince(i), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER']);
  const code = await codeSince(p, since, address);
  if (code !== setupCode) {
    await assert.rejects(confirmSignIn({ challengeResponse: setupCode }), (err) => err.name === 'CodeMismatchException');
  }
  i = calls.length;
  const confirmed = await confirmSignIn({ challengeResponse: code });
  assert.equal(confirmed.isSignedIn, true);
  assert.deepEqual(callsSince(i), ['RespondToAuthChallenge:EMAIL_OTP']);
  signedIn = await tokens();
  assert.equal(signedIn.accessToken.payload.username, p.username);

  i = calls.length;
  const refreshed = await tokens({ forceRefresh: true });
  assert.deepEqual(callsSince(i), ['GetTokensFromRefreshToken']);
  assert.notEqual(refreshed.accessToken.toString(), signedIn.accessToken.toString());
  assert.equal(claims(refreshed.idToken.toString()).email, address);
  await signOut();
});
