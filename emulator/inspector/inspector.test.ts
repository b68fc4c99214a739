// The inspector's pages through the whole pipeline (every answer checked against the spec by
// testing.ts): sections and counts, HTML escaping of user input, what is never shown, and the
// request log behind /_emulator/ui/requests.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { png } from '../../contracts/fixtures.js';
import { createEmulator } from '../index.js';
import { fullAccessToken, setup } from '../testing.js';
import { listColumns, statusOf } from './documents.js';
import { paginate } from './layout.js';
import { RequestLog, installRequestLog, requestLogOf } from './log.js';
import { codesOf } from './outbox.js';
import { byController } from './users.js';
import { toMarkup } from './html.js';
import { inspectorScript, inspectorScriptHash } from './script.js';

const shop = fileURLToPath(new URL('../documents/fixtures/shop/src', import.meta.url));
const admin = { token: fullAccessToken };
const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`;

type T = Awaited<ReturnType<typeof setup>>;
const page = async (t: T, path: string, status = 200) => {
  const r = await t.call('GET', path);
  expect(r.status, r.text.slice(0, 300)).toBe(status);
  expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
  return r.text;
};
/** The page body without the shared frame (nav, styles). */
const main = (text: string) => text.slice(text.indexOf('<main>'), text.indexOf('</main>'));
/** Every tag name used in a page: user input must never add one. */
const tags = (text: string) => new Set([...text.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()));

function upload(t: T, name: string, bytes: Buffer, type: string, fileInfo?: Record<string, string>) {
  const form = new FormData();
  form.append('files', new File([new Uint8Array(bytes)], name, { type }));
  if (fileInfo) form.append('fileInfo', JSON.stringify(fileInfo));
  return t.call('POST', '/api/upload', { ...admin, raw: form });
}

describe.each([4, 5] as const)('v%i inspector', (major) => {
  const v5 = major === 5;

  test('every section answers HTML with the nav bar and only the inspector script, allowed by its hash; the current section is marked', async () => {
    const t = await setup({ strapi: major });
    for (const [path, section] of [['/_emulator/ui', 'Overview'], ['/_emulator/ui/users', 'Users'], ['/_emulator/ui/roles', 'Roles'], ['/_emulator/ui/documents', 'Documents'], ['/_emulator/ui/documents/api::article.article', 'Documents'], ['/_emulator/ui/files', 'Files'], ['/_emulator/ui/outbox', 'Outbox'], ['/_emulator/ui/requests', 'Requests']]) {
      const text = await page(t, path);
      for (const href of ['/_emulator/ui', '/_emulator/ui/users', '/_emulator/ui/roles', '/_emulator/ui/documents', '/_emulator/ui/files', '/_emulator/ui/outbox', '/_emulator/ui/requests']) expect(text).toContain(`href="${href}"`);
      expect(text).toMatch(new RegExp(`aria-current="page">${section}<`));
      // One script, the inspector's own, and the CSP runs it by its hash: no other inline script, no script file.
      expect([...text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])).toEqual([inspectorScript]);
      expect(text.match(/<script/g)).toHaveLength(1);
      expect(text).not.toMatch(/\son[a-z]+=/i);
      const csp = (await t.call('GET', path)).headers.get('content-security-policy')!;
      expect(csp).toContain(`script-src ${inspectorScriptHash};`);
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).not.toMatch(/script-src[^;]*'(self|unsafe-inline)'/);
    }
    // A trailing slash and HEAD are routed like Strapi's routes.
    expect((await t.call('GET', '/_emulator/ui/')).status).toBe(200);
    expect((await t.call('HEAD', '/_emulator/ui/users', { validate: false })).status).toBe(200);
  });

  test('overview: the Strapi version, counts that follow the store, API tokens without their keys', async () => {
    const t = await setup({ strapi: major });
    const cards = (text: string) => Object.fromEntries([...text.matchAll(/<a class="card" href="[^"]+"><b>(\d+)<\/b>([^<]+)<\/a>/g)].map((m) => [m[2], Number(m[1])]));
    let text = await page(t, '/_emulator/ui');
    expect(text).toContain(v5 ? 'Strapi 5.54.0' : 'Strapi 4.26.2');
    expect(cards(text)).toEqual({ users: 0, roles: 2, documents: 0, files: 0, 'emails sent': 0, 'requests served': 0 });
    await t.register();
    await t.register();
    await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'One' } } });
    await upload(t, 'a.png', png(4, 4), 'image/png');
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'user1@example.com' }, ip: t.ip() });
    text = await page(t, '/_emulator/ui');
    expect(cards(text)).toEqual({ users: 2, roles: 2, documents: 1, files: 1, 'emails sent': 1, 'requests served': 5 });
    expect(main(text)).toContain('<td>full-access</td>');
    expect(text).not.toContain(fullAccessToken);
  });

  test('users: the public fields and the role, never the password hash or tokens; input is escaped', async () => {
    const t = await setup({ strapi: major });
    const ann = await t.register({ username: evil, email: 'ann@example.com' });
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'ann@example.com' }, ip: t.ip() });
    await t.call('POST', '/_emulator/users', { json: { username: 'bob', email: 'bob@example.com', password: 'Passw0rd!', blocked: true, confirmed: false } });
    const stored = t.store.users.get(ann.id)!;
    expect(stored.resetPasswordToken).toMatch(/^[0-9a-f]{128}$/);
    const text = await page(t, '/_emulator/ui/users');
    expect(text).not.toContain(stored.password!);
    expect(text).not.toContain(stored.resetPasswordToken!);
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(tags(text).has('img')).toBe(false);
    expect(main(text)).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</td><td>ann@example.com</td><td>local</td>');
    expect(main(text).includes(`<code>${stored.documentId}</code>`)).toBe(v5);
    const bob = main(text).split('<tr>').find((row) => row.includes('bob@example.com'))!;
    expect(bob).toContain('<span class="badge bad">blocked</span>');
    expect(bob).toContain('<a href="/_emulator/ui/roles#role-1">Authenticated</a>');
  });

  test('admins: admin panel accounts apart from end-users, never a password hash; input is escaped', async () => {
    const t = await setup({ strapi: major });
    await t.register({ email: 'enduser@example.com' });
    const r = await t.call('POST', '/admin/register-admin', { json: { email: 'boss@example.com', password: 'Passw0rd1', firstname: evil } });
    await t.call('POST', '/admin/users', { token: r.body.data.token, json: { email: 'ed@example.com', firstname: 'Ed', roles: [2] } });
    const text = main(await page(t, '/_emulator/ui/admins'));
    expect(text).toContain('<td>boss@example.com</td><td>&lt;script&gt;');
    expect(text).toContain('<td>ed@example.com</td>');
    expect(text).not.toContain('enduser@example.com');
    expect(text).not.toMatch(/\$2[aby]\$/);
    expect(text).toContain('<td><code>strapi-editor</code></td><td>1</td>');
    expect(main(await page(t, '/_emulator/ui/users'))).not.toContain('boss@example.com');
  });

  test('roles: user counts and permissions grouped by controller', async () => {
    const t = await setup({ strapi: major });
    await t.register();
    await t.call('POST', '/_emulator/roles', { json: { name: `Editor ${evil}`, permissions: ['api::article.article.find', 'api::article.article.create', 'plugin::users-permissions.user.me'] } });
    const text = main(await page(t, '/_emulator/ui/roles'));
    expect(text).toContain('Authenticated <span class="muted">· type <code>authenticated</code> · id 1 · 1 user</span>');
    expect(text).toContain('Public <span class="muted">· type <code>public</code> · id 2 · 0 users</span>');
    expect(text).toContain('<tr><td><code>api::article.article</code></td><td><code>create</code>, <code>find</code></td></tr>');
    expect(text).toContain('<tr><td><code>plugin::users-permissions.user</code></td><td><code>me</code></td></tr>');
    expect(text).toContain('Editor &lt;script&gt;');
    expect(tags(text).has('script')).toBe(false);
    expect(text).toContain('<summary>3 permissions</summary>');
  });

  test('files: name, mime, size, a link to the url and an inline thumbnail for images', async () => {
    const t = await setup({ strapi: major });
    await upload(t, "notes & 'quotes'.txt", Buffer.from('hello'), 'text/plain');
    const image = (await upload(t, 'red.png', png(300, 200), 'image/png', { alternativeText: `"${evil}` })).body[0];
    const text = main(await page(t, '/_emulator/ui/files'));
    expect(text).toContain('<h1>Files (2)</h1>');
    expect(text).toContain('<td>notes &amp; &#39;quotes&#39;.txt</td><td>text/plain</td>');
    expect(text).toContain(`<a href="${image.url}">${image.url}</a>`);
    expect(text).toMatch(/<img class="thumb" alt="&quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;" src="data:image\/png;base64,[A-Za-z0-9+/=]+">/);
    expect(text).toContain('<td>300×200</td>');
    // Newest first.
    expect(text.indexOf('red.png')).toBeLessThan(text.indexOf('notes'));
    expect(tags(text).has('script')).toBe(false);
    expect(text.match(/<img/g)).toHaveLength(1);
  });

  test('outbox: newest first, the reset link clickable and its code shown; a javascript: URL stays text', async () => {
    const t = await setup({ strapi: major });
    await t.register({ username: 'ann', email: 'ann@example.com' });
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'ann@example.com' }, ip: t.ip() });
    await t.call('PUT', '/_emulator/settings', { json: { email_reset_password: 'http://localhost:3000/reset-password' } });
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'ann@example.com' }, ip: t.ip() });
    await t.call('PUT', '/_emulator/settings', { json: { email_reset_password: 'javascript:alert(1)//' } });
    await t.call('POST', '/api/auth/forgot-password', { json: { email: 'ann@example.com' }, ip: t.ip() });
    const [first, second, third] = t.control.outbox();
    const code = (mail: typeof first) => codesOf(mail).find((c) => c.name === 'code')!.value;
    const text = main(await page(t, '/_emulator/ui/outbox'));
    expect(text).toContain('<h1>Outbox (3)</h1>');
    const url = `http://localhost:3000/reset-password?code=${code(second)}`;
    expect(text).toContain(`<a href="${url}">${url}</a>`);
    expect(text).toContain(`<dt>code</dt><dd><code>${code(first)}</code></dd>`);
    expect(text).not.toMatch(/href="javascript:/i);
    expect(text).toContain(`javascript:alert(1)//?code=${code(third)}`);
    // The HTML body is shown as source, never rendered.
    expect(text).toContain('&lt;p&gt;We heard that you lost your password.');
    expect(text.indexOf(code(third))).toBeLessThan(text.indexOf(code(first)));
  });

  test('requests: method, path, status and operation of each request, newest first, the inspector itself left out', async () => {
    const t = await setup({ strapi: major });
    await t.register({ username: 'ann', email: 'ann@example.com' });
    await t.call('GET', '/api/users/me', { validate: false });
    await page(t, '/_emulator/ui');
    const text = main(await page(t, '/_emulator/ui/requests'));
    expect(text).toContain('<h1>Requests (2)</h1>');
    const rows = text.split('<tr>').slice(2);
    expect(rows[0]).toMatch(/<code>GET<\/code><\/td><td><code>\/api\/users\/me<\/code><\/td><td><span class="badge warn">(401|403)<\/span><\/td><td>usersMe<\/td>/);
    expect(rows[1]).toMatch(/<code>POST<\/code><\/td><td><code>\/api\/auth\/local\/register<\/code><\/td><td><span class="badge ok">200<\/span><\/td><td>authLocalRegister<\/td>/);
    expect(text).not.toContain('/_emulator/ui');
  });
});

describe('documents', () => {
  test('v5: one line per document with its draft & publish state; the detail shows both versions, private marked, password never', async () => {
    const t = await setup({ strapi: 5, contentTypes: [shop] });
    const published = (await t.call('POST', '/api/products', { ...admin, json: { data: { name: '<script>x</script>', secret: 'hunter22', internalNote: 'only us' } } })).body.data;
    const draft = (await t.call('POST', '/api/products?status=draft', { ...admin, json: { data: { name: 'Drafty' } } })).body.data;
    const modified = (await t.call('POST', '/api/products', { ...admin, json: { data: { name: 'Edited' } } })).body.data;
    t.control.advanceClock(1000);
    await t.call('PUT', `/api/products/${modified.documentId}?status=draft`, { ...admin, json: { data: { name: 'Edited again' } } });
    const list = main(await page(t, '/_emulator/ui/documents/api::product.product'));
    expect(list).toContain('<h1>Product (3)</h1>');
    const line = (documentId: string) => list.split('<tr>').find((row) => row.includes(documentId))!;
    expect(line(published.documentId)).toContain('<span class="badge ok">published</span>');
    expect(line(draft.documentId)).toContain('<span class="badge warn">draft</span>');
    expect(line(modified.documentId)).toContain('<span class="badge warn">modified</span>');
    expect(line(modified.documentId)).toContain('<td>Edited again</td>');
    expect(line(published.documentId)).toContain(`<a href="/_emulator/ui/documents/api%3A%3Aproduct.product/${published.documentId}">${published.documentId}</a>`);
    expect(tags(list).has('script')).toBe(false);

    const detail = main(await page(t, `/_emulator/ui/documents/api::product.product/${published.documentId}`));
    expect(detail.match(/<h2>(draft|published) /g)).toEqual(['<h2>draft ', '<h2>published ']);
    expect(detail).toContain('&quot;internalNote&quot;: &quot;only us&quot;, <span class="badge private"');
    expect(detail).toContain('&quot;secret&quot;: &quot;(password: never shown)&quot;');
    expect(detail).not.toContain('hunter22');
    expect(detail).not.toMatch(/\$2[aby]\$/);
    expect(detail).toContain('&quot;name&quot;: &quot;&lt;script&gt;x&lt;/script&gt;&quot;');
    expect(tags(detail).has('script')).toBe(false);
    expect(tags(detail).has('img')).toBe(false);

    const types = main(await page(t, '/_emulator/ui/documents'));
    expect(types).toMatch(/<td><code>api::product.product<\/code><\/td><td>collectionType<\/td><td>yes<\/td><td>no<\/td><td>3<\/td><td>5<\/td>/);
    await page(t, '/_emulator/ui/documents/api::nope.nope', 404);
    await page(t, '/_emulator/ui/documents/api::product.product/nope', 404);
    await page(t, `/_emulator/ui/documents/plugin::users-permissions.user/${published.documentId}`, 404);
  });

  test('v4: one line per entry by id, draft when publishedAt is null', async () => {
    const t = await setup({ strapi: 4 });
    const one = (await t.call('POST', '/api/articles', { ...admin, json: { data: { title: `Live ${'x'.repeat(200)}` } } })).body.data;
    await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Hidden', publishedAt: null } } });
    const list = main(await page(t, '/_emulator/ui/documents/api::article.article'));
    const rows = list.split('<tr>').slice(2);
    expect(rows[0]).toMatch(new RegExp(`^<td><a href="/_emulator/ui/documents/api%3A%3Aarticle.article/[a-z0-9]+">${one.id}</a></td><td>Live x{74}…</td><td>`));
    expect(rows[0]).toContain('badge ok">published<');
    expect(rows[1]).toContain('badge warn">draft<');
    const documentId = t.store.extension<any>('content').table('api::article.article').get(one.id).documentId;
    const detail = main(await page(t, `/_emulator/ui/documents/api::article.article/${documentId}`));
    expect(detail).toContain(`<h2>published <span class="muted">· id ${one.id}`);
  });

  test('list columns: the first short, public attributes; status only with draft & publish', async () => {
    const t = await setup({ strapi: 5, contentTypes: [shop] });
    const registry = t.store.extension<any>('content').registry;
    expect(listColumns(registry.get('api::product.product'))).toEqual(['name', 'sku', 'slug']);
    const model = { ...registry.get('api::product.product'), draftAndPublish: false };
    expect(statusOf(model, { documentId: 'x', locale: undefined, rows: [] }, 5)).toBeUndefined();
  });
});

describe('the request log', () => {
  test('keeps the last `capacity` requests, newest first, and counts them all', async () => {
    const emulator = createEmulator({ strapi: 5, bcryptCost: 4 });
    const log = requestLogOf(emulator.store)!;
    expect(log.capacity).toBe(200);
    const small = new RequestLog(3);
    const dispose = emulator.use({ name: 'small-log', after: (e) => small.record(e) });
    for (const path of ['/a', '/b', '/_emulator/ui', '/c', '/d', '/_EMULATOR/UI/users']) await emulator.app.request(`http://h${path}?q=1`);
    dispose();
    expect(small.recent().map((e) => e.path)).toEqual(['/d?q=1', '/c?q=1', '/b?q=1']);
    expect(small.recent().map((e) => e.seq)).toEqual([4, 3, 2]);
    expect(small.total).toBe(4);
    expect(small.recent()[0]).toMatchObject({ method: 'GET', status: 404, operationId: undefined, ip: '127.0.0.1' });
    expect(log.total).toBe(4);
    const long = `/x${'y'.repeat(5000)}`;
    await emulator.app.request(`http://h${long}`);
    expect(log.recent()[0].path).toHaveLength(1001);
    expect(() => new RequestLog(0)).toThrow(/positive integer/);
    expect(() => installRequestLog(emulator.store)).toThrow(/already/);
  });

  test('is not part of the world: snapshots leave it out, reset keeps it', async () => {
    const t = await setup({ strapi: 5 });
    await t.register();
    expect(Object.keys(t.control.snapshot().extensions!)).not.toContain('requests');
    expect(JSON.stringify(t.control.snapshot())).not.toContain('authLocalRegister');
    await t.control.reset();
    expect(requestLogOf(t.store)!.recent().map((e) => e.path)).toEqual(['/api/auth/local/register']);
  });
});

test('helpers: permissions by controller, pages of 100, reset and confirmation codes', () => {
  expect(byController(['plugin::users-permissions.auth.callback', 'api::a.a.find', 'plugin::users-permissions.auth.register', 'api::a.a.create'])).toEqual([
    ['api::a.a', ['create', 'find']],
    ['plugin::users-permissions.auth', ['callback', 'register']],
  ]);
  const rows = Array.from({ length: 250 }, (_, i) => i);
  expect(paginate(rows, {}).rows).toEqual(rows.slice(0, 100));
  const third = paginate(rows, { page: '3' });
  expect(third.rows).toEqual(rows.slice(200));
  expect(toMarkup(third.pager)).toContain('<a href="?page=2">← previous</a><span class="muted">page 3 of 3 (250 rows)</span>');
  expect(paginate(rows, { page: 'x' }).rows[0]).toBe(0);
  expect(paginate(rows, { page: '99' }).rows[0]).toBe(200);
  expect(toMarkup(paginate([1], {}).pager)).toBe('');
  const mail = { to: 'a@b.c', subject: 's', text: '<p>http://x/reset?code=abc123</p>', html: '<p>http://x/confirm?confirmation=f00</p>', sentAt: '' };
  expect(codesOf(mail)).toEqual([{ name: 'code', value: 'abc123' }, { name: 'confirmation', value: 'f00' }]);
});
