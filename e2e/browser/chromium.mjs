// Starts Debian's chromium (never a downloaded browser) for the hosted-page
// scenarios, headless, with a throw-away profile, and collects what the
// pages complain about in the console (a Content-Security-Policy violation
// shows up there).
import { chromium } from 'playwright-core';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const executablePath = '/usr/bin/chromium';

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// launch returns a fresh browser profile (its own cookies) and a page in
// it. Playwright passes the profile directory as --user-data-dir.
export async function launch() {
  const dir = await mkdtemp(join(tmpdir(), 'userpool-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    args,
    viewport: { width: 720, height: 600 },
    locale: 'en-US',
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('console', (msg) => {
    // Browsers ask every site for /favicon.ico; the hosted pages have none.
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) {
      problems.push(`${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// env returns a required environment variable.
export function env(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: this script is run by e2e/browser_test.go`);
  }
  return v;
}

// recordSecret tells the harness a key or token this script saw that the
// Go side never does (an authenticator key, a session cookie); the test
// fails if any of them shows up in the server's output.
export function recordSecret(value) {
  if (value) {
    appendFileSync(env('E2E_SECRETS_FILE'), `${value}\n`);
  }
  return value;
}

// waitForCallback waits until the page is on the callback URL and returns
// that URL.
export async function waitForCallback(page, callback) {
  await page.waitForURL((u) => u.href.startsWith(callback + '?') || u.href.startsWith(callback + '#'));
  return page.url();
}
