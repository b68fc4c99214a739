// Odd shapes under `filters`: keys that name no attribute or operator, nested under an
// attribute, an operator or an id. Strapi validates them (v5 walks into a scalar attribute's
// object, v4 does not), then drops what is left unknown before the database, with any object
// it leaves empty — so some of them filter nothing at all.
import { describe, expect, test } from 'vitest';
import type { Contract } from '../target.js';

export type FilterShapesContext = { contract(): Contract; uid(): string };

type Expected = Array<'alpha' | 'beta'> | { status: 400; message: string; details?: Record<string, unknown> };

export function filterShapeScenarios(t: FilterShapesContext): void {
  const c = () => t.contract();
  const auth = () => ({ authorization: `Bearer ${c().target.apiTokens.fullAccess}` });

  describe('filters: odd shapes', () => {
    test('unknown keys under an attribute, an operator or an id: refused, or dropped with what they leave empty; $null takes any value as a boolean', async () => {
      const v5 = c().target.major === 5;
      const tag = `shape-${t.uid()}`;
      for (const name of ['alpha', 'beta']) {
        const r = await c().raw('POST', '/api/articles', { headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ data: { title: `${tag} ${name}` } }) });
        expect(r.status).toBe(v5 ? 201 : 200);
      }
      const key = (k: string, path: string | null) => ({ status: 400 as const, message: path ? `Invalid key ${k} at ${path}` : `Invalid key ${k}`, details: { key: k, path, source: 'query', param: 'filters' } });
      const param = (k: string) => ({ status: 400 as const, message: `Invalid parameter ${k}` });
      const both: Expected = ['alpha', 'beta'];
      // [probe (under filters[$and][1]), v4, v5]: the probe sits beside a filter on the tag, so other scenarios' articles stay out.
      const cases: Array<[string, Expected, Expected]> = [
        ['[title][k0]=x', both, key('k0', 'title')],
        ['[title][k0][$eq]=x', both, key('k0', 'title')],
        ['[title][$eq][k]=x', both, both],
        ['[title][$not][k]=x', both, key('k', 'title')],
        [`[title][0]=${tag} alpha`, ['alpha'], ['alpha']],
        [`[title][$eq][0]=${tag} alpha&filters[$and][1][title][$eq][1]=${tag} beta`, both, both],
        ['[title][$in][100]=x', both, both],
        ['[title][$contains][100]=x', both, both],
        ['[title][$null][x]=1', [], []],
        ['[title][$null]=abc', [], []],
        ['[title][$notNull]=abc', both, both],
        ['[title][$not][$not][$eq]=' + `${tag} alpha`, ['alpha'], ['alpha']],
        ['[id][k0]=1', param('k0'), key('k0', null)],
        ['[id][$in][100]=1', param('100'), both],
        ['[$eq][k]=1', param('k'), both],
      ];
      for (const [probe, v4Expected, v5Expected] of cases) {
        const path = `/api/articles?filters[$and][0][title][$startsWith]=${encodeURIComponent(tag)}&filters[$and][1]${probe}&pagination[pageSize]=100`;
        const r = await c().raw('GET', path, { headers: auth() });
        const body = (await r.json()) as { data: Array<{ title?: string; attributes?: { title: string } }> | null; error?: { status: number; message: string; details: unknown } };
        const expected = v5 ? v5Expected : v4Expected;
        if (Array.isArray(expected)) {
          expect([probe, r.status], JSON.stringify(body.error)).toEqual([probe, 200]);
          const names = body.data!.map((d) => (d.title ?? d.attributes!.title).slice(tag.length + 1)).sort();
          expect([probe, names]).toEqual([probe, expected]);
        } else {
          expect([probe, r.status]).toEqual([probe, 400]);
          expect([probe, body.error]).toEqual([probe, expect.objectContaining({ name: 'ValidationError', ...expected })]);
        }
      }
    });

    test('list orders as real Strapi returns them: documents without a sort (v5: a republished document moves last), sorted (binary), users, roles (by id, not name), files, the permissions tree', async () => {
      const v5 = c().target.major === 5;
      const tag = `order-${Date.now().toString(36)}`;
      const send = async (method: string, path: string, body?: unknown) => {
        const r = await c().raw(method, path, { headers: { ...auth(), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
        return { status: r.status, body: (r.status === 204 ? null : await r.json()) as any };
      };
      const made: any[] = [];
      for (const name of ['Cherry', 'apple', 'Banana']) made.push((await send('POST', '/api/articles', { data: { title: `${tag} ${name}` } })).body.data);
      await send('PUT', `/api/articles/${v5 ? made[0].documentId : made[0].id}`, { data: { body: 'changed' } });
      const titles = async (q: string) => (await send('GET', `/api/articles?filters[title][$startsWith]=${tag}&${q}`)).body.data.map((d: any) => (d.title ?? d.attributes.title).slice(tag.length + 1));
      expect(await titles('')).toEqual(v5 ? ['apple', 'Banana', 'Cherry'] : ['Cherry', 'apple', 'Banana']);
      expect(await titles('sort=title:asc')).toEqual(['Banana', 'Cherry', 'apple']);
      expect(await titles('sort[0]=title:desc')).toEqual(['apple', 'Cherry', 'Banana']);
      const ids = (list: Array<{ id: number }>) => list.map((x) => x.id);
      const ascending = (list: number[]) => [...list].sort((a, b) => a - b);
      const users = (await send('GET', '/api/users')).body;
      expect(ids(users)).toEqual(ascending(ids(users)));
      for (const name of ['Zeta', 'Alpha']) await send('POST', '/api/users-permissions/roles', { name: `${tag} ${name}`, description: name, permissions: {} });
      const roles = (await send('GET', '/api/users-permissions/roles')).body.roles as Array<{ id: number; name: string }>;
      expect(ids(roles)).toEqual(ascending(ids(roles)));
      expect(roles.filter((r) => r.name.startsWith(tag)).map((r) => r.name)).toEqual([`${tag} Zeta`, `${tag} Alpha`]);
      for (const r of roles.filter((r) => r.name.startsWith(tag))) await send('DELETE', `/api/users-permissions/roles/${r.id}`);
      const files = (await send('GET', '/api/upload/files')).body;
      expect(ids(files)).toEqual(ascending(ids(files)));
      if (v5) {
        const page = (await send('GET', '/api/upload/files/page?pagination[pageSize]=100')).body.data;
        expect(ids(page)).toEqual(ascending(ids(page)));
      }
      const tree = (await send('GET', '/api/users-permissions/permissions')).body.permissions;
      const plugins = v5 ? ['plugin::content-type-builder', 'plugin::email', 'plugin::upload', 'plugin::i18n', 'plugin::users-permissions'] : ['plugin::content-type-builder', 'plugin::email', 'plugin::upload', 'plugin::users-permissions', 'plugin::i18n'];
      expect(Object.keys(tree).filter((k) => k.startsWith('plugin::'))).toEqual(plugins);
      expect(Object.keys(tree)[0].startsWith('api::')).toBe(true);
    });

    test('what crashes real Strapi answers its 500 (Internal Server Error, no details); the emulator marks it with X-Strapi-Emulator-Crash', async () => {
      const v5 = c().target.major === 5;
      const cases: Array<[string, string, 4 | 5 | 'both']> = [
        // $or groups filters of a model, not an attribute's values: the query builder fails.
        ['GET', '/api/articles?filters[title][$or][0][$eq]=x', 'both'],
        // v5's auth controller destructures a body it never got; v4's body parser leaves {} (yup errors).
        ['POST', '/api/auth/local', 5],
        ['GET', '/api/articles?publicationState=bogus', 4],
        ['GET', '/api/users/count?filters[username]=x', 4],
        ['GET', '/api/articles?sort=title:up', 4],
      ];
      for (const [method, path, major] of cases) {
        if (major !== 'both' && major !== (v5 ? 5 : 4)) continue;
        const r = await c().raw(method, path, { headers: auth() });
        const body = await r.json();
        expect([path, r.status, body]).toEqual([path, 500, { data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error' } }]);
        if (c().target.name.startsWith('emulator')) expect(r.headers.get('x-strapi-emulator-crash'), path).toMatch(/\S/);
      }
    });
  });
}
