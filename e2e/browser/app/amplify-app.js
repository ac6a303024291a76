// The Amplify v6 web app of TestBrowserApps: the code a single-page app
// writes, bundled by build-app.mjs with esbuild and served from an origin
// of its own, so every call to Userpool is a cross-origin request from a
// real browser. apps.dev.mjs drives it through window.app.
import { Amplify } from 'aws-amplify';
import {
  associateWebAuthnCredential,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  listWebAuthnCredentials,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';

let endpoint;

window.app = {
  // configure points Amplify at Userpool: only the endpoint differs from
  // a Cognito app's configuration.
  configure(poolId, clientId, userPoolEndpoint) {
    endpoint = userPoolEndpoint;
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint } } });
  },
  signUp(username, password, email) {
    return signUp({ username, password, options: { userAttributes: { email } } });
  },
  confirmSignUp(username, confirmationCode) {
    return confirmSignUp({ username, confirmationCode });
  },
  // signIn uses Amplify's default flow, USER_SRP_AUTH.
  signIn(username, password) {
    return signIn({ username, password });
  },
  // signInWithEmailCode starts choice-based sign-in (USER_AUTH) with an
  // e-mailed one-time code; confirmSignIn answers it.
  signInWithEmailCode(username) {
    return signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
  },
  // associatePasskey registers a passkey of the signed-in user
  // (StartWebAuthnRegistration, navigator.credentials.create,
  // CompleteWebAuthnRegistration) and lists the user's passkeys.
  async associatePasskey() {
    await associateWebAuthnCredential();
    const { credentials } = await listWebAuthnCredentials();
    return credentials.map((c) => ({ id: c.credentialId, rp: c.relyingPartyId }));
  },
  // signInWithPasskey signs in with USER_AUTH and WEB_AUTHN: Amplify
  // answers the challenge with navigator.credentials.get.
  signInWithPasskey(username) {
    return signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
  },
  signOutHere() {
    return signOut();
  },
  confirmSignIn(challengeResponse) {
    return confirmSignIn({ challengeResponse });
  },
  async session(forceRefresh) {
    const s = await fetchAuthSession({ forceRefresh });
    return { access: s.tokens?.accessToken?.toString(), id: s.tokens?.idToken?.toString() };
  },
  fetchUserAttributes() {
    return fetchUserAttributes();
  },
  signOut() {
    return signOut({ global: true });
  },
  // getUser calls GetUser with an access token the way the SDKs do, from
  // the page, and returns the answer as the page can read it.
  async getUser(accessToken) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
      body: JSON.stringify({ AccessToken: accessToken }),
    });
    return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: await res.json() };
  },
};
document.getElementById('status').textContent = 'ready';
