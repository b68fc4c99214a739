// Relation inputs the caller may not read: Strapi checks `<target>.find` for every relation key
// of a payload (components and dynamic zones included), whatever its value. v5 refuses with
// 400 "Invalid key <field>" (validateInput, after the unknown-key check); v4 drops the key
// (sanitizeInput). Media are not relations there: they are never restricted. Recorded on real
// 5.54.0 and 4.26.2 with the default article (author → user) for an Authenticated JWT, and with
// the shop fixture for custom tokens (a dynamic zone's link: v5 "Invalid key link at blocks.link",
// v4 keeps the entry without its link).
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';

const shop = fileURLToPath(new URL('./fixtures/shop/src', import.meta.url));
const admin = { token: fullAccessToken };

async function world(major: 4 | 5) {
  const t = await setup({ strapi: major });
  const register = async (username: string) => (await t.call('POST', '/api/auth/local/register', { json: { username, email: `${username}@example.com`, password }, ip: `10.0.0.${username.length}` })).body;
  const u = await register('alice');
  const v = (await register('bobby')).user;
  const w = (await register('carol1')).user;
  const key = (d: { id: number; documentId?: string }) => (major === 5 ? d.documentId! : String(d.id));
  const authorOf = async (d: { id: number; documentId?: string }) => {
    const r = await t.call('GET', `/api/articles/${key(d)}?populate=author`, admin);
    return major === 5 ? (r.body.data.author?.id ?? null) : (r.body.data.attributes.author.data?.id ?? null);
  };
  return { ...t, jwt: u.jwt as string, v, w, key, authorOf };
}

describe.each([4, 5] as const)('v%i relation input permission checks', (major) => {
  const v5 = major === 5;
  const invalidAuthor = { data: null, error: { status: 400, name: 'ValidationError', message: 'Invalid key author', details: { key: 'author', path: 'author', source: 'body' } } };

  test('create: every relation shape to a user, as a caller without user.find', async () => {
    const t = await world(major);
    const shapes: unknown[] = [t.v.id, String(t.v.id), [t.v.id], { id: t.v.id }, { connect: [t.v.id] }, { connect: [{ id: t.v.id }] }, { set: [t.v.id] }, { disconnect: [t.v.id] }, null, { connect: [] }, [], 999999];
    if (v5) shapes.push(t.v.documentId, { connect: [{ documentId: t.v.documentId }] });
    for (const author of shapes) {
      const r = await t.call('POST', '/api/articles', { token: t.jwt, json: { data: { title: 'x', author } } });
      if (v5) expect({ author, status: r.status, body: r.body }).toEqual({ author, status: 400, body: invalidAuthor });
      else {
        expect(r.status, JSON.stringify(author)).toBe(200);
        expect(await t.authorOf(r.body.data)).toBeNull();
      }
    }
  });

  test('the unknown-key check comes first; a wrong type comes after (v5) or alone (v4)', async () => {
    const t = await world(major);
    const foo = await t.call('POST', '/api/articles', { token: t.jwt, json: { data: { title: 'x', author: t.v.id, foo: 1 } } });
    if (v5) expect(foo.body.error).toMatchObject({ message: 'Invalid key foo', details: { key: 'foo', path: null, source: 'body' } });
    else expect(foo.status).toBe(200);
    const typed = await t.call('POST', '/api/articles', { token: t.jwt, json: { data: { title: 5, author: t.v.id } } });
    expect(typed.status).toBe(400);
    expect(typed.body.error.message).toBe(v5 ? 'Invalid key author' : 'title must be a `string` type, but the final value was: `5`.');
  });

  test('callers with user.find (full access, a custom token) link; media are never restricted', async () => {
    const t = await setup({ strapi: major, apiTokens: [{ accessKey: 'full', type: 'full-access' }, { accessKey: 'cu', type: 'custom', permissions: ['api::article.article.create', 'plugin::users-permissions.user.find'] }, { accessKey: 'nouser', type: 'custom', permissions: ['api::article.article.create'] }] });
    const v = (await t.call('POST', '/api/auth/local/register', { json: { username: 'bobby', email: 'bobby@example.com', password } })).body.user;
    for (const token of ['full', 'cu']) {
      const r = await t.call('POST', '/api/articles?populate=author', { token, json: { data: { title: 'x', author: v.id } } });
      expect(r.status).toBe(v5 ? 201 : 200);
      expect(v5 ? r.body.data.author?.id : r.body.data.attributes.author.data?.id).toBe(v.id);
    }
    const denied = await t.call('POST', '/api/articles', { token: 'nouser', json: { data: { title: 'x', author: v.id } } });
    expect(denied.status).toBe(v5 ? 400 : 200);
    const form = new FormData();
    form.append('files', new Blob([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')], { type: 'image/png' }), 'p.png');
    const file = (await t.call('POST', '/api/upload', { token: 'full', raw: form })).body[0];
    const cover = await t.call('POST', '/api/articles', { token: 'nouser', json: { data: { title: 'c', cover: file.id } } });
    expect(cover.status).toBe(v5 ? 201 : 200);
    const key = v5 ? cover.body.data.documentId : cover.body.data.id;
    const read = await t.call('GET', `/api/articles/${key}?populate=cover`, { token: 'full' });
    expect(v5 ? read.body.data.cover.id : read.body.data.attributes.cover.data.id).toBe(file.id);
    // A new entry's media come from `set` (or a plain id/list) only: `connect` links nothing on create, but does on update.
    const coverOf = async (shape: unknown, method = 'POST', path = '/api/articles') => {
      const r = await t.call(method, `${path}?populate=cover`, { token: 'full', json: { data: { title: 'c', cover: shape } } });
      return { key: v5 ? r.body.data.documentId : r.body.data.id, cover: (v5 ? r.body.data.cover?.id : r.body.data.attributes.cover.data?.id) ?? null };
    };
    expect((await coverOf({ connect: [file.id] })).cover).toBeNull();
    expect((await coverOf({ connect: [{ id: file.id }] })).cover).toBeNull();
    expect((await coverOf({ set: [file.id] })).cover).toBe(file.id);
    // A documentId: v5 links the file, v4 links nothing (no error).
    expect((await coverOf(v5 ? file.documentId : 'abcdefghijklmnopqrstuvwx')).cover).toBe(v5 ? file.id : null);
    const later = await coverOf(null);
    expect((await coverOf({ connect: [file.id] }, 'PUT', `/api/articles/${later.key}`)).cover).toBe(file.id);
  });

  test('update: refused (v5, before the document is looked up) or dropped, the link unchanged (v4)', async () => {
    const t = await world(major);
    const base = (await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'base', author: t.v.id } } })).body.data;
    for (const author of [t.w.id, null, { disconnect: [t.v.id] }, { set: [t.w.id] }, { connect: [t.w.id] }]) {
      const r = await t.call('PUT', `/api/articles/${t.key(base)}`, { token: t.jwt, json: { data: { title: 'upd', author } } });
      if (v5) expect(r.body).toEqual(invalidAuthor);
      else expect(r.status).toBe(200);
      expect(await t.authorOf(base)).toBe(t.v.id);
    }
    const missing = await t.call('PUT', `/api/articles/${v5 ? 'nosuchdocumentid00000000' : '999999'}`, { token: t.jwt, json: { data: { title: 'z', author: t.w.id } } });
    expect(missing.status).toBe(v5 ? 400 : 404);
  });

  test('relations inside components and dynamic zones are checked too (path named)', async () => {
    const t = await setup({ strapi: major, contentTypes: [shop], apiTokens: [{ accessKey: 'p', type: 'custom', permissions: ['api::product.product.create', 'api::product.product.find', 'api::product.product.findOne'] }, { accessKey: 'full', type: 'full-access' }] });
    const other = (await t.call('POST', '/api/products', { token: 'full', json: { data: { name: 'Other', sku: 'OOO-1' } } })).body.data;
    // A relation to a type the caller can find passes; one to a user it cannot find does not.
    const ok = await t.call('POST', '/api/products', { token: 'p', json: { data: { name: 'AA', sku: 'AAA-1', blocks: [{ __component: 'blocks.banner', title: 'b', link: other.id }] } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(v5 ? 201 : 200);
    const owner = await t.call('POST', '/api/products', { token: 'p', json: { data: { name: 'BB', sku: 'BBB-1', owner: null } } });
    if (v5) expect(owner.body.error).toMatchObject({ message: 'Invalid key owner', details: { key: 'owner', path: 'owner', source: 'body' } });
    else expect(owner.status).toBe(200);
    const tagsOnly = await setup({ strapi: major, contentTypes: [shop], apiTokens: [{ accessKey: 'q', type: 'custom', permissions: ['api::product.product.create', 'api::tag.tag.find'] }, { accessKey: 'full', type: 'full-access' }] });
    await tagsOnly.call('POST', '/api/products', { token: 'full', json: { data: { name: 'Other', sku: 'OOO-1' } } });
    const nested = await tagsOnly.call('POST', '/api/products', { token: 'q', json: { data: { name: 'CC', sku: 'CCC-1', blocks: [{ __component: 'blocks.banner', title: 'b', link: 1 }] } } });
    if (v5) expect(nested.body.error).toMatchObject({ message: 'Invalid key link at blocks.link', details: { key: 'link', path: 'blocks.link', source: 'body' } });
    else {
      // v4 keeps the zone entry and drops only its link.
      expect(nested.status).toBe(200);
      const read = await tagsOnly.call('GET', `/api/products/${nested.body.data.id}?populate[blocks][populate]=*`, { token: 'full' });
      expect(read.body.data.attributes.blocks).toEqual([expect.objectContaining({ __component: 'blocks.banner', title: 'b', link: { data: null } })]);
    }
  });
});
