// The README's Quick start example 2, as written there (only the import path differs).
import { expect, test } from 'vitest';
import { setupStrapiEmulator } from '../emulator/vitest.js';

const strapi = setupStrapiEmulator({ strapi: 5 });   // MSW answers http://strapi.test; reset after every test

test('the app logs a seeded user in', async () => {
  await strapi.seed.user({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' });
  const article = await strapi.seed.document('api::article.article', { title: 'Hello' }); // what the API answers
  const res = await fetch(`${strapi.url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'ann', password: 'Passw0rd!' }) });
  expect(res.status).toBe(200);
  expect(strapi.outbox()).toEqual([]);
  expect(article.title).toBe('Hello');
});
