// setupStrapiEmulator with a real port, as an end-to-end suite (a browser, another process) uses
// it; Strapi 4 here, with a project's content types and a seed file.
import { expect, test } from 'vitest';
import { setupStrapiEmulator } from '../emulator/vitest.js';

const strapi = setupStrapiEmulator({ strapi: 4, port: 0, contentTypes: ['test/fixtures/strapi-project/src'], seed: 'test/fixtures/seed.json' });

test('serves on a loopback port, with the seed file applied', async () => {
  expect(strapi.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${strapi.url}/api/categories?sort=rank`, { headers: { authorization: 'Bearer seed-full-access' } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Array<{ id: number; attributes: { name: string } }> };
  expect(body.data.map((c) => c.attributes.name)).toEqual(['News', 'Guides']);
});

test('v4 seeding answers {id, attributes}; a draft stays out of the public list', async () => {
  const page = await strapi.seed.document('api::page.page', { title: 'Draft page', publishedAt: null });
  expect(page).toMatchObject({ id: expect.any(Number), attributes: { title: 'Draft page', publishedAt: null } });
  const single = await strapi.seed.document('api::homepage.homepage', { headline: 'Welcome' });
  expect(single).toMatchObject({ attributes: { headline: 'Welcome' } });
  const pages = await fetch(`${strapi.url}/api/pages`, { headers: { authorization: 'Bearer seed-full-access' } });
  expect(((await pages.json()) as { data: unknown[] }).data).toEqual([]);
});

test('a seeded user with the seeded role logs in; the reset keeps the seed file', async () => {
  const login = await fetch(`${strapi.url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'editor@example.com', password: 'Passw0rd!' }) });
  expect(login.status).toBe(200);
  const { jwt } = (await login.json()) as { jwt: string };
  const me = (await (await fetch(`${strapi.url}/api/users/me`, { headers: { authorization: `Bearer ${jwt}` } })).json()) as { id: number; username: string };
  expect(me.username).toBe('editor');
  const user = await fetch(`${strapi.url}/api/users/${me.id}?populate=role`, { headers: { authorization: 'Bearer seed-full-access' } });
  expect(await user.json()).toMatchObject({ username: 'editor', role: { type: 'editor', description: 'Writes pages' } });
  await strapi.reset();
  const again = await fetch(`${strapi.url}/api/categories`, { headers: { authorization: 'Bearer seed-full-access' } });
  expect(((await again.json()) as { data: unknown[] }).data).toHaveLength(2);
});
