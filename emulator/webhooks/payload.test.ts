// Payloads of richer content types (test/fixtures/strapi-project: components, dynamic zones,
// relations, private and password attributes, a single type without draft & publish).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';
import type { Delivery } from './hub.js';

const admin = { token: fullAccessToken };
const project = fileURLToPath(new URL('../../test/fixtures/strapi-project', import.meta.url));
// A receiver that accepts everything: the tests read the delivery log.
const receiver = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
let webhooks: Array<{ url: string }> = [];
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhooks = [{ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }];
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function world(major: 4 | 5) {
  const t = await setup({ strapi: major, contentTypes: [project], webhooks });
  const sent = async (): Promise<Delivery['body'][]> => {
    await t.control.webhooks.settled();
    const out = t.control.webhooks.deliveries().map((d) => d.body);
    t.control.webhooks.clearDeliveries();
    return out;
  };
  return { ...t, sent };
}

describe('v5: the entry deep-populated, private attributes and passwords left out', () => {
  test('components, dynamic zones, media and relations all the way down', async () => {
    const t = await world(5);
    const cat = await t.call('POST', '/api/categories?status=draft', { ...admin, json: { data: { name: 'News', kind: 'news' } } });
    const other = await t.call('POST', '/api/pages?status=draft', { ...admin, json: { data: { title: 'Other' } } });
    await t.sent();
    const page = await t.call('POST', '/api/pages?status=draft', {
      ...admin,
      json: {
        data: {
          title: 'Home',
          secret: 'hunter22',
          notes: 'private',
          categories: [cat.body.data.documentId],
          seo: { metaTitle: 'Home page' },
          sections: [
            { __component: 'blocks.hero', heading: 'Hi', link: other.body.data.documentId },
            { __component: 'shared.seo', metaTitle: 'Inline' },
          ],
        },
      },
    });
    expect(page.status).toBe(201);
    const [create] = await t.sent();
    expect(create).toMatchObject({ event: 'entry.create', model: 'page', uid: 'api::page.page' });
    const entry = create.entry as Record<string, any>;
    expect(entry).not.toHaveProperty('secret');
    expect(entry).not.toHaveProperty('notes');
    expect(Object.keys(entry)).toEqual(['id', 'documentId', 'title', 'slug', 'content', 'views', 'rating', 'featured', 'publishOn', 'opensAt', 'meta', 'contact', 'createdAt', 'updatedAt', 'publishedAt', 'locale', 'gallery', 'categories', 'parent', 'seo', 'sections']);
    expect(entry.locale).toBe('en');
    expect(entry.gallery).toEqual([]);
    expect(entry.parent).toBeNull();
    expect(entry.categories).toEqual([expect.objectContaining({ documentId: cat.body.data.documentId, name: 'News', kind: 'news' })]);
    expect(entry.seo).toEqual({ id: expect.any(Number), metaTitle: 'Home page', image: null });
    expect(entry.sections).toEqual([
      { id: expect.any(Number), heading: 'Hi', link: expect.objectContaining({ documentId: other.body.data.documentId, title: 'Other' }), __component: 'blocks.hero' },
      { id: expect.any(Number), metaTitle: 'Inline', image: null, __component: 'shared.seo' },
    ]);
    // A related entry carries its own columns only: no nested links, no private ones.
    expect(entry.sections[0].link).not.toHaveProperty('secret');
    expect(entry.sections[0].link).not.toHaveProperty('sections');
  });

  test('a single type without draft & publish: entry.create, then entry.update, never entry.publish', async () => {
    const t = await world(5);
    await t.call('PUT', '/api/homepage', { ...admin, json: { data: { headline: 'One', hero: [{ heading: 'A' }] } } });
    await t.call('PUT', '/api/homepage', { ...admin, json: { data: { headline: 'Two' } } });
    const sent = await t.sent();
    expect(sent.map((b) => b.event)).toEqual(['entry.create', 'entry.update']);
    expect(sent[0]).toMatchObject({ model: 'homepage', uid: 'api::homepage.homepage', entry: { headline: 'One', hero: [{ heading: 'A', link: null }] } });
    expect((sent[1].entry as { publishedAt: string | null }).publishedAt).not.toBeNull();
    await t.call('DELETE', '/api/homepage', admin);
    expect((await t.sent()).map((b) => b.event)).toEqual(['entry.delete']);
  });
});

describe('v4: the entity as the request populated it, without envelopes', () => {
  test('populate=* flattens relations and media; components and zones stay as they are', async () => {
    const t = await world(4);
    const cat = await t.call('POST', '/api/categories', { ...admin, json: { data: { name: 'News', kind: 'news' } } });
    await t.sent();
    const page = await t.call('POST', '/api/pages?populate=*', {
      ...admin,
      json: { data: { title: 'Home', secret: 'hunter22', categories: [cat.body.data.id], seo: { metaTitle: 'Home page' }, sections: [{ __component: 'shared.seo', metaTitle: 'Inline' }] } },
    });
    expect(page.status).toBe(200);
    const [create] = await t.sent();
    const entry = create.entry as Record<string, any>;
    expect(entry.id).toBe(page.body.data.id);
    expect(entry).not.toHaveProperty('attributes');
    expect(entry).not.toHaveProperty('secret');
    expect(entry.categories).toEqual([expect.objectContaining({ id: cat.body.data.id, name: 'News' })]);
    expect(entry.categories[0]).not.toHaveProperty('attributes');
    expect(entry.gallery).toEqual([]);
    expect(entry.parent).toBeNull();
    expect(entry.seo).toEqual({ id: expect.any(Number), metaTitle: 'Home page' });
    expect(entry.sections).toEqual([{ id: expect.any(Number), __component: 'shared.seo', metaTitle: 'Inline' }]);
    // The same entity as the REST answer, envelopes removed.
    const { attributes, ...rest } = page.body.data;
    expect(entry).toEqual({
      ...rest,
      ...attributes,
      categories: attributes.categories.data.map((c: { id: number; attributes: object }) => ({ id: c.id, ...c.attributes })),
      gallery: [],
      parent: null,
      localizations: [],
    });
  });

  test('a single type: PUT creates (entry.create), then updates (entry.update)', async () => {
    const t = await world(4);
    await t.call('PUT', '/api/homepage', { ...admin, json: { data: { headline: 'One' } } });
    await t.call('PUT', '/api/homepage', { ...admin, json: { data: { headline: 'Two' } } });
    expect((await t.sent()).map((b) => [b.event, (b.entry as { headline: string }).headline])).toEqual([
      ['entry.create', 'One'],
      ['entry.update', 'Two'],
    ]);
  });
});
