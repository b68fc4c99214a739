// Uniqueness under concurrency, as real Strapi keeps it (its database serialises the writes):
// of concurrent writes that claim one username, email or uid value, exactly one succeeds and
// the others get the answer a later sequential write would get.
import { describe, expect, test } from 'vitest';
import * as sdk from '../../clients/v5/sdk/index.js';
import type { Client } from '../../clients/v5/sdk/client/index.js';
import type { Contract } from '../target.js';

export type ConcurrencyContext = { contract(): Contract; admin(): Client; anon(): Client; uid(): string; authenticatedRoleId(): number };

type Outcome = { response: Response; error?: unknown };
/** `"<status> <error name>: <message>"` (or `"<status> ok"`) → how many answers had it. */
function answers(results: Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const error = (r.error as { error?: { name: string; message: string } } | undefined)?.error;
    const key = `${r.response.status} ${error ? `${error.name}: ${error.message}` : 'ok'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export function concurrencyScenarios(t: ConcurrencyContext): void {
  const v5 = () => t.contract().target.major === 5;
  const password = 'Passw0rd!';
  const newUser = (body: { username: string; email: string; password?: string }) => sdk.usersCreate({ client: t.admin(), body: { password, role: t.authenticatedRoleId(), ...body } });
  const usersWhere = async (filters: Record<string, unknown>) => (await sdk.usersFind({ client: t.admin(), query: { filters } as never })).data as Array<{ id: number; username: string; email: string }>;

  describe('uniqueness under concurrency', () => {
    test('30 concurrent POST /api/users with one email: one 201, 29 × 400 "Email already taken"; one user stored', async () => {
      const email = `${t.uid()}@example.com`;
      const results = await Promise.all(Array.from({ length: 30 }, () => newUser({ username: `c${t.uid()}`, email })));
      expect(answers(results)).toEqual({ '201 ok': 1, '400 ApplicationError: Email already taken': 29 });
      expect(await usersWhere({ email: { $eq: email } })).toHaveLength(1);
    });

    test('30 concurrent POST /api/users with one username: one 201, 29 × 400 "This attribute must be unique"', async () => {
      const username = `c${t.uid()}`;
      const results = await Promise.all(Array.from({ length: 30 }, () => newUser({ username, email: `${t.uid()}@example.com` })));
      expect(answers(results)).toEqual({ '201 ok': 1, '400 ApplicationError: This attribute must be unique': 29 });
      expect(await usersWhere({ username: { $eq: username } })).toHaveLength(1);
    });

    test('two concurrent PUTs renaming two users to one username (or email, with a password to hash): one 200, one 400; the winner holds it', async () => {
      const a = (await newUser({ username: `a${t.uid()}`, email: `${t.uid()}@example.com` })).data as { id: number };
      const b = (await newUser({ username: `b${t.uid()}`, email: `${t.uid()}@example.com` })).data as { id: number };
      const cases: Array<[Record<string, string>, string, string]> = [
        [{ username: `t${t.uid()}` }, 'username', 'Username already taken'],
        [{ email: `${t.uid()}@example.com` }, 'email', 'Email already taken'],
        [{ username: `p${t.uid()}`, password: 'Other0ne!' }, 'username', 'Username already taken'],
      ];
      for (const [body, field, message] of cases) {
        const results = await Promise.all([a, b].map((u) => sdk.usersUpdate({ client: t.admin(), path: { id: u.id }, body })));
        expect(answers(results), field).toEqual({ '200 ok': 1, [`400 ApplicationError: ${message}`]: 1 });
        const winner = results.find((r) => r.response.status === 200)!.data as { id: number };
        expect((await usersWhere({ [field]: { $eq: body[field] } })).map((u) => u.id)).toEqual([winner.id]);
      }
    });

    test('10 concurrent registrations with one username: one 200, 9 × 400 "Email or Username are already taken"', async () => {
      const client = t.anon();
      const username = `r${t.uid()}`;
      const results = await Promise.all(Array.from({ length: 10 }, () => sdk.authLocalRegister({ client, body: { username, email: `${t.uid()}@example.com`, password } })));
      expect(answers(results)).toEqual({ '200 ok': 1, '400 ApplicationError: Email or Username are already taken': 9 });
      expect(await usersWhere({ username: { $eq: username } })).toHaveLength(1);
    });

    test('a uid attribute (article slug): 10 concurrent creates with one slug → one stored, 9 × 400; two concurrent updates to one slug → one 200, one 400', async () => {
      const slug = `s${t.uid()}`;
      const create = (title: string, s: string) => sdk.articlesCreate({ client: t.admin(), body: { data: { title, slug: s } } as never });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => create(`T ${i}`, slug)));
      expect(answers(results)).toEqual({ [`${v5() ? 201 : 200} ok`]: 1, '400 ValidationError: This attribute must be unique': 9 });
      const refused = results.find((r) => r.response.status === 400)!.error as { error: { details: unknown } };
      expect(refused.error.details).toEqual({ errors: [{ path: ['slug'], message: 'This attribute must be unique', name: 'ValidationError', ...(v5() ? { value: slug } : {}) }] });
      const stored = await sdk.articlesFind({ client: t.admin(), query: { filters: { slug: { $eq: slug } } } as never });
      expect(stored.data!.data).toHaveLength(1);

      type Entry = { id: number; documentId?: string };
      const key = (r: { data?: unknown }) => {
        const e = (r.data as { data: Entry }).data;
        return v5() ? e.documentId! : String(e.id);
      };
      const x = key(await create('X', `x${t.uid()}`));
      const y = key(await create('Y', `y${t.uid()}`));
      const target = `z${t.uid()}`;
      const updates = await Promise.all([x, y].map((id) => sdk.articlesUpdate({ client: t.admin(), path: { id }, body: { data: { slug: target } } as never })));
      expect(answers(updates)).toEqual({ '200 ok': 1, '400 ValidationError: This attribute must be unique': 1 });
      const after = await sdk.articlesFind({ client: t.admin(), query: { filters: { slug: { $eq: target } } } as never });
      expect(after.data!.data).toHaveLength(1);
    });
  });
}
