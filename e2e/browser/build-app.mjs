// Builds the web apps of TestBrowserApps into the directory given as the
// only argument: the Amplify app bundled with esbuild (from this
// package's node_modules, nothing fetched), and the plain OIDC page. The
// Go test serves that directory from an origin of its own; nothing built
// here is kept in the repository.
import { build } from 'esbuild';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  throw new Error('usage: node build-app.mjs OUTDIR');
}
await build({
  entryPoints: ['app/amplify-app.js'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  outfile: join(out, 'amplify.js'),
  logLevel: 'warning',
});
for (const f of ['amplify.html', 'spa.html', 'spa.js']) {
  await copyFile(join('app', f), join(out, f));
}
