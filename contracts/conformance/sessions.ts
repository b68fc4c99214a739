// Scenarios of the `auth` project (contracts/projects/auth: jwtManagement 'refresh', which Strapi 4
// does not have): Strapi 5's session list and revoke, the httpOnly refresh cookie and its clearing,
// and what Strapi 4 answers on the same paths. The same code runs on the emulator and real Strapi.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Contract } from '../target.js';
import { oauthScenarios } from './oauth.js';
import type { Connected } from './scenarios.js';

export { authProject } from './oauth.js';

/** The operations the auth project's scenarios cover (the article suite's coverage check leaves them to this one). */
export const authOperations = ['authSessions', 'authRevokeSession', 'authConnect', 'authConnectCallback', 'authProviderCallback'];

/** Answers the spec documents that these scenarios cannot make a real Strapi give. */
const notObservable: Record<string, string> = {
  'authSessions 404': 'legacy JWT mode only (this project runs refresh mode): emulator/users-permissions/sessions.test.ts',
  'authProviderCallback 200': "needs a provider's access token, which real Strapi fetches from github.com (unreachable here): the local identity provider's whole flow is in emulator/users-permissions/connect.test.ts",
};

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const json = { 'content-type': 'application/json' };
const optIn = { 'x-strapi-refresh-cookie': 'httpOnly' };
const password = 'Passw0rd!';

/** The `name=value` parts of Set-Cookie lines, as a browser sends them back. */
const cookieHeader = (res: Response) => res.headers.getSetCookie().map((l) => l.split(';')[0]).join('; ');

export function authContractSuite(connect: () => Promise<Connected>): void {
  let c: Contract;
  let connected: Connected;
  beforeAll(async () => {
    connected = await connect();
    c = new Contract(connected.target);
  });
  afterAll(async () => {
    await c?.close();
    await connected?.stop();
  });
  const v5 = () => c.target.major === 5;
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) => c.raw('POST', p, { headers: { ...json, ...headers }, body: JSON.stringify(body) });
  const bearer = (jwt: string, headers: Record<string, string> = {}) => ({ authorization: `Bearer ${jwt}`, ...headers });

  async function register(headers: Record<string, string> = {}) {
    const name = `u${randomBytes(5).toString('hex')}`;
    const res = await post('/api/auth/local/register', { username: name, email: `${name}@example.com`, password }, headers);
    if (res.status !== 200) throw new Error(`register → ${res.status} ${await res.text()}`);
    return { name, ...((await res.json()) as { jwt: string; refreshToken?: string; user: { id: number } }) };
  }

  describe('auth project: Strapi 4 has no session routes', () => {
    test('GET /api/auth/sessions → 404 JSON, DELETE /api/auth/sessions/:id → 405 (v4 only)', async ({ skip }) => {
      if (v5()) skip('Strapi 5 serves these routes (the scenarios below)');
      const u = await register();
      const list = await c.raw('GET', '/api/auth/sessions', { headers: bearer(u.jwt) });
      expect([list.status, await list.json()]).toEqual([404, { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found', details: {} } }]);
      const revoke = await c.raw('DELETE', '/api/auth/sessions/x', { headers: bearer(u.jwt) });
      expect([revoke.status, revoke.headers.get('allow'), await revoke.text()]).toEqual([405, 'HEAD, GET', 'Method Not Allowed']);
    });
  });

  describe('auth project: v5 sessions (refresh mode)', () => {
    test('list: the current session first, the User-Agent as deviceName, register\'s random deviceId, no tokens', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no jwtManagement (sessions are v5 only)');
      const u = await register({ 'user-agent': chrome });
      const login = await post('/api/auth/local', { identifier: u.name, password, deviceId: 'phone-1' }, { 'user-agent': 'curl/8.5.0' });
      const other = (await login.json()) as { jwt: string };
      const anon = await c.raw('GET', '/api/auth/sessions');
      expect(anon.status).toBe(403);
      const res = await c.raw('GET', '/api/auth/sessions', { headers: bearer(other.jwt) });
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
      expect(data).toHaveLength(2);
      expect(Object.keys(data[0])).toEqual(['id', 'deviceId', 'current', 'loginAt', 'lastActiveAt']);
      expect(data[0]).toMatchObject({ deviceId: 'phone-1', current: true });
      expect(data[1]).toMatchObject({ deviceName: 'Chrome on Linux', current: false });
      expect(data[1].deviceId).toMatch(/^[0-9a-f-]{36}$/);
      // loginAt is taken just before the session row is written (its createdAt is lastActiveAt).
      expect(Date.parse(data[1].lastActiveAt as string) - Date.parse(data[1].loginAt as string)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(data[1].lastActiveAt as string) - Date.parse(data[1].loginAt as string)).toBeLessThan(5000);
      expect(JSON.stringify(data)).not.toContain(u.refreshToken!);
    });

    test('revoke: my session → {data:{}} and its refresh token dies; unknown or another user\'s → 404 "Session not found"; no id → 405', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no jwtManagement (sessions are v5 only)');
      const a = await register();
      const b = await register();
      const [bs] = ((await (await c.raw('GET', '/api/auth/sessions', { headers: bearer(b.jwt) })).json()) as { data: Array<{ id: string }> }).data;
      const theft = await c.raw('DELETE', `/api/auth/sessions/${bs.id}`, { headers: bearer(a.jwt) });
      expect([theft.status, await theft.json()]).toEqual([404, { data: null, error: { status: 404, name: 'NotFoundError', message: 'Session not found', details: {} } }]);
      const own = await c.raw('DELETE', `/api/auth/sessions/${bs.id}`, { headers: bearer(b.jwt) });
      expect([own.status, await own.json()]).toEqual([200, { data: {} }]);
      expect((await post('/api/auth/refresh', { refreshToken: b.refreshToken })).status).toBe(401);
      expect(await (await c.raw('GET', '/api/auth/sessions', { headers: bearer(b.jwt) })).json()).toEqual({ data: [] });
      const bare = await c.raw('DELETE', '/api/auth/sessions', { headers: bearer(b.jwt) });
      expect([bare.status, bare.headers.get('allow')]).toEqual([405, 'HEAD, GET']);
    });

    test('refresh cookie: login with x-strapi-refresh-cookie → {jwt, user} and two httpOnly lax cookies; refresh reads the cookie; a rotated one is refused', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no jwtManagement (the refresh cookie is v5 only)');
      const u = await register();
      const login = await post('/api/auth/local', { identifier: u.name, password }, optIn);
      expect(login.status).toBe(200);
      expect(Object.keys((await login.json()) as object)).toEqual(['jwt', 'user']);
      const lines = login.headers.getSetCookie();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^strapi_up_refresh=[\w-]+\.[\w-]+\.[\w-]+; path=\/; samesite=lax; httponly$/);
      expect(lines[1]).toMatch(/^strapi_up_refresh\.sig=[\w-]{27}; path=\/; samesite=lax; httponly$/);
      const cookie = cookieHeader(login);
      const plain = await c.raw('POST', '/api/auth/refresh', { headers: { cookie } });
      expect(plain.status).toBe(200);
      expect(Object.keys((await plain.json()) as object)).toEqual(['jwt', 'refreshToken']);
      expect(plain.headers.getSetCookie()).toEqual([]);
      const reused = await c.raw('POST', '/api/auth/refresh', { headers: { cookie, ...optIn } });
      expect([reused.status, ((await reused.json()) as { error: { message: string } }).error.message]).toEqual([401, 'Invalid refresh token']);
    });

    test('refresh with the header sets the rotated cookie and answers only {jwt}; logout with the header clears both cookies', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no jwtManagement (the refresh cookie is v5 only)');
      const u = await register();
      const refreshed = await post('/api/auth/refresh', { refreshToken: u.refreshToken }, optIn);
      const body = (await refreshed.json()) as { jwt: string };
      expect(Object.keys(body)).toEqual(['jwt']);
      expect(refreshed.headers.getSetCookie()[0]).toMatch(/^strapi_up_refresh=[\w-]+\.[\w-]+\.[\w-]+; path=\/; samesite=lax; httponly$/);
      const out = await c.raw('POST', '/api/auth/logout', { headers: { ...bearer(body.jwt), ...optIn, cookie: cookieHeader(refreshed) } });
      expect([out.status, await out.json()]).toEqual([200, { ok: true }]);
      const cleared = out.headers.getSetCookie();
      expect(cleared[0]).toBe('strapi_up_refresh=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly');
      expect(cleared[1]).toMatch(/^strapi_up_refresh\.sig=[\w-]{27}; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly$/);
      // The cookie named the session logout revoked.
      expect((await c.raw('POST', '/api/auth/refresh', { headers: { cookie: cookieHeader(refreshed) } })).status).toBe(401);
      // Without the header, logout sets no cookie.
      const again = await post('/api/auth/logout', {}, bearer(body.jwt));
      expect(again.headers.getSetCookie()).toEqual([]);
    });

    test('the gate: a bad bearer → 401; a read-only API token → 403; a full-access one is no user → 401 "Missing authentication"', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no session routes');
      for (const [method, p] of [['GET', '/api/auth/sessions'], ['DELETE', '/api/auth/sessions/x']]) {
        expect((await c.raw(method, p, { headers: bearer('not-a-jwt') })).status).toBe(401);
        expect((await c.raw(method, p, { headers: bearer(c.target.apiTokens.readOnly) })).status).toBe(403);
        const token = await c.raw(method, p, { headers: bearer(c.target.apiTokens.fullAccess) });
        expect([p, token.status, await token.json()]).toEqual([p, 401, { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Missing authentication', details: {} } }]);
      }
    });

    test('register answers the refresh token even with the header (no cookie), as Strapi does', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 has no jwtManagement');
      const name = `u${randomBytes(5).toString('hex')}`;
      const res = await post('/api/auth/local/register', { username: name, email: `${name}@example.com`, password }, optIn);
      expect(Object.keys((await res.json()) as object)).toEqual(['jwt', 'refreshToken', 'user']);
      expect(res.headers.getSetCookie()).toEqual([]);
    });
  });

  oauthScenarios(() => c);

  describe('auth project: coverage', () => {
    test('every answer the spec documents for these operations was seen', () => {
      const seen = new Set(c.seen.map((s) => `${s.operationId} ${s.status}`));
      const missing = c.validator.routes
        .filter((r) => authOperations.includes(r.operation.operationId))
        .flatMap((r) => Object.keys(r.operation.responses).filter((status) => status !== '500').map((status) => `${r.operation.operationId} ${status}`))
        .filter((id) => !seen.has(id) && !notObservable[id]);
      expect(missing).toEqual([]);
    });
  });
}
