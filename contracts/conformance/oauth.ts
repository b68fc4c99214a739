// OAuth scenarios of the `auth` project (GitHub and Google turned on by its bootstrap, the front
// end's redirect URL as their callback): Strapi's connect redirect and its session cookie, the
// callback's validation, and every error before the provider answers. Real Strapi cannot reach
// github.com here, so the provider's side (consent, code exchange, profile) is checked on the
// emulator's local identity provider alone (emulator/users-permissions/connect.test.ts); the
// redirect's target differs only in its origin and path (github.com vs /_emulator/idp).
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ProviderSettings } from '../../emulator/identity-provider/providers.js';
import { Contract } from '../target.js';
import { fileURLToPath } from 'node:url';

export const authProject = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'projects', 'auth');
export const authProviders = (createRequire(import.meta.url)(path.join(authProject, 'src', 'index.js')) as { providers: Record<string, Partial<ProviderSettings>> }).providers;

const front = authProviders.github.callback!;
const cookieLine = /^koa\.sess=([A-Za-z0-9+/=]+); path=\/; expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; httponly$/;
const sigLine = /^koa\.sess\.sig=[\w-]{27}; path=\/; expires=[^;]+; httponly$/;
const error = (status: number, name: string, message: string, details: unknown = {}) => ({ data: null, error: { status, name, message, details } });

/** Declared inside the auth suite (sessions.ts), on its contract, so one coverage check sees both. */
export function oauthScenarios(contract: () => Contract): void {
  let c: Contract;
  beforeAll(() => {
    c = contract();
  });
  const v5 = () => c.target.major === 5;
  const real = () => c.target.name.startsWith('real');
  const get = (p: string, headers: Record<string, string> = {}) => c.raw('GET', p, { headers });
  /** The session a Set-Cookie carries, decoded (koa-session: base64 JSON). */
  const sessionOf = (res: Response) => {
    const [line, sig] = res.headers.getSetCookie();
    expect(line).toMatch(cookieLine);
    expect(sig).toMatch(sigLine);
    const { _expire, _maxAge, ...session } = JSON.parse(Buffer.from(cookieLine.exec(line)![1], 'base64').toString());
    expect(_maxAge).toBe(86_400_000);
    expect(_expire).toBeGreaterThan(Date.now());
    return session;
  };
  const cookiesOf = (res: Response) => res.headers.getSetCookie().map((l) => l.split(';')[0]).join('; ');

  describe('auth project: OAuth providers', () => {
    test('a provider that is off or unknown: 400 "This provider is disabled" from connect, its callback and the auth callback', async () => {
      for (const p of ['/api/connect/facebook', '/api/connect/nope', '/api/connect/facebook/callback?code=x', '/api/auth/facebook/callback?access_token=x', '/api/auth/nope/callback']) {
        const res = await get(p);
        expect([p, res.status, await res.json()]).toEqual([p, 400, error(400, 'ApplicationError', 'This provider is disabled')]);
      }
    });

    test('connect → 302 to the provider: client_id, response_type=code, redirect_uri=<server>/api/connect/<p>/callback, scope (v5: and state), and the koa session cookie', async () => {
      const res = await get('/api/connect/github');
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      if (real()) expect(location.origin + location.pathname).toBe('https://github.com/login/oauth/authorize');
      else expect(location.origin + location.pathname).toBe(`${c.target.url}/_emulator/idp/github/authorize`);
      const params = [...location.searchParams];
      const server = c.target.url.replace('//127.0.0.1', '//localhost');
      expect(params.slice(0, 4)).toEqual([['client_id', 'contract-github-client'], ['response_type', 'code'], ['redirect_uri', `${server}/api/connect/github/callback`], ['scope', 'user,user:email']]);
      const session = sessionOf(res);
      if (v5()) {
        expect(params[4][0]).toBe('state');
        expect(params[4][1]).toMatch(/^[0-9a-f]{40}$/);
        expect(session).toEqual({ grant: { provider: 'github', state: params[4][1] } });
      } else {
        expect(params).toHaveLength(4);
        expect(session).toEqual({ grant: { provider: 'github' } });
      }
      // Google joins its scopes with spaces.
      const google = new URL((await get('/api/connect/google')).headers.get('location')!);
      expect(google.searchParams.get('scope')).toBe('email');
    });

    test('a callback query: same origin and path as the setting → kept in the session; another → 400 "Invalid callback URL provided"', async () => {
      const mine = `${authProviders.google.callback}?from=header`;
      const ok = await get(`/api/connect/google?callback=${encodeURIComponent(mine)}`);
      expect(ok.status).toBe(302);
      expect(sessionOf(ok).grant.dynamic).toEqual({ callback: mine });
      for (const other of ['http://evil.test/connect/google/redirect', 'http://localhost:3000/elsewhere', 'not a url']) {
        const bad = await get(`/api/connect/google?callback=${encodeURIComponent(other)}`);
        expect([bad.status, await bad.json()]).toEqual([400, error(400, 'ValidationError', 'Invalid callback URL provided', { callback: other })]);
      }
    });

    test('email (the local provider) has no OAuth endpoints: v5 400 "Unknown OAuth provider", v4 grant → 302 /?error=…', async () => {
      const res = await get('/api/connect/email');
      if (v5()) expect([res.status, await res.json()]).toEqual([400, error(400, 'ApplicationError', 'Unknown OAuth provider')]);
      else {
        expect([res.status, res.headers.get('location')]).toEqual([302, '/?error=Grant%3A%20missing%20or%20misconfigured%20provider']);
        expect(sessionOf(res)).toEqual({ grant: { provider: 'email' } });
      }
    });

    test("the provider's redirect back without the connect session: v5 → the front end with oauth_error, v4 → / with grant's error", async () => {
      const cases = [
        ['/api/connect/github/callback?code=abc&state=s', 'error=oauth_error&error_description=OAuth2+state+mismatch'],
        ['/api/connect/github/callback', 'error=oauth_error&error_description=OAuth2+missing+code+parameter'],
        ['/api/connect/github/callback?error=access_denied&error_description=The+user+denied', 'error=access_denied&error_description=The+user+denied'],
      ];
      for (const [p, query] of cases) {
        const res = await get(p);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe(v5() ? `${front}?${query}` : '/?error=Grant%3A%20missing%20session%20or%20misconfigured%20provider');
        expect(sessionOf(res)).toEqual({ grant: {} });
      }
    });

    test('v5: with the session but another state → oauth_error "OAuth2 state mismatch", and the session is emptied', async ({ skip }) => {
      if (!v5()) skip('Strapi 4 (grant) keeps no state');
      const start = await get('/api/connect/github');
      const res = await get('/api/connect/github/callback?code=abc&state=forged', { cookie: cookiesOf(start) });
      expect(res.headers.get('location')).toBe(`${front}?error=oauth_error&error_description=OAuth2+state+mismatch`);
      expect(sessionOf(res)).toEqual({ grant: {} });
    });

    test('the usual gate first: a bad bearer → 401, a read-only API token → 403; connect is rate-limited (the 11th from one address → 429)', async () => {
      for (const p of ['/api/connect/github', '/api/connect/github/callback', '/api/auth/github/callback']) {
        expect((await get(p, { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
        const ro = await get(p, { authorization: `Bearer ${c.target.apiTokens.readOnly}` });
        expect([p, ro.status]).toEqual([p, 403]);
      }
      const one = c.client();
      let last = 0;
      for (let i = 0; i < 11; i++) last = (await one.get({ url: '/api/connect/facebook' })).response.status;
      expect(last).toBe(429);
      const other = c.client();
      for (let i = 0; i < 11; i++) last = (await other.get({ url: '/api/connect/facebook/callback' })).response.status;
      expect(last).toBe(429);
    });

    test("providers' settings are the admin API's only: the content API has no /api/users-permissions/providers", async () => {
      for (const method of ['GET', 'PUT']) {
        const res = await c.raw(method, '/api/users-permissions/providers', { headers: { authorization: `Bearer ${c.target.apiTokens.fullAccess}`, 'content-type': 'application/json' }, body: method === 'PUT' ? '{}' : undefined });
        expect([method, res.status]).toEqual([method, method === 'GET' ? 404 : 405]);
      }
    });

    test('/api/auth/:provider/callback without what the provider gave: v5 needs the session, v4 an access_token; local validates the body', async () => {
      const res = await get('/api/auth/github/callback');
      expect([res.status, await res.json()]).toEqual([400, error(400, 'ApplicationError', v5() ? 'OAuth authentication requires a completed provider session' : 'No access_token.')]);
      const local = await get('/api/auth/local/callback');
      expect(local.status).toBe(400);
      expect(((await local.json()) as { error: { message: string } }).error.message).toBe('2 errors occurred');
    });
  });
}
