// Webhooks: every entry.* and media.* event the content API causes, on both majors, as a
// local receiver gets them (payloads compared with what real Strapi 5.54.0 and 4.26.2 sent
// for the same requests), plus configuration, the delivery log and failures.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { png } from '../../contracts/fixtures.js';
import { fullAccessToken, setup } from '../testing.js';

const admin = { token: fullAccessToken };

type Received = { headers: http.IncomingHttpHeaders; body: any };

/** A webhook receiver on 127.0.0.1: records what it gets; answers with `reply` (default 200 "ok"). */
async function receiver() {
  const got: Received[] = [];
  let reply = { status: 200, text: 'ok' };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(reply.status).end(reply.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    got,
    /** The events received since the last take(), in order. */
    take: () => got.splice(0),
    answer: (status: number, text: string) => (reply = { status, text }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  rx = await receiver();
});
afterAll(() => rx.close());

function form(entries: Array<[string, string | Blob, string?]>): FormData {
  const f = new FormData();
  for (const [k, v, name] of entries) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, v, name);
  }
  return f;
}

/** Waits for every queued delivery of `t`, then takes what the receiver got. */
const settledOf = (t: { control: { webhooks: { settled(): Promise<void> } } }) => async () => {
  await t.control.webhooks.settled();
  return rx.take();
};

const image = () => new Blob([new Uint8Array(png(8, 8))], { type: 'image/png' });
const events = (list: Received[]) => list.map((r) => r.body.event);

const fileKeysV5 = ['id', 'documentId', 'name', 'alternativeText', 'caption', 'focalPoint', 'width', 'height', 'formats', 'hash', 'ext', 'mime', 'size', 'url', 'previewUrl', 'provider', 'provider_metadata', 'createdAt', 'updatedAt', 'publishedAt'];
const fileKeysV4 = ['id', 'name', 'alternativeText', 'caption', 'width', 'height', 'formats', 'hash', 'ext', 'mime', 'size', 'url', 'previewUrl', 'provider', 'provider_metadata', 'createdAt', 'updatedAt'];
const authorKeysV5 = ['id', 'documentId', 'username', 'email', 'provider', 'confirmed', 'blocked', 'createdAt', 'updatedAt', 'publishedAt'];

describe('v5 events (as Strapi 5.54.0 delivered them)', () => {
  test('upload, create, update, draft update, delete: the events, their order, headers and payloads', async () => {
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url, headers: { 'X-Custom': 'yes' } }] });
    const settled = settledOf(t);
    rx.take();

    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', image(), 'dot.png']]) });
    expect(up.status).toBe(201);
    const [media] = await settled();
    expect(media.headers['x-strapi-event']).toBe('media.create');
    expect(media.headers['content-type']).toBe('application/json');
    expect(media.headers['x-custom']).toBe('yes');
    expect(Object.keys(media.body)).toEqual(['event', 'createdAt', 'media']);
    expect(Object.keys(media.body.media)).toEqual(fileKeysV5);
    expect(media.body.media).toMatchObject({ id: up.body[0].id, name: 'dot.png', width: 8, height: 8, mime: 'image/png', provider: 'local' });
    expect(media.body.media).not.toHaveProperty('isUrlSigned');
    const fileId = up.body[0].id as number;

    const author = await t.call('POST', '/_emulator/users', { json: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' } });
    const created = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Hello', body: 'b', cover: fileId, author: author.body.id } } });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId as string;
    const [create, publish] = await settled();
    expect([create.body.event, publish.body.event]).toEqual(['entry.create', 'entry.publish']);
    expect(create.headers['x-strapi-event']).toBe('entry.create');
    expect(Object.keys(create.body)).toEqual(['event', 'createdAt', 'model', 'uid', 'entry']);
    expect(create.body).toMatchObject({ model: 'article', uid: 'api::article.article' });
    // The draft, deep-populated: media and relation with all their columns, no private ones.
    expect(Object.keys(create.body.entry)).toEqual(['id', 'documentId', 'title', 'body', 'slug', 'createdAt', 'updatedAt', 'publishedAt', 'cover', 'author']);
    expect(create.body.entry).toMatchObject({ documentId, title: 'Hello', body: 'b', slug: null, publishedAt: null });
    expect(Object.keys(create.body.entry.cover)).toEqual(fileKeysV5);
    expect(Object.keys(create.body.entry.author)).toEqual(authorKeysV5);
    // The published version: a new row id, published now.
    expect(publish.body.entry.id).toBe(created.body.data.id);
    expect(publish.body.entry.id).not.toBe(create.body.entry.id);
    expect(publish.body.entry.publishedAt).toBe(created.body.data.publishedAt);
    expect(publish.body.entry.cover.id).toBe(fileId);

    await t.call('PUT', `/api/articles/${documentId}`, { ...admin, json: { data: { title: 'Hello 2' } } });
    const updated = await settled();
    expect(events(updated)).toEqual(['entry.update', 'entry.publish']);
    expect(updated[0].body.entry).toMatchObject({ id: create.body.entry.id, title: 'Hello 2', publishedAt: null });
    expect(updated[1].body.entry.title).toBe('Hello 2');
    const published = updated[1].body.entry.id as number;

    await t.call('PUT', `/api/articles/${documentId}?status=draft`, { ...admin, json: { data: { title: 'Draft 3' } } });
    const draft = await settled();
    expect(events(draft)).toEqual(['entry.update']);
    expect(draft[0].body.entry).toMatchObject({ title: 'Draft 3', publishedAt: null });

    await t.call('POST', '/api/articles?status=draft', { ...admin, json: { data: { title: 'Draft only' } } });
    const onlyDraft = await settled();
    expect(events(onlyDraft)).toEqual(['entry.create']);
    expect(onlyDraft[0].body.entry).toMatchObject({ title: 'Draft only', body: null, cover: null, author: null, publishedAt: null });

    const info = await t.call('POST', `/api/upload?id=${fileId}`, { ...admin, raw: form([['fileInfo', JSON.stringify({ alternativeText: 'alt' })]]) });
    expect(info.status).toBe(200);
    const mediaUpdate = await settled();
    expect(events(mediaUpdate)).toEqual(['media.update']);
    expect(mediaUpdate[0].body.media.alternativeText).toBe('alt');

    // Deleting a published document removes both versions: two entry.delete, unpopulated, draft first.
    expect((await t.call('DELETE', `/api/articles/${documentId}`, admin)).status).toBe(204);
    const deleted = await settled();
    expect(events(deleted)).toEqual(['entry.delete', 'entry.delete']);
    expect(deleted.map((d) => d.body.entry.id)).toEqual([create.body.entry.id, published]);
    expect(Object.keys(deleted[0].body.entry)).toEqual(['id', 'documentId', 'title', 'body', 'slug', 'createdAt', 'updatedAt', 'publishedAt']);
    expect(deleted[0].body.entry).toMatchObject({ title: 'Draft 3', publishedAt: null });
    expect(deleted[1].body.entry).toMatchObject({ title: 'Hello 2' });

    expect((await t.call('DELETE', `/api/upload/files/${fileId}`, admin)).status).toBe(200);
    const mediaDelete = await settled();
    expect(events(mediaDelete)).toEqual(['media.delete']);
    expect(mediaDelete[0].body.media).toMatchObject({ id: fileId, alternativeText: 'alt' });
  });

  test('replacing a file is media.update; a failed write emits nothing', async () => {
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url }] });
    rx.take();
    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', new Blob(['hello'], { type: 'text/plain' }), 'a.txt']]) });
    await t.call('POST', `/api/upload?id=${up.body[0].id}`, { ...admin, raw: form([['files', new Blob(['changed'], { type: 'text/plain' }), 'b.txt']]) });
    const bad = await t.call('POST', '/api/articles', { ...admin, json: { data: { body: 'no title' } } });
    expect(bad.status).toBe(400);
    await t.control.webhooks.settled();
    const got = rx.take();
    expect(events(got)).toEqual(['media.create', 'media.update']);
    expect(got[1].body.media.name).toBe('b.txt');
  });
});

describe('v4 events (as Strapi 4.26.2 delivered them)', () => {
  test('the entity as the request selected it, flat; publishing is an update; file updates also emit entry.update', async () => {
    const t = await setup({ strapi: 4, webhooks: [{ url: rx.url, headers: { 'X-Custom': 'yes' } }] });
    const settled = settledOf(t);
    rx.take();

    const up = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', image(), 'dot.png']]) });
    expect(up.status).toBe(200);
    const uploaded = await settled();
    // The first upload creates the "API Uploads" folder (entity service → entry.create).
    expect(events(uploaded)).toEqual(['entry.create', 'media.create']);
    expect(uploaded[0].body).toMatchObject({ model: 'folder', uid: 'plugin::upload.folder', entry: { id: 1, name: 'API Uploads', pathId: 1, path: '/1' } });
    expect(uploaded[1].headers['user-agent']).toBe('node-fetch/1.0 (+https://github.com/bitinn/node-fetch)');
    expect(Object.keys(uploaded[1].body.media)).toEqual(fileKeysV4);
    const fileId = up.body[0].id as number;

    const second = await t.call('POST', '/api/upload', { ...admin, raw: form([['files', image(), 'two.png']]) });
    expect(events(await settled())).toEqual(['media.create']);

    const author = await t.call('POST', '/_emulator/users', { json: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' } });
    const created = await t.call('POST', '/api/articles?populate=cover', { ...admin, json: { data: { title: 'Hello', body: 'b', cover: fileId, author: author.body.id } } });
    expect(created.status).toBe(200);
    const id = created.body.data.id as number;
    const [create] = await settled();
    expect(create.body).toMatchObject({ event: 'entry.create', model: 'article', uid: 'api::article.article' });
    // populate=cover: the cover, flat; the author was not asked for.
    expect(Object.keys(create.body.entry)).toEqual(['id', 'title', 'body', 'slug', 'createdAt', 'updatedAt', 'publishedAt', 'cover']);
    expect(Object.keys(create.body.entry.cover)).toEqual(fileKeysV4);
    expect(create.body.entry.cover.id).toBe(fileId);
    expect(create.body.entry.publishedAt).toBe(created.body.data.attributes.publishedAt);

    await t.call('PUT', `/api/articles/${id}`, { ...admin, json: { data: { title: 'Hello 2' } } });
    await t.call('PUT', `/api/articles/${id}`, { ...admin, json: { data: { publishedAt: null } } });
    const updates = await settled();
    expect(events(updates)).toEqual(['entry.update', 'entry.update']);
    expect(Object.keys(updates[0].body.entry)).toEqual(['id', 'title', 'body', 'slug', 'createdAt', 'updatedAt', 'publishedAt']);
    expect(updates[1].body.entry).toMatchObject({ id, title: 'Hello 2', publishedAt: null });

    await t.call('POST', `/api/upload?id=${fileId}`, { ...admin, raw: form([['fileInfo', JSON.stringify({ alternativeText: 'alt' })]]) });
    const fileUpdate = await settled();
    expect(events(fileUpdate)).toEqual(['entry.update', 'media.update']);
    expect(fileUpdate[0].body).toMatchObject({ model: 'file', uid: 'plugin::upload.file', entry: { id: fileId, alternativeText: 'alt' } });
    expect(fileUpdate[0].body.entry).toEqual(fileUpdate[1].body.media);

    const deleted = await t.call('DELETE', `/api/articles/${id}`, admin);
    expect(deleted.status).toBe(200);
    const [del] = await settled();
    expect(del.body).toMatchObject({ event: 'entry.delete', entry: { id, title: 'Hello 2', publishedAt: null } });

    await t.call('DELETE', `/api/upload/files/${second.body[0].id}`, admin);
    const [mediaDelete] = await settled();
    expect(mediaDelete.body).toMatchObject({ event: 'media.delete', media: { id: second.body[0].id, name: 'two.png' } });
  });
});

describe('configuration', () => {
  test('events filter what a webhook gets; a disabled webhook gets nothing; no webhook: nothing is sent', async () => {
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url, events: ['media.create'] }, { url: rx.url, enabled: false }] });
    rx.take();
    await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'x' } } });
    await t.call('POST', '/api/upload', { ...admin, raw: form([['files', new Blob(['hi'], { type: 'text/plain' }), 'a.txt']]) });
    await t.control.webhooks.settled();
    expect(events(rx.take())).toEqual(['media.create']);
    expect(t.control.webhooks.deliveries()).toHaveLength(1);
  });

  test('the control API adds, lists and removes webhooks; reset brings back the configured ones', async () => {
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url, name: 'configured', events: ['entry.create'] }] });
    const listed = await t.call('GET', '/_emulator/webhooks');
    expect(listed.body.webhooks).toEqual([{ id: 1, name: 'configured', url: rx.url, headers: {}, events: ['entry.create'], enabled: true }]);
    const added = await t.call('POST', '/_emulator/webhooks', { json: { url: rx.url, headers: { Authorization: 'Bearer s3cret' }, events: ['entry.delete'] } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 2, name: rx.url, events: ['entry.delete'] });
    expect((await t.call('GET', '/_emulator/webhooks')).body.webhooks).toHaveLength(2);

    for (const [body, message] of [
      [{ url: 'ftp://x' }, 'url must be an absolute http(s) URL, got "ftp://x"'],
      [{ url: rx.url, events: ['entry.crate'] }, 'unknown events "entry.crate"'],
      [{ url: rx.url, events: [] }, 'events must be a non-empty list'],
      [{ url: rx.url, headers: { 'Bad Header': 'x' } }, '"Bad Header" is not a valid header name'],
      [{ url: rx.url, secret: 1 }, 'unknown webhook keys: secret'],
    ] as const) {
      const r = await t.call('POST', '/_emulator/webhooks', { json: body, validate: false });
      expect(r.status).toBe(400);
      expect(r.body.error.name).toBe('ValidationError');
      expect(r.body.error.message).toContain(message);
    }

    rx.take();
    const c = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'x' } } });
    await t.call('DELETE', `/api/articles/${c.body.data.documentId}`, admin);
    await t.control.webhooks.settled();
    const got = rx.take();
    expect(events(got)).toEqual(['entry.create', 'entry.delete', 'entry.delete']);
    expect(got[1].headers.authorization).toBe('Bearer s3cret');

    expect((await t.call('DELETE', '/_emulator/webhooks/2')).status).toBe(200);
    expect((await t.call('DELETE', '/_emulator/webhooks/2')).status).toBe(404);
    expect((await t.call('GET', '/_emulator/webhooks')).body.webhooks.map((w: { id: number }) => w.id)).toEqual([1]);
    await t.call('DELETE', '/_emulator/webhooks');
    expect((await t.call('GET', '/_emulator/webhooks')).body.webhooks).toEqual([]);

    await t.call('POST', '/_emulator/reset');
    expect((await t.call('GET', '/_emulator/webhooks')).body.webhooks.map((w: { name: string }) => w.name)).toEqual(['configured']);
    expect((await t.call('GET', '/_emulator/webhooks/deliveries')).body).toEqual({ deliveries: [], pending: 0 });
  });

  test('a bad webhooks option fails createEmulator at once', async () => {
    await expect(setup({ webhooks: [{ url: 'not a url' }] })).rejects.toThrow('webhooks: url must be an absolute http(s) URL');
  });

  test('snapshots carry the webhooks (they are Strapi state)', async () => {
    const t = await setup({ strapi: 4 });
    t.control.webhooks.add({ url: rx.url });
    const snap = t.control.snapshot();
    t.control.webhooks.clear();
    await t.control.restore(snap);
    expect(t.control.webhooks.list()).toEqual([{ id: 1, name: rx.url, url: rx.url, headers: {}, events: expect.arrayContaining(['entry.create', 'media.delete']), enabled: true }]);
  });
});

describe('deliveries', () => {
  test('a failing receiver or an unreachable one is logged, never seen by the API client, and not retried', async () => {
    const dead = await receiver();
    await dead.close();
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url, events: ['entry.create'] }, { url: dead.url, events: ['entry.create'] }] });
    rx.take();
    rx.answer(500, 'receiver broke');
    try {
      const r = await t.call('POST', '/api/articles?status=draft', { ...admin, json: { data: { title: 'x' } } });
      expect(r.status).toBe(201);
      const waited = await t.call('GET', '/_emulator/webhooks/deliveries?wait=true');
      expect(waited.body.pending).toBe(0);
      // Each webhook has its own queue: the two deliveries may end in either order.
      const [failed, unreachable] = [...waited.body.deliveries].sort((x, y) => x.webhookId - y.webhookId);
      expect(failed).toMatchObject({ webhookId: 1, url: rx.url, event: 'entry.create', status: 500, ok: false, error: 'receiver broke' });
      expect(failed.body).toMatchObject({ event: 'entry.create', model: 'article', entry: { title: 'x' } });
      expect(unreachable).toMatchObject({ webhookId: 2, status: null, ok: false });
      expect(unreachable.error).toMatch(/fetch failed/);
      expect(rx.take()).toHaveLength(1);
    } finally {
      rx.answer(200, 'ok');
    }
    expect((await t.call('DELETE', '/_emulator/webhooks/deliveries')).status).toBe(200);
    expect(t.control.webhooks.deliveries()).toEqual([]);
    expect((await t.call('GET', '/_emulator/webhooks/deliveries?wait=maybe', { validate: false })).status).toBe(400);
  });

  test("one webhook's deliveries go one after another, in the order of the events", async () => {
    const t = await setup({ strapi: 5, webhooks: [{ url: rx.url, events: ['entry.create'] }] });
    rx.take();
    for (let i = 0; i < 5; i++) await t.call('POST', '/api/articles?status=draft', { ...admin, json: { data: { title: `n${i}` } } });
    await t.control.webhooks.settled();
    expect(rx.take().map((r) => r.body.entry.title)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });
});

describe('users-permissions users (Strapi writes them through its user service: create and update have events, delete has none)', () => {
  test.each([4, 5] as const)('v%i: register → entry.create with the role populated; PUT and forgot-password → entry.update; DELETE and role moves → nothing', async (major) => {
    const t = await setup({ strapi: major, webhooks: [{ url: rx.url }] });
    const settled = settledOf(t);
    rx.take();
    const reg = await t.call('POST', '/api/auth/local/register', { json: { username: 'bob', email: 'Bob@Example.com', password: 'Passw0rd!' } });
    expect(reg.status).toBe(200);
    const [created] = await settled();
    expect(created.headers['x-strapi-event']).toBe('entry.create');
    expect(created.body).toMatchObject({ event: 'entry.create', model: 'user', uid: 'plugin::users-permissions.user' });
    // As real Strapi sent it (4.26.2 and 5.54.0): the answer's user plus its role, no secrets.
    const userKeys = major === 5 ? authorKeysV5 : ['id', 'username', 'email', 'provider', 'confirmed', 'blocked', 'createdAt', 'updatedAt'];
    const roleKeys = major === 5 ? ['id', 'documentId', 'name', 'description', 'type', 'createdAt', 'updatedAt', 'publishedAt'] : ['id', 'name', 'description', 'type', 'createdAt', 'updatedAt'];
    expect(Object.keys(created.body.entry)).toEqual([...userKeys, 'role']);
    expect(Object.keys(created.body.entry.role)).toEqual(roleKeys);
    expect(created.body.entry).toMatchObject({ ...reg.body.user, role: { type: 'authenticated' } });

    const id = reg.body.user.id as number;
    await t.call('PUT', `/api/users/${id}`, { ...admin, json: { username: 'bobby' } });
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'bob@example.com' } });
    const updates = await settled();
    expect(events(updates)).toEqual(['entry.update', 'entry.update']);
    expect(updates[0].body.entry.username).toBe('bobby');
    for (const u of updates) expect(JSON.stringify(u.body)).not.toMatch(/password|resetPasswordToken|confirmationToken/i);

    await t.call('POST', '/api/users-permissions/roles', { ...admin, json: { name: 'Temp', description: 'd', permissions: {} } });
    const temp = (await t.call('GET', '/api/users-permissions/roles', admin)).body.roles.find((r: any) => r.name === 'Temp');
    await t.call('PUT', `/api/users/${id}`, { ...admin, json: { role: temp.id } });
    expect(events(await settled())).toEqual(['entry.update']);
    // Deleting the role moves its users to Public with a bare query: no event.
    expect((await t.call('DELETE', `/api/users-permissions/roles/${temp.id}`, admin)).status).toBe(200);
    expect(await settled()).toEqual([]);
    await t.call('DELETE', `/api/users/${id}`, admin);
    expect(await settled()).toEqual([]);
  });
});
