// Federated sign-in in a real browser, as a user does it: the app's
// authorize URL shows the login page with a button per identity provider;
// the button leads to the upstream provider (another pool of the same
// server), whose login page takes the upstream password; the browser lands
// on the app's callback. The Go test sets the pools up, redeems the code
// and checks the tokens; this script drives the browser and writes the
// callback URL to RESULT_FILE.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { env, launch, waitForCallback } from './chromium.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const callback = env('CALLBACK_URL');
const provider = env('PROVIDER_NAME');

function step(msg) {
  console.log(`- ${msg}`);
}

const { page, problems, close } = await launch();
const result = {};
try {
  step('the login page offers the provider next to the password form');
  await page.goto(env('AUTHORIZE_URL'));
  const login = new URL(page.url());
  assert.equal(login.origin, endpoint);
  assert.equal(login.pathname, '/login');
  const appClient = login.searchParams.get('client_id');
  const button = page.getByRole('link', { name: `Continue with ${provider}` });
  await button.waitFor();
  await page.getByLabel('Password', { exact: true }).waitFor();

  step('the button leads to the upstream login page');
  await button.click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('client_id') !== appClient);
  const upstream = new URL(page.url());
  assert.equal(upstream.searchParams.get('redirect_uri'), `${endpoint}/oauth2/idpresponse`);
  assert.ok(upstream.searchParams.get('nonce'), 'no nonce was sent upstream');
  assert.equal(upstream.searchParams.get('code_challenge_method'), 'S256');

  step('signing in upstream lands on the app callback');
  await page.getByLabel('Username').fill(env('UPSTREAM_USERNAME'));
  await page.getByLabel('Password', { exact: true }).fill(env('UPSTREAM_PASSWORD'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  result.callback = await waitForCallback(page, callback);
  assert.equal(new URL(result.callback).searchParams.get('state'), 'fed-state');

  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
await writeFile(env('RESULT_FILE'), JSON.stringify(result));
console.log('federated sign-in: all steps passed');
