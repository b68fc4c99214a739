// Reset to a seeded world undoes the changes since the seed (store/table.ts rewind) instead of
// replaying it: whatever changed — rows in several shards, users, roles, tokens, the outbox, the
// limiter's windows, settings, webhooks, uploads — the world after reset is the seed, to the byte.
import { describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';

describe.each([4, 5] as const)('v%i reset to a seeded world', (major) => {
  test('undoes every kind of change, across shards; a restore of another world in between too', async () => {
    const t = await setup({ strapi: major });
    const key = (data: { id: number; documentId?: string }) => (major === 5 ? data.documentId! : String(data.id));
    const title = async (path: string) => {
      const { data } = (await t.call('GET', path)).body;
      return major === 5 ? data?.title : data?.attributes?.title;
    };
    const articles: Array<{ id: number; documentId?: string }> = [];
    for (let i = 0; i < 520; i++) {
      const r = await t.call('POST', '/api/articles', { token: fullAccessToken, json: { data: { title: `Seeded ${i}`, body: `Body ${i}` } } });
      expect(r.status, r.text).toBe(major === 5 ? 201 : 200);
      articles.push(r.body.data);
    }
    const seeded = await t.register();
    t.store.markSeed();
    const seed = JSON.stringify(t.control.snapshot());

    const added = await t.call('POST', '/api/articles', { token: fullAccessToken, json: { data: { title: 'after the seed' } } });
    await t.call('PUT', `/api/articles/${key(articles[3])}`, { token: fullAccessToken, json: { data: { title: 'changed' } } });
    await t.call('DELETE', `/api/articles/${key(articles[519])}`, { token: fullAccessToken });
    await t.call('DELETE', `/api/articles/${key(articles[0])}`, { token: fullAccessToken });
    const other = await t.register();
    await t.call('POST', '/api/auth/forgot-password', { json: { email: seeded.email } });
    await t.call('POST', '/api/auth/local', { json: { identifier: seeded.username, password: 'wrong-password' }, ip: '127.9.9.9' });
    await t.call('POST', '/api/users-permissions/roles', { token: fullAccessToken, json: { name: 'Extra' } });
    await t.call('PUT', `/api/users/${seeded.id}`, { token: fullAccessToken, json: { username: 'renamed' } });
    await t.call('PUT', '/_emulator/settings', { json: { allow_register: false } });
    await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'after-seed-token', type: 'read-only' } });
    await t.call('POST', '/_emulator/webhooks', { json: { url: 'http://127.0.0.1:9/hook', events: ['entry.create'] } });
    const form = new FormData();
    form.append('files', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const upload = await t.emulator.app.request('http://127.0.0.1:1337/api/upload', { method: 'POST', headers: { authorization: `Bearer ${fullAccessToken}` }, body: form });
    expect(upload.status, await upload.clone().text()).toBeLessThan(300);
    expect(JSON.stringify(t.control.snapshot())).not.toBe(seed);

    expect((await t.call('POST', '/_emulator/reset', {})).body).toEqual({ ok: true });
    expect(JSON.stringify(t.control.snapshot())).toBe(seed);
    // The indexes follow: lookups by documentId, username and email see the seed, not what came after.
    expect(await title(`/api/articles/${key(articles[519])}`)).toBe('Seeded 519');
    expect(await title(`/api/articles/${key(articles[3])}`)).toBe('Seeded 3');
    expect((await t.call('GET', `/api/articles/${key(added.body.data)}`)).status).toBe(404);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: seeded.username, password }, ip: t.ip() })).status).toBe(200);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: other.email, password }, ip: t.ip() })).status).toBe(400);
    // The next create gets the id the first create after the seed got (the counter is the seed's).
    const again = await t.call('POST', '/api/articles', { token: fullAccessToken, json: { data: { title: 'again' } } });
    expect(again.body.data.id).toBe(added.body.data.id);

    // A whole other world restored in between: the reset rebuilds instead of undoing.
    const empty = JSON.parse(seed);
    for (const table of Object.values(empty.extensions.content.documents.tables) as Array<{ rows: unknown[] }>) table.rows = [];
    expect((await t.call('PUT', '/_emulator/snapshot', { json: empty })).body).toEqual({ ok: true });
    expect((await t.call('GET', `/api/articles/${key(articles[10])}`)).status).toBe(404);
    await t.call('POST', '/_emulator/reset', {});
    expect(JSON.stringify(t.control.snapshot())).toBe(seed);
    expect(await title(`/api/articles/${key(articles[10])}`)).toBe('Seeded 10');
  });
});
