// The README's in-process example, kept honest by running it: the emulator as MSW handlers,
// called through the generated SDK, with state reset between tests.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createClient } from '../clients/v5/sdk/client/index.js';
import { authForgotPassword, authLocal, authLocalRegister, usersMe } from '../clients/v5/sdk/index.js';
import { createEmulator } from '../emulator/index.js';
import { strapiHandlers } from '../emulator/msw.js';

const strapi = createEmulator({ strapi: 5 });
const server = setupServer(...strapiHandlers('http://strapi.test', strapi));
const client = createClient({ baseUrl: 'http://strapi.test' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => strapi.control.reset());
afterAll(() => server.close());

test('register, read /users/me, and find the reset email in the outbox', async () => {
  await authLocalRegister({ client, body: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }, throwOnError: true });
  const { data } = await authLocal({ client, body: { identifier: 'ann', password: 'Passw0rd!' }, throwOnError: true });
  const me = await usersMe({ client, auth: data.jwt, throwOnError: true });
  expect(me.data?.username).toBe('ann');
  await authForgotPassword({ client, body: { email: 'ann@example.com' }, throwOnError: true });
  expect(strapi.control.outbox('ann@example.com')[0].text).toMatch(/code=[0-9a-f]{128}/);
});

test('state was reset: ann is gone', async () => {
  const again = await authLocalRegister({ client, body: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' } });
  expect(again.response.status).toBe(200);
});
