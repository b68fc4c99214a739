import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SpecValidator } from '../contracts/validate.js';
import { createEmulator } from './index.js';
import { strapiHandlers } from './msw.js';

const emulator = createEmulator({ bcryptCost: 4, strapi: 5 });
const server = setupServer(...strapiHandlers('http://strapi.test', emulator), ...strapiHandlers('http://gateway.test/cms', emulator));
const validator = new SpecValidator(emulator.spec);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

async function send(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const body = await res.text();
  const path = url.replace(/^http:\/\/gateway\.test\/cms/, 'http://strapi.test');
  expect(validator.check({ method: init?.method ?? 'GET', url: path, status: res.status, headers: res.headers, body }).violations).toEqual([]);
  return { status: res.status, body: body ? JSON.parse(body) : undefined, headers: res.headers };
}

test('MSW handlers serve the emulator in-process: register, login, me', async () => {
  const json = { 'content-type': 'application/json' };
  const reg = await send('http://strapi.test/api/auth/local/register', { method: 'POST', headers: json, body: JSON.stringify({ username: 'msw', email: 'msw@example.com', password: 'Passw0rd!' }) });
  expect(reg.status).toBe(200);
  const login = await send('http://strapi.test/api/auth/local', { method: 'POST', headers: json, body: JSON.stringify({ identifier: 'msw', password: 'Passw0rd!' }) });
  expect(login.body.user.username).toBe('msw');
  expect(login.headers.get('x-ratelimit-remaining')).toBe('9');
  const me = await send('http://strapi.test/api/users/me', { headers: { authorization: `Bearer ${login.body.jwt}` } });
  expect(me.body.id).toBe(reg.body.user.id);
});

test('a base URL with a path prefix is stripped', async () => {
  const r = await send('http://gateway.test/cms/api/articles');
  expect(r.body.data).toEqual([]);
});

test('hosts that are not mocked are not answered', async () => {
  await expect(fetch('http://elsewhere.test/api/articles')).rejects.toThrow();
});
