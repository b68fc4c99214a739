// Filters through users-permissions' own relations, which Strapi answers with joins: a user's
// role, a role's permissions and users, reached from /api/users and from a document's author.
import { describe, expect, test } from 'vitest';
import type { Contract } from '../target.js';

export type JoinsContext = { contract(): Contract; register(): Promise<{ id: number; username: string }>; uid(): string };

export function joinScenarios(t: JoinsContext): void {
  const c = () => t.contract();
  const auth = () => ({ authorization: `Bearer ${c().target.apiTokens.fullAccess}` });
  const get = async (path: string) => {
    const r = await c().raw('GET', path, { headers: auth() });
    expect(r.status, path).toBe(200);
    return r.json() as Promise<unknown>;
  };

  describe('filters through users-permissions relations', () => {
    test("a user's role → its permissions and its users, from /api/users and from an article's author", async () => {
      const v5 = c().target.major === 5;
      const user = await t.register();
      const title = `by ${t.uid()}`;
      const created = await c().raw('POST', '/api/articles', { headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ data: { title, author: user.id } }) });
      expect(created.status).toBe(v5 ? 201 : 200);
      const me = 'plugin::users-permissions.user.me';
      const users = async (filter: string) => ((await get(`/api/users?filters[username]=${user.username}&${filter}`)) as Array<{ username: string }>).map((u) => u.username);
      const articles = async (filter: string) => {
        const body = (await get(`/api/articles?filters[title]=${encodeURIComponent(title)}&${filter}`)) as { data: Array<{ title?: string; attributes?: { title: string } }> };
        return body.data.map((d) => d.title ?? d.attributes!.title);
      };
      // The Authenticated role (a registered user's) is granted users-permissions.user.me.
      expect(await users(`filters[role][permissions][action][$eq]=${me}`)).toEqual([user.username]);
      expect(await users('filters[role][permissions][action][$eq]=nope')).toEqual([]);
      expect(await users('filters[role][permissions][id][$notNull]=true')).toEqual([user.username]);
      expect(await users('filters[role][permissions][$null]=true')).toEqual([]);
      expect(await users(`filters[role][users][username][$eq]=${user.username}`)).toEqual([user.username]);
      expect(await users('filters[role][users][username][$eq]=nobody-at-all')).toEqual([]);
      expect(await articles(`filters[author][role][permissions][action][$eq]=${me}`)).toEqual([title]);
      expect(await articles('filters[author][role][permissions][action][$eq]=nope')).toEqual([]);
      expect(await articles(`filters[author][role][users][username]=${user.username}`)).toEqual([title]);
      expect(await articles('filters[author][role][users][username]=nobody-at-all')).toEqual([]);
    });
  });
}
