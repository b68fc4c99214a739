// Invalid query keys deep in a relation path: the answers real Strapi 5.54.0 and 4.26.2 gave
// for these exact queries (v5 names the whole path from the root; v4 only the key).
import { describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';

const admin = { token: fullAccessToken };

describe.each([4, 5] as const)('v%i', (major) => {
  const cases: Array<[string, string, string | null, string]> = [
    ['/api/articles?filters[author][password]=x', 'password', 'author.password', 'filters'],
    ['/api/articles?filters[author][role][users][password]=x', 'password', 'author.role.users.password', 'filters'],
    ['/api/articles?filters[$or][0][author][password]=x', 'password', 'author.password', 'filters'],
    ['/api/articles?filters[author][nope]=1', 'nope', 'author', 'filters'],
    ['/api/articles?filters[author][role][nope]=1', 'nope', 'author.role', 'filters'],
    ['/api/articles?filters[author][username][$foo]=1', '$foo', 'author.username', 'filters'],
    ['/api/articles?sort=author.password', 'password', 'author.password', 'sort'],
    ['/api/users?populate[role][populate][users][fields][0]=password', 'password', 'password', 'populate'],
  ];
  test.each(cases)('%s → 400 naming %s', async (path, key, at, param) => {
    const t = await setup({ strapi: major });
    const res = await t.call('GET', path, admin);
    // v4 ignores unknown operators ($foo): the filter just matches nothing new.
    if (major === 4 && key === '$foo') return expect(res.status).toBe(200);
    expect(res.status).toBe(400);
    if (major === 4) expect(res.body.error.message).toBe(`Invalid parameter ${key}`);
    else expect(res.body.error).toMatchObject({ message: at && at !== key ? `Invalid key ${key} at ${at}` : `Invalid key ${key}`, details: { key, path: at, source: 'query', param } });
  });

  test('a role\'s permissions can be filtered and populated through', async () => {
    const t = await setup({ strapi: major });
    expect((await t.call('GET', '/api/articles?filters[author][role][permissions][action]=x', admin)).status).toBe(200);
    expect((await t.call('GET', '/api/users?populate[role][populate][permissions][fields][0]=action', admin)).status).toBe(200);
  });
});
