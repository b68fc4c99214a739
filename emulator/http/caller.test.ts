import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, readOnlyToken, setup } from '../testing.js';
import { bearerToken } from './caller.js';

const missing = { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials', details: {} };
const invalid = { status: 401, name: 'UnauthorizedError', message: 'Invalid credentials', details: {} };

test('only `Bearer <token>` (two whitespace-separated parts) is a bearer', () => {
  expect(bearerToken('Bearer abc')).toBe('abc');
  expect(bearerToken('bearer   abc')).toBe('abc');
  expect(bearerToken('Bearer')).toBeNull();
  expect(bearerToken('Bearer a b')).toBeNull();
  expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
  expect(bearerToken('abc.def.ghi')).toBeNull();
  expect(bearerToken('')).toBeNull();
  expect(bearerToken(null)).toBeNull();
});

describe.each([4, 5] as const)('v%i callers', (major) => {
  test('garbage, wrong-signature and unknown bearers are 401 even on public routes; other schemes are anonymous', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const forged = await new SignJWT({ id: u.id }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode('another-secret'));
    for (const token of ['garbage', 'a.b.c', forged, `${u.jwt}x`]) {
      expect((await t.call('GET', '/api/articles', { token })).body.error).toEqual(missing);
      expect((await t.call('POST', '/api/auth/local', { token, json: { identifier: 'x', password: 'y' }, ip: t.ip() })).body.error).toEqual(missing);
    }
    expect((await t.call('GET', '/api/articles', { headers: { authorization: 'Basic dXNlcjpwYXNz' } })).status).toBe(200);
    expect((await t.call('GET', '/api/users/me', { headers: { authorization: u.jwt } })).status).toBe(403);
  });

  test('a JWT without an id is not a users-permissions token', async () => {
    const t = await setup({ strapi: major });
    const token = await t.services.jwt.sign({ sub: 'someone' }, { expiresIn: 60 });
    expect((await t.call('GET', '/api/articles', { token })).body.error).toEqual(missing);
  });

  test('the JWT of a blocked or deleted user → 401 "Invalid credentials" everywhere, public routes included', async () => {
    const t = await setup({ strapi: major });
    const blocked = await t.register();
    const deleted = await t.register();
    await t.call('PUT', `/api/users/${blocked.id}`, { token: fullAccessToken, json: { blocked: true } });
    await t.call('DELETE', `/api/users/${deleted.id}`, { token: fullAccessToken });
    for (const jwt of [blocked.jwt, deleted.jwt]) {
      expect((await t.call('GET', '/api/articles', { token: jwt })).body.error).toEqual(invalid);
      expect((await t.call('POST', '/api/auth/forgot-password', { token: jwt, json: { email: 'a@example.com' }, ip: t.ip() })).body.error).toEqual(invalid);
      expect((await t.call('POST', '/api/auth/local', { token: jwt, json: { identifier: 'a', password: 'b' }, ip: t.ip() })).body.error).toEqual(invalid);
      expect((await t.call('GET', '/api/users-permissions/roles', { token: jwt })).body.error).toEqual(invalid);
      expect((await t.call('GET', '/api/upload/files', { token: jwt })).body.error).toEqual(invalid);
    }
  });

  test('a valid JWT on a route its role lacks → 403, also on register/login/forgot-password', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    for (const [path, json] of [
      ['/api/auth/local', { identifier: u.email, password: 'x' }],
      ['/api/auth/local/register', { username: 'z', email: 'z@example.com', password: 'secret1' }],
      ['/api/auth/forgot-password', { email: u.email }],
    ] as const) {
      const r = await t.call('POST', path, { token: u.jwt, json, ip: t.ip() });
      expect(r.body.error).toEqual({ status: 403, name: 'ForbiddenError', message: 'Forbidden', details: {} });
      expect(r.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });

  test('API tokens: read-only reads, full-access does all, custom does its actions, expired → 401', async () => {
    const t = await setup({
      strapi: major,
      apiTokens: [
        { accessKey: fullAccessToken, type: 'full-access' },
        { accessKey: readOnlyToken, type: 'read-only' },
        { accessKey: 'custom-token', type: 'custom', permissions: ['plugin::users-permissions.user.count'] },
        { accessKey: 'old-token', type: 'full-access', expiresAt: '2020-01-01T00:00:00.000Z' },
      ],
    });
    expect((await t.call('GET', '/api/users-permissions/roles', { token: readOnlyToken })).status).toBe(200);
    expect((await t.call('POST', '/api/users-permissions/roles', { token: readOnlyToken, json: { name: 'x' } })).status).toBe(403);
    expect((await t.call('POST', '/api/users-permissions/roles', { token: fullAccessToken, json: { name: 'x' } })).status).toBe(200);
    expect((await t.call('GET', '/api/users/count', { token: 'custom-token' })).status).toBe(200);
    expect((await t.call('GET', '/api/users', { token: 'custom-token' })).status).toBe(403);
    expect((await t.call('GET', '/api/articles', { token: 'old-token' })).body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Token expired', details: {} });
  });

  test('a Public role without any permission makes anonymous calls 401, not 403', async () => {
    const t = await setup({ strapi: major, seedPermissions: {} });
    const publicId = t.roleId('public');
    for (const p of t.store.permissions.where((p) => p.role === publicId)) t.store.permissions.delete(p.id);
    expect((await t.call('GET', '/api/articles')).body.error).toEqual(missing);
  });
});
