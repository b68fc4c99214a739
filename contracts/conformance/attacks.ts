// Token attacks: forged, tampered, out-of-date and oddly-typed JWTs, revoked API tokens and odd
// Authorization headers, each sent to a route the Public role may use (GET /api/articles) and to
// a protected one (GET /api/users/me), where Strapi's answers differ. Tokens are signed with the
// target's own users-permissions secret, so "valid signature, bad claims" is really tested.
import { SignJWT, base64url } from 'jose';
import { describe, expect, test } from 'vitest';
import * as sdk from '../../clients/v5/sdk/index.js';
import type { Client } from '../../clients/v5/sdk/client/index.js';
import type { Contract } from '../target.js';
import type { ApiTokenAdmin } from './api-tokens.js';

export type Result = { response: Response; error?: unknown; data?: unknown };
export type AttackContext = {
  contract(): Contract;
  apiTokenAdmin(): ApiTokenAdmin;
  admin(): Client;
  as(jwt: string): Client;
  register(): Promise<{ jwt: string; id: number; username: string; email: string }>;
  expectStatus(result: Result, status: number): void;
  expectError(result: Result, status: number, name: string, message?: string | RegExp): void;
};

const MISSING = 'Missing or invalid credentials';
const INVALID = 'Invalid credentials';

export function tokenAttackScenarios(t: AttackContext): void {
  const c = () => t.contract();
  const v5 = () => c().target.major === 5;
  const now = () => Math.floor(Date.now() / 1000);
  const json64 = (value: object) => base64url.encode(JSON.stringify(value));

  function sign(payload: Record<string, unknown>, opts: { secret?: string; alg?: string } = {}): Promise<string> {
    const secret = opts.secret ?? c().target.jwtSecret;
    if (!secret) throw new Error(`${c().target.name} gives no jwtSecret: token attacks need it`);
    return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
  }
  /** A token for `id` (any JSON value), valid for an hour. */
  const withId = (id: unknown) => sign({ id, iat: now(), exp: now() + 3600 });

  /** The token on the public and on the protected route. */
  async function both(token: string): Promise<[Result, Result]> {
    return [await sdk.articlesFind({ client: t.as(token) }), await sdk.usersMe({ client: t.as(token) })];
  }
  async function expectRefused(token: string, message: string, label: string): Promise<void> {
    for (const r of await both(token)) {
      expect(r.response.status, label).toBe(401);
      expect((r.error as { error: { name: string; message: string } }).error, label).toMatchObject({ name: 'UnauthorizedError', message });
    }
  }
  async function expectUser(token: string, id: number, label: string): Promise<void> {
    const [pub, me] = await both(token);
    expect(pub.response.status, label).toBe(200);
    expect(me.response.status, label).toBe(200);
    expect((me.data as { id: number }).id, label).toBe(id);
  }

  describe('auth: token attacks', () => {
    test('forged, tampered or out-of-date JWTs → 401 "Missing or invalid credentials" on public and protected routes; a future iat or no exp is accepted', async () => {
      const u = await t.register();
      const other = await t.register();
      const [header, payload, signature] = u.jwt.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const refused: Record<string, string> = {
        'alg none, no signature': `${json64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        'alg none, signature kept': `${json64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
        'HS256 with another secret': await sign(claims, { secret: 'not-the-secret-of-this-strapi' }),
        'id changed, signature kept': `${header}.${json64({ ...claims, id: other.id })}.${signature}`,
        'exp in the past': await sign({ id: u.id, iat: now() - 7200, exp: now() - 3600 }),
        'nbf in the future': await sign({ id: u.id, iat: now(), nbf: now() + 3600, exp: now() + 7200 }),
        'no id claim': await sign({ iat: now(), exp: now() + 3600 }),
      };
      for (const [label, token] of Object.entries(refused)) await expectRefused(token, MISSING, label);
      // Strapi 5 verifies with algorithms ['HS256']; Strapi 4 passes none, so jsonwebtoken allows every HMAC.
      const hs512 = await sign({ id: u.id, iat: now(), exp: now() + 3600 }, { alg: 'HS512' });
      if (v5()) await expectRefused(hs512, MISSING, 'HS512');
      else await expectUser(hs512, u.id, 'HS512');
      // jsonwebtoken checks iat only against a maxAge (none is set), and exp only when present.
      await expectUser(await sign({ id: u.id, iat: now() + 3600, exp: now() + 7200 }), u.id, 'iat in the future');
      await expectUser(await sign({ id: u.id }), u.id, 'no iat, no exp');
    });

    test('the id claim goes to the database as is: numeric text, lists and operators select a user; other values → "Invalid credentials"; non-operator keys → "Missing or invalid credentials"', async () => {
      const a = await t.register();
      const b = await t.register();
      const selects: Array<[unknown, number]> = [
        [String(a.id), a.id],
        [` ${a.id} `, a.id],
        [`${a.id}.0`, a.id],
        [`${a.id}e0`, a.id],
        [[b.id, a.id], Math.min(a.id, b.id)],
        [[String(b.id)], b.id],
        [{ $in: [b.id] }, b.id],
        [{ $gte: b.id, $lte: b.id }, b.id],
        [{ $not: { $ne: a.id } }, a.id],
      ];
      for (const [id, expected] of selects) await expectUser(await withId(id), expected, JSON.stringify(id));
      // `{}` puts no condition on the id: findOne gives the first user, by id.
      const all = await sdk.usersFind({ client: t.admin(), query: { sort: 'id:asc' } as never });
      const first = all.data![0];
      if (first.blocked) await expectRefused(await withId({}), INVALID, '{}');
      else await expectUser(await withId({}), first.id, '{}');
      const nobody: unknown[] = [null, a.id + 0.5, -a.id, 0, 1e300, 'abc', '', `0x${a.id.toString(16)}`, 'null', [], [null], [{}], [{ $eq: a.id }], { $in: [] }];
      for (const id of nobody) await expectRefused(await withId(id), INVALID, JSON.stringify(id));
      const rejected: unknown[] = [{ id: a.id }, { $or: [{ $eq: a.id }] }, { $foo: 1 }, [{ id: a.id }]];
      for (const id of rejected) await expectRefused(await withId(id), MISSING, JSON.stringify(id));
    });

    test('a blocked or deleted user\'s JWT → 401 "Invalid credentials" on public and protected routes', async () => {
      const blocked = await t.register();
      const deleted = await t.register();
      t.expectStatus(await sdk.usersUpdate({ client: t.admin(), path: { id: blocked.id }, body: { blocked: true } }), 200);
      t.expectStatus(await sdk.usersDestroy({ client: t.admin(), path: { id: deleted.id } }), 200);
      await expectRefused(blocked.jwt, INVALID, 'blocked');
      await expectRefused(deleted.jwt, INVALID, 'deleted');
    });

    test('an API token, once revoked, → 401 "Missing or invalid credentials" everywhere', async () => {
      const token = await t.apiTokenAdmin().create();
      t.expectStatus(await sdk.usersFind({ client: t.as(token.accessKey) }), 200);
      await token.revoke();
      await expectRefused(token.accessKey, MISSING, 'revoked');
      t.expectError(await sdk.usersFind({ client: t.as(token.accessKey) }), 401, 'UnauthorizedError', MISSING);
    });

    test('Authorization header forms: the scheme is case-insensitive and whitespace-split; anything else is anonymous; of two lines the first counts', async () => {
      const u = await t.register();
      const other = await t.register();
      const token = c().target.apiTokens.fullAccess;
      type Expect = { articles: number; me: number | [number, string]; users: number };
      const anonymous: Expect = { articles: 200, me: 403, users: 403 };
      const asUser: Expect = { articles: 200, me: 200, users: 403 };
      const garbage: Expect = { articles: 401, me: [401, MISSING], users: 401 };
      const asToken: Expect = { articles: 200, me: [401, 'Unauthorized'], users: 200 };
      const cases: Array<[string, Array<[string, string]>, Expect]> = [
        ['no scheme', [['authorization', u.jwt]], anonymous],
        ['lower-case bearer', [['authorization', `bearer ${u.jwt}`]], asUser],
        ['BEARER', [['authorization', `BEARER ${u.jwt}`]], asUser],
        ['Bearer alone', [['authorization', 'Bearer']], anonymous],
        ['Bearer, two spaces, a JWT', [['authorization', `Bearer  ${u.jwt}`]], asUser],
        ['Bearer, two spaces, x', [['authorization', 'Bearer  x']], garbage],
        ['Bearer, a tab', [['authorization', `Bearer\t${u.jwt}`]], asUser],
        ['two bearers in one value', [['authorization', `Bearer ${u.jwt}, Bearer ${other.jwt}`]], anonymous],
        ['two lines: JWT then garbage', [['authorization', `Bearer ${u.jwt}`], ['authorization', 'Bearer garbage']], asUser],
        ['two lines: garbage then JWT', [['authorization', 'Bearer garbage'], ['authorization', `Bearer ${u.jwt}`]], garbage],
        ['Basic', [['authorization', `Basic ${Buffer.from('user:pass').toString('base64')}`]], anonymous],
        ['API token without scheme', [['authorization', token]], anonymous],
        ['API token, lower-case bearer', [['authorization', `bearer ${token}`]], asToken],
        ['API token, two spaces', [['authorization', `Bearer  ${token}`]], asToken],
      ];
      for (const [label, lines, want] of cases) {
        for (const [path, expected] of [['/api/articles', want.articles], ['/api/users/me', want.me], ['/api/users', want.users]] as const) {
          const r = await c().rawLines('GET', path, lines);
          const [status, message] = Array.isArray(expected) ? expected : [expected];
          const body = (await r.json()) as { id?: number; error?: { message: string } };
          expect(r.status, `${label} ${path}`).toBe(status);
          if (message) expect(body.error?.message, `${label} ${path}`).toBe(message);
          if (path === '/api/users/me' && status === 200) expect(body.id, label).toBe(u.id);
        }
      }
    });
  });
}
