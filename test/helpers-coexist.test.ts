// The helper beside an app's own MSW server for other hosts: only one MSW server answers in a
// process (the last to listen), so the emulator joins the app's server (`server`) and both
// hosts answer, through the app's resetHandlers() after every test too.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { setupStrapiEmulator } from '../emulator/vitest.js';

const appServer = setupServer(http.get('https://payments.test/status', () => HttpResponse.json({ ok: true })));
beforeAll(() => appServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => appServer.resetHandlers());
afterAll(() => appServer.close());

const strapi = setupStrapiEmulator({ strapi: 5, server: appServer });

test("the app's host and the emulator answer side by side, under the app's 'error' strategy", async () => {
  expect(await (await fetch('https://payments.test/status')).json()).toEqual({ ok: true });
  const res = await fetch(`${strapi.url}/api/articles`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
  await expect(fetch('https://unknown.test/')).rejects.toThrow();
});

test("a handler the test adds with use() goes after resetHandlers(); the emulator's stay", async () => {
  appServer.use(http.get('https://payments.test/status', () => HttpResponse.json({ ok: false })));
  expect(await (await fetch('https://payments.test/status')).json()).toEqual({ ok: false });
  await strapi.seed.document('api::article.article', { title: 'kept' });
  const listed = (await (await fetch(`${strapi.url}/api/articles`)).json()) as { data: Array<{ title: string }> };
  expect(listed.data.map((a) => a.title)).toEqual(['kept']);
});

test('after the reset: the initial app handler again, and the emulator still answers', async () => {
  expect(await (await fetch('https://payments.test/status')).json()).toEqual({ ok: true });
  const users = await fetch(`${strapi.url}/api/users-permissions/roles`);
  expect(users.status).toBe(403);
});
