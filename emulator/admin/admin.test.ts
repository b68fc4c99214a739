// The admin API in-process, both majors: the first admin, login and renewal, users and roles,
// API tokens sharing the content API's table, webhooks sharing the hub, and the separation of
// admin JWTs from users-permissions JWTs and API tokens. Answers are checked against the spec.
import { describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';
import { adminOf } from './state.js';

const boss = { email: 'boss@example.com', password: 'Passw0rd1', firstname: 'Bo' };

for (const major of [4, 5] as const) {
  describe(`admin API v${major}`, () => {
    async function withAdmin() {
      const t = await setup({ strapi: major });
      const r = await t.call('POST', '/admin/register-admin', { json: boss });
      expect(r.status).toBe(200);
      return { ...t, jwt: r.body.data.token as string, registered: r };
    }

    test('init, first admin once, login, me', async () => {
      const t = await setup({ strapi: major });
      expect((await t.call('GET', '/admin/init')).body.data).toEqual({ uuid: false, hasAdmin: false, menuLogo: null, authLogo: null });
      const bad = await t.call('POST', '/admin/register-admin', { json: {} });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.errors.map((e: { path: string[] }) => e.path[0])).toEqual(['email', 'firstname', 'password']);
      const weak = await t.call('POST', '/admin/register-admin', { json: { ...boss, password: 'short' } });
      expect(weak.body.error.details.errors.map((e: { message: string }) => e.message)).toEqual(['password must be at least 8 characters', 'password must contain at least one uppercase character', 'password must contain at least one number']);
      const first = await t.call('POST', '/admin/register-admin', { json: boss });
      expect(first.status).toBe(200);
      expect(first.body.data.user.roles).toEqual([{ id: 1, name: 'Super Admin', description: 'Super Admins can access and manage all features and settings.', code: 'strapi-super-admin' }]);
      if (major === 5) expect(first.headers.getSetCookie()[0]).toMatch(/^strapi_admin_refresh=ey.*; path=\/admin; samesite=lax; httponly$/);
      const second = await t.call('POST', '/admin/register-admin', { json: { ...boss, email: 'other@example.com' } });
      expect(second.body.error).toMatchObject({ status: 400, name: 'ApplicationError', message: 'You cannot register a new super admin' });
      expect((await t.call('GET', '/admin/init')).body.data.hasAdmin).toBe(true);
      const ip = t.ip();
      const wrong = await t.call('POST', '/admin/login', { json: { email: boss.email, password: 'Wrong1234' }, ip });
      expect(wrong.body.error).toMatchObject({ name: 'ApplicationError', message: 'Invalid credentials' });
      expect(wrong.headers.get('x-ratelimit-remaining')).toBe('4');
      const login = await t.call('POST', '/admin/login', { json: { email: boss.email, password: boss.password }, ip });
      expect(login.status).toBe(200);
      expect(login.headers.get('x-ratelimit-remaining')).toBe('3');
      expect('roles' in login.body.data.user).toBe(false);
      const me = await t.call('GET', '/admin/users/me', { token: login.body.data.token });
      expect(me.body.data.email).toBe(boss.email);
      for (let i = 0; i < 3; i++) await t.call('POST', '/admin/login', { json: { email: boss.email, password: 'x' }, ip });
      const limited = await t.call('POST', '/admin/login', { json: { email: boss.email, password: boss.password }, ip });
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toBe('Too many requests, please try again later.');
    });

    test('separation: admin JWTs only on /admin, never on /api; U&P JWTs and API tokens refused on /admin', async () => {
      const t = await withAdmin();
      const denied = { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials' };
      expect((await t.call('GET', '/api/articles', { token: t.jwt })).body.error).toMatchObject(denied);
      expect((await t.call('GET', '/api/users/me', { token: t.jwt })).body.error).toMatchObject(denied);
      expect((await t.call('GET', '/admin/users/me', { token: fullAccessToken })).body.error).toMatchObject(denied);
      const user = await t.call('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password }, ip: t.ip() });
      expect((await t.call('GET', '/admin/users', { token: user.body.jwt })).body.error).toMatchObject(denied);
      expect((await t.call('GET', '/admin/users')).body.error).toMatchObject(denied);
      // Admins are not end-users and the reverse.
      expect((await t.call('GET', '/api/users', { token: fullAccessToken })).body.map((u: { email: string }) => u.email)).toEqual(['ann@example.com']);
      expect((await t.call('GET', '/admin/users', { token: t.jwt })).body.data.results.map((u: { email: string }) => u.email)).toEqual([boss.email]);
    });

    test('token renewal and logout', async () => {
      const t = await withAdmin();
      if (major === 4) {
        expect((await t.call('POST', '/admin/renew-token', { json: { token: t.jwt } })).body.data.token).toMatch(/^ey/);
        expect((await t.call('POST', '/admin/renew-token', { json: { token: 'garbage' } })).body.error).toMatchObject({ name: 'ValidationError', message: 'Invalid token' });
        expect((await t.call('POST', '/admin/access-token', { validate: false })).status).toBe(405);
        return;
      }
      expect((await t.call('POST', '/admin/access-token')).body.error).toMatchObject({ status: 401, message: 'Missing refresh token' });
      const cookie = t.registered.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const renewed = await t.call('POST', '/admin/access-token', { headers: { cookie } });
      expect(renewed.status).toBe(200);
      expect((await t.call('GET', '/admin/users/me', { token: renewed.body.data.token })).status).toBe(200);
      // Spent once: the same cookie again is refused.
      expect((await t.call('POST', '/admin/access-token', { headers: { cookie } })).body.error.message).toBe('Invalid refresh token');
      const out = await t.call('POST', '/admin/logout', { token: renewed.body.data.token });
      expect(out.headers.getSetCookie()[0]).toMatch(/^strapi_admin_refresh=; path=\/admin; expires=Thu, 01 Jan 1970 00:00:00 GMT/);
      expect((await t.call('GET', '/admin/users/me', { token: renewed.body.data.token })).status).toBe(401);
    });

    test('users and roles CRUD, with Strapi\'s rules', async () => {
      const t = await withAdmin();
      const as = { token: t.jwt };
      const roles = await t.call('GET', '/admin/roles', as);
      expect(roles.body.data.map((r: { code: string; usersCount: number }) => [r.code, r.usersCount])).toEqual([['strapi-super-admin', 1], ['strapi-editor', 0], ['strapi-author', 0]]);
      const ed = await t.call('POST', '/admin/users', { ...as, json: { email: 'ed@example.com', firstname: 'Ed', roles: [2] } });
      expect(ed.status).toBe(201);
      expect(ed.body.data).toMatchObject({ isActive: false, registrationToken: expect.stringMatching(/^[0-9a-f]{40}$/) });
      expect((await t.call('POST', '/admin/users', { ...as, json: { email: 'ed@example.com', firstname: 'Ed' } })).body.error.message).toBe('Email already taken');
      const upd = await t.call('PUT', `/admin/users/${ed.body.data.id}`, { ...as, json: { firstname: 'Eddie', roles: [2, 3] } });
      expect(upd.body.data.roles.map((r: { id: number }) => r.id)).toEqual([2, 3]);
      expect((await t.call('GET', '/admin/roles/2', as)).body.data.usersCount).toBe(1);
      expect((await t.call('GET', '/admin/roles/99', as)).body.error.message).toBe('role.notFound');
      expect((await t.call('GET', '/admin/users/99', as)).body.error.message).toBe('User does not exist');
      expect((await t.call('PUT', '/admin/users/1', { ...as, json: { roles: [2] } })).body.error.message).toBe('You must have at least one user with super admin role.');
      expect((await t.call('DELETE', '/admin/users/1', as)).body.error).toMatchObject({ name: 'ValidationError', message: 'You must have at least one user with super admin role.' });
      expect((await t.call('DELETE', `/admin/users/${ed.body.data.id}`, as)).body.data.email).toBe('ed@example.com');
      expect((await t.call('DELETE', `/admin/users/${ed.body.data.id}`, as)).body.error.message).toBe('User not found');
      const crash = await t.call('POST', '/admin/users', { ...as, json: { email: 'x@example.com', firstname: 'X', roles: [99] } });
      expect(crash.status).toBe(500);
      expect(crash.headers.get('x-strapi-emulator-crash')).toBeTruthy();
    });

    test('API tokens: shown once, stored hashed, the same table as /api/* and the control API', async () => {
      const t = await withAdmin();
      const as = { token: t.jwt };
      const made = await t.call('POST', '/admin/api-tokens', { ...as, json: { name: 'ci', description: '', type: 'full-access', lifespan: null } });
      expect(made.status).toBe(201);
      const key = made.body.data.accessKey as string;
      expect(key).toMatch(/^[0-9a-f]{256}$/);
      const stored = t.emulator.store.apiTokens.get(made.body.data.id)!;
      expect(stored.accessKey).not.toBe(key);
      expect(stored.accessKey).toBe(t.emulator.store.hashAccessKey(key));
      expect((await t.call('GET', '/api/users', { token: key })).status).toBe(200);
      expect((await t.call('POST', '/admin/api-tokens', { ...as, json: { name: 'ci', type: 'read-only' } })).body.error.message).toBe('Name already taken');
      expect((await t.call('POST', '/admin/api-tokens', { ...as, json: { name: 'bad', type: 'custom', permissions: ['api::nope.nope.find'] } })).body.error.message).toBe('Unknown permissions provided: api::nope.nope.find');
      expect((await t.call('POST', '/admin/api-tokens', { ...as, json: { name: 'bad', type: 'read-only', lifespan: 5 } })).body.error.message).toBe('lifespan must be one of the following values: , 604800000, 2592000000, 7776000000');
      const week = await t.call('POST', '/admin/api-tokens', { ...as, json: { name: 'week', type: 'custom', permissions: ['api::article.article.find'], lifespan: 604800000 } });
      expect(week.body.data).toMatchObject({ lifespan: '604800000', permissions: ['api::article.article.find'] });
      const list = await t.call('GET', '/admin/api-tokens', as);
      expect(list.body.data.every((x: object) => !('accessKey' in x))).toBe(true);
      const got = await t.call('GET', `/admin/api-tokens/${made.body.data.id}`, as);
      expect(got.body.data.accessKey).toBe(major === 5 ? key : undefined);
      const regen = await t.call('POST', `/admin/api-tokens/${made.body.data.id}/regenerate`, as);
      expect(regen.status).toBe(201);
      expect((await t.call('GET', '/api/users', { token: key })).status).toBe(401);
      expect((await t.call('GET', '/api/users', { token: regen.body.data.accessKey })).status).toBe(200);
      expect((await t.call('PUT', `/admin/api-tokens/${made.body.data.id}`, { ...as, json: { lifespan: 1 } })).body.error.message).toBe('this field has unspecified keys: lifespan');
      expect((await t.call('DELETE', `/admin/api-tokens/${made.body.data.id}`, as)).body.data.name).toBe('ci');
      expect((await t.call('DELETE', `/admin/api-tokens/${made.body.data.id}`, as)).body).toEqual({ data: null });
      expect((await t.call('GET', '/api/users', { token: regen.body.data.accessKey })).status).toBe(401);
      // A control-API token is listed here too.
      await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'from-control', type: 'read-only', name: 'control' } });
      expect((await t.call('GET', '/admin/api-tokens', as)).body.data.map((x: { name: string }) => x.name)).toContain('control');
    });

    test('webhooks: the one hub, called on events', async () => {
      const t = await withAdmin();
      const as = { token: t.jwt };
      expect((await t.call('POST', '/admin/webhooks', { ...as, json: { name: 'h', url: 'http://127.0.0.1:9/x', headers: {}, events: [] } })).body.error.message).toBe('url must be a valid URL');
      expect((await t.call('POST', '/admin/webhooks', { ...as, json: { name: 'h', url: 'http://127.0.0.1:9999/x', headers: {}, events: ['entry.nope'] } })).body.error.message).toBe('Webhook event entry.nope is not supported');
      const made = await t.call('POST', '/admin/webhooks', { ...as, json: { name: 'h', url: 'http://127.0.0.1:9999/x', headers: { a: 'b' }, events: ['entry.create'] } });
      expect(made.body.data).toEqual({ id: major === 5 ? '1' : 1, name: 'h', url: 'http://127.0.0.1:9999/x', headers: { a: 'b' }, events: ['entry.create'], isEnabled: true });
      expect(t.emulator.control.webhooks.list().map((w) => w.url)).toEqual(['http://127.0.0.1:9999/x']);
      const upd = await t.call('PUT', '/admin/webhooks/1', { ...as, json: { name: 'h2', url: 'http://localhost:9999/y', headers: {}, events: [], isEnabled: false } });
      expect(upd.body.data).toMatchObject({ name: 'h2', events: [], isEnabled: false });
      expect((await t.call('GET', '/admin/webhooks/99', as)).body.error.message).toBe('webhook.notFound');
      expect((await t.call('DELETE', '/admin/webhooks/1', as)).body.data.name).toBe('h2');
      expect((await t.call('GET', '/admin/webhooks', as)).body.data).toEqual([]);
    });

    test('seeded admins log in; reset keeps them, snapshots carry them', async () => {
      const t = await setup({ strapi: major, admins: [{ email: 'Seed@Example.com', password: 'Seeded-123', roles: ['editor'] }] });
      const login = await t.call('POST', '/admin/login', { json: { email: 'seed@example.com', password: 'Seeded-123' } });
      expect(login.status).toBe(200);
      const me = await t.call('GET', '/admin/users/me', { token: login.body.data.token });
      expect(me.body.data.roles.map((r: { code: string }) => r.code)).toEqual(['strapi-editor']);
      const snap = t.emulator.control.snapshot();
      await t.call('POST', '/_emulator/admins', { json: { email: 'two@example.com', password: 'Another-1' } });
      expect((await t.call('GET', '/admin/init')).body.data.hasAdmin).toBe(true);
      await t.emulator.control.restore(snap);
      expect(adminOf(t.emulator.store).users.size).toBe(1);
      await t.emulator.control.reset();
      expect((await t.call('POST', '/admin/login', { json: { email: 'two@example.com', password: 'Another-1' } })).status).toBe(400);
    });
  });
}

test('a snapshot from before hashed keys (a plain accessKey, no encryptedKey) still authenticates', async () => {
  const t = await setup({ strapi: 5 });
  const snap = t.emulator.control.snapshot();
  const row = { ...snap.apiTokens.rows[0], accessKey: 'legacy-plain-key' } as Record<string, unknown>;
  delete row.encryptedKey;
  delete row.lifespan;
  await t.emulator.control.restore({ ...snap, apiTokens: { ...snap.apiTokens, rows: [row as never, ...snap.apiTokens.rows.slice(1)] } });
  expect((await t.call('GET', '/api/users', { token: 'legacy-plain-key' })).status).toBe(200);
  expect(t.emulator.store.apiTokens.get(row.id as number)!.accessKey).toBe(t.emulator.store.hashAccessKey('legacy-plain-key'));
});

for (const major of [4, 5] as const) {
  test(`v${major} PUT /admin/users/me: a new password needs the current one; email taken; v5 ends the sessions`, async () => {
    const t = await setup({ strapi: major });
    const jwt = (await t.call('POST', '/admin/register-admin', { json: { email: 'boss@example.com', password: 'Passw0rd1', firstname: 'Bo' } })).body.data.token;
    await t.call('POST', '/_emulator/admins', { json: { email: 'other@example.com', password: 'Other-Pass1' } });
    const missing = await t.call('PUT', '/admin/users/me', { token: jwt, json: { password: 'Newpass123' } });
    expect(missing.body.error.details.errors).toEqual([expect.objectContaining({ path: ['currentPassword'], message: 'currentPassword is a required field' })]);
    expect((await t.call('PUT', '/admin/users/me', { token: jwt, json: { password: 'Newpass123', currentPassword: 'Wrong1234' } })).body.error).toEqual({ status: 400, name: 'BadRequestError', message: 'ValidationError', details: { currentPassword: ['Invalid credentials'] } });
    expect((await t.call('PUT', '/admin/users/me', { token: jwt, json: { email: 'other@example.com' } })).body.error).toMatchObject({ name: 'BadRequestError', details: { email: ['Email already taken'] } });
    expect((await t.call('PUT', '/admin/users/me', { token: jwt, json: { password: 'Newpass123', currentPassword: 'Passw0rd1' } })).status).toBe(200);
    expect((await t.call('GET', '/admin/users/me', { token: jwt })).status).toBe(major === 5 ? 401 : 200);
    expect((await t.call('POST', '/admin/login', { json: { email: 'boss@example.com', password: 'Newpass123' } })).status).toBe(200);
  });
}
