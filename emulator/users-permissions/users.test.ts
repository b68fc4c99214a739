import { describe, expect, test } from 'vitest';
import { fullAccessToken, password, readOnlyToken, setup } from '../testing.js';

const admin = { token: fullAccessToken };

describe.each([4, 5] as const)('v%i /api/users', (major) => {
  test('find is a bare array (no role unless populated), count a bare number', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    const b = await t.register();
    const list = await t.call('GET', '/api/users', admin);
    expect(list.body.map((u: { id: number }) => u.id)).toEqual([a.id, b.id]);
    expect(list.body[0]).not.toHaveProperty('role');
    expect(list.body[0]).not.toHaveProperty('password');
    const populated = await t.call('GET', '/api/users?populate=role', admin);
    expect(populated.body[0].role).toMatchObject({ type: 'authenticated', name: 'Authenticated' });
    expect((await t.call('GET', '/api/users/count', admin)).body).toBe(2);
  });

  test('filters, sort (binary, like sqlite), fields (ids always kept)', async () => {
    const t = await setup({ strapi: major });
    for (const username of ['bob', 'Alice', 'carol']) await t.register({ username });
    const eq = await t.call('GET', '/api/users?filters[username][$eq]=bob', admin);
    expect(eq.body.map((u: { username: string }) => u.username)).toEqual(['bob']);
    const contains = await t.call('GET', '/api/users?filters[username][$contains]=AR', admin);
    expect(contains.body.map((u: { username: string }) => u.username)).toEqual(['carol']);
    const or = await t.call('GET', '/api/users?filters[$or][0][username]=bob&filters[$or][1][username]=carol', admin);
    expect(or.body).toHaveLength(2);
    const byRole = await t.call('GET', '/api/users?filters[role][type][$eq]=authenticated', admin);
    expect(byRole.body).toHaveLength(3);
    const sorted = await t.call('GET', '/api/users?sort=username:asc', admin);
    expect(sorted.body.map((u: { username: string }) => u.username)).toEqual(['Alice', 'bob', 'carol']);
    const desc = await t.call('GET', '/api/users?sort[0]=username:desc', admin);
    expect(desc.body.map((u: { username: string }) => u.username)).toEqual(['carol', 'bob', 'Alice']);
    const fields = await t.call('GET', '/api/users?fields[0]=username', admin);
    expect(Object.keys(fields.body[0])).toEqual(major === 5 ? ['id', 'documentId', 'username'] : ['id', 'username']);
  });

  test('invalid query keys are 400 (private, unknown)', async () => {
    const t = await setup({ strapi: major });
    await t.register();
    const privateKey = await t.call('GET', '/api/users?filters[password][$eq]=x', admin);
    const unknownSort = await t.call('GET', '/api/users?sort=nope', admin);
    if (major === 5) {
      expect(privateKey.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid key password', details: { key: 'password', path: 'password', source: 'query', param: 'filters' } });
      expect(unknownSort.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid key nope', details: { key: 'nope', path: null, source: 'query', param: 'sort' } });
      const op = await t.call('GET', '/api/users?filters[username][$foo]=x', admin);
      expect(op.body.error.message).toBe('Invalid key $foo at username');
    } else {
      expect(privateKey.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid parameter password', details: {} });
      expect(unknownSort.body.error.message).toBe('Invalid parameter nope');
      // v4 ignores unknown operators.
      expect((await t.call('GET', '/api/users?filters[username][$foo]=x', admin)).body).toHaveLength(1);
    }
  });

  test(major === 5 ? 'pagination is ignored' : 'pagination[...] is ignored, top-level start/limit are honoured', async () => {
    const t = await setup({ strapi: major });
    for (let i = 0; i < 4; i++) await t.register();
    expect((await t.call('GET', '/api/users?pagination[page]=2&pagination[pageSize]=1', admin)).body).toHaveLength(4);
    expect((await t.call('GET', '/api/users?start=1&limit=2', admin)).body).toHaveLength(major === 5 ? 4 : 2);
  });

  test('count honours filters on v5; on v4 top-level keys filter, and `filters` crashes (500, as on real v4)', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    await t.register();
    await t.call('PUT', `/api/users/${a.id}`, { ...admin, json: { blocked: true } });
    if (major === 5) {
      expect((await t.call('GET', '/api/users/count?filters[blocked][$eq]=true', admin)).body).toBe(1);
      expect((await t.call('GET', '/api/users/count?blocked=true', admin)).body).toBe(2);
    } else {
      expect((await t.call('GET', '/api/users/count?blocked=true', admin)).body).toBe(1);
      const r = await t.call('GET', '/api/users/count?filters[blocked][$eq]=true', admin);
      expect(r.status).toBe(500);
      expect(r.headers.get('x-strapi-emulator-crash')).toMatch(/^Invalid parameter filters: v4 counts users by plain attribute keys/);
    }
  });

  test('me: JWT → the user; populate=role is dropped for a role that cannot find roles; anonymous 403; API token 401 "Unauthorized"', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const me = await t.call('GET', '/api/users/me', { token: u.jwt });
    expect(me.body).toEqual(u.user);
    expect((await t.call('GET', '/api/users/me?populate=role', { token: u.jwt })).body).toEqual(u.user);
    await t.call('PUT', `/api/users-permissions/roles/${await t.roleId('authenticated')}`, {
      ...admin,
      json: { permissions: { 'plugin::users-permissions': { controllers: { user: { me: { enabled: true } }, role: { find: { enabled: true } } } } } },
    });
    expect((await t.call('GET', '/api/users/me?populate=role', { token: u.jwt })).body.role.type).toBe('authenticated');
    expect((await t.call('GET', '/api/users/me')).body.error).toEqual({ status: 403, name: 'ForbiddenError', message: 'Forbidden', details: {} });
    expect((await t.call('GET', '/api/users/me', admin)).body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Unauthorized', details: {} });
    expect((await t.call('GET', '/api/users/me', { token: readOnlyToken })).status).toBe(403);
  });

  test('findOne: the user, or an empty 204 for a missing, non-numeric or documentId id', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    expect((await t.call('GET', `/api/users/${u.id}`, admin)).body).toEqual(u.user);
    for (const id of ['987654', 'abc', u.user.documentId ?? 'xyz']) {
      const r = await t.call('GET', `/api/users/${id}`, admin);
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      expect(r.headers.get('content-type')).toBeNull();
    }
  });

  test('create: 201 with the role; role required; duplicates; unknown role; confirmed defaults to false', async () => {
    const t = await setup({ strapi: major });
    const role = t.roleId('authenticated');
    const created = await t.call('POST', '/api/users', { ...admin, json: { username: 'newbie', email: 'NewBie@example.com', password, role, nickname: 'ignored' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'newbie', email: 'newbie@example.com', confirmed: false, blocked: false, role: { id: role, type: 'authenticated' } });
    expect(created.body).not.toHaveProperty('nickname');
    const noRole = await t.call('POST', '/api/users', { ...admin, json: { username: 'extra1', email: 'x1@example.com', password } });
    expect(noRole.body.error.message).toBe('role is a required field');
    const dupEmail = await t.call('POST', '/api/users', { ...admin, json: { username: 'extra2', email: 'newbie@example.com', password, role } });
    expect(dupEmail.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Email already taken', details: {} });
    const dupName = await t.call('POST', '/api/users', { ...admin, json: { username: 'newbie', email: 'x3@example.com', password, role } });
    expect(dupName.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'This attribute must be unique', details: {} });
    const badRole = await t.call('POST', '/api/users', { ...admin, json: { username: 'extra4', email: 'x4@example.com', password, role: 987654 } });
    expect(badRole.body.error).toEqual({ status: 400, name: 'ApplicationError', message: '1 relation(s) of type plugin::users-permissions.role associated with this entity do not exist', details: {} });
    const wrapped = await t.call('POST', '/api/users', { ...admin, json: { data: { username: 'extra5', email: 'x5@example.com', password, role } } });
    expect(wrapped.body.error.message).toBe('4 errors occurred');
    // The entity validator's errors come wrapped in an ApplicationError.
    const short = await t.call('POST', '/api/users', { ...admin, json: { username: 'ab', email: 'ab@example.com', password: 'abc', role } });
    expect(short.body.error).toEqual({ status: 400, name: 'ApplicationError', message: '2 errors occurred', details: {} });
  });

  test('update: 200 with the role; blocked/role/password change; duplicates; 404; the new password logs in', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    const b = await t.register();
    const updated = await t.call('PUT', `/api/users/${a.id}`, { ...admin, json: { blocked: true, password: 'An0ther-pass', role: t.roleId('public') } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: a.id, blocked: true, role: { type: 'public' } });
    await t.call('PUT', `/api/users/${a.id}`, { ...admin, json: { blocked: false } });
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: a.username, password: 'An0ther-pass' }, ip: t.ip() })).status).toBe(200);
    expect((await t.call('PUT', `/api/users/${b.id}`, { ...admin, json: { username: a.username } })).body.error.message).toBe('Username already taken');
    expect((await t.call('PUT', `/api/users/${b.id}`, { ...admin, json: { email: a.email.toUpperCase() } })).body.error.message).toBe('Email already taken');
    expect((await t.call('PUT', '/api/users/987654', { ...admin, json: { blocked: true } })).body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'User not found', details: {} });
    expect((await t.call('PUT', `/api/users/${b.id}`, { ...admin, json: { username: '' } })).body.error.message).toBe('username must be at least 1 characters');
  });

  test('update with an empty body still bumps updatedAt', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const t = await setup({ strapi: major, clock: () => now });
    const u = await t.register();
    now += 5000;
    const r = await t.call('PUT', `/api/users/${u.id}`, { ...admin, json: {} });
    expect(r.body.updatedAt).toBe('2026-01-01T00:00:05.000Z');
    expect(r.body.createdAt).toBe('2026-01-01T00:00:00.000Z');
    if (major === 5) expect(r.body.publishedAt).toBe('2026-01-01T00:00:05.000Z');
  });

  test('destroy: 200 with the deleted user (no role), then 204; its JWT is then refused', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const deleted = await t.call('DELETE', `/api/users/${u.id}`, admin);
    expect(deleted.body).toEqual(u.user);
    expect((await t.call('DELETE', `/api/users/${u.id}`, admin)).status).toBe(204);
    expect((await t.call('GET', `/api/users/${u.id}`, admin)).status).toBe(204);
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Invalid credentials', details: {} });
  });

  test('a read-only token may find and findOne but not count, create or delete', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    expect((await t.call('GET', '/api/users', { token: readOnlyToken })).status).toBe(200);
    expect((await t.call('GET', `/api/users/${u.id}`, { token: readOnlyToken })).status).toBe(200);
    expect((await t.call('GET', '/api/users/count', { token: readOnlyToken })).status).toBe(403);
    expect((await t.call('DELETE', `/api/users/${u.id}`, { token: readOnlyToken })).status).toBe(403);
    expect((await t.call('POST', '/api/users', { token: readOnlyToken, json: {} })).status).toBe(403);
  });
});

describe.each([4, 5] as const)('v%i users under concurrency (in-process)', (major) => {
  const tallyOf = (answers: Array<{ status: number; body: any }>) => {
    const out: Record<string, number> = {};
    for (const a of answers) out[`${a.status} ${a.body.error?.message ?? 'ok'}`] = (out[`${a.status} ${a.body.error?.message ?? 'ok'}`] ?? 0) + 1;
    return out;
  };

  test('one email or username claimed by 20 concurrent creates, registrations and seeds: one wins, the rest get Strapi\'s answer', async () => {
    const t = await setup({ strapi: major });
    const role = (await t.call('GET', '/api/users-permissions/roles', admin)).body.roles.find((r: { type: string }) => r.type === 'authenticated').id;
    const create = (username: string, email: string) => t.call('POST', '/api/users', { ...admin, json: { username, email, password: 'Passw0rd!', role } });
    expect(tallyOf(await Promise.all(Array.from({ length: 20 }, (_, i) => create(`user${i}`, 'same@example.com'))))).toEqual({ '201 ok': 1, '400 Email already taken': 19 });
    expect(tallyOf(await Promise.all(Array.from({ length: 20 }, (_, i) => create('sameuser', `u${i}@example.com`))))).toEqual({ '201 ok': 1, '400 This attribute must be unique': 19 });
    // Each registration from its own address (the limiter allows 10 per address).
    const register = (i: number) => t.call('POST', '/api/auth/local/register', { json: { username: 'racer', email: `r${i}@example.com`, password: 'Passw0rd!' }, ip: `10.0.0.${i + 1}` });
    expect(tallyOf(await Promise.all(Array.from({ length: 20 }, (_, i) => register(i))))).toEqual({ '200 ok': 1, '400 Email or Username are already taken': 19 });
    const seeds = await Promise.all(Array.from({ length: 5 }, () => t.call('POST', '/_emulator/users', { json: { username: 'seeded', email: `seeded@example.com`, password: 'Passw0rd!' } })));
    expect(seeds.map((s) => s.status).sort()).toEqual([201, 400, 400, 400, 400]);
    const all = (await t.call('GET', '/api/users', admin)).body as Array<{ username: string; email: string }>;
    for (const key of ['username', 'email'] as const) expect(new Set(all.map((u) => u[key])).size).toBe(all.length);
  });

  test('concurrent renames (with a password to hash) to one username or email: one 200, the others 400; unrelated writes are not held', async () => {
    const t = await setup({ strapi: major });
    const users = await Promise.all(Array.from({ length: 5 }, () => t.register()));
    const rename = (body: Record<string, string>) => Promise.all(users.map((u) => t.call('PUT', `/api/users/${u.id}`, { ...admin, json: body })));
    expect(tallyOf(await rename({ username: 'taken', password: 'New0ne!!' }))).toEqual({ '200 ok': 1, '400 Username already taken': 4 });
    expect(tallyOf(await rename({ email: 'taken@example.com' }))).toEqual({ '200 ok': 1, '400 Email already taken': 4 });
    // Five unrelated renames all succeed.
    expect(tallyOf(await Promise.all(users.map((u, i) => t.call('PUT', `/api/users/${u.id}`, { ...admin, json: { username: `free${i}`, password: 'New0ne!!' } }))))).toEqual({ '200 ok': 5 });
  });
});
