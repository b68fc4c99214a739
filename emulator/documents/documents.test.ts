// Documents of any content type, against the shop fixture (every attribute type, relations
// of every kind, components, a dynamic zone, a single type). Every answer is checked against
// the spec rebuilt from the fixture (testing.ts). The expectations were recorded from real
// Strapi 4.26.2 and 5.54.0 booted with the same schema files.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';
import { png } from '../../contracts/fixtures.js';

const shop = fileURLToPath(new URL('./fixtures/shop/src', import.meta.url));
const admin = { token: fullAccessToken };
type Entry = { id: number; documentId?: string; attributes?: Record<string, unknown> } & Record<string, unknown>;

async function shopEmulator(major: 4 | 5, options: Parameters<typeof setup>[0] = {}) {
  const t = await setup({ strapi: major, contentTypes: [shop], ...options });
  const key = (e: Entry) => (major === 5 ? e.documentId! : String(e.id));
  const attrs = (e: Entry) => (major === 5 ? e : e.attributes!);
  const post = (path: string, data: unknown) => t.call('POST', path, { ...admin, json: { data } });
  const put = (path: string, data: unknown) => t.call('PUT', path, { ...admin, json: { data } });
  const get = (path: string) => t.call('GET', path, admin);
  return { ...t, key, attrs, post, put, get };
}

describe.each([4, 5] as const)('v%i documents', (major) => {
  const v5 = major === 5;

  test('every attribute type is stored and answered as Strapi does (private and password never come back)', async () => {
    const t = await shopEmulator(major);
    const r = await t.post('/api/products', {
      name: 'Widget', sku: 'ABC-1', slug: 'widget', summary: 's', description: '# d', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'hi' }] }],
      contact: 'a@b.co', secret: 'pw', internalNote: 'n', stock: '5', views: 12345678901234, weight: 1.5, price: 9.99, releaseDate: '2024-01-02',
      availableAt: '2024-01-02T03:04:05Z', opensAt: '09:30:00', specs: { a: [1, 2] },
    });
    expect(r.status).toBe(v5 ? 201 : 200);
    const a = t.attrs(r.body.data);
    expect(a).toMatchObject({ stock: 5, views: '12345678901234', opensAt: '09:30:00.000', availableAt: '2024-01-02T03:04:05.000Z', active: true, kind: 'physical', specs: { a: [1, 2] } });
    expect(a).not.toHaveProperty('secret');
    expect(a).not.toHaveProperty('internalNote');
    // Links come back only when populated.
    expect(a).not.toHaveProperty('pricing');
    expect(a).not.toHaveProperty('tags');
  });

  test('validation messages, in attribute order, with v5 drafts checked loosely then as published', async () => {
    const t = await shopEmulator(major);
    const errors = async (data: unknown) => {
      const r = await t.post('/api/products?fields[0]=name', data);
      expect(r.status).toBe(400);
      return r.body.error;
    };
    const five = await errors({ name: 'A5', kind: 'other', stock: -1, sku: 'x', contact: 'bad', features: [{ label: 'a' }, { label: 'b' }, { label: 'c' }, { label: 'd' }] });
    if (v5) expect(five.message).toBe('kind must be one of the following values: physical, digital, ');
    else expect(five.details.errors.map((e: { path: string[] }) => e.path[0])).toEqual(['sku', 'contact', 'stock', 'kind', 'features']);
    const published = await errors({ name: 'A5b', stock: -1, sku: 'x', contact: 'bad' });
    expect(published.message).toBe('3 errors occurred');
    expect(published.details.errors.map((e: { message: string }) => e.message)).toEqual(['sku must match the following: "/^[A-Z]{3}-[0-9]+$/"', 'contact must be a valid email', 'stock must be greater than or equal to 0']);
    const casts = await errors({ name: 'A6', stock: '12', weight: 'abc', active: 'yes', views: '1.5' });
    expect(casts.details.errors.map((e: { message: string }) => e.message)).toEqual([
      ...(v5 ? ['views must be a valid integer'] : []),
      'weight must be a `number` type, but the final value was: `NaN` (cast from the value `"abc"`).',
      'active must be a `boolean` type, but the final value was: `"yes"`.',
    ]);
    const components = await errors({ name: 'A7', features: [{}], pricing: {} });
    expect(components.details.errors.map((e: { message: string }) => e.message)).toEqual(
      v5
        ? ['pricing.amount must be a `number` type, but the final value was: `NaN`.', 'features[0].label must be a `string` type, but the final value was: `null`.']
        : ['pricing.amount must be defined.', 'features[0].label must be defined.'],
    );
    expect((await errors({ name: 'A8', opensAt: '9:30' })).message).toBe('Invalid time format, expected HH:mm:ss.SSS');
    expect((await errors({ name: 'A9', releaseDate: 'nope' })).message).toBe('Invalid format, expected yyyy-MM-dd');
    expect((await errors({ name: 'A10', availableAt: 'nope' })).message).toBe('Invalid format, expected a timestamp or an ISO date');
    // The first target (in attribute order) that misses ids answers.
    const relations = await errors({ name: 'A11', owner: 99, tags: [99, 98] });
    expect(relations.message).toBe('2 relation(s) of type api::tag.tag associated with this entity do not exist');
    const zone = await errors({ name: 'A12', blocks: [{ title: 'x' }] });
    expect(zone.details.errors.map((e: { message: string }) => e.message)).toEqual(['blocks[0].__component is a required field', 'Cannot build relations store from dynamiczone, component identifier is undefined']);
    if (v5) {
      expect(await errors({ name: 'A13', nope: 1 })).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid key nope', details: { key: 'nope', path: null, source: 'body' } });
      expect((await errors({ name: 'A14', pricing: { amount: 1, foo: 2 } })).message).toBe('Invalid key foo at pricing');
      expect((await errors({ name: 'A15', tags: ['nope'] })).message).toBe('Document with id "nope", locale "null" not found');
      expect((await errors({ name: 'N'.repeat(41) })).message).toBe('name must be at most 40 characters');
    }
    // Nothing of the failed requests was stored, no id was used.
    const ok = await t.post('/api/products?populate=pricing', { name: 'ok', pricing: { amount: 1 } });
    expect(ok.body.data.id).toBe(v5 ? 2 : 1);
    expect(t.attrs(ok.body.data).pricing).toMatchObject({ id: v5 ? 2 : 1, amount: 1, currency: 'EUR' });
    expect((await t.get('/api/products')).body.meta.pagination.total).toBe(1);
  });

  test('unique: v5 checks published versions only (a second draft may share the value); v4 every entry', async () => {
    const t = await shopEmulator(major);
    expect((await t.post('/api/products', { name: 'one', sku: 'ABC-1' })).status).toBe(v5 ? 201 : 200);
    const again = await t.post('/api/products', { name: 'two', sku: 'ABC-1' });
    expect(again.body.error.message).toBe('This attribute must be unique');
    if (v5) {
      const draft = await t.call('POST', '/api/products?status=draft', { ...admin, json: { data: { name: 'two', sku: 'ABC-1' } } });
      expect(draft.status).toBe(201);
      expect((await t.put(`/api/products/${draft.body.data.documentId}`, { name: 'two!' })).body.error.message).toBe('This attribute must be unique');
    }
  });

  test('components: updated in place when their id is sent, replaced otherwise; new ones get defaults; foreign ids refused', async () => {
    const t = await shopEmulator(major);
    const made = await t.post('/api/products?populate[features]=true&populate[pricing]=true', { name: 'PP', pricing: { amount: 10 }, features: [{ label: 'a' }, { label: 'b' }], blocks: [{ __component: 'blocks.text', body: 'x' }] });
    const first = t.attrs(made.body.data);
    // v5: the draft holds components 1 and 2, its published copy 3 and 4.
    expect((first.features as Entry[]).map((f) => f.id)).toEqual(v5 ? [3, 4] : [1, 2]);
    const keptId = v5 ? 1 : 1;
    const updated = await t.put(`/api/products/${t.key(made.body.data)}?populate[features]=true&populate[pricing]=true`, { pricing: { amount: 11 }, features: [{ id: keptId, label: 'a2' }, { label: 'new' }] });
    const u = t.attrs(updated.body.data);
    expect(u.pricing).toMatchObject({ amount: 11, currency: 'EUR' });
    expect((u.features as Entry[]).map((f) => f.label)).toEqual(['a2', 'new']);
    if (!v5) expect((u.features as Entry[])[0].id).toBe(1);
    const foreign = await t.put(`/api/products/${t.key(made.body.data)}`, { features: [{ id: 999, label: 'z' }] });
    expect(foreign.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Some of the provided components in features are not related to the entity', details: {} });
    const zone = await t.call('PUT', `/api/products/${t.key(made.body.data)}`, { ...admin, json: { data: { blocks: [{ id: 999, __component: 'blocks.text', body: 'z' }] } }, validate: false });
    expect(zone.body.error).toEqual({ status: 400, name: 'Error', message: 'Some of the provided components in blocks are not related to the entity' });
  });

  test('relations: to one, to many, inverse sides, connect/disconnect/set and positions; deleted targets vanish', async () => {
    const t = await shopEmulator(major);
    const tag = async (name: string) => t.key((await t.post('/api/tags', { name })).body.data);
    const [red, blue, green] = [await tag('red'), await tag('blue'), await tag('green')];
    const ref = (k: string) => (v5 ? k : Number(k));
    const p = await t.post('/api/products', { name: 'PP', tags: [ref(red), ref(blue)] });
    const key = t.key(p.body.data);
    const names = async () => {
      const r = await t.get(`/api/products/${key}?populate[tags][fields][0]=name`);
      const tags = t.attrs(r.body.data).tags as Entry[] | { data: Entry[] };
      return (v5 ? (tags as Entry[]) : (tags as { data: Entry[] }).data).map((e) => t.attrs(e).name);
    };
    expect(await names()).toEqual(['red', 'blue']);
    await t.put(`/api/products/${key}`, { tags: { connect: [{ [v5 ? 'documentId' : 'id']: ref(green), position: { before: ref(blue) } }] } });
    expect(await names()).toEqual(['red', 'green', 'blue']);
    await t.put(`/api/products/${key}`, { tags: { disconnect: [ref(red)], connect: [{ [v5 ? 'documentId' : 'id']: ref(red), position: { start: true } }] } });
    expect(await names()).toEqual(['red', 'green', 'blue']);
    await t.put(`/api/products/${key}`, { tags: { set: [ref(blue)] } });
    expect(await names()).toEqual(['blue']);
    // The inverse side (tag.products, mappedBy) reads and writes the owner's links.
    const inverse = await t.put(`/api/tags/${green}?populate[products][fields][0]=name`, { products: [ref(key)] });
    const products = t.attrs(inverse.body.data).products as Entry[] | { data: Entry[] };
    expect((v5 ? (products as Entry[]) : (products as { data: Entry[] }).data).map((e) => t.attrs(e).name)).toEqual(['PP']);
    expect(await names()).toEqual(['blue', 'green']);
    // connect on the inverse side adds to what is there.
    const other = t.key((await t.post('/api/products', { name: 'QQ' })).body.data);
    const both = await t.put(`/api/tags/${green}?populate[products][fields][0]=name&populate[products][sort]=name`, { products: { connect: [ref(other)] } });
    const list = t.attrs(both.body.data).products as Entry[] | { data: Entry[] };
    expect((v5 ? (list as Entry[]) : (list as { data: Entry[] }).data).map((e) => t.attrs(e).name)).toEqual(['PP', 'QQ']);
    // A deleted target is no longer linked.
    await t.call('DELETE', `/api/tags/${blue}`, admin);
    expect(await names()).toEqual(['green']);
    const filtered = await t.get('/api/products?filters[tags][name][$eq]=green&fields[0]=name');
    expect(filtered.body.data.map((e: Entry) => t.attrs(e).name)).toEqual(['PP', 'QQ']);
  });

  test('list orders as real 4.26.2 / 5.54.0 answered them: to-many links as given, the inverse side in its own order (first linked first, or as set from that side; v5 keeps a republished owner\'s place)', async () => {
    const t = await shopEmulator(major);
    const tag = async (name: string) => t.key((await t.post('/api/tags', { name })).body.data);
    const [t1, t2, t3] = [await tag('t1'), await tag('t2'), await tag('t3')];
    const ref = (k: string) => (v5 ? k : Number(k));
    const p1 = t.key((await t.post('/api/products', { name: 'P1', tags: [ref(t3), ref(t1), ref(t2)] })).body.data);
    await t.post('/api/products', { name: 'P2', tags: [ref(t1)] });
    await t.post('/api/products', { name: 'P3', tags: { connect: [ref(t2), ref(t1)] } });
    // Republishing P1 gives its published row a new id on v5 (the last one).
    await t.put(`/api/products/${p1}`, { summary: 'x' });
    const names = (list: Entry[] | { data: Entry[] }) => (v5 ? (list as Entry[]) : (list as { data: Entry[] }).data).map((e) => t.attrs(e).name);
    const products = (await t.get('/api/products?populate=tags')).body.data as Entry[];
    const byProduct = Object.fromEntries(products.map((p) => [t.attrs(p).name, names(t.attrs(p).tags as Entry[])]));
    expect(byProduct).toEqual({ P1: ['t3', 't1', 't2'], P2: ['t1'], P3: ['t2', 't1'] });
    // The products list itself is in row id order: on v5 the republished P1 comes last.
    expect(products.map((p) => t.attrs(p).name)).toEqual(v5 ? ['P2', 'P3', 'P1'] : ['P1', 'P2', 'P3']);
    const tags = (await t.get('/api/tags?populate=products')).body.data as Entry[];
    expect(tags.map((x) => [t.attrs(x).name, names(t.attrs(x).products as Entry[])])).toEqual([['t1', ['P1', 'P2', 'P3']], ['t2', ['P1', 'P3']], ['t3', ['P1']]]);
    // The inverse side keeps its own order: an owner that links later comes last (P4 created
    // before P5 but linked after it); a write on the inverse side sets the order it gives.
    const t4 = await tag('t4');
    const p4 = t.key((await t.post('/api/products', { name: 'P4' })).body.data);
    const p5 = t.key((await t.post('/api/products', { name: 'P5', tags: [ref(t4)] })).body.data);
    await t.put(`/api/products/${p4}`, { tags: [ref(t4)] });
    const inverse = async (k: string) => names(t.attrs((await t.get(`/api/tags/${k}?populate=products`)).body.data).products as Entry[]);
    expect(await inverse(t4)).toEqual(['P5', 'P4']);
    await t.put(`/api/tags/${t4}`, { products: [ref(p4), ref(p1), ref(p5)] });
    expect(await inverse(t4)).toEqual(['P4', 'P1', 'P5']);
    // Unlinking and linking again moves an owner to the end.
    await t.put(`/api/products/${p4}`, { tags: [] });
    await t.put(`/api/products/${p4}`, { tags: [ref(t4)] });
    expect(await inverse(t4)).toEqual(['P1', 'P5', 'P4']);
  });

  test('an upload with ref=<component uid>, refId=<component id>, field links the file into that component (the published row\'s, as real Strapi does)', async () => {
    const t = await shopEmulator(major);
    const made = await t.post('/api/products', { name: 'PC', features: [{ label: 'fa' }, { label: 'fb' }] });
    const key = t.key(made.body.data);
    const features = async (q = '') => {
      const r = await t.get(`/api/products/${key}?populate[features][populate]=icon${q}`);
      return t.attrs(r.body.data).features as Array<{ id: number; label: string; icon: unknown }>;
    };
    const before = await features();
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(png(40, 30))], { type: 'image/png' }), 'icon.png');
    for (const [k, v] of [['ref', 'shop.feature'], ['refId', String(before[1].id)], ['field', 'icon']]) form.append(k, v);
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form });
    expect(up.status).toBe(v5 ? 201 : 200);
    const after = await features();
    const icon = (f: { icon: unknown }) => (v5 ? f.icon : (f.icon as { data: unknown }).data) as { id: number } | null;
    expect(after.map((f) => [f.id, f.label, icon(f)?.id ?? null])).toEqual([[before[0].id, 'fa', null], [before[1].id, 'fb', up.body[0].id]]);
    // v5: the draft has its own component rows (other ids), which stay unlinked.
    if (v5) expect((await features('&status=draft')).map((f) => icon(f))).toEqual([null, null]);
    // populate=related: v4 lists the component (its scalar attributes), v5 lists nothing (as real 4.26.2 / 5.54.0).
    const file = await t.get(`/api/upload/files/${up.body[0].id}?populate=related`);
    expect(file.body.related).toEqual(v5 ? [] : [{ __type: 'shop.feature', id: before[1].id, label: 'fb' }]);
    // An empty multiple media field: v4 answers {data: null}, v5 [].
    const star = await t.get(`/api/products/${key}?populate=*`);
    expect(t.attrs(star.body.data).gallery).toEqual(v5 ? [] : { data: null });
    // An id no component has: the file is stored, nothing is linked.
    const orphan = new FormData();
    orphan.append('files', new Blob([new Uint8Array(png(40, 30))], { type: 'image/png' }), 'o.png');
    for (const [k, v] of [['ref', 'shop.feature'], ['refId', '987'], ['field', 'icon']]) orphan.append(k, v);
    expect((await t.call('POST', '/api/upload', { ...admin, raw: orphan })).status).toBe(v5 ? 201 : 200);
    expect((await features()).map((f) => icon(f)?.id ?? null)).toEqual([null, up.body[0].id]);
  });

  test('draft & publish: versions, ids and what each read sees', async () => {
    const t = await shopEmulator(major);
    if (v5) {
      const draft = await t.call('POST', '/api/products?status=draft', { ...admin, json: { data: { name: 'D' } } });
      expect(draft.body.data).toMatchObject({ id: 1, publishedAt: null });
      const doc = draft.body.data.documentId;
      expect((await t.call('GET', `/api/products/${doc}`, { ...admin, validate: true })).status).toBe(404);
      const published = await t.put(`/api/products/${doc}`, { name: 'D1' });
      expect(published.body.data.id).toBe(2);
      const again = await t.put(`/api/products/${doc}`, {});
      expect(again.body.data.id).toBe(3);
      expect((await t.get('/api/products?status=draft')).body.data.map((e: Entry) => e.id)).toEqual([1]);
      expect((await t.get('/api/products')).body.data.map((e: Entry) => e.id)).toEqual([3]);
      expect((await t.call('DELETE', `/api/products/${doc}`, admin)).status).toBe(204);
      expect(t.store.snapshot().extensions).toMatchObject({ content: { documents: { tables: { 'api::product.product': { rows: [] } } } } });
    } else {
      const draft = await t.post('/api/products', { name: 'D', publishedAt: null });
      expect(draft.body.data.attributes.publishedAt).toBeNull();
      expect((await t.get('/api/products')).body.data).toEqual([]);
      expect((await t.get('/api/products?publicationState=preview')).body.data).toHaveLength(1);
      expect((await t.get(`/api/products/${draft.body.data.id}`)).status).toBe(200);
      const deleted = await t.call('DELETE', `/api/products/${draft.body.data.id}`, admin);
      expect(deleted.body.data.attributes.name).toBe('D');
    }
  });

  test('populate: *, dot paths, nested objects, dynamic zone fragments; v5 refuses what does not exist', async () => {
    const t = await shopEmulator(major);
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', new File([Buffer.from('hi')], 'a.txt', { type: 'text/plain' })]]) });
    const fileId = up.body[0].id;
    const made = await t.post('/api/products', { name: 'PP', image: fileId, features: [{ label: 'f', icon: fileId }], blocks: [{ __component: 'blocks.banner', title: 'B' }, { __component: 'blocks.text', body: 'T' }] });
    const key = t.key(made.body.data);
    const star = t.attrs((await t.get(`/api/products/${key}?populate=*`)).body.data);
    expect(Object.keys(star)).toEqual(expect.arrayContaining(['image', 'gallery', 'tags', 'owner', 'parent', 'variants', 'pricing', 'features', 'blocks']));
    // `*` goes one level deep: the component's own media are not populated.
    expect((star.features as Entry[])[0]).toEqual({ id: expect.any(Number), label: 'f' });
    const nested = t.attrs((await t.get(`/api/products/${key}?populate[features][populate]=icon`)).body.data);
    const icon = (nested.features as Array<{ icon: unknown }>)[0].icon;
    expect(v5 ? icon : (icon as { data: unknown }).data).toMatchObject({ id: fileId });
    const fragment = t.attrs((await t.get(`/api/products/${key}?populate[blocks][on][blocks.banner][fields][0]=title`)).body.data);
    expect(fragment.blocks).toEqual([v5 ? { id: expect.any(Number), title: 'B', __component: 'blocks.banner' } : { id: expect.any(Number), __component: 'blocks.banner', title: 'B' }]);
    const bad = await t.get(`/api/products?populate[blocks]=*`);
    if (v5) expect(bad.body.error.message).toBe('Invalid nested populate for product.blocks (api::product.product). Expected a fragment ("on") or "count" but found "*"');
    else expect(bad.status).toBe(200);
    const unknown = await t.get('/api/products?populate=pricing.amount');
    if (v5) expect(unknown.body.error).toMatchObject({ message: 'Invalid key amount at pricing.amount', details: { key: 'amount', path: 'pricing.amount', source: 'query', param: 'populate' } });
    else expect(unknown.status).toBe(200);
    if (v5) expect(t.attrs((await t.get(`/api/products/${key}?populate[tags][count]=true`)).body.data).tags).toEqual({ count: 0 });
  });

  test('filters that crash real Strapi (500 on 4.26.2 and 5.54.0) → the same 500, the mistake named in X-Strapi-Emulator-Crash (a 400 with strapiCrashes: explain)', async () => {
    const t = await shopEmulator(major);
    const explained = await shopEmulator(major, { strapiCrashes: 'explain' });
    await t.post('/api/products', { name: 'Alpha', stock: 1 });
    const cases: Array<[string, string]> = [
      ['filters[name][$or][0][$eq]=Alpha', 'Invalid filter on name: $or groups filters of a model (filters[$or][0][name]…), not the values of one attribute'],
      ['filters[name][$and][0][$eq]=Alpha', 'Invalid filter on name: $and groups filters of a model (filters[$and][0][name]…), not the values of one attribute'],
      ['filters[name][$eq][$eq]=Alpha', 'Invalid filter on name: $eq takes a value, not an object ({"$eq":"Alpha"})'],
      ['filters[stock][$lt][stock]=2', 'Invalid filter on stock: $lt takes a value, not an object ({"stock":"2"})'],
      ['filters[name][stock]=1', 'Invalid filter on name: "stock" is not an operator (name is not a relation, so it holds no attributes)'],
    ];
    for (const [q, message] of cases) {
      const r = await t.get(`/api/products?${q}`);
      expect([q, r.status, r.body]).toEqual([q, 500, { data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error' } }]);
      expect(r.headers.get('x-strapi-emulator-crash')).toBe(message.replace('…', '...'));
      const e = await explained.get(`/api/products?${q}`);
      expect([q, e.status, e.body.error?.message, e.headers.get('x-strapi-emulator-crash')]).toEqual([q, 400, message, null]);
    }
    // What real Strapi answers without crashing stays as it is: $not nests, $in of an object matches nothing.
    expect((await t.get('/api/products?filters[name][$not][$not][$eq]=Alpha')).body.data).toHaveLength(1);
    expect((await t.get('/api/products?filters[name][$in][$eq]=Alpha')).body.data).toHaveLength(0);
  });

  test('filters: operators with SQL semantics, relations, components, media; a non-number for a number column crashes real Strapi (500), for an id it matches nothing', async () => {
    const t = await shopEmulator(major);
    for (const [i, name] of ['Alpha', 'beta', 'Gamma'].entries()) await t.post('/api/products', { name, stock: i * 10, summary: i === 1 ? null : `s${i}`, views: String(1000 * i), pricing: { amount: i } });
    const names = async (q: string) => (await t.get(`/api/products?fields[0]=name&${q}`)).body.data.map((e: Entry) => t.attrs(e).name);
    expect(await names('filters[name][$containsi]=A')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(await names('filters[name][$contains]=a')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(await names('filters[name][$eq]=alpha')).toEqual([]);
    expect(await names('filters[name][$eqi]=alpha')).toEqual(['Alpha']);
    expect(await names('filters[$not][summary][$eq]=s0')).toEqual(['Gamma']);
    expect(await names('filters[summary][$ne]=s0')).toEqual(['Gamma']);
    expect(await names('filters[views][$gt]=500')).toEqual(['beta', 'Gamma']);
    expect(await names('filters[pricing][amount][$gte]=1')).toEqual(['beta', 'Gamma']);
    expect(await names('filters[stock][$between][0]=5&filters[stock][$between][1]=20')).toEqual(['beta', 'Gamma']);
    expect(await names('sort=name')).toEqual(['Alpha', 'Gamma', 'beta']);
    expect(await names('sort=pricing.amount:desc')).toEqual(['Gamma', 'beta', 'Alpha']);
    // A number column compared with a non-number: real Strapi's query fails (500); an id just matches nothing.
    for (const q of ['filters[stock][$eq]=abc', 'filters[stock][$lt]=abc', 'filters[stock][$in][0]=abc', 'filters[stock][$between][0]=1&filters[stock][$between][1]=abc']) {
      const nan = await t.get(`/api/products?${q}`);
      expect([q, nan.status]).toEqual([q, 500]);
      expect(nan.headers.get('x-strapi-emulator-crash')).toMatch(/^Invalid filter on stock: .* is not a number$/);
    }
    expect(await names('filters[id]=abc')).toEqual([]);
    expect(await names('filters[id][$lt]=abc')).toEqual([]);
    const zone = await t.get('/api/products?filters[blocks][title]=x');
    expect(zone.body.error.message).toBe(v5 ? 'Invalid key blocks' : 'Invalid parameter blocks');
  });

  test('pagination follows config/api.js rest (maxLimit 100 by default as create-strapi-app writes it; none when null)', async () => {
    const t = await shopEmulator(major, { rest: { maxLimit: null } });
    for (let i = 0; i < 3; i++) await t.post('/api/tags', { name: `t${i}` });
    expect((await t.get('/api/tags?pagination[pageSize]=200')).body.meta.pagination).toEqual({ page: 1, pageSize: 200, pageCount: 1, total: 3 });
    const byDefault = await shopEmulator(major);
    expect((await byDefault.get('/api/tags?pagination[pageSize]=200')).body.meta.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 0, total: 0 });
    expect((await t.get('/api/tags?pagination[limit]=-1')).body.meta.pagination).toEqual(v5 ? { start: 0, limit: 1, total: 3 } : { start: 0, limit: -1, total: 3 });
    expect((await t.get('/api/tags?pagination[pageSize]=0')).body.meta.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 3, total: 3 });
    const abc = await t.call('GET', '/api/tags?pagination[page]=abc', admin);
    if (v5) expect(abc.body.error.message).toBe('convertStartQueryParams expected a positive integer got NaN');
    else {
      expect(abc.body.error).toEqual({ status: 500, name: 'InternalServerError', message: 'Internal Server Error' });
      expect(abc.headers.get('x-strapi-emulator-crash')).toBe('Invalid pagination parameters: page, pageSize, start and limit must be integers');
    }
    // Real 4.26.2 answers 500 here too (checked).
    const fraction = await t.call('GET', '/api/tags?pagination[pageSize]=2.5', admin);
    expect(fraction.status).toBe(v5 ? 400 : 500);
    if (v5) expect(fraction.body.error.message).toBe('convertLimitQueryParams expected a positive integer got 2.5');
    else expect(fraction.headers.get('x-strapi-emulator-crash')).toBe('Invalid pagination parameters: page, pageSize, start and limit must be integers');
    const capped = await shopEmulator(major, { rest: { maxLimit: 2, defaultLimit: 1 } });
    for (let i = 0; i < 3; i++) await capped.post('/api/tags', { name: `t${i}` });
    expect((await capped.get('/api/tags')).body.meta.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 3, total: 3 });
    expect((await capped.get('/api/tags?pagination[pageSize]=200')).body.meta.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, total: 3 });
  });

  test('single types: 404 until written, PUT creates then updates, DELETE', async () => {
    const t = await shopEmulator(major);
    expect((await t.get('/api/setting')).status).toBe(404);
    const created = await t.put('/api/setting?populate=footer', { siteName: 'S', footer: { body: 'f' } });
    expect(created.status).toBe(200);
    expect(t.attrs(created.body.data)).toMatchObject({ siteName: 'S', footer: { body: 'f' } });
    const updated = await t.put('/api/setting', { siteName: 'S2' });
    expect(t.attrs(updated.body.data).siteName).toBe('S2');
    const missing = await t.put('/api/setting', { siteName: null });
    expect(missing.body.error.message).toBe(v5 ? 'siteName must be a `string` type, but the final value was: `null`.' : 'siteName must be a `string` type, but the final value was: `null`.');
    expect((await t.call('DELETE', '/api/setting', admin)).status).toBe(v5 ? 204 : 200);
    expect((await t.get('/api/setting')).status).toBe(404);
  });

  test('snapshot, restore and reset cover documents and files', async () => {
    const t = await shopEmulator(major);
    await t.post('/api/tags', { name: 'kept' });
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', new File([Buffer.from('bytes')], 'k.txt', { type: 'text/plain' })]]) });
    const url = up.body[0].url;
    const snap = t.control.snapshot();
    await t.post('/api/tags', { name: 'later' });
    await t.call('DELETE', `/api/upload/files/${up.body[0].id}`, admin);
    expect((await t.call('GET', url, { validate: false })).status).toBe(404);
    await t.control.restore(JSON.parse(JSON.stringify(snap)));
    expect((await t.get('/api/tags')).body.data.map((e: Entry) => t.attrs(e).name)).toEqual(['kept']);
    const served = await t.call('GET', url, { validate: false });
    expect(served.text).toBe('bytes');
    // Ids continue after the restored counters.
    expect((await t.post('/api/tags', { name: 'next' })).body.data.id).toBe(2);
    await t.control.reset();
    expect((await t.get('/api/tags')).body.data).toEqual([]);
    expect((await t.call('GET', url, { validate: false })).status).toBe(404);
  });
});

describe("a user's own schema folder (test/fixtures/strapi-project) is served without code changes", () => {
  const project = fileURLToPath(new URL('../../test/fixtures/strapi-project', import.meta.url));

  test.each([4, 5] as const)('v%i: categories, pages with relations, a component and a dynamic zone, the homepage single type; answers conform to the rebuilt spec', async (major) => {
    const t = await setup({ strapi: major, contentTypes: [project] });
    const key = (e: Entry) => (major === 5 ? e.documentId! : e.id);
    const category = await t.call('POST', '/api/categories', { ...admin, json: { data: { name: 'News', rank: 1, kind: 'news' } } });
    expect(category.status).toBe(major === 5 ? 201 : 200);
    const page = await t.call('POST', '/api/pages?populate=*', {
      ...admin,
      json: { data: { title: 'Hi', slug: 'hi', views: '12', rating: 4.5, publishOn: '2026-01-02', opensAt: '09:30:00', meta: { a: 1 }, contact: 'a@b.co', categories: [key(category.body.data)], seo: { metaTitle: 'T' }, sections: [{ __component: 'blocks.hero', heading: 'H' }, { __component: 'shared.seo', metaTitle: 'S' }] } },
    });
    expect(page.status).toBe(major === 5 ? 201 : 200);
    const pageKey = key(page.body.data);
    const read = await t.call('GET', `/api/pages/${pageKey}?populate[sections][populate]=*&populate[categories][fields][0]=name&populate[seo]=true`, admin);
    const attrs = major === 5 ? read.body.data : read.body.data.attributes;
    expect(attrs).toMatchObject({ title: 'Hi', locale: 'en', seo: { metaTitle: 'T' } });
    expect(attrs.sections.map((s: { __component: string }) => s.__component)).toEqual(['blocks.hero', 'shared.seo']);
    const inverse = await t.call('GET', `/api/categories/${key(category.body.data)}?populate[pages][fields][0]=title`, admin);
    const pages = major === 5 ? inverse.body.data.pages : inverse.body.data.attributes.pages.data;
    expect(pages).toHaveLength(1);
    const home = await t.call('PUT', '/api/homepage?populate[hero][populate]=link', { ...admin, json: { data: { headline: 'Home', hero: [{ heading: 'A', link: pageKey }] } } });
    expect(home.status).toBe(200);
    expect((await t.call('GET', '/api/homepage', admin)).status).toBe(200);
    expect((await t.call('GET', '/api/pages?locale=en&filters[categories][name][$eq]=News', admin)).body.data).toHaveLength(1);
    // The permission tree knows the new types.
    const permissions = await t.call('GET', '/api/users-permissions/permissions', admin);
    expect(Object.keys(permissions.body.permissions)).toEqual(expect.arrayContaining(['api::page', 'api::category', 'api::homepage']));
    // Public has no permission on them (only on articles).
    expect((await t.call('GET', '/api/pages')).status).toBe(403);
  });
});

function form(entries: Array<[string, string | File]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe.each([4, 5] as const)('v%i unique and uid values under concurrency (in-process)', (major) => {
  test('concurrent creates and updates claiming one unique or uid value: exactly one is stored, the others get "This attribute must be unique"', async () => {
    const t = await shopEmulator(major);
    const ok = `${major === 5 ? 201 : 200} ok`;
    const tallyOf = (answers: Array<{ status: number; body: any }>) => {
      const out: Record<string, number> = {};
      for (const a of answers) out[`${a.status} ${a.body.error?.message ?? 'ok'}`] = (out[`${a.status} ${a.body.error?.message ?? 'ok'}`] ?? 0) + 1;
      return out;
    };
    expect(tallyOf(await Promise.all(Array.from({ length: 10 }, (_, i) => t.post('/api/products', { name: `p${i}`, sku: 'SKU-1' }))))).toEqual({ [ok]: 1, '400 This attribute must be unique': 9 });
    expect(tallyOf(await Promise.all(Array.from({ length: 10 }, (_, i) => t.post('/api/products', { name: `q${i}`, slug: 'one-slug' }))))).toEqual({ [ok]: 1, '400 This attribute must be unique': 9 });
    const others = await Promise.all(Array.from({ length: 4 }, (_, i) => t.post('/api/products', { name: `r${i}` })));
    const renames = await Promise.all(others.map((o) => t.put(`/api/products/${t.key(o.body.data)}`, { sku: 'SKU-2' })));
    expect(tallyOf(renames)).toEqual({ '200 ok': 1, '400 This attribute must be unique': 3 });
    const list = await t.get('/api/products?pagination[pageSize]=100');
    const skus = list.body.data.map((e: Entry) => t.attrs(e).sku).filter((s: unknown) => s !== null);
    expect(skus.sort()).toEqual(['SKU-1', 'SKU-2']);
  });
});
