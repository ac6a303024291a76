// A single-page OIDC client written with the browser's own fetch and
// WebCrypto: authorization code with PKCE against the hosted pages, the
// code redeemed at /oauth2/token and the claims read from
// /oauth2/userInfo, both cross-origin calls from the page. Its settings
// come in the query of the first visit: endpoint, client_id.
const status = document.getElementById('status');
const result = document.getElementById('result');

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function start(params) {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const settings = { endpoint: params.get('endpoint'), clientId: params.get('client_id'), verifier, state };
  sessionStorage.setItem('oidc', JSON.stringify(settings));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: location.origin + location.pathname,
    scope: 'openid email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${settings.endpoint}/oauth2/authorize?${q}`);
}

async function finish(params) {
  const settings = JSON.parse(sessionStorage.getItem('oidc'));
  if (params.get('state') !== settings.state) {
    throw new Error(`state ${params.get('state')}, want ${settings.state}`);
  }
  const token = await fetch(`${settings.endpoint}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code: params.get('code'),
      redirect_uri: location.origin + location.pathname,
      code_verifier: settings.verifier,
    }),
  });
  const tokens = await token.json();
  if (!token.ok) {
    throw new Error(`token endpoint: ${token.status} ${JSON.stringify(tokens)}`);
  }
  const info = await fetch(`${settings.endpoint}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const claims = await info.json();
  if (!info.ok) {
    throw new Error(`userInfo: ${info.status} ${JSON.stringify(claims)}`);
  }
  result.textContent = JSON.stringify({ userInfo: claims, tokenTypes: Object.keys(tokens).sort() });
  status.textContent = 'signed in';
}

const params = new URLSearchParams(location.search);
(params.has('code') ? finish(params) : start(params)).catch((err) => {
  status.textContent = `error: ${err.message}`;
});
