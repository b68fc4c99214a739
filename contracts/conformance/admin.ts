// The admin panel's API (/admin/*) on every target: the suite's admin (contracts-admin@…,
// registered first here, then shared with the API-token and locale scenarios), login and its
// rate limit, renewal (v4 /renew-token, v5 /access-token with the refresh cookie), admin users
// and roles, API tokens created, listed, regenerated and revoked with their keys working (and
// then not) on /api/*, webhooks, and the separation: admin JWTs refused on /api/*,
// users-permissions JWTs and API tokens refused on /admin/*.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import * as sdk from '../../clients/v5/sdk/index.js';
import type { Contract } from '../target.js';
import { adminSession, contractAdmin } from './api-tokens.js';

export type AdminContext = { contract(): Contract; register(): Promise<{ jwt: string }>; uid(): string };

type Answer = { status: number; body: any; headers: Headers };

export function adminScenarios(t: AdminContext): void {
  const c = () => t.contract();
  const v5 = () => c().target.major === 5;
  async function call(method: string, path: string, opts: { jwt?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.jwt) headers.authorization = `Bearer ${opts.jwt}`;
    const res = await c().raw(method, path, { headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }
  const session = () =>
    adminSession(c().target.url, async (url, init) => {
      const res = await c().raw(init.method, url.pathname, { headers: init.headers, body: init.body });
      return { status: res.status, text: () => res.text() };
    });
  const errorOf = (a: Answer) => a.body?.error as { status: number; name: string; message: string } | undefined;
  const denied = { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials' };

  describe('admin API (/admin/*)', () => {
    test('the first admin: register-admin once (Super Admin), init says so, a second is refused', async () => {
      const jwt = await session();
      expect(jwt).toMatch(/^ey/);
      expect((await call('GET', '/admin/init')).body.data).toMatchObject({ hasAdmin: true, menuLogo: null, authLogo: null });
      const again = await call('POST', '/admin/register-admin', { json: { email: `second-${t.uid()}@example.com`, password: 'Passw0rd1', firstname: 'Second' } });
      expect(errorOf(again)).toMatchObject({ status: 400, name: 'ApplicationError', message: 'You cannot register a new super admin' });
      const invalid = await call('POST', '/admin/register-admin', { json: { email: 'Upper@Example.com', password: 'short', firstname: '' } });
      expect(invalid.status).toBe(400);
      expect(errorOf(invalid)?.name).toBe('ValidationError');
      const me = await call('GET', '/admin/users/me', { jwt });
      expect(me.body.data).toMatchObject({ email: contractAdmin.email, firstname: contractAdmin.firstname, isActive: true, blocked: false, roles: [{ code: 'strapi-super-admin', name: 'Super Admin' }] });
      expect('password' in me.body.data || 'registrationToken' in me.body.data).toBe(false);
    });

    test('login: 200 with a JWT, wrong or missing credentials 400, 5 per 5 minutes per email and address', async () => {
      const ok = await call('POST', '/admin/login', { json: { email: contractAdmin.email, password: contractAdmin.password } });
      expect(ok.status).toBe(200);
      expect(ok.body.data.token).toMatch(/^ey/);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('5');
      // The login answer's user comes without its roles (register-admin's has them).
      expect('roles' in ok.body.data.user).toBe(false);
      if (v5()) expect(ok.body.data.accessToken).toBe(ok.body.data.token);
      expect(errorOf(await call('POST', '/admin/login', { json: { email: contractAdmin.email, password: 'Wrong-pass1' } }))).toMatchObject({ name: 'ApplicationError', message: 'Invalid credentials' });
      expect(errorOf(await call('POST', '/admin/login', { json: {} }))).toMatchObject({ name: 'ApplicationError', message: 'Missing credentials' });
      // One client address, one email: the sixth is refused whatever it carries.
      const client = c().client();
      const email = `nobody-${t.uid()}@example.com`;
      const send = () => sdk.adminLogin({ client, body: { email, password: 'Passw0rd1' } }) as Promise<{ response: Response; error?: any }>;
      for (let i = 1; i <= 5; i++) expect((await send()).response.headers.get('x-ratelimit-remaining')).toBe(String(5 - i));
      const limited = await send();
      expect(limited.response.status).toBe(429);
      expect(limited.error.error).toMatchObject({ name: 'RateLimitError', message: 'Too many requests, please try again later.' });
      if (v5()) {
        const register = () => sdk.adminRegisterAdmin({ client, body: { email, password: 'Passw0rd1', firstname: 'X' } });
        for (let i = 1; i <= 5; i++) expect((await register()).response.status).toBe(400);
        expect((await register()).response.status).toBe(429);
      }
    });

    test('renewal: v4 /renew-token, v5 /access-token spends the refresh cookie once; logout of one device', async () => {
      if (!v5()) {
        const jwt = await session();
        const renewed = await call('POST', '/admin/renew-token', { json: { token: jwt } });
        expect(renewed.status).toBe(200);
        expect((await call('GET', '/admin/users/me', { jwt: renewed.body.data.token })).status).toBe(200);
        expect(errorOf(await call('POST', '/admin/renew-token', { json: { token: 'not-a-jwt' } }))).toMatchObject({ name: 'ValidationError', message: 'Invalid token' });
        expect(errorOf(await call('POST', '/admin/renew-token', { json: {} }))).toMatchObject({ name: 'ValidationError', message: 'token is a required field' });
        expect((await call('POST', '/admin/logout', { jwt: renewed.body.data.token })).body).toEqual({ data: {} });
        return;
      }
      expect(errorOf(await call('POST', '/admin/access-token'))).toMatchObject({ status: 401, name: 'UnauthorizedError', message: 'Missing refresh token' });
      // A device of its own, so logging it out leaves the suite's shared session alone.
      const deviceId = randomUUID();
      const login = await call('POST', '/admin/login', { json: { email: contractAdmin.email, password: contractAdmin.password, deviceId } });
      const set = login.headers.getSetCookie();
      expect(set.map((l) => l.split('=')[0])).toEqual(['strapi_admin_refresh', 'strapi_admin_refresh.sig']);
      expect(set[0]).toMatch(/; path=\/admin; samesite=lax; httponly$/);
      const cookie = set.map((l) => l.split(';')[0]).join('; ');
      const renewed = await call('POST', '/admin/access-token', { headers: { cookie } });
      expect(renewed.status).toBe(200);
      expect(renewed.headers.getSetCookie().map((l) => l.split('=')[0])).toEqual(['strapi_admin_refresh', 'strapi_admin_refresh.sig']);
      expect((await call('GET', '/admin/users/me', { jwt: renewed.body.data.token })).status).toBe(200);
      expect(errorOf(await call('POST', '/admin/access-token', { headers: { cookie } }))).toMatchObject({ status: 401, message: 'Invalid refresh token' });
      const out = await call('POST', '/admin/logout', { jwt: renewed.body.data.token, json: { deviceId } });
      expect(out.body).toEqual({ data: {} });
      expect(out.headers.getSetCookie()[0]).toMatch(/^strapi_admin_refresh=; path=\/admin; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly$/);
      expect(errorOf(await call('GET', '/admin/users/me', { jwt: renewed.body.data.token }))).toMatchObject(denied);
      expect((await call('GET', '/admin/users/me', { jwt: await session() })).status).toBe(200);
    });

    test('separation: an admin JWT is nothing on /api/*; a users-permissions JWT, an API token or none is nothing on /admin/*', async () => {
      const jwt = await session();
      expect(errorOf(await call('GET', '/api/articles', { jwt }))).toMatchObject(denied);
      expect(errorOf(await call('GET', '/api/users/me', { jwt }))).toMatchObject(denied);
      const user = await t.register();
      for (const bearer of [user.jwt, c().target.apiTokens.fullAccess, undefined]) {
        for (const [method, path] of [['GET', '/admin/users/me'], ['GET', '/admin/users'], ['GET', '/admin/roles'], ['GET', '/admin/api-tokens'], ['GET', '/admin/webhooks'], ['POST', '/admin/logout']]) {
          expect([method, path, errorOf(await call(method, path, { jwt: bearer }))]).toEqual([method, path, { ...denied, details: {} }]);
        }
      }
      for (const path of ['/admin/users/1', '/admin/roles/1', '/admin/api-tokens/1', '/admin/webhooks/1']) expect(errorOf(await call('GET', path, { jwt: user.jwt }))).toMatchObject(denied);
      for (const [method, path] of [['PUT', '/admin/users/me'], ['POST', '/admin/users'], ['PUT', '/admin/users/1'], ['DELETE', '/admin/users/1'], ['POST', '/admin/api-tokens'], ['PUT', '/admin/api-tokens/1'], ['DELETE', '/admin/api-tokens/1'], ['POST', '/admin/api-tokens/1/regenerate'], ['POST', '/admin/webhooks'], ['PUT', '/admin/webhooks/1'], ['DELETE', '/admin/webhooks/1']]) {
        expect([method, path, errorOf(await call(method, path, { jwt: c().target.apiTokens.fullAccess, json: {} }))?.status]).toEqual([method, path, 401]);
      }
    });

    test('admin users and roles: the three seeded roles, invite, update, delete, and Strapi\'s rules', async () => {
      const jwt = await session();
      const roles = await call('GET', '/admin/roles', { jwt });
      expect(roles.body.data.map((r: { code: string; name: string }) => [r.code, r.name])).toEqual([['strapi-super-admin', 'Super Admin'], ['strapi-editor', 'Editor'], ['strapi-author', 'Author']]);
      const editor = roles.body.data[1];
      expect((await call('GET', `/admin/roles/${editor.id}`, { jwt })).body.data).toMatchObject({ code: 'strapi-editor', description: 'Editors can manage and publish contents including those of other users.' });
      expect(errorOf(await call('GET', '/admin/roles/987654', { jwt }))).toMatchObject({ status: 404, name: 'NotFoundError', message: 'role.notFound' });
      const email = `invited-${t.uid()}@example.com`;
      const invited = await call('POST', '/admin/users', { jwt, json: { email: email.toUpperCase(), firstname: 'Ed', lastname: 'Itor', roles: [editor.id] } });
      expect(invited.status).toBe(201);
      expect(invited.body.data).toMatchObject({ email, firstname: 'Ed', lastname: 'Itor', username: null, isActive: false, blocked: false, roles: [{ id: editor.id, code: 'strapi-editor' }] });
      expect(invited.body.data.registrationToken).toMatch(/^[0-9a-f]{40}$/);
      const id = invited.body.data.id;
      expect(errorOf(await call('POST', '/admin/users', { jwt, json: { email, firstname: 'Ed' } }))).toMatchObject({ name: 'ApplicationError', message: 'Email already taken' });
      expect(errorOf(await call('POST', '/admin/users', { jwt, json: { firstname: 'No email' } }))?.name).toBe('ValidationError');
      const list = await call('GET', '/admin/users?page=1&pageSize=100', { jwt });
      expect(list.body.data.pagination).toMatchObject({ page: 1, pageSize: 100 });
      expect(list.body.data.results.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([contractAdmin.email, email]));
      const updated = await call('PUT', `/admin/users/${id}`, { jwt, json: { firstname: 'Eddie', roles: [editor.id, roles.body.data[2].id] } });
      expect(updated.body.data).toMatchObject({ firstname: 'Eddie', roles: [{ code: 'strapi-editor' }, { code: 'strapi-author' }] });
      expect((await call('GET', `/admin/users/${id}`, { jwt })).body.data.firstname).toBe('Eddie');
      expect(errorOf(await call('PUT', `/admin/users/${id}`, { jwt, json: { email: 'not-an-email' } }))).toMatchObject({ name: 'ValidationError', message: 'email must be a valid email' });
      expect(errorOf(await call('PUT', `/admin/users/${id}`, { jwt, json: { email: contractAdmin.email } }))).toMatchObject({ name: 'ApplicationError', message: 'A user with this email address already exists' });
      expect(errorOf(await call('PUT', '/admin/users/987654', { jwt, json: { firstname: 'X' } }))).toMatchObject({ status: 404, message: 'User does not exist' });
      expect(errorOf(await call('GET', '/admin/users/987654', { jwt }))).toMatchObject({ status: 404, name: 'NotFoundError', message: 'User does not exist' });
      const me = (await call('GET', '/admin/users/me', { jwt })).body.data;
      // The suite's admin is the only Super Admin (v5's own-user check never fires: it compares a number with the path's string).
      expect(errorOf(await call('DELETE', `/admin/users/${me.id}`, { jwt }))).toMatchObject({ name: 'ValidationError', message: 'You must have at least one user with super admin role.' });
      const meUpdated = await call('PUT', '/admin/users/me', { jwt, json: { lastname: 'Admin' } });
      expect(meUpdated.body.data).toMatchObject({ email: contractAdmin.email, lastname: 'Admin' });
      expect(errorOf(await call('PUT', '/admin/users/me', { jwt, json: { email: 'nope' } }))?.name).toBe('ValidationError');
      expect((await call('PUT', '/admin/users/me', { jwt, json: { password: 'Newpass123', currentPassword: 'Wrong-pass1' } })).body.error).toEqual({ status: 400, name: 'BadRequestError', message: 'ValidationError', details: { currentPassword: ['Invalid credentials'] } });
      expect((await call('PUT', '/admin/users/me', { jwt, json: { email } })).body.error).toEqual({ status: 400, name: 'BadRequestError', message: 'ValidationError', details: { email: ['Email already taken'] } });
      const noCurrent = await call('PUT', '/admin/users/me', { jwt, json: { password: 'Newpass123' } });
      expect(noCurrent.body.error.details.errors.map((e: { path: string[]; message: string }) => [e.path, e.message])).toEqual([[['currentPassword'], 'currentPassword is a required field']]);
      expect((await call('DELETE', `/admin/users/${id}`, { jwt })).body.data).toMatchObject({ id, email });
      expect(errorOf(await call('DELETE', `/admin/users/${id}`, { jwt }))).toMatchObject({ status: 404, name: 'NotFoundError', message: 'User not found' });
    });

    test('API tokens: the key once, working on /api/*, regenerated, revoked; the list never shows keys', async () => {
      const jwt = await session();
      const name = `contracts admin ${t.uid()}`;
      const made = await call('POST', '/admin/api-tokens', { jwt, json: { name, description: 'made by the admin scenarios', type: 'read-only', lifespan: 604800000 } });
      expect(made.status).toBe(201);
      expect(made.body.data).toMatchObject({ name, type: 'read-only', lifespan: '604800000', permissions: [], lastUsedAt: null, ...(v5() ? { kind: 'content-api' } : {}) });
      expect(new Date(made.body.data.expiresAt).getTime() - new Date(made.body.data.createdAt).getTime()).toBe(604800000);
      const key = made.body.data.accessKey as string;
      expect(key).toMatch(/^[0-9a-f]{256}$/);
      const id = made.body.data.id;
      expect((await call('GET', '/api/articles', { jwt: key })).status).toBe(200);
      expect(errorOf(await call('POST', '/admin/api-tokens', { jwt, json: { name, type: 'full-access' } }))).toMatchObject({ name: 'ApplicationError', message: 'Name already taken' });
      expect(errorOf(await call('POST', '/admin/api-tokens', { jwt, json: { name: `${name} x`, type: 'weird' } }))).toMatchObject({ name: 'ValidationError', message: 'type must be one of the following values: read-only, full-access, custom' });
      expect(errorOf(await call('POST', '/admin/api-tokens', { jwt, json: { name: `${name} y`, type: 'custom', permissions: ['api::nope.nope.find'] } }))).toMatchObject({ name: 'ValidationError', message: 'Unknown permissions provided: api::nope.nope.find' });
      const listed = (await call('GET', '/admin/api-tokens', { jwt })).body.data as Array<{ name: string }>;
      expect(listed.map((x) => x.name)).toContain(name);
      expect(listed.some((x) => 'accessKey' in x)).toBe(false);
      expect(listed.map((x) => x.name)).toEqual([...listed.map((x) => x.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const got = await call('GET', `/admin/api-tokens/${id}`, { jwt });
      expect(got.body.data).toMatchObject({ id, name });
      expect(got.body.data.accessKey).toBe(v5() ? key : undefined);
      expect(errorOf(await call('GET', '/admin/api-tokens/987654', { jwt }))).toMatchObject({ status: 404, name: 'NotFoundError', message: 'API Token not found' });
      const custom = await call('PUT', `/admin/api-tokens/${id}`, { jwt, json: { name: `${name} custom`, type: 'custom', permissions: ['api::article.article.find'] } });
      expect(custom.body.data).toMatchObject({ name: `${name} custom`, type: 'custom', permissions: ['api::article.article.find'] });
      expect((await call('GET', '/api/articles', { jwt: key })).status).toBe(200);
      expect((await call('GET', '/api/users', { jwt: key })).status).toBe(403);
      expect(errorOf(await call('PUT', `/admin/api-tokens/${id}`, { jwt, json: { lifespan: 1 } }))).toMatchObject({ name: 'ValidationError', message: 'this field has unspecified keys: lifespan' });
      expect(errorOf(await call('PUT', '/admin/api-tokens/987654', { jwt, json: { name: 'x' } }))).toMatchObject({ status: 404, message: 'API Token not found' });
      const regenerated = await call('POST', `/admin/api-tokens/${id}/regenerate`, { jwt });
      expect(regenerated.status).toBe(201);
      expect(regenerated.body.data).toEqual({ id, accessKey: expect.stringMatching(/^[0-9a-f]{256}$/), ...(v5() ? { kind: 'content-api' } : {}) });
      expect(errorOf(await call('GET', '/api/articles', { jwt: key }))).toMatchObject(denied);
      expect((await call('GET', '/api/articles', { jwt: regenerated.body.data.accessKey })).status).toBe(200);
      expect(errorOf(await call('POST', '/admin/api-tokens/987654/regenerate', { jwt }))).toMatchObject({ status: 404, message: 'API Token not found' });
      expect((await call('DELETE', `/admin/api-tokens/${id}`, { jwt })).body.data).toMatchObject({ id, name: `${name} custom` });
      expect((await call('DELETE', `/admin/api-tokens/${id}`, { jwt })).body).toEqual({ data: null });
      expect(errorOf(await call('GET', '/api/articles', { jwt: regenerated.body.data.accessKey }))).toMatchObject(denied);
    });

    test('a webhook created with the admin API is called: POST {event, model, entry} with X-Strapi-Event and its headers', async () => {
      const jwt = await session();
      const received: Array<{ method: string; headers: Record<string, unknown>; body: any }> = [];
      const server = createServer((req, res) => {
        let text = '';
        req.on('data', (chunk) => (text += chunk));
        req.on('end', () => {
          received.push({ method: req.method!, headers: req.headers, body: JSON.parse(text || 'null') });
          res.end('ok');
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      try {
        const port = (server.address() as AddressInfo).port;
        const made = await call('POST', '/admin/webhooks', { jwt, json: { name: `fires ${t.uid()}`, url: `http://127.0.0.1:${port}/hook`, headers: { 'x-from': 'contracts' }, events: ['entry.create'] } });
        expect(made.status).toBe(201);
        const title = `hooked ${t.uid()}`;
        expect([200, 201]).toContain((await call('POST', '/api/articles', { jwt: c().target.apiTokens.fullAccess, json: { data: { title } } })).status);
        for (let waited = 0; !received.some((r) => r.body?.entry?.title === title) && waited < 10_000; waited += 50) await new Promise((done) => setTimeout(done, 50));
        const hit = received.find((r) => r.body?.entry?.title === title);
        expect(hit, 'the webhook was not called within 10 s').toBeDefined();
        expect(hit!.method).toBe('POST');
        expect(hit!.headers).toMatchObject({ 'x-strapi-event': 'entry.create', 'x-from': 'contracts', 'content-type': 'application/json' });
        expect(hit!.body).toMatchObject({ event: 'entry.create', model: 'article', uid: 'api::article.article', entry: { title } });
        expect((await call('DELETE', `/admin/webhooks/${made.body.data.id}`, { jwt })).status).toBe(200);
      } finally {
        await new Promise((done) => server.close(done));
      }
    });

    test('webhooks: create, list, get, replace, delete; Strapi\'s URL rule and events', async () => {
      const jwt = await session();
      const name = `contracts hook ${t.uid()}`;
      const bad = await call('POST', '/admin/webhooks', { jwt, json: { name, url: 'http://127.0.0.1:9/x', headers: {}, events: ['entry.create'] } });
      expect(errorOf(bad)).toMatchObject({ name: 'ValidationError', message: 'url must be a valid URL' });
      expect(errorOf(await call('POST', '/admin/webhooks', { jwt, json: { name, url: 'http://127.0.0.1:9999/x', headers: {}, events: ['entry.nope'] } }))).toMatchObject({ name: 'ValidationError', message: 'Webhook event entry.nope is not supported' });
      expect(errorOf(await call('POST', '/admin/webhooks', { jwt, json: { name, url: 'http://127.0.0.1:9999/x', headers: {}, events: [], extra: 1 } }))).toMatchObject({ name: 'ValidationError', message: 'this field has unspecified keys: extra' });
      const made = await call('POST', '/admin/webhooks', { jwt, json: { name, url: 'http://127.0.0.1:9999/hook', headers: { 'x-from': 'contracts' }, events: ['entry.create', 'entry.update'] } });
      expect(made.status).toBe(201);
      const id = made.body.data.id;
      expect(typeof id).toBe(v5() ? 'string' : 'number');
      expect(made.body.data).toEqual({ id, name, url: 'http://127.0.0.1:9999/hook', headers: { 'x-from': 'contracts' }, events: ['entry.create', 'entry.update'], isEnabled: true });
      expect((await call('GET', '/admin/webhooks', { jwt })).body.data).toContainEqual(made.body.data);
      expect((await call('GET', `/admin/webhooks/${id}`, { jwt })).body.data).toEqual(made.body.data);
      const replaced = await call('PUT', `/admin/webhooks/${id}`, { jwt, json: { name: `${name} 2`, url: 'http://localhost:9999/y', headers: {}, events: [], isEnabled: false } });
      expect(replaced.body.data).toEqual({ id, name: `${name} 2`, url: 'http://localhost:9999/y', headers: {}, events: [], isEnabled: false });
      expect(errorOf(await call('PUT', `/admin/webhooks/${id}`, { jwt, json: { name, url: 'http://localhost:9999/y', events: [] } }))).toMatchObject({ name: 'ValidationError', message: 'headers is a required field' });
      expect(errorOf(await call('PUT', '/admin/webhooks/987654', { jwt, json: { name, url: 'http://localhost:9999/y', headers: {}, events: [] } }))).toMatchObject({ status: 404, name: 'NotFoundError', message: 'webhook.notFound' });
      expect((await call('DELETE', `/admin/webhooks/${id}`, { jwt })).body.data).toMatchObject({ id, name: `${name} 2` });
      expect(errorOf(await call('DELETE', `/admin/webhooks/${id}`, { jwt }))).toMatchObject({ status: 404, message: 'webhook.notFound' });
      expect(errorOf(await call('GET', `/admin/webhooks/${id}`, { jwt }))).toMatchObject({ status: 404, message: 'webhook.notFound' });
    });
  });
}
