// The vitest helper as a project uses it after `npm install -D strapi-emulator`: the package's
// own name, its built files, the project's msw — beside the project's own MSW server.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { setupStrapiEmulator } from 'strapi-emulator/vitest';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';

const server = setupServer(http.get('https://payments.test/status', () => HttpResponse.json({ ok: true })));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const strapi = setupStrapiEmulator({ strapi: 5, server, seed: { apiTokens: [{ accessKey: 'full', type: 'full-access' }] } });

test('a user registers and reads /users/me through the emulator; the app host answers too', async () => {
  const res = await fetch(`${strapi.url}/api/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }) });
  expect(res.status).toBe(200);
  const { jwt } = (await res.json()) as { jwt: string };
  const me = await fetch(`${strapi.url}/api/users/me`, { headers: { authorization: `Bearer ${jwt}` } });
  expect(await me.json()).toMatchObject({ username: 'ann', email: 'ann@example.com' });
  expect(await (await fetch('https://payments.test/status')).json()).toEqual({ ok: true });
});

test('state went back to the seed: no user, the seeded token still works', async () => {
  const users = await fetch(`${strapi.url}/api/users`, { headers: { authorization: 'Bearer full' } });
  expect(await users.json()).toEqual([]);
});

test("Strapi's filter syntax with the generated-client serializer's output", async () => {
  await strapi.seed.document('api::article.article', { title: 'x' });
  await strapi.seed.document('api::article.article', { title: 'y' });
  const res = await fetch(`${strapi.url}/api/articles?filters[title][$eq]=x`);
  expect(((await res.json()) as { data: Array<{ title: string }> }).data.map((a) => a.title)).toEqual(['x']);
});
