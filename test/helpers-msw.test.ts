// setupStrapiEmulator as a project's unit tests use it: MSW, no port, typed seeding, the outbox.
import { expect, test } from 'vitest';
import { setupStrapiEmulator } from '../emulator/vitest.js';

const strapi = setupStrapiEmulator({ strapi: 5 });

test('a seeded user logs in through the real API and reads /users/me', async () => {
  const seeded = await strapi.seed.user({ username: 'ann', email: 'Ann@Example.com', password: 'Passw0rd!' });
  expect(seeded).toMatchObject({ username: 'ann', email: 'ann@example.com', confirmed: true, blocked: false, role: { type: 'authenticated' } });
  expect(seeded).not.toHaveProperty('password');
  const login = await fetch(`${strapi.url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'ann', password: 'Passw0rd!' }) });
  expect(login.status).toBe(200);
  const { jwt } = (await login.json()) as { jwt: string };
  const me = await fetch(`${strapi.url}/api/users/me`, { headers: { authorization: `Bearer ${jwt}` } });
  const { role: _role, ...withoutRole } = seeded;
  expect(await me.json()).toEqual(withoutRole);
});

test('state is back to the seed in the next test', async () => {
  const users = await fetch(`${strapi.url}/api/users`, { headers: { authorization: `Bearer ${(await strapi.seed.apiToken({ accessKey: 'k1', type: 'read-only' })).accessKey}` } });
  expect(await users.json()).toEqual([]);
});

test('a role with its actions, a custom token, and a document answered as GET /api/articles/:id answers it', async () => {
  const role = await strapi.seed.role({ name: 'Editor', permissions: ['api::article.article.create'] });
  expect(role).toMatchObject({ name: 'Editor', type: 'editor' });
  const token = await strapi.seed.apiToken({ accessKey: 'custom-key', type: 'custom', permissions: ['api::article.article.findOne'] });
  const article = await strapi.seed.document('api::article.article', { title: 'Hello world' });
  expect(article).toMatchObject({ title: 'Hello world', body: null, documentId: expect.any(String), publishedAt: expect.any(String) });
  const res = await fetch(`${strapi.url}/api/articles/${article.documentId}`, { headers: { authorization: `Bearer ${token.accessKey}` } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { data: unknown }).data).toEqual(article);
});

test('seeding refuses bad input with the message the control API gives', async () => {
  await expect(strapi.seed.user({ username: 'bob', email: '' })).rejects.toThrow('email must be a non-empty string');
  await expect(strapi.seed.user({ username: 'bob', email: 'bob@example.com', role: 'nope' })).rejects.toThrow('No role "nope" (give a role id or type)');
  await expect(strapi.seed.document('api::nope.nope', {})).rejects.toThrow(/No content type "api::nope.nope" \(known: api::article.article, api::greeting.greeting, api::post.post\)/);
  await expect(strapi.seed.document('api::article.article', { body: 'no title' })).rejects.toThrow('title must be a `string` type, but the final value was: `null`.');
});

test('outbox(): the reset-password email a forgot-password request sends', async () => {
  await strapi.seed.user({ username: 'cid', email: 'cid@example.com', password: 'Passw0rd!' });
  const res = await fetch(`${strapi.url}/api/auth/forgot-password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cid@example.com' }) });
  expect(res.status).toBe(200);
  expect(strapi.outbox('cid@example.com')).toHaveLength(1);
  expect(strapi.outbox()[0].text).toMatch(/code=[0-9a-f]+/);
});
