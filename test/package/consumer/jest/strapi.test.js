// The jest helper from CommonJS, with jest's defaults (no flags, no transform for the package):
// require() loads the package's CommonJS build.
const { setupStrapiEmulator } = require('strapi-emulator/jest');
const { createEmulator } = require('strapi-emulator');

const strapi = setupStrapiEmulator({ strapi: 4 });

test('a Strapi 4 emulator behind MSW: register, then the v4 shape of /api/articles', async () => {
  const res = await fetch(`${strapi.url}/api/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', email: 'bob@example.com', password: 'Passw0rd!' }) });
  expect(res.status).toBe(200);
  await strapi.seed.document('api::article.article', { title: 'Hello' });
  const list = await (await fetch(`${strapi.url}/api/articles`)).json();
  expect(list.data).toEqual([expect.objectContaining({ id: expect.any(Number), attributes: expect.objectContaining({ title: 'Hello' }) })]);
});

test('the outbox and the reset between tests', async () => {
  expect(strapi.outbox()).toEqual([]);
  const list = await (await fetch(`${strapi.url}/api/articles`)).json();
  expect(list.data).toEqual([]);
});

test('createEmulator from the main entry answers in-process', async () => {
  const emulator = createEmulator({ strapi: 5 });
  await emulator.ready;
  const res = await emulator.app.request('/api/articles');
  expect(res.status).toBe(200);
});

describe('on a real port (no msw needed)', () => {
  const served = setupStrapiEmulator({ strapi: 5, port: 0 });
  test('GET /api/articles over HTTP', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${served.url}/api/articles`);
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual([]);
  });
});
