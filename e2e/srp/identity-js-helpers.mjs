// Shared by the amazon-cognito-identity-js scenarios: the library's
// callback API turned into promises, an in-memory storage (the library's
// "browser storage", where it keeps tokens and the device it remembers),
// and the recording of every token it is handed as a secret.
import assert from 'node:assert/strict';
import { AuthenticationDetails } from 'amazon-cognito-identity-js';
import { recordSecret } from './harness.mjs';

// memoryStorage is a fresh storage: a new browser, as far as the library
// can tell.
export function memoryStorage() {
  const m = new Map();
  return {
    setItem: (k, v) => m.set(k, String(v)),
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    removeItem: (k) => m.delete(k),
    clear: () => m.clear(),
  };
}

// recordSession records a session's three tokens as secrets.
export function recordSession(session) {
  recordSecret(session.getAccessToken().getJwtToken());
  recordSecret(session.getIdToken().getJwtToken());
  recordSecret(session.getRefreshToken().getToken());
  return session;
}

// authenticate runs authenticateUser and resolves with how it ended:
// { session, userConfirmationNecessary } on success, { totp } with the
// challenge parameters when the library asks for an authenticator code.
// Any other challenge is a failure.
export function authenticate(cognitoUser, username, password) {
  return new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session: recordSession(session), userConfirmationNecessary }),
      onFailure: reject,
      totpRequired: (challengeName, challengeParameters) => {
        assert.equal(challengeName, 'SOFTWARE_TOKEN_MFA');
        resolve({ totp: challengeParameters });
      },
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('unexpected SMS_MFA')),
      mfaSetup: () => reject(new Error('unexpected MFA_SETUP')),
      selectMFAType: () => reject(new Error('unexpected SELECT_MFA_TYPE')),
      customChallenge: () => reject(new Error('unexpected CUSTOM_CHALLENGE')),
    });
  });
}

// refresh runs refreshSession with the session's refresh token.
export function refresh(cognitoUser, session) {
  return new Promise((resolve, reject) => {
    cognitoUser.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(recordSession(s))));
  });
}
