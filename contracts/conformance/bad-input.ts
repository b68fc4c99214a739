// Bad input every route shares (found by the fuzzer, test/fuzz): the body parser answers before
// the router on every POST and PUT — malformed JSON → 400 SyntaxError, over 1 MB → 413 — and
// the read routes that validate their query refuse unknown keys with a 400.
import { describe, expect, test } from 'vitest';
import type { Contract } from '../target.js';

export type BadInputContext = { contract(): Contract; register(): Promise<{ jwt: string }> };

type ErrorBody = { data: null; error: { status: number; name: string; message: string } };

export function badInputScenarios(t: BadInputContext): void {
  const c = () => t.contract();
  /** The Strapi operations that take a body (the emulator's /_emulator routes are not Strapi's). */
  const writes = () =>
    c()
      .validator.routes.filter((r) => (r.method === 'POST' || r.method === 'PUT') && !r.operation['x-emulator-control'])
      .map((r) => ({ operationId: r.operation.operationId, method: r.method, path: r.template.replace(/\{[^}]+\}/g, '1') }));
  const json = { 'content-type': 'application/json' };

  describe('the body parser, before any route', () => {
    test('malformed JSON → 400 SyntaxError on every POST and PUT', async () => {
      for (const w of writes()) {
        const r = await c().raw(w.method, w.path, { headers: json, body: '{"a":' });
        expect([w.operationId, r.status], w.path).toEqual([w.operationId, 400]);
        expect(((await r.json()) as ErrorBody).error).toMatchObject({ status: 400, name: 'SyntaxError' });
      }
    });

    test('a JSON body over 1 MB → 413 PayloadTooLargeError on every POST and PUT', async () => {
      const big = JSON.stringify({ data: { title: 'x'.repeat(1_100_000) } });
      for (const w of writes()) {
        const r = await c().raw(w.method, w.path, { headers: json, body: big });
        expect([w.operationId, r.status], w.path).toEqual([w.operationId, 413]);
        expect(((await r.json()) as ErrorBody).error).toMatchObject({ status: 413, name: 'PayloadTooLargeError', message: 'request entity too large' });
      }
    });
  });

  test('findOne, count, me, the file findOne and delete validate their query: unknown filter key → 400', async () => {
    const v5 = c().target.major === 5;
    const admin = { authorization: `Bearer ${c().target.apiTokens.fullAccess}` };
    const { jwt } = await t.register();
    const cases: Array<[string, string, Record<string, string>]> = [
      ['GET', '/api/users/1', admin],
      ['GET', '/api/users/count', admin],
      ['GET', '/api/users/me', { authorization: `Bearer ${jwt}` }],
      ['GET', '/api/upload/files/1', admin],
      ['DELETE', `/api/articles/${v5 ? 'nope' : '999999'}`, admin],
    ];
    // v5 fetches the caller through the filters too: one that excludes the caller → an empty 204 (v4 ignores them).
    const me = await c().raw('GET', '/api/users/me?filters[id][$eq]=0', { headers: { authorization: `Bearer ${jwt}` } });
    expect(me.status).toBe(v5 ? 204 : 200);
    for (const [method, path, headers] of cases) {
      const r = await c().raw(method, `${path}?filters[nope]=1`, { headers });
      expect([path, r.status]).toEqual([path, 400]);
      expect(((await r.json()) as ErrorBody).error).toMatchObject({ name: 'ValidationError', message: v5 ? 'Invalid key nope' : 'Invalid parameter nope' });
    }
  });
}
