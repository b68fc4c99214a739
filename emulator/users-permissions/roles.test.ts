import { describe, expect, test } from 'vitest';
import { loadSeedPermissions } from '../seed.js';
import { fullAccessToken, password, setup } from '../testing.js';
import { roleTypeFromName } from './strings.js';

const admin = { token: fullAccessToken };
const roles = '/api/users-permissions/roles';

describe.each([4, 5] as const)('v%i roles and permissions', (major) => {
  test('the seed: Authenticated (1) and Public (2) with Strapi defaults + spec/seed/permissions.json, no users', async () => {
    const t = await setup({ strapi: major });
    const list = await t.call('GET', roles, admin);
    expect(list.body.roles.map((r: { id: number; type: string; nb_users: number }) => [r.id, r.type, r.nb_users])).toEqual([
      [1, 'authenticated', 0],
      [2, 'public', 0],
    ]);
    const keys = ['id', ...(major === 5 ? ['documentId'] : []), 'name', 'description', 'type', 'createdAt', 'updatedAt', ...(major === 5 ? ['publishedAt'] : []), 'nb_users'];
    expect(Object.keys(list.body.roles[0])).toEqual(keys);
    const granted = (type: string) => t.store.permissions.where((p) => p.role === t.roleId(type)).map((p) => p.action);
    const seed = loadSeedPermissions();
    expect(granted('public')).toEqual(expect.arrayContaining([...seed.public, 'plugin::users-permissions.auth.callback', 'plugin::users-permissions.auth.register']));
    expect(granted('authenticated')).toEqual(expect.arrayContaining([...seed.authenticated, 'plugin::users-permissions.user.me', 'plugin::users-permissions.auth.changePassword']));
    expect(granted('authenticated').includes('plugin::users-permissions.auth.logout')).toBe(major === 5);
    expect(t.store.users.count()).toBe(0);
  });

  test('findOne carries the permission tree; 404 "Role not found" for missing or non-numeric ids', async () => {
    const t = await setup({ strapi: major });
    const one = await t.call('GET', `${roles}/${t.roleId('authenticated')}`, admin);
    const tree = one.body.role.permissions;
    expect(tree['api::article'].controllers.article.find).toEqual({ enabled: true, policy: '' });
    expect(tree['plugin::users-permissions'].controllers.user.me.enabled).toBe(true);
    expect(tree['plugin::users-permissions'].controllers.user.find.enabled).toBe(false);
    for (const id of ['987654', 'abc']) {
      expect((await t.call('GET', `${roles}/${id}`, admin)).body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'Role not found', details: {} });
    }
  });

  test('GET /permissions: the same uids and actions as real Strapi, all disabled', async () => {
    const t = await setup({ strapi: major });
    const { permissions } = (await t.call('GET', '/api/users-permissions/permissions', admin)).body;
    expect(Object.keys(permissions)).toEqual(
      major === 5
        ? ['api::article', 'plugin::content-type-builder', 'plugin::email', 'plugin::upload', 'plugin::i18n', 'plugin::users-permissions']
        : ['api::article', 'plugin::content-type-builder', 'plugin::email', 'plugin::upload', 'plugin::users-permissions', 'plugin::i18n'],
    );
    expect(Object.keys(permissions['api::article'].controllers.article)).toEqual(['find', 'findOne', 'create', 'update', 'delete']);
    expect(Object.keys(permissions['plugin::upload'].controllers['content-api'])).toEqual(major === 5 ? ['find', 'findPage', 'findOne', 'destroy', 'upload'] : ['find', 'findOne', 'destroy', 'upload']);
    expect(Object.keys(permissions['plugin::users-permissions'].controllers)).toEqual(['auth', 'user', 'role', 'permissions']);
    expect('refresh' in permissions['plugin::users-permissions'].controllers.auth).toBe(major === 5);
    const all = Object.values(permissions).flatMap((p) => Object.values((p as { controllers: Record<string, Record<string, { enabled: boolean }>> }).controllers).flatMap((c) => Object.values(c)));
    expect(all.every((a) => a.enabled === false)).toBe(true);
  });

  test('create → {ok:true}, type derived like lodash; update replaces the action set; empty body 400', async () => {
    const t = await setup({ strapi: major });
    const created = await t.call('POST', roles, { ...admin, json: { name: 'Éditeur en chef', description: 'd', permissions: { 'api::article': { controllers: { article: { find: { enabled: true }, create: { enabled: false } } } } } } });
    expect(created.body).toEqual({ ok: true });
    const role = (await t.call('GET', roles, admin)).body.roles.find((r: { name: string }) => r.name === 'Éditeur en chef');
    expect(role.type).toBe('editeur_en_chef');
    const actions = () => t.store.permissions.where((p) => p.role === role.id).map((p) => p.action).sort();
    expect(actions()).toEqual(['api::article.article.find']);
    await t.call('PUT', `${roles}/${role.id}`, { ...admin, json: { description: 'changed', permissions: { 'plugin::upload': { controllers: { 'content-api': { find: { enabled: true } } } } } } });
    expect(actions()).toEqual(['plugin::upload.content-api.find']);
    const after = (await t.call('GET', `${roles}/${role.id}`, admin)).body.role;
    expect(after.description).toBe('changed');
    expect(after.type).toBe('editeur_en_chef');
    expect((await t.call('PUT', `${roles}/${role.id}`, { ...admin, json: {} })).body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Request body cannot be empty', details: {} });
    expect((await t.call('POST', roles, { ...admin, json: {} })).body.error.message).toBe('Request body cannot be empty');
    expect((await t.call('PUT', `${roles}/987654`, { ...admin, json: { description: 'x' } })).body.error.message).toBe('Role not found');
    const nameless = await t.call('POST', roles, { ...admin, json: { description: 'no name' } });
    expect(nameless.body).toEqual({ ok: true });
    expect(t.store.roles.first((r) => r.description === 'no name')).toMatchObject({ name: null, type: '' });
    // A text body (as real 4.26.2 and 5.54.0 answer it): creating crashes; updating names no
    // permission, so the role loses them all; an unknown role is still 404.
    const textBody = { ...admin, raw: 'x', headers: { 'content-type': 'text/plain' } };
    const crashed = await t.call('POST', roles, textBody);
    expect([crashed.status, crashed.headers.get('x-strapi-emulator-crash')]).toEqual([500, 'The request body must be a JSON object']);
    expect((await t.call('PUT', `${roles}/${role.id}`, textBody)).body).toEqual({ ok: true });
    expect(actions()).toEqual([]);
    expect((await t.call('GET', `${roles}/${role.id}`, admin)).body.role.description).toBe('changed');
    expect((await t.call('PUT', `${roles}/987654`, textBody)).body.error.message).toBe('Role not found');
  });

  test('delete moves the users to Public; the public role cannot be deleted; deleting Authenticated breaks register', async () => {
    const t = await setup({ strapi: major });
    await t.call('POST', roles, { ...admin, json: { name: 'Temp' } });
    const temp = t.store.roles.first((r) => r.name === 'Temp')!;
    const member = await t.call('POST', '/api/users', { ...admin, json: { username: 'member', email: 'member@example.com', password, role: temp.id } });
    expect((await t.call('DELETE', `${roles}/${temp.id}`, admin)).body).toEqual({ ok: true });
    const moved = await t.call('GET', `/api/users/${member.body.id}?populate=role`, admin);
    expect(moved.body.role.type).toBe('public');
    expect((await t.call('DELETE', `${roles}/${t.roleId('public')}`, admin)).body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Cannot delete public role', details: {} });
    expect((await t.call('DELETE', `${roles}/987654`, admin)).body.error.message).toBe('Role not found');
    const u = await t.register();
    expect((await t.call('DELETE', `${roles}/${t.roleId('authenticated')}`, admin)).status).toBe(200);
    // Its users now act as Public: user.me is not granted there.
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(403);
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'late', email: 'late@example.com', password }, ip: t.ip() });
    expect(r.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Impossible to find the default role', details: {} });
  });

  test('a role without article.find gets 403 where Public gets 200', async () => {
    const t = await setup({ strapi: major });
    await t.call('POST', roles, { ...admin, json: { name: 'Readerless' } });
    const role = t.store.roles.first((r) => r.name === 'Readerless')!;
    await t.call('POST', '/api/users', { ...admin, json: { username: 'nobody', email: 'nobody@example.com', password, role: role.id } });
    const jwt = (await t.call('POST', '/api/auth/local', { json: { identifier: 'nobody', password }, ip: t.ip() })).body.jwt;
    expect((await t.call('GET', '/api/articles', { token: jwt })).status).toBe(403);
    expect((await t.call('GET', '/api/articles')).status).toBe(200);
  });
});

// Expected values from lodash 4.17 (`_.snakeCase(_.deburr(_.toLower(name)))`, what users-permissions runs).
test('role types follow lodash snakeCase (letters and digits split when mixed)', () => {
  expect(roleTypeFromName('No Type Role')).toBe('no_type_role');
  expect(roleTypeFromName('1st place')).toBe('1st_place');
  expect(roleTypeFromName('abc123def')).toBe('abc_123_def');
  expect(roleTypeFromName('ÆØÅ ßtraße')).toBe('aeoa_sstrasse');
  expect(roleTypeFromName('émoji 😀 role')).toBe('emoji_😀_role');
  expect(roleTypeFromName('Role a1b2')).toBe('role_a_1_b_2');
  expect(roleTypeFromName("Editor's pick-2024")).toBe('editors_pick_2024');
  expect(roleTypeFromName(undefined)).toBe('');
});
