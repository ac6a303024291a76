// Managed login branding in a real browser: on a managed login domain the
// login page wears the client's style, its light colours and logo, and in
// dark mode its dark ones, all loaded from this server under the pages'
// Content-Security-Policy. TestBrowserManagedLogin creates the style;
// this script checks what the user sees.
import assert from 'node:assert/strict';
import { env, launch } from './chromium.mjs';

const { page, problems, close } = await launch();
try {
  const button = page.getByRole('button', { name: 'Sign in' });
  const logo = page.getByRole('img', { name: 'Logo' });
  for (const [scheme, color, logoName] of [
    ['light', env('LIGHT_BUTTON_COLOR'), 'form_logo-light'],
    ['dark', env('DARK_BUTTON_COLOR'), 'form_logo-dark'],
  ]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(env('AUTHORIZE_URL'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    console.log(`- ${scheme}: the style's button colour and logo`);
    assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), color, `the ${scheme} button colour`);
    await logo.waitFor();
    const src = await logo.evaluate((img) => img.complete && img.naturalWidth > 0 && img.currentSrc);
    assert.ok(src && src.includes(`/${logoName}?`), `the ${scheme} logo did not load: ${src}`);
  }
  assert.deepEqual(problems, [], 'the pages logged errors');
} finally {
  await close();
}
console.log('ok');
