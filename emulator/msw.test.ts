import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SpecValidator } from '../contracts/validate.js';
import { createEmulator } from './index.js';
import { strapiHandlers } from './msw.js';

const emulator = createEmulator({ bcryptCost: 4, strapi: 5, apiTokens: [{ accessKey: 'msw-full-access', type: 'full-access' }], uploadSizeLimit: 1024 * 1024 });
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

test('multipart bodies stream through MSW: an upload is stored; one over the size limit gets 413 before the rest is read', async () => {
  const form = new FormData();
  form.append('files', new File(['hello through msw'], 'msw.txt', { type: 'text/plain' }));
  const up = await send('http://strapi.test/api/upload', { method: 'POST', headers: { authorization: 'Bearer msw-full-access' }, body: form });
  expect(up.status).toBe(201);
  const stored = await fetch(`http://strapi.test${up.body[0].url}`);
  expect(await stored.text()).toBe('hello through msw');
  let pulled = 0;
  const head = new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n');
  const body = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(head),
    pull(c) {
      pulled += 64 * 1024;
      if (pulled > 64 * 1024 * 1024) return c.close();
      c.enqueue(new Uint8Array(64 * 1024));
    },
  });
  const big = await fetch('http://strapi.test/api/upload', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body, duplex: 'half' } as RequestInit);
  expect(big.status).toBe(413);
  expect(pulled).toBeLessThan(8 * 1024 * 1024);
});
