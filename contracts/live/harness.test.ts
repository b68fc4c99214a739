// How the harness assembles a real Strapi app from a project folder (no Strapi is booted here;
// `npm run contracts` boots the rich project on both majors).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { writeProject } from './harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'harness-test-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const schema = (name: string, attributes: Record<string, unknown> = { title: { type: 'string' } }) =>
  JSON.stringify({ kind: 'collectionType', info: { singularName: name, pluralName: `${name}s` }, attributes });

test('a TypeScript project: its code becomes CommonJS, missing core files are generated, its own are kept', async () => {
  const project = tree({
    'src/api/page/content-types/page/schema.json': schema('page', { title: { type: 'string' }, color: { type: 'customField', customField: 'plugin::color-picker.color' } }),
    'src/api/page/routes/page.ts': "import { factories } from '@strapi/strapi';\nexport default factories.createCoreRouter('api::page.page', { config: { find: { middlewares: ['api::page.page-populate'] } } });\n",
    'src/api/page/middlewares/page-populate.ts': 'export default (config: unknown, { strapi }: { strapi: unknown }) => async (ctx: { query: unknown }, next: () => Promise<void>) => next();\n',
    'src/api/page/routes/page.d.ts': 'export {};\n',
    'src/components/shared/seo.json': JSON.stringify({ info: { displayName: 'Seo' }, attributes: { metaTitle: { type: 'string' } } }),
    'src/extensions/users-permissions/content-types/user/schema.json': schema('user'),
    'src/extensions/users-permissions/admin/app.tsx': 'export default {};\n',
    'src/index.ts': 'export default { register() {}, bootstrap() {} };\n',
    'config/api.ts': 'export default { rest: { defaultLimit: 5, maxLimit: 7 } };\n',
    'config/plugins.ts': "export default ({ env }: { env: unknown }) => ({ 'users-permissions': { config: { jwt: { expiresIn: '1d' } } }, seo: { enabled: true } });\n",
  });
  const app = tree({ 'config/api.js': 'module.exports = {};\n' });
  expect(await writeProject(app, project)).toEqual(['api::page.page']);
  const read = (rel: string) => readFileSync(path.join(app, rel), 'utf8');
  // The project's own router, as CommonJS with its default export (Strapi reads `.default`).
  expect(read('src/api/page/routes/page.js')).toMatch(/createCoreRouter\("api::page\.page"/);
  expect(read('src/api/page/routes/page.js')).toMatch(/module\.exports/);
  expect(existsSync(path.join(app, 'src/api/page/routes/page.d.ts'))).toBe(false);
  expect(existsSync(path.join(app, 'src/api/page/middlewares/page-populate.js'))).toBe(true);
  // No controller or service of its own: the standard core factories.
  expect(read('src/api/page/controllers/page.js')).toContain("factories.createCoreController('api::page.page')");
  expect(read('src/api/page/services/page.js')).toContain("factories.createCoreService('api::page.page')");
  expect(JSON.parse(read('src/components/shared/seo.json')).attributes.metaTitle.type).toBe('string');
  expect(existsSync(path.join(app, 'src/extensions/users-permissions/content-types/user/schema.json'))).toBe(true);
  expect(existsSync(path.join(app, 'src/extensions/users-permissions/admin'))).toBe(false);
  expect(read('config/api.js')).toMatch(/defaultLimit: 5/);
  expect(existsSync(path.join(app, 'config/project-plugins.js'))).toBe(true);
  expect(existsSync(path.join(app, 'src/project-index.js'))).toBe(true);
  // The color picker plugin is not installed: its field is registered as the string it stores.
  expect(JSON.parse(read('src/custom-fields.json'))).toEqual({ 'plugin::color-picker.color': 'string' });
});

test('a folder that is not a Strapi project is refused with its path', async () => {
  const project = tree({ 'README.md': 'nothing here\n' });
  const app = tree({});
  await expect(writeProject(app, project)).rejects.toThrow(`${project}: not a Strapi project (no src/api nor src/extensions)`);
});
