// The README's front end (examples/oauth-frontend/index.html) signing in with the local identity
// provider, in Debian's Chromium: its own origin (localhost:<port>) → Strapi's /api/connect/github
// → the consent page → back to the front end → /api/auth/github/callback → {jwt, user} → /users/me.
// On v5 this needs the koa session cookie across origins of one site, as with real Strapi.
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, chromium } from 'playwright-core';
import { createEmulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';

const page = readFileSync(fileURLToPath(new URL('../examples/oauth-frontend/index.html', import.meta.url)), 'utf8');
let browser: Browser;
let front: Server;
let frontUrl = '';

beforeAll(async () => {
  front = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontUrl = `http://localhost:${(front.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => front?.close(resolve));
});

describe.each([4, 5] as const)('v%i: the example front end', (major) => {
  test('signs in with GitHub through the consent page, as a listed user and as a typed one', async () => {
    const emulator = createEmulator({ strapi: major, bcryptCost: 4, providers: { github: { enabled: true, key: 'example-client', secret: 'example-secret', callback: frontUrl } } });
    const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
    const strapi = server.url.replace('//127.0.0.1', '//localhost');
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    try {
      // A typed person: a new user.
      await tab.goto(`${frontUrl}?strapi=${encodeURIComponent(strapi)}`);
      await tab.getByRole('button', { name: 'Sign in with GitHub' }).click();
      await tab.waitForURL(/\/_emulator\/idp\/github\/authorize/);
      expect(await tab.locator('h1').textContent()).toBe('Sign in with github');
      await tab.getByLabel('Email', { exact: true }).fill('octo@example.com');
      await tab.getByLabel('Username', { exact: true }).fill('octocat');
      await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => tab.locator('#status').textContent(), { timeout: 10_000 }).toBe('Signed in as octocat (octo@example.com)');
      await tab.getByRole('button', { name: 'Who am I?' }).click();
      await expect.poll(() => tab.locator('#status').textContent()).toBe('Strapi says: octocat');
      // Now listed on the consent page: pick it, same user.
      await tab.getByRole('button', { name: 'Sign in with GitHub' }).click();
      await tab.getByRole('button', { name: 'octocat · octo@example.com' }).click();
      await expect.poll(() => tab.locator('#status').textContent(), { timeout: 10_000 }).toBe('Signed in as octocat (octo@example.com)');
      expect(emulator.store.users.count((u) => u.provider === 'github')).toBe(1);
      // Deny: back with the provider's error.
      await tab.getByRole('button', { name: 'Sign in with GitHub' }).click();
      await tab.getByRole('button', { name: 'Deny' }).click();
      await expect.poll(() => tab.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/^Sign-in failed: /);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  }, 60_000);
});
