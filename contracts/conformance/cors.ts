// CORS on /api, as Strapi's default strapi::cors (@koa/cors with origin '*' and credentials)
// answers it: the request's Origin echoed (`null` and none included) with credentials, a fixed list
// of methods and headers on preflights whatever was asked, and nothing but Vary on an OPTIONS that
// is not a preflight. (The emulator's own /_emulator routes answer no CORS at all: not Strapi's.)
import { describe, expect, test } from 'vitest';
import { request } from 'undici';
import type { Contract } from '../target.js';

export type CorsContext = { contract(): Contract; register(): Promise<{ jwt: string }> };

const methods = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';
const allowHeaders = 'Content-Type,Authorization,Origin,Accept';

export function corsScenarios(t: CorsContext): void {
  const c = () => t.contract();
  /** OPTIONS is no operation of the spec: sent past the validator. */
  async function options(path: string, headers: Record<string, string>) {
    const res = await request(new URL(path, c().target.url), { method: 'OPTIONS', headers });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body };
  }
  const cors = (h: Headers | Record<string, unknown>) => {
    const get = (name: string) => (h instanceof Headers ? h.get(name) : ((h[name] as string | undefined) ?? null));
    return Object.fromEntries(
      ['vary', 'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'access-control-expose-headers'].map((n) => [n, get(n)]),
    );
  };

  describe('CORS on /api (strapi::cors defaults)', () => {
    test('preflight → 204: any Origin echoed with credentials, the fixed methods and headers whatever was asked', async () => {
      const asked = { 'Access-Control-Request-Method': 'DELETE', 'Access-Control-Request-Headers': 'content-type,authorization,x-custom' };
      for (const [path, origin] of [['/api/articles', 'http://app.example:3000'], ['/api/users/me', 'null'], ['/api/no-such-route', 'https://evil.example']]) {
        const r = await options(path, { Origin: origin, ...asked });
        expect([path, r.status, r.body]).toEqual([path, 204, '']);
        expect(cors(r.headers), path).toEqual({
          vary: 'Origin',
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-allow-methods': methods,
          'access-control-allow-headers': allowHeaders,
          'access-control-max-age': '31536000',
          'access-control-expose-headers': null,
        });
      }
      // Without an Origin the echo is empty.
      const bare = await options('/api/articles', { 'Access-Control-Request-Method': 'POST' });
      expect(bare.status).toBe(204);
      expect(cors(bare.headers)['access-control-allow-origin']).toBe('');
    });

    test('an OPTIONS that is not a preflight: 200 with Allow, Vary and no CORS headers', async () => {
      const r = await options('/api/articles', { Origin: 'http://app.example:3000' });
      expect(r.status).toBe(200);
      expect(r.headers.allow).toBe('HEAD, GET, POST');
      expect(cors(r.headers)).toEqual({
        vary: 'Origin',
        'access-control-allow-origin': null,
        'access-control-allow-credentials': null,
        'access-control-allow-methods': null,
        'access-control-allow-headers': null,
        'access-control-max-age': null,
        'access-control-expose-headers': null,
      });
    });

    test('simple and error answers echo the Origin with credentials; no Origin → an empty Access-Control-Allow-Origin', async () => {
      const simple = { 'access-control-allow-credentials': 'true', 'access-control-allow-methods': null, 'access-control-allow-headers': null, 'access-control-max-age': null, 'access-control-expose-headers': null, vary: 'Origin' };
      const origin = 'http://app.example:3000';
      const list = await c().raw('GET', '/api/articles', { headers: { Origin: origin } });
      expect(list.status).toBe(200);
      expect(cors(list.headers)).toEqual({ ...simple, 'access-control-allow-origin': origin });
      const none = await c().raw('GET', '/api/articles');
      expect(cors(none.headers)).toEqual({ ...simple, 'access-control-allow-origin': '' });
      const refused = await c().raw('GET', '/api/users/me', { headers: { Origin: origin, Authorization: 'Bearer not-a-jwt' } });
      expect(refused.status).toBe(401);
      expect(cors(refused.headers)).toEqual({ ...simple, 'access-control-allow-origin': origin });
      // What a page can send without a preflight (text/plain) is parsed as text and refused by validation, with the CORS headers.
      const text = await c().raw('POST', '/api/auth/local', { headers: { Origin: 'null', 'Content-Type': 'text/plain' }, body: '{"identifier":"a","password":"b"}' });
      expect(text.status).toBe(400);
      expect(cors(text.headers)).toEqual({ ...simple, 'access-control-allow-origin': 'null' });
      const { jwt } = await t.register();
      const me = await c().raw('GET', '/api/users/me', { headers: { Origin: origin, Authorization: `Bearer ${jwt}` } });
      expect(me.status).toBe(200);
      expect(cors(me.headers)).toEqual({ ...simple, 'access-control-allow-origin': origin });
    });
  });
}
