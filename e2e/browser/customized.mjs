// The UI customization (SetUICustomization) in a real browser: the login
// page and the pages it links to show the logo and apply the CSS, which
// the Content-Security-Policy lets load because this server serves it.
// TestBrowserApps sets the customization; this script checks what the
// user sees and takes the screenshot.
import assert from 'node:assert/strict';
import { env, launch } from './chromium.mjs';

const buttonColor = env('UI_BUTTON_COLOR');

const { page, problems, close } = await launch();
try {
  await page.goto(env('AUTHORIZE_URL'));
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  for (const heading of ['Sign in', 'Forgot your password?', 'Sign up']) {
    if (heading === 'Forgot your password?') {
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
    } else if (heading === 'Sign up') {
      await page.goBack();
      await page.getByRole('link', { name: 'Sign up' }).click();
    }
    await page.getByRole('heading', { name: heading }).waitFor();
    console.log(`- ${heading}: the logo and the customized button`);
    const logo = page.getByRole('img', { name: 'Logo' });
    await logo.waitFor();
    assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo did not load');
    const color = await page.locator('button.submitButton-customizable').first().evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(color, buttonColor, 'the customized CSS was not applied');
    if (heading === 'Sign in') {
      await page.screenshot({ path: env('SCREENSHOT_FILE') });
    }
  }
  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
console.log('ok');
