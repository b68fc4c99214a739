// The inspector in a real browser: Debian's Chromium (installed by `npm test`'s pretest,
// scripts/ensure-chromium.sh) driven by playwright-core, against an emulator on a real port.
// It browses by clicking the nav bar like a person would, and checks that the pages' CSP (their
// own, stricter than Strapi's: emulator/inspector/layout.ts) blocks nothing they need. No Chromium → the test fails.
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

test('the workbench in Chromium: add, block, edit and delete a user; filter requests and read masked bodies; search documents; snapshot, reset and restore', async () => {
  const dialogs: string[] = [];
  const onDialog = (d: import('playwright-core').Dialog) => {
    dialogs.push(d.message());
    void d.accept();
  };
  page.on('dialog', onDialog);
  const row = (text: string) => page.locator('tbody tr', { hasText: text });
  const status = () => page.locator('#status').textContent();

  await page.goto(`${server.url}/_emulator/ui/users`);
  await page.getByText('Add a user').click();
  const add = page.locator('form[data-call="POST /_emulator/users"]');
  await add.getByLabel('username').fill('bob');
  await add.getByLabel('email').fill('bob@example.com');
  await add.getByLabel('password').fill('B0bPassw0rd');
  await add.getByRole('button', { name: 'Add user' }).click();
  await expect.poll(() => row('bob@example.com').count()).toBe(1);
  expect(await api('POST', '/api/auth/local', { json: { identifier: 'bob', password: 'B0bPassw0rd' } })).toHaveProperty('jwt');
  await shot('workbench-users');

  await row('bob@example.com').getByRole('button', { name: 'block', exact: true }).click();
  await expect.poll(() => row('bob@example.com').locator('.badge.bad').count()).toBe(1);
  const refused = await fetch(`${server.url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'bob', password: 'B0bPassw0rd' }) });
  expect(refused.status).toBe(400);

  await row('bob@example.com').getByText('edit', { exact: true }).click();
  const edit = row('bob@example.com').locator('form');
  await edit.getByLabel('email').fill('robert@example.com');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => row('robert@example.com').count()).toBe(1);
  // A mistake is said on the page, nothing changes.
  await row('robert@example.com').getByText('edit', { exact: true }).click();
  await row('robert@example.com').locator('form').getByLabel('username').fill('ann');
  await row('robert@example.com').locator('form').getByRole('button', { name: 'Save' }).click();
  await expect.poll(status).toBe('username "ann" is taken');
  // Chromium logs the refused write; nothing else may complain.
  expect(problems.splice(0)).toEqual(['console error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  await page.reload();
  await row('robert@example.com').getByRole('button', { name: 'delete' }).click();
  await expect.poll(async () => `${await row('robert@example.com').count()} ${await status()}`).toBe('0 ');
  expect(dialogs).toEqual(['Delete the user bob?']);

  await nav('Requests').click();
  await page.waitForURL('**/_emulator/ui/requests');
  await page.getByLabel('method').selectOption('POST');
  await page.getByLabel('path or operation contains').fill('auth/local');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL('**/_emulator/ui/requests?method=POST&status=&q=auth%2Flocal');
  const paths = await page.locator('tbody > tr > td:nth-child(4)').allTextContents();
  expect(paths.length).toBeGreaterThanOrEqual(3);
  for (const p of paths) expect(p).toMatch(/^\/api\/auth\/local/);
  const login = page.locator('tbody > tr', { hasText: '/api/auth/local' }).filter({ hasText: '200' }).filter({ hasNotText: 'register' }).first();
  await login.getByText('details').click();
  const bodies = await login.locator('pre').allTextContents();
  expect(bodies[0]).toContain('"password": "***"');
  expect(bodies[1]).toContain('"jwt": "***"');
  expect(bodies.join('')).not.toContain('B0bPassw0rd');
  await shot('workbench-requests');

  await page.goto(`${server.url}/_emulator/ui/documents/api::article.article`);
  await page.getByLabel(/^search/).fill('from the browser');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => row(article.title).count()).toBe(1);
  await page.getByLabel(/^search/).fill('no such title');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => page.getByText('Nothing matches.').count()).toBe(1);

  await nav('Overview').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download a snapshot' }).click()]);
  const saved = `${screenshots}/inspector-snapshot-${process.pid}.json`;
  await download.saveAs(saved);
  await page.getByRole('button', { name: 'Reset to the seed' }).click();
  await expect.poll(async () => page.locator('a.card', { hasText: 'users' }).textContent()).toBe('0users');
  await page.getByLabel('restore a snapshot').setInputFiles(saved);
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect.poll(async () => page.locator('a.card', { hasText: 'users' }).textContent()).toBe('1users');
  expect(await api('POST', '/api/auth/local', { json: { identifier: 'ann', password: 'Passw0rd!' } })).toHaveProperty('jwt');
  expect(dialogs.slice(1)).toEqual([expect.stringMatching(/^Reset the world/), 'Replace the whole world with this snapshot?']);
  await shot('workbench-overview');
  page.off('dialog', onDialog);
  expect(problems).toEqual([]);
});
