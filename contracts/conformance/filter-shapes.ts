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
