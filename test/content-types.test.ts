import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildSpec } from '../spec/build.js';
import { SchemaFileError, loadStrapiSchemas } from '../spec/content-types.js';
import { SpecValidator } from '../contracts/validate.js';

const project = join(import.meta.dirname, 'fixtures', 'strapi-project');

describe("a Strapi project's own content types", () => {
  const schemas = loadStrapiSchemas([project]);

  test('are found with their uids, components included', () => {
    expect(schemas.contentTypes.map((c) => c.uid).sort()).toEqual(['api::category.category', 'api::homepage.homepage', 'api::page.page']);
    expect(schemas.components.map((c) => c.uid).sort()).toEqual(['blocks.hero', 'shared.seo']);
  });

  test('become routes: collection types by plural name, single types by singular name', () => {
    const spec = buildSpec(5, schemas);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/pages', '/api/pages/{id}', '/api/categories', '/api/categories/{id}', '/api/homepage']));
    expect(spec.paths['/api/homepage'].get!.operationId).toBe('homepageFind');
  });

  test.each([4, 5] as const)('v%i answers with relations, media, components and dynamic zones validate', (major) => {
    const validator = new SpecValidator(buildSpec(major, schemas));
    const stamp = '2026-01-01T00:00:00.000Z';
    const plain = { title: 'Hi', slug: 'hi', content: [], views: '12', rating: 4.5, featured: true, publishOn: '2026-01-02', opensAt: '09:30:00.000', meta: { any: ['thing'] }, contact: 'a@b.co', createdAt: stamp, updatedAt: stamp, publishedAt: stamp, locale: 'en' };
    const seo = { id: 1, metaTitle: 'T', image: major === 5 ? null : { data: null } };
    const relationMany = major === 5 ? [{ id: 2, documentId: 'c1', name: 'News', rank: 1, kind: 'news', createdAt: stamp, updatedAt: stamp, publishedAt: stamp }] : { data: [{ id: 2, attributes: { name: 'News', rank: 1, kind: 'news', createdAt: stamp, updatedAt: stamp } }] };
    const page = { ...plain, seo, sections: [{ id: 3, __component: 'blocks.hero', heading: 'H' }, { ...seo, __component: 'shared.seo' }], categories: relationMany };
    const body = { data: major === 5 ? { id: 1, documentId: 'p1', ...page } : { id: 1, attributes: page }, meta: {} };
    const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    const path = major === 5 ? '/api/pages/p1' : '/api/pages/1';
    expect(validator.check({ method: 'GET', url: `http://h${path}`, status: 200, headers: json, body: JSON.stringify(body) }).violations).toEqual([]);
    // An optional enumeration left empty is null; a value outside the enum is not an answer.
    const category = (kind: unknown) => ({ data: major === 5 ? { id: 2, documentId: 'c1', name: 'N', rank: 1, kind, createdAt: stamp, updatedAt: stamp, publishedAt: stamp } : { id: 2, attributes: { name: 'N', rank: 1, kind, createdAt: stamp, updatedAt: stamp } }, meta: {} });
    const categoryPath = major === 5 ? '/api/categories/c1' : '/api/categories/2';
    expect(validator.check({ method: 'GET', url: `http://h${categoryPath}`, status: 200, headers: json, body: JSON.stringify(category(null)) }).violations).toEqual([]);
    expect(validator.check({ method: 'GET', url: `http://h${categoryPath}`, status: 200, headers: json, body: JSON.stringify(category('other')) }).violations).not.toEqual([]);
    // Private attributes and passwords never belong in an answer.
    const leaked = major === 5 ? { ...body, data: { ...body.data, secret: 'x' } } : { ...body, data: { id: 1, attributes: { ...page, notes: 'x' } } };
    expect(validator.check({ method: 'GET', url: `http://h${path}`, status: 200, headers: json, body: JSON.stringify(leaked) }).violations.join()).toMatch(/additional properties/);
  });
});

describe('broken schema files are reported with the file and the reason', () => {
  function projectWith(schema: unknown, component?: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'ct-'));
    mkdirSync(join(dir, 'src/api/thing/content-types/thing'), { recursive: true });
    writeFileSync(join(dir, 'src/api/thing/content-types/thing/schema.json'), typeof schema === 'string' ? schema : JSON.stringify(schema));
    if (component) {
      mkdirSync(join(dir, 'src/components/shared'), { recursive: true });
      writeFileSync(join(dir, 'src/components/shared/bit.json'), JSON.stringify(component));
    }
    return dir;
  }
  const base = { kind: 'collectionType', info: { singularName: 'thing', pluralName: 'things' }, attributes: { name: { type: 'string' } } };
  const cases: Array<[string, unknown, RegExp]> = [
    ['bad JSON', '{"kind": ', /not valid JSON/],
    ['unknown kind', { ...base, kind: 'table' }, /"kind" must be/],
    ['missing plural name', { ...base, info: { singularName: 'thing' } }, /info.pluralName must be a kebab-case name/],
    ['unknown attribute type', { ...base, attributes: { x: { type: 'strin' } } }, /attribute "x" has unknown type "strin"/],
    ['relation without target', { ...base, attributes: { x: { type: 'relation', relation: 'oneToOne' } } }, /needs a "target"/],
    ['relation to nothing', { ...base, attributes: { x: { type: 'relation', relation: 'oneToOne', target: 'api::nope.nope' } } }, /targets "api::nope.nope"/],
    ['missing component', { ...base, attributes: { x: { type: 'component', component: 'shared.none' } } }, /component "shared.none", which is not defined/],
    ['enumeration without values', { ...base, attributes: { x: { type: 'enumeration' } } }, /needs an "enum" list/],
  ];
  test.each(cases)('%s', (_, schema, reason) => {
    const dir = projectWith(schema);
    let error: unknown;
    try {
      loadStrapiSchemas([dir]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaFileError);
    expect((error as SchemaFileError).file).toContain('schema.json');
    expect((error as Error).message).toMatch(reason);
  });
  test('a folder that does not exist', () => {
    expect(() => loadStrapiSchemas(['/nonexistent/project'])).toThrow(/cannot read the folder \(ENOENT\)/);
  });
});

describe('custom fields and plugin folders', () => {
  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'ct-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(content));
    }
    return dir;
  }
  const thing = (attributes: Record<string, unknown>) => ({ kind: 'collectionType', info: { singularName: 'thing', pluralName: 'things' }, attributes });

  test('a custom field becomes the type its plugin stores; an unknown one json with one warning per uid', () => {
    const dir = dirWith({
      'src/api/thing/content-types/thing/schema.json': thing({ a: { type: 'customField', customField: 'plugin::ckeditor.CKEditor' }, b: { type: 'customField', customField: 'plugin::x.y' }, c: { type: 'customField', customField: 'plugin::x.y' }, d: { type: 'customField', customField: 'plugin::mine.level', options: { enum: ['low', 'high'] } } }),
    });
    const { contentTypes, warnings } = loadStrapiSchemas([dir], { customFields: { 'plugin::mine.level': 'enumeration' } });
    const attrs = contentTypes[0].attributes;
    expect([attrs.a.type, attrs.b.type, attrs.c.type, attrs.d.type, attrs.d.enum]).toEqual(['richtext', 'json', 'json', 'enumeration', ['low', 'high']]);
    expect(warnings).toHaveLength(1);
    expect(warnings![0]).toMatch(/custom field "plugin::x.y" \(b in .*, c in .*\)/);
    expect(() => loadStrapiSchemas([dirWith({ 'src/api/thing/content-types/thing/schema.json': thing({ a: { type: 'customField' } }) })])).toThrow(/attribute "a": a custom field needs "customField"/);
  });

  test('src/extensions and src/plugins hold no api content types', () => {
    const user = { kind: 'collectionType', info: { singularName: 'user', pluralName: 'users' }, attributes: { username: { type: 'string' } } };
    const dir = dirWith({ 'src/api/thing/content-types/thing/schema.json': thing({}), 'src/extensions/users-permissions/content-types/user/schema.json': user, 'src/plugins/p/server/content-types/user/schema.json': user });
    expect(loadStrapiSchemas([dir]).contentTypes.map((c) => c.uid)).toEqual(['api::thing.thing']);
    expect(loadStrapiSchemas([join(dir, 'src')]).contentTypes.map((c) => c.uid)).toEqual(['api::thing.thing']);
  });
});
