// SAML sign-in in a real browser: the app's login page has a button for
// the pool's SAML provider; it leads to the IdP (crewjam's samlidp, run by
// the Go test) with an AuthnRequest; the IdP's login form signs the user
// in and its page posts the SAML response to /saml2/idpresponse, from
// where the browser lands on the app's callback. The Go test sets the pool
// and the IdP up, redeems the code and checks the tokens; this script
// drives the browser and writes the callback URL to RESULT_FILE.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { env, launch, waitForCallback } from './chromium.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const callback = env('CALLBACK_URL');
const provider = env('PROVIDER_NAME');
const idp = env('IDP_URL');

function step(msg) {
  console.log(`- ${msg}`);
}

const { page, problems, close } = await launch();
const result = {};
try {
  step('the login page offers the SAML provider');
  await page.goto(env('AUTHORIZE_URL'));
  assert.equal(new URL(page.url()).origin, endpoint);
  const button = page.getByRole('link', { name: `Continue with ${provider}` });
  await button.waitFor();

  step('the button leads to the IdP with an AuthnRequest');
  await button.click();
  await page.waitForURL((u) => u.origin === idp && u.pathname === '/sso');
  const sso = new URL(page.url());
  assert.ok(sso.searchParams.get('SAMLRequest'), 'no SAMLRequest');
  assert.ok(sso.searchParams.get('RelayState'), 'no RelayState');

  step('signing in at the IdP posts the response back and lands on the app callback');
  await page.locator('input[name=user]').fill(env('IDP_USERNAME'));
  await page.locator('input[name=password]').fill(env('IDP_PASSWORD'));
  await page.locator('input[type=submit]').click();
  result.callback = await waitForCallback(page, callback);
  assert.equal(new URL(result.callback).searchParams.get('state'), 'saml-state');

  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
await writeFile(env('RESULT_FILE'), JSON.stringify(result));
console.log('SAML sign-in: all steps passed');
