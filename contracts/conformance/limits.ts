// Limits, as real Strapi applies them: the auth rate limiter under concurrent requests from one
// address, the query string parser's limits (qs depth 20, 1000 parameters), pagination extremes,
// populate depth and the number of files in one upload.
import qs from 'qs';
import { describe, expect, test } from 'vitest';
import * as sdk from '../../clients/v5/sdk/index.js';
import type { Client } from '../../clients/v5/sdk/client/index.js';
import type { Contract } from '../target.js';

export type LimitsContext = { contract(): Contract; admin(): Client; anon(): Client; uid(): string };

type Outcome = { response: Response; error?: unknown };
/** `"<status> <error name>"` → how many answers had it. */
function tally(results: Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = `${r.response.status} ${(r.error as { error?: { name: string } } | undefined)?.error?.name ?? 'ok'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export function limitScenarios(t: LimitsContext): void {
  const c = () => t.contract();
  const v5 = () => c().target.major === 5;
  const password = 'Passw0rd!';

  describe('rate limit under concurrency (one address, 40 requests at once)', () => {
    test('login: exactly 10 get past the limiter, 30 get 429 with Strapi\'s body', async () => {
      const client = t.anon();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sdk.authLocal({ client, body: { identifier: `nobody${i}@example.com`, password } })));
      expect(tally(results)).toEqual({ '400 ValidationError': 10, '429 RateLimitError': 30 });
      // Each request that passed took its own slot: remaining 9…0, none twice.
      const remaining = results.filter((r) => r.response.status === 400).map((r) => Number(r.response.headers.get('x-ratelimit-remaining')));
      expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const limited = results.find((r) => r.response.status === 429)!;
      expect(limited.error).toEqual({ data: null, error: { status: 429, name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} } });
    });

    test('register, one email: 10 get past the limiter, of which exactly one is created; 30 get 429', async () => {
      const client = t.anon();
      const email = `${t.uid()}@example.com`;
      const results = await Promise.all(Array.from({ length: 40 }, () => sdk.authLocalRegister({ client, body: { username: `c${t.uid()}`, email, password } })));
      expect(tally(results)).toEqual({ '200 ok': 1, '400 ApplicationError': 9, '429 RateLimitError': 30 });
      const users = await sdk.usersFind({ client: t.admin(), query: { filters: { email: { $eq: email } } } });
      expect(users.data).toHaveLength(1);
    });

    test('forgot-password, one email: 10 answered, 30 get 429', async () => {
      const client = t.anon();
      const email = `${t.uid()}@example.com`;
      const results = await Promise.all(Array.from({ length: 40 }, () => sdk.authForgotPassword({ client, body: { email } })));
      expect(tally(results)).toEqual({ '200 ok': 10, '429 RateLimitError': 30 });
    });
  });

  describe('limits of the query string and of uploads', () => {
    const invalid = (key: string) => (v5() ? `Invalid key ${key}` : `Invalid parameter ${key}`);
    const get = (query: string) => c().raw('GET', `/api/articles?${query}`, { headers: { authorization: `Bearer ${c().target.apiTokens.fullAccess}` } });
    const errorOf = async (r: Response) => ((await r.json()) as { error: { name: string; message: string; details: Record<string, unknown> } }).error;

    test('qs parses 20 levels: deeper brackets stay one literal key, which the validator refuses', async () => {
      const nest = (levels: number) => {
        let filters: Record<string, unknown> = { title: { $eq: 'nothing' } };
        for (let i = 0; i < levels; i++) filters = { $and: [filters] };
        return qs.stringify({ filters }, { encodeValuesOnly: true });
      };
      // 9 × `[$and][0]` + `[title][$eq]` = 20 levels: parsed in full.
      expect((await get(nest(9))).status).toBe(200);
      const ten = await get(nest(10));
      expect(ten.status).toBe(400);
      expect(await errorOf(ten)).toMatchObject({ name: 'ValidationError', message: invalid('[title][$eq]') });
      const thirty = await get(nest(30));
      expect(thirty.status).toBe(400);
      expect((await errorOf(thirty)).message).toBe(invalid(`${'[$and][0]'.repeat(20)}[title][$eq]`));
    });

    test('qs reads 1000 parameters: the 1001st is dropped unseen', async () => {
      const padding = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');
      const seen = await get(`${padding(999)}&filters[nope]=1`);
      expect(seen.status).toBe(400);
      expect((await errorOf(seen)).message).toBe(invalid('nope'));
      expect((await get(`${padding(1000)}&filters[nope]=1`)).status).toBe(200);
    });

    test('pagination extremes are clamped, not refused', async () => {
      const cases: Array<[string, Record<string, number>]> = [
        ['pagination[pageSize]=1e9', { page: 1, pageSize: 100 }],
        ['pagination[pageSize]=1000000000', { page: 1, pageSize: 100 }],
        ['pagination[pageSize]=0', { page: 1, pageSize: 1 }],
        ['pagination[pageSize]=-5', { page: 1, pageSize: 1 }],
        ['pagination[page]=-1', { page: 1, pageSize: 25 }],
        ['pagination[page]=1e9', { page: 1e9, pageSize: 25 }],
        ['pagination[limit]=1e9', { start: 0, limit: 100 }],
        // v5 reads -1 as "at least 1"; v4 as "no limit", then capped by maxLimit.
        ['pagination[limit]=-1', { start: 0, limit: v5() ? 1 : 100 }],
        ['pagination[limit]=0', { start: 0, limit: 1 }],
        ['pagination[start]=-1', { start: 0, limit: 25 }],
      ];
      for (const [query, expected] of cases) {
        const r = await get(query);
        expect(r.status, query).toBe(200);
        expect(((await r.json()) as { meta: { pagination: object } }).meta.pagination, query).toMatchObject(expected);
      }
      // Not integers: v5 refuses them (v4 crashes with a 500, as the emulator does: filter-shapes.ts).
      if (v5()) {
        const fraction = await get('pagination[pageSize]=2.5');
        expect(fraction.status).toBe(400);
        expect(await errorOf(fraction)).toMatchObject({ name: 'ValidationError', message: 'convertLimitQueryParams expected a positive integer got 2.5' });
        const start = await get('pagination[start]=abc');
        expect((await errorOf(start)).message).toBe('convertStartQueryParams expected a positive integer got NaN');
      }
    });

    test('populate nests as deep as qs parses (10 relations); v5 refuses the literal remainder, naming its path; v4 ignores it', async () => {
      const chain = (levels: number) => {
        let populate: unknown = true;
        for (let i = levels - 1; i >= 0; i--) populate = { [i === 0 ? 'author' : i % 2 ? 'role' : 'users']: populate === true ? true : { populate } };
        return qs.stringify({ populate }, { encodeValuesOnly: true });
      };
      expect((await get(chain(10))).status).toBe(200);
      const eleven = await get(chain(11));
      const path = 'author.role.users.role.users.role.users.role.users.role';
      if (!v5()) {
        expect(eleven.status).toBe(200);
        return;
      }
      expect(eleven.status).toBe(400);
      expect(await errorOf(eleven)).toMatchObject({ name: 'ValidationError', message: `Invalid key [users] at ${path}`, details: { key: '[users]', path, source: 'query', param: 'populate' } });
      const unknown = await get('populate[author][populate][nope]=true');
      expect(await errorOf(unknown)).toMatchObject({ message: 'Invalid key nope at author', details: { key: 'nope', path: 'author' } });
    });

    test('one upload with 50 files: all stored (formidable 1.x/2.x has no file count limit)', async () => {
      const tag = t.uid();
      const files = Array.from({ length: 50 }, (_, i) => new File([`file ${i}`], `many-${tag}-${i}.txt`, { type: 'text/plain' }));
      const up = await sdk.uploadFiles({ client: t.admin(), body: { files } as never });
      expect(up.response.status).toBe(v5() ? 201 : 200);
      expect(up.data as unknown[]).toHaveLength(50);
    });

    test('multipart parts as formidable reads them: v5 takes a part with a Content-Type as a file, v4 one with a filename; 1000 fields (v4: any number) reach the route', async () => {
      const boundary = `b${t.uid()}`;
      const send = (parts: string[], auth: boolean) =>
        c().send(
          new Request(new URL('/api/upload', c().target.url), {
            method: 'POST',
            body: `${parts.join('')}--${boundary}--\r\n`,
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(auth ? { authorization: `Bearer ${c().target.apiTokens.fullAccess}` } : {}) },
          }),
        );
      const part = (headers: string, value: string) => `--${boundary}\r\n${headers}\r\n\r\n${value}\r\n`;
      const named = `named-${t.uid()}.txt`;
      const filenameOnly = await send([part(`Content-Disposition: form-data; name="files"; filename="${named}"`, 'hello')], true);
      const typeOnly = await send([part('Content-Disposition: form-data; name="files"\r\nContent-Type: text/plain', 'hello')], true);
      const [file, field] = v5() ? [typeOnly, filenameOnly] : [filenameOnly, typeOnly];
      expect(file.status).toBe(v5() ? 201 : 200);
      expect(field.status).toBe(400);
      expect(await errorOf(field)).toMatchObject({ name: 'ValidationError', message: 'Files are empty' });
      const fields = (n: number) => Array.from({ length: n }, (_, i) => part(`Content-Disposition: form-data; name="f${i}"`, 'x'));
      expect((await send(fields(1000), false)).status).toBe(403);
      // v4's formidable 1 has no field limit for multipart. (v5's maxFields: real Strapi answers the
      // 1001st field with a 500 the spec does not document, the emulator with a 400: emulator/http/multipart.test.ts.)
      if (!v5()) expect((await send(fields(1001), false)).status).toBe(403);
    });

    test('files over maxFileSize (200 MB, every file of the request together) → 413 "FileTooBig" from the body parser: before authentication, on any route', async () => {
      const limit = 200 * 1024 * 1024;
      const send = (path: string, files: File[], field: string, auth: boolean) => {
        const form = new FormData();
        for (const f of files) form.append(field, f);
        return c().send(new Request(new URL(path, c().target.url), { method: 'POST', body: form, headers: auth ? { authorization: `Bearer ${c().target.apiTokens.fullAccess}` } : {} }));
      };
      const fileTooBig = { data: null, error: { status: 413, name: 'PayloadTooLargeError', message: 'FileTooBig', details: {} } };
      const half = new File([new Uint8Array(limit / 2 + 1)], 'half.bin');
      const all = new File([new Uint8Array(limit + 1)], 'big.bin');
      for (const [path, files, field, auth] of [
        ['/api/upload', [all], 'files', false],
        ['/api/upload', [half, half], 'files', true],
        ['/api/articles', [all], 'cover', false],
      ] as const) {
        const r = await send(path, [...files], field, auth);
        expect([path, r.status, await r.json()]).toEqual([path, 413, fileTooBig]);
      }
      // Under the limit, an anonymous upload gets as far as the permission check.
      expect((await send('/api/upload', [new File(['x'], 'x.txt')], 'files', false)).status).toBe(403);
      expect(await sdk.uploadFilesFind({ client: t.admin(), query: { filters: { name: { $in: ['half.bin', 'big.bin'] } } } as never }).then((r) => r.data)).toEqual([]);
    }, 120_000);
  });
}
