// The hosted sign-in in a real browser, as a user does it: from the
// authorize URL through the login page (a wrong password first, then the
// temporary one and the new-password form, typed with the keyboard) to the
// client's callback; a second authorization within the hour that skips
// the form; and /logout, after which the form is back. The Go test builds
// the URLs, serves the callback and checks the codes; this script drives
// the browser, checks what the user sees, and writes the callback URLs to
// RESULT_FILE.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { env, launch, waitForCallback } from './chromium.mjs';

const endpoint = env('USERPOOL_ENDPOINT');
const callback = env('CALLBACK_URL');
const signedOut = env('SIGNED_OUT_URL');
const username = env('BROWSER_USERNAME');
const temporary = env('BROWSER_TEMP_PASSWORD');
const newPassword = env('BROWSER_NEW_PASSWORD');
const screenshot = env('SCREENSHOT_FILE');

function step(msg) {
  console.log(`- ${msg}`);
}

const { context, page, problems, close } = await launch();
const result = {};
try {
  step('authorize without a session shows the login page');
  await page.goto(env('AUTHORIZE_URL_1'));
  const login = new URL(page.url());
  assert.equal(login.origin, endpoint);
  assert.equal(login.pathname, '/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.title(), 'Sign in');
  // The embedded stylesheet applied (a CSP refusal would leave the card
  // unstyled).
  const radius = await page.locator('main.card').evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  assert.equal(radius, '12px', 'the stylesheet was not applied');
  await page.screenshot({ path: screenshot });

  step('the page fits a phone screen');
  await page.setViewportSize({ width: 360, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`);
  await page.setViewportSize({ width: 720, height: 600 });

  step('a wrong password, typed with the keyboard, shows the error');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'username', 'the username field has no focus');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
  await page.keyboard.type('Not-The-Password-1!');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(), 'Incorrect username or password.');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByLabel('Username').inputValue(), username, 'the username was not kept');
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password was kept');

  step('the temporary password leads to the new-password form');
  await page.getByLabel('Password', { exact: true }).fill(temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Enter the new password again').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  result.first = await waitForCallback(page, callback);
  const cookies = await context.cookies(endpoint);
  const session = cookies.find((c) => c.name === 'cognito');
  assert.ok(session, 'no hosted session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');

  step('a second authorization within the hour skips the form');
  const visited = [];
  const onRequest = (r) => visited.push(new URL(r.url()).pathname);
  page.on('request', onRequest);
  await page.goto(env('AUTHORIZE_URL_2'));
  result.second = await waitForCallback(page, callback);
  page.off('request', onRequest);
  assert.ok(!visited.includes('/login'), `the second authorization went through /login: ${visited}`);

  step('/logout ends the session and goes to the sign-out URL');
  await page.goto(env('LOGOUT_URL'));
  await page.waitForURL((u) => u.href === signedOut);
  assert.ok(!(await context.cookies(endpoint)).some((c) => c.name === 'cognito'), 'the session cookie survived /logout');

  step('after /logout, authorize shows the form again');
  await page.goto(env('AUTHORIZE_URL_3'));
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  result.third = await waitForCallback(page, callback);

  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
await writeFile(env('RESULT_FILE'), JSON.stringify(result));
console.log('hosted sign-in: all steps passed');
