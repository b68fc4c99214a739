// Strapi 5 refresh mode's session list/revoke and the httpOnly refresh cookie, as seen on real
// 5.54.0 (contracts/projects/auth): shapes, order, cookie lines and their signature.
import { describe, expect, test } from 'vitest';
import { password, setup } from '../testing.js';
import { keygripSign } from './refresh-cookie.js';

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36';
const cookieHeader = (lines: string[]) => lines.map((l) => l.split(';')[0]).join('; ');

describe('v5 sessions', () => {
  test('list: current first, then newest; deviceName from the User-Agent; loginAt kept over a rotation', async () => {
    const t = await setup({ strapi: 5, jwtManagement: 'refresh' });
    const reg = await t.call('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password }, headers: { 'user-agent': chrome }, ip: t.ip() });
    t.control.advanceClock(1000);
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password, deviceId: 'dev1' }, ip: t.ip() });
    t.control.advanceClock(1000);
    const rotated = await t.call('POST', '/api/auth/refresh', { json: { refreshToken: login.body.refreshToken } });
    const list = await t.call('GET', '/api/auth/sessions', { token: reg.body.jwt });
    expect(list.status).toBe(200);
    const [first, second] = list.body.data;
    expect(list.body.data).toHaveLength(2);
    expect(first).toEqual({ id: expect.any(String), deviceId: expect.any(String), deviceName: 'Chrome on Linux', current: true, loginAt: first.lastActiveAt, lastActiveAt: expect.any(String) });
    expect(second).toMatchObject({ deviceId: 'dev1', current: false });
    expect(second.loginAt < second.lastActiveAt).toBe(true);
    expect(Object.keys(second)).toEqual(['id', 'deviceId', 'current', 'loginAt', 'lastActiveAt']);
    // The rotated token's own session is current for its bearer.
    const mine = await t.call('GET', '/api/auth/sessions', { token: rotated.body.jwt });
    expect(mine.body.data[0]).toMatchObject({ deviceId: 'dev1', current: true });
  });

  test('revoke: one of my sessions → {data:{}}; unknown or another user\'s → 404 "Session not found"', async () => {
    const t = await setup({ strapi: 5, jwtManagement: 'refresh' });
    const a = await t.call('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password }, ip: t.ip() });
    const b = await t.call('POST', '/api/auth/local/register', { json: { username: 'bob', email: 'bob@example.com', password }, ip: t.ip() });
    const [bobs] = (await t.call('GET', '/api/auth/sessions', { token: b.body.jwt })).body.data;
    const theft = await t.call('DELETE', `/api/auth/sessions/${bobs.id}`, { token: a.body.jwt });
    expect(theft.body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'Session not found', details: {} });
    const own = await t.call('DELETE', `/api/auth/sessions/${bobs.id}`, { token: b.body.jwt });
    expect([own.status, own.body]).toEqual([200, { data: {} }]);
    expect((await t.call('POST', '/api/auth/refresh', { json: { refreshToken: b.body.refreshToken } })).status).toBe(401);
    expect((await t.call('GET', '/api/auth/sessions', { token: b.body.jwt })).body).toEqual({ data: [] });
  });

  test('legacy mode: 404 Not Found for a user, 403 for anonymous', async () => {
    const t = await setup({ strapi: 5 });
    const u = await t.register();
    expect((await t.call('GET', '/api/auth/sessions', { token: u.jwt })).body.error.message).toBe('Not Found');
    expect((await t.call('GET', '/api/auth/sessions')).status).toBe(403);
    expect((await t.call('DELETE', '/api/auth/sessions/x', { token: u.jwt })).status).toBe(404);
  });
});

describe('v5 refresh token', () => {
  test('its payload is {userId, sessionId, type, exp}: no iat, as Strapi signs it (noTimestamp)', async () => {
    const t = await setup({ strapi: 5, jwtManagement: 'refresh' });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'ann', email: 'ann@example.com', password }, ip: t.ip() });
    const payload = JSON.parse(Buffer.from(r.body.refreshToken.split('.')[1], 'base64url').toString());
    expect(Object.keys(payload)).toEqual(['userId', 'sessionId', 'type', 'exp']);
    expect((await t.call('POST', '/api/auth/refresh', { json: { refreshToken: r.body.refreshToken } })).status).toBe(200);
  });
});

describe('v5 refresh cookie', () => {
  test('x-strapi-refresh-cookie: httpOnly → {jwt, user} and a signed cookie; refresh reads it and rotates; logout clears it', async () => {
    const appKeys = ['key-one', 'key-two'];
    const t = await setup({ strapi: 5, jwtManagement: 'refresh', appKeys });
    await t.register({ username: 'ann', email: 'ann@example.com' });
    const optIn = { 'x-strapi-refresh-cookie': 'httpOnly' };
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, headers: optIn, ip: t.ip() });
    expect(Object.keys(login.body)).toEqual(['jwt', 'user']);
    const lines = login.headers.getSetCookie();
    const token = /^strapi_up_refresh=([^;]+)/.exec(lines[0])![1];
    expect(lines).toEqual([`strapi_up_refresh=${token}; path=/; samesite=lax; httponly`, `strapi_up_refresh.sig=${keygripSign('key-one', `strapi_up_refresh=${token}`)}; path=/; samesite=lax; httponly`]);
    // Without the opt-in the cookie is still read, and the answer carries the token instead.
    const plain = await t.call('POST', '/api/auth/refresh', { headers: { cookie: cookieHeader(lines) } });
    expect(Object.keys(plain.body)).toEqual(['jwt', 'refreshToken']);
    expect(plain.headers.getSetCookie()).toEqual([]);
    const again = await t.call('POST', '/api/auth/refresh', { headers: { cookie: `strapi_up_refresh=${plain.body.refreshToken}`, ...optIn } });
    expect(Object.keys(again.body)).toEqual(['jwt']);
    expect(again.headers.getSetCookie()).toHaveLength(2);
    const out = await t.call('POST', '/api/auth/logout', { token: again.body.jwt, headers: optIn });
    expect(out.headers.getSetCookie()).toEqual([
      'strapi_up_refresh=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly',
      `strapi_up_refresh.sig=${keygripSign('key-one', 'strapi_up_refresh=')}; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly`,
    ]);
  });

  test('sessions.httpOnly and cookie options from config: name, path, sameSite, domain, maxAge (an expires date)', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const t = await setup({ strapi: 5, jwtManagement: 'refresh', clock: () => now, sessions: { httpOnly: true, cookie: { name: 'rt', path: '/api/auth', sameSite: 'strict', domain: 'example.test', maxAge: 3_600_000 } } });
    await t.register({ username: 'ann', email: 'ann@example.com' });
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: t.ip() });
    const [line] = login.headers.getSetCookie();
    expect(line).toMatch(/^rt=[^;]+; path=\/api\/auth; expires=Sun, 01 Mar 2026 11:00:00 GMT; domain=example.test; samesite=strict; httponly$/);
    // register never sets the cookie (it answers the refresh token), as in Strapi.
    const reg = await t.call('POST', '/api/auth/local/register', { json: { username: 'bob', email: 'bob@example.com', password }, ip: t.ip() });
    expect(Object.keys(reg.body)).toEqual(['jwt', 'refreshToken', 'user']);
    expect(reg.headers.getSetCookie()).toEqual([]);
  });
});
