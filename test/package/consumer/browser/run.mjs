// Bundles app.ts (esbuild, as a front end's bundler would), serves it with MSW's worker file on
// a loopback port, opens it in Debian's Chromium (playwright-core, no browser download) and
// prints what the page reports, or the page's errors.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const bundle = await build({ entryPoints: [new URL('./app.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
const files = {
  '/index.html': ['text/html', '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="/app.js"></script>'],
  '/app.js': ['text/javascript', bundle.outputFiles[0].text],
  '/mockServiceWorker.js': ['text/javascript', readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8')],
};
const server = createServer((req, res) => {
  const file = files[new URL(req.url, 'http://x').pathname === '/' ? '/index.html' : new URL(req.url, 'http://x').pathname];
  if (!file) return res.writeHead(404).end('not here');
  res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const errors = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  // A failed resource (the favicon, the wrong password's 400) is no page error.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.waitForFunction(() => window.result, null, { timeout: 60_000 }).then((h) => h.jsonValue());
  console.log(JSON.stringify({ result, errors, bundleBytes: bundle.outputFiles[0].contents.length }));
} finally {
  await browser.close();
  server.close();
}
