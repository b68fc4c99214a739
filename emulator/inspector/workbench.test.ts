// The workbench's writes (the control operations its buttons and forms call) and what its pages
// show: user edit/block/delete, the request log's bodies with secrets masked, filters, search.
import { describe, expect, test } from 'vitest';
import { createEmulator } from '../index.js';
import { fullAccessToken, setup } from '../testing.js';
import { requestLogOf } from './log.js';
import { filterOf, matchesFilter } from './requests.js';

const admin = { token: fullAccessToken };
const main = (text: string) => text.slice(text.indexOf('<main>'), text.indexOf('</main>'));
const settle = () => new Promise((done) => setTimeout(done, 20));

describe.each([4, 5] as const)('v%i', (major) => {
  test('PUT /_emulator/users/:id changes only the keys given; DELETE removes the user; both 404 an unknown id', async () => {
    const t = await setup({ strapi: major });
    const ann = await t.register({ username: 'ann', email: 'ann@example.com' });
    await t.register({ username: 'bob', email: 'bob@example.com' });
    const blocked = await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { blocked: true } });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ id: ann.id, username: 'ann', blocked: true, confirmed: true, role: { type: 'authenticated' } });
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password: 'Passw0rd!' }, validate: false });
    expect(login.body.error.message).toBe('Your account has been blocked by an administrator');
    const edited = await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { blocked: false, email: 'Ann2@Example.com', password: 'N3wPassw0rd', role: 'public' } });
    expect(edited.body).toMatchObject({ email: 'ann2@example.com', blocked: false, role: { type: 'public' } });
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: 'ann2@example.com', password: 'N3wPassw0rd' } })).status).toBe(200);
    expect((await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { role: null } })).body.role).toBeUndefined();
    const taken = await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { username: 'bob' } });
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toBe('username "bob" is taken');
    expect((await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { admin: true } })).body.error.message).toBe('Unknown keys: admin');
    expect((await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { blocked: 'yes' } })).body.error.message).toBe('blocked must be a boolean');
    expect((await t.call('PUT', '/_emulator/users/999', { json: { blocked: true } })).status).toBe(404);
    expect((await t.call('DELETE', `/_emulator/users/${ann.id}`)).status).toBe(200);
    expect(t.store.users.has(ann.id)).toBe(false);
    expect((await t.call('DELETE', `/_emulator/users/${ann.id}`)).status).toBe(404);
    expect((await t.call('DELETE', '/_emulator/users/abc')).status).toBe(404);
  });

  test('users page: add form, block/unblock and delete buttons and an edit form per user, search', async () => {
    const t = await setup({ strapi: major });
    const ann = await t.register({ username: 'ann', email: 'ann@example.com' });
    await t.register({ username: 'bob', email: 'bob@example.com' });
    await t.call('PUT', `/_emulator/users/${ann.id}`, { json: { blocked: true } });
    const text = main((await t.call('GET', '/_emulator/ui/users')).text);
    expect(text).toContain('data-call="POST /_emulator/users"');
    expect(text).toContain(`data-call="PUT /_emulator/users/${ann.id}" data-body="{&quot;blocked&quot;:false}" data-done="Unblocked.">unblock</button>`);
    expect(text).toContain(`data-call="DELETE /_emulator/users/${ann.id}" data-confirm="Delete the user ann?"`);
    expect(text).toContain('<input name="username" value="ann" required>');
    const found = main((await t.call('GET', '/_emulator/ui/users?q=BOB')).text);
    expect(found).toContain('<td>bob@example.com</td>');
    expect(found).not.toContain('<td>ann@example.com</td>');
  });

  test('the request log keeps headers and bodies with passwords, JWTs and tokens masked; filters pick entries', async () => {
    const t = await setup({ strapi: major });
    const { jwt } = (await t.call('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' } })).body;
    await t.call('GET', '/api/users/me', { token: jwt });
    await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Logged' } } });
    await settle();
    const [article, me, register] = requestLogOf(t.store)!.recent();
    expect(register.request).toEqual({ type: 'application/json', text: '{"username":"ann","email":"ann@example.com","password":"***"}', bytes: 67 });
    expect(register.response?.text).toContain('"jwt":"***"');
    expect(register.response?.text).not.toContain(jwt);
    expect(me.headers).toContainEqual(['authorization', 'Bearer ***']);
    expect(me.request).toBeUndefined();
    expect(JSON.stringify(requestLogOf(t.store)!.recent())).not.toContain(fullAccessToken);
    const data = JSON.parse(article.response!.text!).data;
    expect(major === 5 ? data.title : data.attributes.title).toBe('Logged');
    const page = main((await t.call('GET', '/_emulator/ui/requests?method=post&status=2xx')).text);
    expect(page).toContain('/api/articles');
    expect(page).toContain('/api/auth/local/register');
    expect(page).not.toContain('/api/users/me');
    expect(page).toContain('&quot;password&quot;: &quot;***&quot;');
    expect(page).not.toContain('Passw0rd!');
    expect(main((await t.call('GET', '/_emulator/ui/requests?q=usersMe')).text)).toContain('<h1>Requests (1 of 3)</h1>');
  });
});

test('bodies are bounded: the first 8 KB of text, only type and size of a file; the handler still reads the whole body', async () => {
  const t = await setup({ strapi: 5 });
  const title = 'x'.repeat(100_000);
  const created = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'a', body: title } } });
  expect(created.status).toBe(201);
  expect(created.body.data.body).toHaveLength(100_000);
  const form = new FormData();
  form.append('files', new File([new Uint8Array(50_000)], 'a.bin', { type: 'application/octet-stream' }));
  await t.call('POST', '/api/upload', { ...admin, raw: form });
  await settle();
  const [upload, post] = requestLogOf(t.store)!.recent();
  expect(post.request!.text!.length).toBe(8192);
  expect(post.request).toMatchObject({ truncated: true, type: 'application/json' });
  expect(post.response!.text!.length).toBe(8192);
  expect(upload.request!.text).toBeUndefined();
  expect(upload.request!.type).toBe('multipart/form-data');
});

test('filters: method, status class or code, text in the path or operation; junk is ignored', () => {
  const e = { seq: 1, at: 0, method: 'GET', path: '/api/articles?x=1', status: 404, operationId: 'articleFind', durationMs: 1, ip: '', headers: [] };
  expect(matchesFilter(e, filterOf({ method: 'get', status: '4xx', q: 'ARTICLES' }))).toBe(true);
  expect(matchesFilter(e, filterOf({ status: '404' }))).toBe(true);
  expect(matchesFilter(e, filterOf({ status: '2xx' }))).toBe(false);
  expect(matchesFilter(e, filterOf({ q: 'articlefind' }))).toBe(true);
  expect(filterOf({ method: 'EVIL', status: '9xx', q: ['a'] })).toEqual({});
});

test('document search: by documentId, id and text attributes, kept across pages', async () => {
  const emulator = createEmulator({ strapi: 5, bcryptCost: 4, apiTokens: [{ accessKey: 'k-full-access', type: 'full-access' }] });
  const post = (title: string) => emulator.app.request('/api/articles', { method: 'POST', headers: { authorization: 'Bearer k-full-access', 'content-type': 'application/json' }, body: JSON.stringify({ data: { title } }) });
  for (let i = 0; i < 120; i++) await post(i % 2 ? `item odd ${i}` : `item even ${i}`);
  const text = await (await emulator.app.request('/_emulator/ui/documents/api::article.article?q=ODD')).text();
  expect(text).toContain('60 of 120');
  expect(text).not.toContain('<td>item even');
  const all = await (await emulator.app.request('/_emulator/ui/documents/api::article.article')).text();
  expect(all).toContain('href="?page=2"');
  const paged = await (await emulator.app.request('/_emulator/ui/documents/api::article.article?q=item&page=1')).text();
  expect(paged).toContain('href="?q=item&amp;page=2"');
});
