// The inspector in a real browser: Debian's Chromium (installed by `npm test`'s pretest,
// scripts/ensure-chromium.sh) driven by playwright-core, against an emulator on a real port.
// It browses by clicking the nav bar like a person would, and checks that Strapi's CSP (which
// the pages are served under) blocks nothing they need. No Chromium → the test fails.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser, type Page, chromium } from 'playwright-core';
import { png } from '../contracts/fixtures.js';
import { createEmulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';

const executablePath = '/usr/bin/chromium';
const screenshots = process.env.INSPECTOR_SCREENSHOTS ?? '/tmp';

let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];
let resetCode = '';
let article: { documentId: string; title: string };

async function api(method: string, path: string, init: { json?: unknown; body?: BodyInit; jwt?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.jwt) headers.authorization = `Bearer ${init.jwt}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return JSON.parse(text);
}

beforeAll(async () => {
  server = await listen(createEmulator({ strapi: 5, bcryptCost: 4 }), { port: 0, host: '127.0.0.1' });
  const { jwt } = await api('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' } });
  await api('PUT', '/_emulator/settings', { json: { email_reset_password: 'http://localhost:3000/reset-password' } });
  const form = new FormData();
  form.append('files', new File([new Uint8Array(png(320, 200, [30, 120, 220]))], 'blue-banner.png', { type: 'image/png' }));
  await api('POST', '/api/upload', { body: form, jwt });
  article = (await api('POST', '/api/articles', { json: { data: { title: 'Hello from the browser test', body: 'Some body text.' } }, jwt })).data;
  await api('POST', '/api/auth/forgot-password', { json: { email: 'ann@example.com' } });
  const { mails } = await api('GET', '/_emulator/outbox');
  resetCode = /code=([0-9a-f]+)/.exec(mails[0].text)![1];

  browser = await chromium.launch({ executablePath });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const nav = (name: string) => page.locator('header nav').getByRole('link', { name, exact: true });
const shot = (name: string) => page.screenshot({ path: `${screenshots}/inspector-${name}.png`, fullPage: true });

test('browse the inspector in Chromium: overview, users, roles, outbox, requests, documents, files', async () => {
  await page.goto(`${server.url}/_emulator/ui`);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Overview');
  expect(await page.locator('a.card', { hasText: 'users' }).textContent()).toBe('1users');
  await shot('overview');

  await nav('Users').click();
  await page.waitForURL('**/_emulator/ui/users');
  const ann = page.locator('tbody tr', { hasText: 'ann@example.com' });
  expect(await ann.locator('td').nth(2).textContent()).toBe('ann');
  expect(await ann.getByRole('link').textContent()).toBe('Authenticated');
  await shot('users');

  await ann.getByRole('link', { name: 'Authenticated' }).click();
  await page.waitForURL('**/_emulator/ui/roles#role-1');
  expect(await page.locator('h2#role-1').textContent()).toBe('Authenticated · type authenticated · id 1 · 1 user');
  expect(await page.locator('h2#role-1 + p + details tr', { hasText: 'api::article.article' }).locator('td').nth(1).textContent()).toBe('create, delete, find, findOne, update');
  await shot('roles');

  await nav('Outbox').click();
  await page.waitForURL('**/_emulator/ui/outbox');
  const reset = page.getByRole('link', { name: /reset-password\?code=/ });
  expect(await reset.getAttribute('href')).toBe(`http://localhost:3000/reset-password?code=${resetCode}`);
  expect(await page.locator('.mail dd code').first().textContent()).toBe(resetCode);
  await shot('outbox');

  await nav('Requests').click();
  await page.waitForURL('**/_emulator/ui/requests');
  const register = page.locator('tbody tr', { hasText: '/api/auth/local/register' });
  expect(await register.count()).toBe(1);
  expect(await register.locator('td').nth(4).textContent()).toBe('200');
  expect(await register.locator('td').nth(5).textContent()).toBe('authLocalRegister');
  expect(await page.locator('tbody tr', { hasText: '/_emulator/ui' }).count()).toBe(0);
  await shot('requests');

  await nav('Documents').click();
  await page.waitForURL('**/_emulator/ui/documents');
  await page.getByRole('link', { name: 'Article', exact: true }).click();
  const line = page.locator('tbody tr', { hasText: article.title });
  expect(await line.locator('.badge').textContent()).toBe('published');
  await shot('documents');
  await line.getByRole('link', { name: article.documentId }).click();
  await page.waitForURL(`**/${article.documentId}`);
  expect(await page.locator('h2').allTextContents()).toEqual([expect.stringMatching(/^draft · id 1/), expect.stringMatching(/^published · id 2/)]);
  expect(await page.locator('pre').first().textContent()).toContain('"title": "Hello from the browser test"');
  await shot('document');

  await nav('Files').click();
  await page.waitForURL('**/_emulator/ui/files');
  const thumb = page.locator('img.thumb');
  // A data: thumbnail that Strapi's CSP (img-src 'self' data:) lets through and that decodes: the
  // 320-pixel upload's thumbnail format, resized by sharp to Strapi's 245-pixel box.
  expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(245);
  expect(await page.getByRole('link', { name: /^\/uploads\/blue_banner_/ }).count()).toBe(1);
  await shot('files');

  expect(problems).toEqual([]);
});
