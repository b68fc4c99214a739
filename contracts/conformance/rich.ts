// Scenarios of the `rich` project (contracts/projects/rich): every attribute kind, components
// nested four levels, dynamic zones, every relation kind and its inverse side, media in
// components, single types, draft & publish, and the exact order of every list. Written once
// against a base URL; the same code runs on the emulator and on real Strapi, v4 and v5.
// The plugins' side of the project (i18n, the user extension) is in rich-plugins.ts.
import { describe, expect, test } from 'vitest';
import type { Connected } from './scenarios.js';
import { connectRich, flat, pluck, type RichClient, tag } from './rich-client.js';

export function richSuite(connect: () => Promise<Connected>): void {
  let c: RichClient;
  let v5 = false;
  connectRich(connect, (client) => {
    c = client;
    v5 = client.v5;
  });

  /** Every scalar kind of `gadget`, with values Strapi keeps as given. */
  const scalars = (t: string, n: number) => ({
    title: `Gadget ${t} ${n}`,
    slug: `gadget-${t}-${n}`,
    summary: `summary ${n} of ${t}`,
    description: `# Gadget ${n}\n\n**rich** text`,
    content: [{ type: 'paragraph', children: [{ type: 'text', text: `block ${n}` }] }],
    contactEmail: `maker${n}@${t}.example.com`,
    secret: `hunter-${n}`,
    stock: 10 * n,
    // Below 2^53: real Strapi (sqlite) compares and sorts bigintegers as doubles, so values beyond it
    // that differ in the last digits filter and sort as equal.
    serial: `12345678901234${n}`,
    weight: 0.25 * n,
    price: 9.5 + n,
    inStock: n % 2 === 1,
    releaseDate: `2024-0${n}-15`,
    launchAt: `2024-0${n}-15T10:30:00.000Z`,
    opensAt: `0${n}:30:00.000`,
    specs: { ram: n * 4, ports: ['usb-c'] },
    category: ['phone', 'laptop', 'watch', 'audio'][n - 1],
  });

  describe('rich: scalar attributes', () => {
    test('create answers every kind as stored; the password is never answered; defaults apply', async () => {
      const t = tag();
      const g = await c.create('gadgets', { ...scalars(t, 1), inStock: undefined });
      const { secret, inStock, ...expected } = scalars(t, 1);
      expect(g).toMatchObject(expected);
      expect(g).not.toHaveProperty('secret');
      expect(g.inStock).toBe(true); // the schema default
      expect(typeof g.serial).toBe('string'); // bigintegers come back as strings
      expect(g.price).toBe(10.5);
      expect(Object.keys(g).sort()).toEqual(
        [
          'id', ...(v5 ? ['documentId'] : []), 'title', 'slug', 'summary', 'description', 'content', 'contactEmail', 'stock', 'serial', 'weight', 'price', 'inStock',
          'releaseDate', 'launchAt', 'opensAt', 'specs', 'category', 'createdAt', 'updatedAt', 'publishedAt',
        ].sort(),
      );
    });

    test('every other collection type: list and findOne with populate=*, in creation order', async () => {
      const t = tag();
      const types: Array<[string, (n: number) => Record<string, unknown>, Record<string, unknown>]> = [
        ['makers', (n) => ({ name: `mk-${t}-${n}` }), { logo: null, gadgets: [] }],
        ['tags', (n) => ({ label: `tg-${t}-${n}` }), { gadgets: [] }],
        ['manuals', (n) => ({ title: `mn-${t}-${n}` }), { gadget: null }],
        ['reviews', (n) => ({ rating: n, comment: `rv-${t}-${n}` }), { author: null, gadget: null }],
      ];
      for (const [plural, data, populated] of types) {
        const made = [await c.create(plural, data(2)), await c.create(plural, data(1)), await c.create(plural, data(3))];
        const list = await c.get(`/api/${plural}`, { filters: { id: { $in: made.map((m) => m.id) } }, populate: '*' });
        expect(list.status, plural).toBe(200);
        expect(pluck(flat(list.body.data), 'id'), plural).toEqual(made.map((m) => m.id));
        for (const entry of flat(list.body.data)) expect(entry, plural).toMatchObject(populated);
        const one = await c.get(`/api/${plural}/${c.ref(made[1])}`, { populate: '*' });
        expect(flat(one.body.data), plural).toMatchObject({ ...data(1), ...populated });
      }
    });

    test('findOne, update, delete round trip; a deleted entry is 404', async () => {
      const t = tag();
      const g = await c.create('gadgets', scalars(t, 2));
      const one = await c.get(`/api/gadgets/${c.ref(g)}`);
      expect(one.status).toBe(200);
      expect(flat(one.body.data)).toEqual(g);
      const upd = await c.call('PUT', `/api/gadgets/${c.ref(g)}`, { data: { stock: 7, price: 1.25, category: 'audio', specs: null } });
      expect(upd.status).toBe(200);
      expect(flat(upd.body.data)).toMatchObject({ stock: 7, price: 1.25, category: 'audio', specs: null, title: g.title });
      const del = await c.call('DELETE', `/api/gadgets/${c.ref(g)}`);
      expect(del.status).toBe(v5 ? 204 : 200);
      expect((await c.get(`/api/gadgets/${c.ref(g)}`)).status).toBe(404);
    });

    test('filters on each field kind', async () => {
      const t = tag();
      for (const n of [1, 2, 3, 4]) await c.create('gadgets', scalars(t, n));
      const titles = async (filters: Record<string, unknown>) => {
        const r = await c.get('/api/gadgets', { filters: { slug: { $startsWith: `gadget-${t}-` }, ...filters } });
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
        return pluck(flat(r.body.data)).map((s) => Number(String(s).slice(-1)));
      };
      expect(await titles({ title: { $eq: `Gadget ${t} 2` } })).toEqual([2]);
      expect(await titles({ summary: { $containsi: 'SUMMARY 3' } })).toEqual([3]);
      expect(await titles({ description: { $contains: 'Gadget 4' } })).toEqual([4]);
      expect(await titles({ contactEmail: { $endsWith: `1@${t}.example.com` } })).toEqual([1]);
      expect(await titles({ slug: { $in: [`gadget-${t}-1`, `gadget-${t}-4`] } })).toEqual([1, 4]);
      expect(await titles({ stock: { $gt: 20 } })).toEqual([3, 4]);
      expect(await titles({ serial: { $eq: '123456789012342' } })).toEqual([2]);
      expect(await titles({ weight: { $lt: 0.6 } })).toEqual([1, 2]);
      expect(await titles({ price: { $gte: 12.5 } })).toEqual([3, 4]);
      expect(await titles({ inStock: { $eq: false } })).toEqual([2, 4]);
      expect(await titles({ releaseDate: { $lt: '2024-03-01' } })).toEqual([1, 2]);
      expect(await titles({ launchAt: { $gte: '2024-03-15T10:30:00.000Z' } })).toEqual([3, 4]);
      expect(await titles({ opensAt: { $eq: '02:30:00.000' } })).toEqual([2]);
      expect(await titles({ category: { $in: ['watch', 'phone'] } })).toEqual([1, 3]);
      expect(await titles({ category: { $ne: 'phone' }, stock: { $between: [20, 30] } })).toEqual([2, 3]);
      expect(await titles({ $or: [{ stock: 10 }, { category: 'audio' }] })).toEqual([1, 4]);
      expect(await titles({ summary: { $null: true } })).toEqual([]);
    });

    test('sort on each field kind, asc and desc, and the order without sort', async () => {
      const t = tag();
      // Created out of order, so no sort key agrees with the creation order by accident.
      for (const n of [3, 1, 4, 2]) await c.create('gadgets', scalars(t, n));
      const order = async (sort?: string | string[]) => {
        const r = await c.get('/api/gadgets', { filters: { slug: { $startsWith: `gadget-${t}-` } }, ...(sort ? { sort } : {}) });
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
        return pluck(flat(r.body.data)).map((s) => Number(String(s).slice(-1)));
      };
      expect(await order()).toEqual([3, 1, 4, 2]);
      for (const key of ['title', 'slug', 'summary', 'contactEmail', 'stock', 'serial', 'weight', 'price', 'releaseDate', 'launchAt', 'opensAt']) {
        expect(await order(`${key}:asc`), key).toEqual([1, 2, 3, 4]);
        expect(await order(`${key}:desc`), key).toEqual([4, 3, 2, 1]);
      }
      // audio (4), laptop (2), phone (1), watch (3)
      expect(await order('category:asc')).toEqual([4, 2, 1, 3]);
      expect(await order('category:desc')).toEqual([3, 1, 2, 4]);
      expect(await order('stock')).toEqual([1, 2, 3, 4]);
      expect(await order(['inStock:desc', 'stock:desc'])).toEqual([3, 1, 4, 2]);
      expect(await order(['inStock:asc', 'title:asc'])).toEqual([2, 4, 1, 3]);
    });

    test('the project config: default page size 10, max 50', async () => {
      const t = tag();
      for (let i = 0; i < 12; i++) await c.create('tags', { label: `l-${t}-${String(i).padStart(2, '0')}`, weight: i });
      const filters = { label: { $startsWith: `l-${t}-` } };
      const page = await c.get('/api/tags', { filters });
      expect(page.status).toBe(200);
      expect(page.body.meta.pagination).toEqual({ page: 1, pageSize: 10, pageCount: 2, total: 12 });
      expect(pluck(flat(page.body.data), 'weight')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const big = await c.get('/api/tags', { filters, pagination: { pageSize: 80 } });
      expect(big.body.meta.pagination).toEqual({ page: 1, pageSize: 50, pageCount: 1, total: 12 });
      const second = await c.get('/api/tags', { filters, pagination: { page: 2 }, sort: 'weight:desc' });
      expect(pluck(flat(second.body.data), 'weight')).toEqual([1, 0]);
    });

    test('a custom field (color picker) is stored and filtered as its string', async () => {
      const t = tag();
      await c.create('tags', { label: `c-${t}-a`, color: '#ff0000' });
      await c.create('tags', { label: `c-${t}-b`, color: '#00ff00' });
      const r = await c.get('/api/tags', { filters: { label: { $startsWith: `c-${t}-` }, color: { $eq: '#00ff00' } } });
      expect(pluck(flat(r.body.data), 'label')).toEqual([`c-${t}-b`]);
      expect(flat(r.body.data)[0].color).toBe('#00ff00');
    });
  });

  describe('rich: components, dynamic zones, media', () => {
    test('components nested four levels and a dynamic zone: write, read with populate=* and deep populate', async () => {
      const t = tag();
      const icon = await c.upload(`icon-${t}.png`);
      const meta = await c.upload(`meta-${t}.png`);
      const pic = await c.upload(`pic-${t}.png`);
      const other = await c.create('gadgets', { title: `Other ${t}` });
      const g = await c.create('gadgets', {
        title: `Deep ${t}`,
        seo: { metaTitle: 'Deep', metaDescription: 'desc', metaImage: icon.id, keywords: ['a', 'b'] },
        sheet: {
          name: 'sheet',
          sections: [
            { heading: 's1', rows: [{ title: 'r1', cells: [{ label: 'c1', value: 1, icon: icon.id }, { label: 'c2', value: 2 }] }] },
            { heading: 's2', rows: [] },
          ],
        },
        body: [
          { __component: 'blocks.text', body: 'hello' },
          { __component: 'blocks.gallery', title: 'pics', images: [pic.id, meta.id] },
          { __component: 'blocks.featured', heading: 'see also', gadgets: [c.ref(other)], seo: { metaTitle: 'inner', metaImage: meta.id } },
        ],
      });
      // The create answer: components and dynamic zones are not populated.
      expect(g).not.toHaveProperty('sheet');
      expect(g).not.toHaveProperty('body');

      const star = flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: '*' })).body.data);
      expect(Object.keys(star.seo).sort()).toEqual(['id', 'keywords', 'metaDescription', 'metaTitle']);
      expect(star.seo).toMatchObject({ metaTitle: 'Deep', metaDescription: 'desc', keywords: ['a', 'b'] });
      expect(star.sheet).toMatchObject({ name: 'sheet' });
      expect(star.sheet).not.toHaveProperty('sections');
      expect(star.body.map((b: { __component: string }) => b.__component)).toEqual(['blocks.text', 'blocks.gallery', 'blocks.featured']);
      expect(star.body[0]).toMatchObject({ body: 'hello', align: 'left' });
      expect(star.body[1]).not.toHaveProperty('images');
      for (const rel of ['maker', 'manual', 'sponsor', 'cover']) expect(star[rel], rel).toBeNull();
      for (const rel of ['tags', 'highlights']) expect(star[rel], rel).toEqual([]);
      expect(star.gallery).toEqual(v5 ? [] : null);

      const deep = flat(
        (
          await c.get(`/api/gadgets/${c.ref(g)}`, {
            populate: {
              seo: { populate: '*' },
              sheet: { populate: { sections: { populate: { rows: { populate: { cells: { populate: '*' } } } } } } },
              body: { on: { 'blocks.text': { populate: '*' }, 'blocks.gallery': { populate: '*' }, 'blocks.featured': { populate: { gadgets: true, seo: { populate: '*' } } } } },
            },
          })
        ).body.data,
      );
      expect(deep.seo.metaImage).toMatchObject({ id: icon.id, name: `icon-${t}.png`, mime: 'image/png' });
      const cells = deep.sheet.sections[0].rows[0].cells;
      expect(pluck(deep.sheet.sections, 'heading')).toEqual(['s1', 's2']);
      expect(deep.sheet.sections[1].rows).toEqual([]);
      expect(pluck(cells, 'label')).toEqual(['c1', 'c2']);
      expect(cells[0].icon).toMatchObject({ id: icon.id, name: `icon-${t}.png` });
      expect(cells[1].icon).toBeNull();
      expect(pluck(deep.body[1].images, 'id')).toEqual([pic.id, meta.id]);
      expect(pluck(deep.body[2].gadgets, 'title')).toEqual([`Other ${t}`]);
      expect(deep.body[2].seo.metaImage).toMatchObject({ id: meta.id });
    });

    test('updating a component replaces it; a dynamic zone is replaced as a whole', async () => {
      const t = tag();
      const g = await c.create('gadgets', { title: `Swap ${t}`, seo: { metaTitle: 'one' }, body: [{ __component: 'blocks.text', body: 'a' }, { __component: 'blocks.text', body: 'b' }] });
      const upd = await c.call('PUT', `/api/gadgets/${c.ref(g)}`, { data: { seo: { metaTitle: 'two' }, body: [{ __component: 'blocks.gallery', title: 'only' }] } });
      expect(upd.status).toBe(200);
      const read = flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: ['seo', 'body'] })).body.data);
      expect(read.seo).toMatchObject({ metaTitle: 'two', metaDescription: null });
      expect(read.body.map((b: { __component: string; title?: string }) => [b.__component, b.title])).toEqual([['blocks.gallery', 'only']]);
    });

    test('media single and multiple on a content type keep their order', async () => {
      const t = tag();
      const [a, b, d] = [await c.upload(`a-${t}.png`), await c.upload(`b-${t}.png`), await c.upload(`d-${t}.png`)];
      const g = await c.create('gadgets', { title: `Media ${t}`, cover: b.id, gallery: [d.id, a.id, b.id] });
      const read = flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: ['cover', 'gallery'] })).body.data);
      expect(read.cover.id).toBe(b.id);
      expect(pluck(read.gallery, 'id')).toEqual([d.id, a.id, b.id]);
    });
  });

  describe('rich: relations', () => {
    test('manyToOne ↔ oneToMany: connect, read from both sides, disconnect', async () => {
      const t = tag();
      const m = await c.create('makers', { name: `Maker ${t}`, country: 'jp' });
      const g1 = await c.create('gadgets', { title: `A ${t}`, maker: c.ref(m) });
      const g2 = await c.create('gadgets', { title: `B ${t}`, maker: { connect: [c.ref(m)] } });
      const back = flat((await c.get(`/api/makers/${c.ref(m)}`, { populate: 'gadgets' })).body.data);
      expect(pluck(back.gadgets)).toEqual([`A ${t}`, `B ${t}`]);
      expect(flat((await c.get(`/api/gadgets/${c.ref(g1)}`, { populate: 'maker' })).body.data).maker.name).toBe(`Maker ${t}`);
      await c.call('PUT', `/api/gadgets/${c.ref(g1)}`, { data: { maker: { disconnect: [c.ref(m)] } } });
      expect(flat((await c.get(`/api/gadgets/${c.ref(g1)}`, { populate: 'maker' })).body.data).maker).toBeNull();
      expect(pluck(flat((await c.get(`/api/makers/${c.ref(m)}`, { populate: 'gadgets' })).body.data).gadgets)).toEqual([`B ${t}`]);
      // Filter through the relation, both ways.
      expect(pluck(flat((await c.get('/api/gadgets', { filters: { maker: { name: `Maker ${t}` } } })).body.data))).toEqual([`B ${t}`]);
      expect(pluck(flat((await c.get('/api/makers', { filters: { gadgets: { title: `B ${t}` } } })).body.data), 'name')).toEqual([`Maker ${t}`]);
      void g2;
    });

    test('manyToMany: connect order, disconnect, set, and the inverse side', async () => {
      const t = tag();
      const [x, y, z] = [await c.create('tags', { label: `x-${t}` }), await c.create('tags', { label: `y-${t}` }), await c.create('tags', { label: `z-${t}` })];
      const g = await c.create('gadgets', { title: `M ${t}`, tags: { connect: [c.ref(z), c.ref(x)] } });
      const labels = async () => pluck(flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: 'tags' })).body.data).tags, 'label');
      expect(await labels()).toEqual([`z-${t}`, `x-${t}`]);
      await c.call('PUT', `/api/gadgets/${c.ref(g)}`, { data: { tags: { connect: [c.ref(y)], disconnect: [c.ref(z)] } } });
      expect(await labels()).toEqual([`x-${t}`, `y-${t}`]);
      await c.call('PUT', `/api/gadgets/${c.ref(g)}`, { data: { tags: { set: [c.ref(y), c.ref(z)] } } });
      expect(await labels()).toEqual([`y-${t}`, `z-${t}`]);
      await c.call('PUT', `/api/gadgets/${c.ref(g)}`, { data: { tags: [c.ref(x)] } });
      expect(await labels()).toEqual([`x-${t}`]);
      const g2 = await c.create('gadgets', { title: `N ${t}`, tags: [c.ref(x)] });
      expect(pluck(flat((await c.get(`/api/tags/${c.ref(x)}`, { populate: 'gadgets' })).body.data).gadgets)).toEqual([`M ${t}`, `N ${t}`]);
      expect(pluck(flat((await c.get('/api/tags', { filters: { gadgets: { title: { $in: [`M ${t}`, `N ${t}`] } } } })).body.data), 'label')).toEqual([`x-${t}`]);
      void g2;
    });

    test('oneToOne both ways: connecting another entry moves the relation', async () => {
      const t = tag();
      const man = await c.create('manuals', { title: `Manual ${t}`, pages: 12 });
      const g1 = await c.create('gadgets', { title: `O1 ${t}`, manual: c.ref(man) });
      expect(flat((await c.get(`/api/manuals/${c.ref(man)}`, { populate: '*' })).body.data).gadget.title).toBe(`O1 ${t}`);
      const g2 = await c.create('gadgets', { title: `O2 ${t}`, manual: { connect: [c.ref(man)] } });
      expect(flat((await c.get(`/api/manuals/${c.ref(man)}`, { populate: 'gadget' })).body.data).gadget.title).toBe(`O2 ${t}`);
      expect(flat((await c.get(`/api/gadgets/${c.ref(g1)}`, { populate: 'manual' })).body.data).manual).toBeNull();
      await c.call('PUT', `/api/manuals/${c.ref(man)}`, { data: { gadget: null } });
      expect(flat((await c.get(`/api/gadgets/${c.ref(g2)}`, { populate: 'manual' })).body.data).manual).toBeNull();
    });

    test('oneWay and manyWay: no inverse side; a component relation', async () => {
      const t = tag();
      const m = await c.create('makers', { name: `Sponsor ${t}` });
      const [a, b] = [await c.create('tags', { label: `ha-${t}` }), await c.create('tags', { label: `hb-${t}` })];
      const g = await c.create('gadgets', { title: `W ${t}`, sponsor: c.ref(m), highlights: [c.ref(b), c.ref(a)] });
      const read = flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: ['sponsor', 'highlights'] })).body.data);
      expect(read.sponsor.name).toBe(`Sponsor ${t}`);
      expect(pluck(read.highlights, 'label')).toEqual([`hb-${t}`, `ha-${t}`]);
      const other = await c.create('gadgets', { title: `W2 ${t}`, highlights: [c.ref(a)] });
      // A oneToMany without mappedBy does not own its targets: `a` stays on the first gadget too.
      const again = flat((await c.get(`/api/gadgets/${c.ref(g)}`, { populate: ['highlights'] })).body.data);
      expect(pluck(again.highlights, 'label')).toEqual([`hb-${t}`, `ha-${t}`]);
      expect(pluck(flat((await c.get(`/api/gadgets/${c.ref(other)}`, { populate: 'highlights' })).body.data).highlights, 'label')).toEqual([`ha-${t}`]);
      const maker = flat((await c.get(`/api/makers/${c.ref(m)}`, { populate: '*' })).body.data);
      expect(maker.gadgets).toEqual([]); // sponsor has no inverse: the maker's gadgets are only those of `maker`
    });
  });

  describe('rich: single types and draft & publish', () => {
    test('a single type: 404 before it exists, PUT creates then updates, populate, DELETE', async () => {
      const before = await c.get('/api/setting');
      expect(before.status).toBe(404);
      const put = await c.call('PUT', '/api/setting', { data: { siteName: 'Rich', contact: 'hi@rich.example.com', footer: { title: 'f', cells: [{ label: 'x' }] } } });
      expect(put.status).toBe(200);
      expect(flat(put.body.data)).toMatchObject({ siteName: 'Rich', maintenance: false, contact: 'hi@rich.example.com' });
      const again = await c.call('PUT', '/api/setting', { data: { maintenance: true } });
      expect(flat(again.body.data)).toMatchObject({ siteName: 'Rich', maintenance: true });
      expect(flat(again.body.data).id).toBe(flat(put.body.data).id);
      const read = flat((await c.get('/api/setting', { populate: { footer: { populate: '*' } } })).body.data);
      expect(read.footer.title).toBe('f');
      expect(pluck(read.footer.cells, 'label')).toEqual(['x']);
      const del = await c.call('DELETE', '/api/setting');
      expect(del.status).toBe(v5 ? 204 : 200);
      expect((await c.get('/api/setting')).status).toBe(404);
    });

    test('draft & publish: a draft is not listed until published', async () => {
      const t = tag();
      const filters = { title: { $startsWith: `Dp ${t}` } };
      const published = await c.create('gadgets', { title: `Dp ${t} pub` });
      expect(published.publishedAt).toEqual(expect.any(String));
      const draft = v5 ? await c.create('gadgets', { title: `Dp ${t} draft` }, '?status=draft') : await c.create('gadgets', { title: `Dp ${t} draft`, publishedAt: null });
      expect(draft.publishedAt).toBeNull();
      expect(pluck(flat((await c.get('/api/gadgets', { filters })).body.data))).toEqual([`Dp ${t} pub`]);
      const all = await c.get('/api/gadgets', { filters, ...(v5 ? { status: 'draft' } : { publicationState: 'preview' }) });
      expect(pluck(flat(all.body.data))).toEqual(v5 ? [`Dp ${t} pub`, `Dp ${t} draft`] : [`Dp ${t} pub`, `Dp ${t} draft`]);
      // Real v4's findOne answers a draft (no publicationState on findOne); v5's looks up the published version only.
      expect((await c.get(`/api/gadgets/${c.ref(draft)}`)).status).toBe(v5 ? 404 : 200);
      // Publish: v5 updates with status=published, v4 sets publishedAt.
      const pub = v5 ? await c.call('PUT', `/api/gadgets/${c.ref(draft)}?status=published`, { data: {} }) : await c.call('PUT', `/api/gadgets/${c.ref(draft)}`, { data: { publishedAt: '2024-01-01T00:00:00.000Z' } });
      expect(pub.status).toBe(200);
      expect(pluck(flat((await c.get('/api/gadgets', { filters })).body.data))).toEqual([`Dp ${t} pub`, `Dp ${t} draft`]);
    });
  });
}
