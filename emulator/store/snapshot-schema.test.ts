// The snapshot is validated whole: random mutations of a real snapshot (users, roles,
// permissions, API tokens, articles with an author and a cover, uploaded files, webhooks,
// emails, rate-limit windows) are either refused with a 400 that leaves the world as it was,
// or, when accepted, every route a client or the inspector uses still answers below 500.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';

/** mulberry32: the same seed, the same cases. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

const replacements: Json[] = [null, 0, -1, 1.5, 2 ** 53, 1e300, '', 'x', 'public', '2024-13-45T00:00:00.000Z', '99999-01-01T00:00:00.000Z', '$2a$10$short', true, false, [], {}, [1], { id: 1 }, 'api::article.article', '/uploads/x.png', 'authenticated', 1, 2, 3];

let strings: string[] = [];
let numbers: number[] = [];

function mutate(snapshot: Json, random: () => number, within: Path = []): { snapshot: Json; what: string[] } {
  const copy = structuredClone(snapshot);
  if (!strings.length) {
    const leaves = paths(copy).map((p) => p.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], copy));
    strings = [...new Set(leaves.filter((v): v is string => typeof v === 'string' && v.length < 200))];
    numbers = [...new Set(leaves.filter((v): v is number => typeof v === 'number'))];
  }
  const what: string[] = [];
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    const all = paths(copy).filter((p) => p.length > within.length && within.every((k, i) => p[i] === k));
    const path = pick(all);
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], copy) as Record<string | number, Json> | Json[];
    const key = path[path.length - 1];
    const current = (parent as Record<string, Json>)[key];
    const op = random();
    const set = (value: Json, how = '=') => {
      (parent as Record<string, Json>)[key] = value;
      what.push(`${path.join('.')} ${how} ${JSON.stringify(value)?.slice(0, 60)}`);
    };
    if (op < 0.2) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      what.push(`delete ${path.join('.')}`);
    } else if (op < 0.3 && Array.isArray(parent)) {
      parent.push(structuredClone(parent[key as number]));
      what.push(`duplicate ${path.join('.')}`);
    } else if (op < 0.7 && current !== null && typeof current !== 'object') {
      // Same type, another value: what a schema by types alone lets through.
      const sameType = [...replacements, ...strings, ...numbers].filter((v) => typeof v === typeof current);
      set(typeof current === 'boolean' ? !current : structuredClone(pick(sameType)));
    } else set(structuredClone(pick(replacements)));
  }
  return { snapshot: copy, what };
}

test.each([5, 4] as const)('v%i: a mutated snapshot is refused with 400 (the world unchanged) or leaves every route below 500', async (major) => {
  const t = await setup({ strapi: major });
  const admin = { token: fullAccessToken, validate: false };
  const ann = await t.register({ username: 'ann' });
  await t.register({ username: 'bob' });
  expect((await t.call('POST', '/_emulator/roles', { json: { name: 'Editor', permissions: ['api::article.article.find', 'api::article.article.create'] } })).status).toBe(201);
  expect((await t.call('POST', '/_emulator/users', { json: { username: 'eve', email: 'eve@example.com', password, role: 'editor' } })).status).toBe(201);
  const form = new FormData();
  form.append('files', new File([new Uint8Array(64).fill(1)], 'cover.bin', { type: 'application/octet-stream' }));
  const upload = await t.call('POST', '/api/upload', { ...admin, raw: form });
  expect(upload.status, upload.text).toBe(major === 5 ? 201 : 200);
  for (const title of ['One', 'Two']) {
    const r = await t.call('POST', '/api/articles', { ...admin, json: { data: { title, body: 'text', author: ann.id, cover: upload.body[0].id } } });
    expect(r.status, r.text).toBe(major === 5 ? 201 : 200);
  }
  expect((await t.call('POST', '/_emulator/webhooks', { json: { url: 'http://127.0.0.1:9/hook', events: ['entry.create'] } })).status).toBe(201);
  await t.call('POST', '/api/auth/forgot-password', { json: { email: ann.email }, ip: t.ip(), validate: false });
  await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password: 'wrong' }, ip: '10.0.0.1', validate: false });
  await t.control.webhooks.clear();
  const original = (await t.call('GET', '/_emulator/snapshot')).body as Json;
  const articleIds = (await t.call('GET', '/api/articles', admin)).body.data.map((a: { id: number; documentId?: string }) => a.documentId ?? a.id);

  const random = prng(Number(process.env.SNAPSHOT_PROPERTY_SEED ?? 7919) * major);
  strings = [];
  let refused = 0;
  let accepted = 0;
  for (let i = 0; i < Number(process.env.SNAPSHOT_PROPERTY_CASES ?? 300); i++) {
    const { snapshot, what } = mutate(original, random);
    const put = await t.call('PUT', '/_emulator/snapshot', { json: snapshot, validate: false });
    const label = `case ${i}: ${what.join('; ')}`;
    expect(put.status, `${label} → ${put.text}`).toBeOneOf([200, 400]);
    if (put.status === 400) {
      refused++;
      expect(put.body.error.name).toBe('ValidationError');
      expect(put.body.error.message).toMatch(/^Not a snapshot this emulator can restore: \S/);
      // Refused whole: nothing of it was restored.
      expect((await t.call('GET', '/_emulator/snapshot')).body, label).toEqual(original);
      continue;
    }
    accepted++;
    const uid = 'api::article.article';
    const answers = await Promise.all([
      t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: t.ip(), validate: false }),
      t.call('POST', '/api/auth/local', { json: { identifier: 'eve@example.com', password }, ip: t.ip(), validate: false }),
      t.call('POST', '/api/auth/local/register', { json: { username: `new${i}`, email: `new${i}@example.com`, password }, ip: t.ip(), validate: false }),
      t.call('POST', '/api/auth/forgot-password', { json: { email: ann.email }, ip: t.ip(), validate: false }),
      t.call('GET', '/api/users/me', { token: ann.jwt, validate: false }),
      t.call('GET', '/api/users?populate=role', admin),
      t.call('GET', `/api/users/${ann.id}`, admin),
      t.call('GET', '/api/users-permissions/roles', admin),
      t.call('GET', '/api/articles?populate=*', admin),
      t.call('GET', '/api/articles', { validate: false }),
      t.call('GET', `/api/articles/${articleIds[0]}?populate=*`, admin),
      t.call('GET', '/api/upload/files', admin),
      t.call('GET', upload.body[0].url, { validate: false }),
      t.call('POST', '/api/articles', { ...admin, json: { data: { title: `New ${i}` } } }),
      ...['', '/users', '/roles', '/documents', `/documents/${uid}`, `/documents/${uid}/${articleIds[0]}`, '/files', '/outbox', '/requests'].map((p) => t.call('GET', `/_emulator/ui${p}`, { validate: false })),
      t.call('GET', '/_emulator/outbox'),
      t.call('GET', '/_emulator/rate-limit'),
      t.call('GET', '/_emulator/webhooks'),
      t.call('GET', '/_emulator/snapshot'),
    ]);
    for (const a of answers) expect(a.status, `${label} → ${a.status} ${a.text.slice(0, 300)}`).toBeLessThan(500);
    expect((await t.call('PUT', '/_emulator/snapshot', { json: original })).status).toBe(200);
  }
  // Both outcomes happen (or the mutations say nothing).
  console.log(`v${major}: ${refused} refused, ${accepted} accepted`);
  expect(refused).toBeGreaterThan(30);
  expect(accepted).toBeGreaterThan(20);
}, 300_000);

/** A shop world (test fixture): every attribute type, relations of every kind, components, a dynamic zone, a single type, media. */
async function shopWorld(major: 4 | 5) {
  const shop = fileURLToPath(new URL('../documents/fixtures/shop/src', import.meta.url));
  const t = await setup({ strapi: major, contentTypes: [shop] });
  const admin = { token: fullAccessToken };
  const key = (r: { body: { data: { id: number; documentId?: string } } }) => (major === 5 ? r.body.data.documentId! : r.body.data.id);
  const owner = await t.register({ username: 'owner' });
  const form = new FormData();
  for (const name of ['a.png', 'b.png']) form.append('files', new File([new Uint8Array(32).fill(3)], name, { type: 'image/png' }));
  const files = (await t.call('POST', '/api/upload', { ...admin, raw: form, validate: false })).body as Array<{ id: number }>;
  const tag = key(await t.call('POST', '/api/tags', { ...admin, json: { data: { name: 'red' } } }));
  const parent = key(await t.call('POST', '/api/products', { ...admin, json: { data: { name: 'Parent' } } }));
  const product = await t.call('POST', '/api/products', {
    ...admin,
    json: {
      data: {
        name: 'Widget', sku: 'ABC-1', slug: 'widget', summary: 's', description: '# d', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'hi' }] }],
        contact: 'a@b.co', secret: 'pw', internalNote: 'n', stock: 5, views: '12345678901234', weight: 1.5, price: 9.99, releaseDate: '2024-01-02',
        availableAt: '2024-01-02T03:04:05Z', opensAt: '09:30:00', specs: { a: [1, 2] }, kind: 'digital', image: files[0].id, gallery: files.map((f) => f.id),
        tags: [tag], owner: owner.id, parent, pricing: { amount: 10 }, features: [{ label: 'a' }], blocks: [{ __component: 'blocks.text', body: 'x' }, { __component: 'blocks.banner', title: 'b', link: parent }],
      },
    },
  });
  expect(product.status, product.text).toBe(major === 5 ? 201 : 200);
  const setting = await t.call('PUT', '/api/setting', { ...admin, json: { data: { siteName: 'Shop', featured: [parent], logo: files[1].id, footer: { body: 'f' } } } });
  expect(setting.status, setting.text).toBe(200);
  return { t, product: key(product) };
}

test.each([5, 4] as const)('v%i: a world with every attribute type, relations of every kind, components, a dynamic zone, a single type and media restores as it is', async (major) => {
  const { t } = await shopWorld(major);
  const snapshot = (await t.call('GET', '/_emulator/snapshot')).body;
  await t.register({ username: 'later' });
  const put = await t.call('PUT', '/_emulator/snapshot', { json: snapshot });
  expect(put.status, put.text).toBe(200);
  expect((await t.call('GET', '/_emulator/snapshot')).body).toEqual(snapshot);
});

test.each([5, 4] as const)('v%i: a mutated shop snapshot (components, dynamic zones, relations) is refused with 400 or leaves the content routes below 500', async (major) => {
  const { t, product } = await shopWorld(major);
  const admin = { token: fullAccessToken, validate: false };
  const original = (await t.call('GET', '/_emulator/snapshot')).body as Json;
  const random = prng(Number(process.env.SNAPSHOT_PROPERTY_SEED ?? 104729) * major);
  strings = [];
  let accepted = 0;
  for (let i = 0; i < Number(process.env.SNAPSHOT_PROPERTY_CASES ?? 300) / 2; i++) {
    // The content part only: the users-permissions tables have their own test above.
    const { snapshot, what } = mutate(original, random, ['extensions', 'content']);
    const put = await t.call('PUT', '/_emulator/snapshot', { json: snapshot, validate: false });
    const label = `case ${i}: ${what.join('; ')}`;
    expect(put.status, `${label} → ${put.text}`).toBeOneOf([200, 400]);
    if (put.status === 400) continue;
    accepted++;
    const answers = await Promise.all([
      ...['/api/products?populate=*', `/api/products/${product}?populate=*`, '/api/products?populate[blocks]=true&populate[features]=true&populate[tags]=true', '/api/tags?populate=*', '/api/setting?populate=*', '/api/products?filters[tags][name][$eq]=red&sort=price:desc'].map((p) => t.call('GET', p, admin)),
      t.call('PUT', `/api/products/${product}`, { ...admin, json: { data: { name: `Renamed ${i}` } } }),
      t.call('POST', '/api/products', { ...admin, json: { data: { name: `New ${i}` } } }),
      ...['/documents', '/documents/api::product.product', `/documents/api::product.product/${product}`, '/documents/api::setting.setting', '/files'].map((p) => t.call('GET', `/_emulator/ui${p}`, { validate: false })),
    ]);
    for (const a of answers) expect(a.status, `${label} → ${a.status} ${a.text.slice(0, 300)}`).toBeLessThan(500);
    expect((await t.call('PUT', '/_emulator/snapshot', { json: original })).status).toBe(200);
  }
  expect(accepted).toBeGreaterThan(10);
}, 300_000);

test.each([5, 4] as const)('v%i: content types and attributes the schemas no longer have are dropped, as Strapi drops their tables and columns', async (major) => {
  const { t, product } = await shopWorld(major);
  const snapshot = (await t.call('GET', '/_emulator/snapshot')).body;
  const edited = structuredClone(snapshot);
  const rows = edited.extensions.content.documents.tables['api::product.product'].rows;
  rows[0].removedAttribute = 'x';
  rows.find((r: { blocks?: unknown[] }) => r.blocks?.length).blocks[0].removedToo = 1;
  edited.extensions.content.documents.tables['api::removed.removed'] = { nextId: 2, rows: [{ id: 1 }] };
  const put = await t.call('PUT', '/_emulator/snapshot', { json: edited });
  expect(put.status, put.text).toBe(200);
  expect((await t.call('GET', '/_emulator/snapshot')).body).toEqual(snapshot);
  expect((await t.call('GET', `/api/products/${product}?populate=*`, { token: fullAccessToken })).status).toBe(200);
});

test("a refused snapshot names each problem by its path, as Strapi's ValidationError details", async () => {
  const t = await setup();
  await t.register({ username: 'ann' });
  const snapshot = (await t.call('GET', '/_emulator/snapshot')).body;
  const broken = structuredClone(snapshot);
  broken.users.rows[0].email = 7;
  broken.advanced.allow_register = 'yes';
  const r = await t.call('PUT', '/_emulator/snapshot', { json: broken });
  expect(r.status).toBe(400);
  expect(r.body.error.message).toBe('Not a snapshot this emulator can restore: users.rows[0].email: Invalid input: expected string, received number; advanced.allow_register: Invalid input: expected boolean, received string');
  expect(r.body.error.details.errors[0]).toEqual({ path: ['users', 'rows', '0', 'email'], message: 'users.rows[0].email: Invalid input: expected string, received number', name: 'ValidationError' });
  // Whole-world rules: the public role, references between tables.
  const orphan = structuredClone(snapshot);
  orphan.roles.rows = orphan.roles.rows.filter((role: { type: string }) => role.type !== 'public');
  orphan.users.rows[0].role = 999;
  const o = await t.call('PUT', '/_emulator/snapshot', { json: orphan });
  expect(o.body.error.message).toContain('roles.rows: no role of type "public"');
  expect(o.body.error.message).toContain('users.rows[0].role: no role with id 999');
  expect((await t.call('GET', '/_emulator/snapshot')).body).toEqual(snapshot);
});
