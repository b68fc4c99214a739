// A dropped connection in-process, through MSW: fetch rejects as on a real network failure
// (its own file: no @hono/node-server in this process, as in an app's unit tests).
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEmulator } from '../index.js';
import { strapiHandlers } from '../msw.js';

const emulator = createEmulator({ strapi: 5 });
const server = setupServer(...strapiHandlers('http://strapi.test', emulator));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('drop: fetch rejects with a TypeError; the next request is served', async () => {
  emulator.control.faults.add({ route: 'GET /api/articles', drop: true, times: 1 });
  await expect(fetch('http://strapi.test/api/articles')).rejects.toThrow(TypeError);
  expect((await fetch('http://strapi.test/api/articles')).status).toBe(200);
});

test("a forced status reaches the client with Strapi's envelope", async () => {
  emulator.control.faults.add({ route: 'POST /api/auth/local', status: 503, times: 1 });
  const res = await fetch('http://strapi.test/api/auth/local', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(503);
  expect(await res.json()).toEqual({ data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Service Unavailable' } });
});
