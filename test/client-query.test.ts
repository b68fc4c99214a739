// The generated clients' default query serializer writes what qs.stringify(…, { encodeValuesOnly:
// true }) writes (Strapi's docs' serializer), and the generated SDK sends Strapi's filter and
// populate syntax with it, without the caller passing one.
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import qs from 'qs';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { client } from '../clients/v5/sdk/client.gen.js';
import { articlesFind } from '../clients/v5/sdk/index.js';
import { strapiQuerySerializer as v4Serializer } from '../clients/v4/sdk/strapi-query.js';
import { strapiQuerySerializer } from '../clients/v5/sdk/strapi-query.js';
import { createEmulator } from '../emulator/index.js';
import { strapiHandlers } from '../emulator/msw.js';
import { seederFor } from '../emulator/control/seeding.js';

test('the same string as qs with encodeValuesOnly, for any nested query of strings, numbers, booleans and nulls', () => {
  const key = fc.stringMatching(/^[$a-zA-Z_][a-zA-Z0-9_]{0,6}$/);
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
  })).node;
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (query) => {
      expect(strapiQuerySerializer(query)).toBe(qs.stringify(query, { encodeValuesOnly: true }));
    }),
    { numRuns: 500 },
  );
  const at = new Date('2026-01-02T03:04:05.000Z');
  expect(v4Serializer({ filters: { publishedAt: { $lt: at } } })).toBe(qs.stringify({ filters: { publishedAt: { $lt: at } } }, { encodeValuesOnly: true }));
  expect(strapiQuerySerializer({ filters: { title: { $eq: "a&b=c 'd'" } }, populate: ['author', 'cover'] })).toBe("filters[title][$eq]=a%26b%3Dc%20%27d%27&populate[0]=author&populate[1]=cover");
});

const strapi = createEmulator({ strapi: 5 });
const server = setupServer(...strapiHandlers('http://strapi.test', strapi));
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  client.setConfig({ baseUrl: 'http://strapi.test' });
});
afterEach(() => strapi.control.reset());
afterAll(() => server.close());

test("the generated SDK sends Strapi's filters, sort and pagination as they are written, no serializer given", async () => {
  await strapi.ready;
  const seed = seederFor(strapi);
  for (const title of ['x', 'y', 'xy']) await seed.document('api::article.article', { title });
  const query = { filters: { title: { $startsWith: 'x' } }, sort: ['title:desc'], pagination: { page: 1, pageSize: 10 } } as Record<string, unknown>;
  const { data, response } = await articlesFind({ query: query as never, throwOnError: true });
  expect(new URL(response.url).search).toBe('?filters[title][$startsWith]=x&sort[0]=title%3Adesc&pagination[page]=1&pagination[pageSize]=10');
  expect(data.data.map((a) => a.title)).toEqual(['xy', 'x']);
  const none = await articlesFind({ query: { filters: { title: { $eq: 'nope' } } } as never, throwOnError: true });
  expect(none.data.data).toEqual([]);
});
