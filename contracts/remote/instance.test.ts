// Discovery from the content-type builder's answers of real Strapi 4.26.2 and 5.54.0 booted with
// contracts/projects/rich (fixtures/rich-ctb-v*.json: their api:: types, the users-permissions and
// upload models, and every component, as GET /api/content-type-builder/* answered a full-access
// token): the folder written from them loads into the same schemas as the project itself, and an
// emulator built from it serves the project's routes and REST settings.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/index.js';
import { richProject } from '../conformance/rich-client.js';
import { discoverInstance, emulatorOptions, fromContentTypeBuilder, fromProject, schemasOf, writeProject } from './instance.js';

const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'discovered-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const fixture = (major: 4 | 5) => JSON.parse(readFileSync(new URL(`./fixtures/rich-ctb-v${major}.json`, import.meta.url), 'utf8'));
/** What matters of a schema set: per uid, kind, names, options and each attribute's type and target. */
function shape(schemas: ReturnType<typeof schemasOf>) {
  const attrs = (a: Record<string, { type: string; target?: string; component?: string; components?: string[]; repeatable?: boolean; multiple?: boolean }>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [v.type, v.target, v.component, v.components, v.repeatable, v.multiple]]));
  return {
    types: Object.fromEntries(schemas.contentTypes.map((c) => [c.uid, { kind: c.kind, info: [c.info.singularName, c.info.pluralName], dp: Boolean(c.options?.draftAndPublish), i18n: Boolean(c.pluginOptions?.i18n?.localized), attrs: attrs(c.attributes) }])),
    components: Object.fromEntries(schemas.components.map((c) => [c.uid, attrs(c.attributes)])),
    extensions: Object.fromEntries(Object.entries(schemas.extensions ?? {}).map(([uid, e]) => [uid, attrs(e!.attributes)])),
  };
}

describe.each([4, 5] as const)('discovery from real Strapi %i content-type builder answers', (major) => {
  const { contentTypes, components } = fixture(major);
  const discovered = fromContentTypeBuilder(contentTypes.data, components.data);
  const dir = writeProject({ ...discovered, rest: { defaultLimit: 10, maxLimit: 50, withCount: true } }, tmp());

  it('writes a project that loads into the same schemas as the project itself', () => {
    const own = writeProject({ ...fromProject(richProject), rest: undefined }, tmp());
    expect(shape(schemasOf(dir))).toEqual(shape(schemasOf(own)));
    expect(Object.keys(discovered.extensions)).toEqual(['plugin::users-permissions.user']);
  });

  it('an emulator built from it serves every type with the REST settings', async () => {
    const emulator = createEmulator({ ...emulatorOptions({ url: 'http://x', major, ...discovered, locales: [{ code: 'en', isDefault: true }, { code: 'fr' }], rest: { defaultLimit: 10, maxLimit: 50, withCount: true }, permissions: { public: ['api::tag.tag.find'] }, warnings: [] }, dir), onWarning: () => {} });
    await emulator.ready;
    const res = await emulator.app.request('/api/tags?pagination[pageSize]=1000');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { meta: { pagination: { pageSize: number } } }).meta.pagination.pageSize).toBe(50);
    expect((await emulator.app.request('/api/gadgets')).status).toBe(403);
    const locales = await emulator.app.request('/api/i18n/locales');
    expect(locales.status).toBe(403);
  });
});

describe('discoverInstance', () => {
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  it('says when the token is refused, the host is unreachable, or the builder is not readable', async () => {
    await expect(discoverInstance('http://s.example', 't', { fetch: async () => answer(401, {}) })).rejects.toThrow(/refused the token \(401/);
    await expect(discoverInstance('http://s.example', 't', { fetch: async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }); } })).rejects.toThrow(/cannot reach http:\/\/s.example .*ENOTFOUND/);
    const fetchFn = async (url: string) => (url.endsWith('/roles') ? answer(200, { roles: [] }) : answer(404, { data: null }));
    await expect(discoverInstance('http://s.example/', 't', { fetch: fetchFn })).rejects.toThrow(/404 to GET \/api\/content-type-builder\/content-types.*--project DIR/);
  });

  it('reads the major, locales, REST settings and permissions with GET requests only', async () => {
    const { contentTypes, components } = fixture(5);
    const methods = new Set<string>();
    const fetchFn = async (url: string, init?: RequestInit) => {
      methods.add(init?.method ?? 'GET');
      const u = new URL(url);
      if (u.pathname === '/api/users-permissions/roles') return answer(200, { roles: [{ id: 2, documentId: 'x', type: 'public' }] });
      if (u.pathname === '/api/users-permissions/roles/2') return answer(200, { role: { permissions: { 'api::tag': { controllers: { tag: { find: { enabled: true }, create: { enabled: false } } } } } } });
      if (u.pathname.endsWith('/content-types')) return answer(200, contentTypes);
      if (u.pathname.endsWith('/components')) return answer(200, components);
      if (u.pathname === '/api/i18n/locales') return answer(200, [{ id: 1, code: 'en', name: 'English (en)', isDefault: true }]);
      const pageSize = Number(u.searchParams.get('pagination[pageSize]') ?? 25);
      return answer(200, { data: [], meta: { pagination: { page: 1, pageSize: Math.min(pageSize, 100), pageCount: 0 } } });
    };
    const found = await discoverInstance('http://s.example', 't', { fetch: fetchFn });
    expect([...methods]).toEqual(['GET']);
    expect(found.major).toBe(5);
    expect(found.locales).toEqual([{ code: 'en', name: 'English (en)', isDefault: true }]);
    expect(found.rest).toEqual({ defaultLimit: 25, maxLimit: 100, withCount: false });
    expect(found.permissions).toEqual({ public: ['api::tag.tag.find'] });
  });
});
