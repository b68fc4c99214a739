import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SchemaFileError, loadStrapiSchemas } from '../../spec/content-types.js';
import { type EmulatorOptions, createEmulator } from '../index.js';
import { seederFor } from '../control/seeding.js';
import { envHelper, loadProjectConfig } from './config.js';
import { loadProjectCode } from './code.js';
import { loadHooksFile } from './hooks.js';
import { ProjectFileError } from './evaluate.js';

/** A throwaway Strapi project from { 'path/in/project': content }. */
function project(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'project-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const ct = (singularName: string, pluralName: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ kind: 'collectionType', info: { singularName, pluralName, displayName: singularName }, options: { draftAndPublish: false }, attributes, ...extra });
const post = ct('post', 'posts', { title: { type: 'string' }, tag: { type: 'relation', relation: 'manyToOne', target: 'api::tag.tag' } });
const tag = ct('tag', 'tags', { name: { type: 'string' } });
const base = { 'src/api/post/content-types/post/schema.json': post, 'src/api/tag/content-types/tag/schema.json': tag };
const token = 'T';
const quiet = (lines: string[]) => (line: string) => lines.push(line);

async function start(root: string, options: EmulatorOptions = {}) {
  const lines: string[] = [];
  const e = createEmulator({ project: root, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: quiet(lines), ...options });
  await e.ready;
  const call = async (method: string, path: string, json?: unknown, auth: string | null = token) => {
    const res = await e.app.request(`http://strapi.test${path}`, { method, headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  return { e, lines, call };
}

describe('the default article', () => {
  test('is served only when no project nor folder is given', async () => {
    expect(Object.keys(createEmulator({ onWarning: () => undefined }).spec.paths)).toContain('/api/articles');
    const root = project(base);
    const withProject = createEmulator({ project: root, onWarning: () => undefined });
    expect(Object.keys(withProject.spec.paths)).toEqual(expect.arrayContaining(['/api/posts', '/api/tags']));
    expect(Object.keys(withProject.spec.paths)).not.toContain('/api/articles');
    expect(Object.keys(createEmulator({ contentTypes: [join(root, 'src')], onWarning: () => undefined }).spec.paths)).not.toContain('/api/articles');
  });

  test("a project's own article is its own (no clash with the default)", () => {
    const root = project({ 'src/api/article/content-types/article/schema.json': ct('article', 'articles', { headline: { type: 'string' } }) });
    const e = createEmulator({ project: root, onWarning: () => undefined });
    expect(e.spec.paths['/api/articles']).toBeDefined();
    expect(JSON.stringify(e.spec)).toContain('headline');
    expect(JSON.stringify(e.spec)).not.toContain('"cover"');
  });
});

describe('custom fields', () => {
  const schema = ct('thing', 'things', {
    body: { type: 'customField', customField: 'plugin::ckeditor.CKEditor', options: { preset: 'rich' } },
    color: { type: 'customField', customField: 'plugin::color-picker.color' },
    rating: { type: 'customField', customField: 'plugin::stars.rating' },
    odd: { type: 'customField', customField: 'plugin::odd.field' },
  });
  const files = { 'src/api/thing/content-types/thing/schema.json': schema };

  test('are served as the type their plugin stores: the table, the mapping, json with one warning line', async () => {
    const root = project(files);
    const { e, lines, call } = await start(root, { customFields: { 'plugin::stars.rating': 'integer' } });
    const { contentTypes } = loadStrapiSchemas([join(root, 'src')], { customFields: { 'plugin::stars.rating': 'integer' } });
    expect(Object.fromEntries(Object.entries(contentTypes[0].attributes).map(([k, a]) => [k, a.type]))).toEqual({ body: 'richtext', color: 'string', rating: 'integer', odd: 'json' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: custom field "plugin::odd.field" \(odd in .*schema.json\) is not one the emulator knows: served as json.*--custom-field plugin::odd.field=/);
    const created = await call('POST', '/api/things', { data: { body: '<p>Hi</p>', color: '#ff0000', rating: 4, odd: { any: ['thing'] } } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ body: '<p>Hi</p>', color: '#ff0000', rating: 4, odd: { any: ['thing'] } });
    expect((await call('POST', '/api/things', { data: { rating: 'four' } })).status).toBe(400);
    expect(e.spec.paths['/api/things']).toBeDefined();
  });

  test('a mapping to a type a custom field cannot have is refused at once', () => {
    expect(() => createEmulator({ project: project(files), customFields: { 'plugin::stars.rating': 'relation' }, onWarning: () => undefined })).toThrow(/customFields: "plugin::stars.rating" maps to "relation"/);
  });
});

describe('plugin extensions and local plugins', () => {
  test('src/extensions and src/plugins are not read as api content types', () => {
    const root = project({
      ...base,
      'src/extensions/users-permissions/content-types/user/schema.json': { kind: 'collectionType', collectionName: 'up_users', info: { singularName: 'user', pluralName: 'users' }, attributes: { username: { type: 'string' }, nickname: { type: 'string' } } },
      'src/plugins/mine/server/content-types/thing/schema.json': ct('thing', 'things', {}),
    });
    const e = createEmulator({ project: root, onWarning: () => undefined });
    expect(Object.keys(e.spec.paths).filter((p) => p === '/api/users')).toHaveLength(1);
    expect(Object.keys(e.spec.paths)).not.toContain('/api/things');
    expect(e.config.projectRoot).toBe(root);
    expect(e.project!.notEmulated).toEqual(['local plugin src/plugins/mine']);
  });
});

describe("the project's config/", () => {
  test('env helper reads like Strapi: int, float, bool, json, array, date, defaults', () => {
    const env = envHelper({ N: '12', F: '1.5', B: 'true', J: '{"a":1}', A: '[a, "b" ,c]', D: '2026-01-02T00:00:00.000Z', S: 'x' });
    expect([env('S'), env('NOPE', 'd'), env.int('N'), env.float('F'), env.bool('B'), env.bool('NOPE', false), env.json('J'), env.array('A'), (env.date('D') as Date).toISOString()]).toEqual(['x', 'd', 12, 1.5, true, false, { a: 1 }, ['a', 'b', 'c'], '2026-01-02T00:00:00.000Z']);
    expect(() => envHelper({ J: '{' }).json('J')).toThrow(/Invalid json environment variable J/);
  });

  test('JS and TS, CJS and ESM, functions of { env }, .env under process.env, config/env/<NODE_ENV> over the base', () => {
    const root = project({
      ...base,
      '.env': 'LIMIT=7\nJWT_SECRET=from-dotenv\nEXPIRES=7d\n',
      'config/api.js': "module.exports = ({ env }) => ({ rest: { defaultLimit: env.int('LIMIT', 25), maxLimit: 50, withCount: env.bool('COUNT', true) } });",
      'config/plugins.ts': [
        "import path from 'path';",
        "const here: string = path.basename(__dirname);",
        "export default ({ env }) => ({",
        "  'users-permissions': { config: { jwtSecret: env('JWT_SECRET'), jwt: { expiresIn: env('EXPIRES') }, ratelimit: { max: 3, interval: { min: 2 } }, register: { allowedFields: ['nickname'] }, jwtManagement: 'legacy-support', where: here } },",
        '  upload: { config: { sizeLimit: 1024 } },',
        '  preview: { handler: () => strapi.documents("x") },',
        '});',
      ].join('\n'),
      'config/admin.ts': "export default ({ env }) => ({ auth: { secret: strapi.config.get('x') } });",
      'config/env/production/api.json': { rest: { maxLimit: 10 } },
    });
    const dev = loadProjectConfig(root, { COUNT: 'false' });
    expect(dev.warnings).toEqual([]);
    expect(dev.options).toEqual({ rest: { defaultLimit: 7, maxLimit: 50, withCount: false }, jwtSecret: 'from-dotenv', jwtExpiresIn: '7d', jwtManagement: 'legacy', rateLimit: { max: 3, interval: 120_000 }, registerAllowedFields: ['nickname'], uploadSizeLimit: 1024 });
    expect(loadProjectConfig(root, { NODE_ENV: 'production', LIMIT: '9' }).options.rest).toEqual({ defaultLimit: 9, maxLimit: 10, withCount: true });
    const e = createEmulator({ project: root, onWarning: () => undefined, jwtSecret: 'given' });
    expect(e.config).toMatchObject({ jwtSecret: 'given', jwtExpiresInSeconds: 7 * 86400, rateLimit: { enabled: true, max: 3, interval: 120_000 }, registerAllowedFields: ['nickname'], uploadSizeLimit: 1024 });
  });

  test('api.rest changes list answers', async () => {
    const root = project({ ...base, 'config/api.ts': 'export default { rest: { defaultLimit: 2, maxLimit: 3, withCount: false } };' });
    const { call } = await start(root);
    for (const name of ['a', 'b', 'c', 'd']) await call('POST', '/api/tags', { data: { name } });
    const list = await call('GET', '/api/tags');
    expect(list.body.data).toHaveLength(2);
    expect(list.body.meta.pagination).not.toHaveProperty('total');
    expect((await call('GET', '/api/tags?pagination[pageSize]=10')).body.data).toHaveLength(3);
  });

  test('a config file that cannot be evaluated is one warning naming it; the rest applies', async () => {
    const root = project({ ...base, 'config/api.js': "throw new Error('boom')", 'config/plugins.js': "module.exports = ({ env }) => ({ 'users-permissions': { config: { jwt: { expiresIn: env.json('BAD') } } } });", '.env': 'BAD={\n' });
    const { lines, e } = await start(root, { rest: undefined });
    expect(lines).toEqual([
      expect.stringMatching(/^warning: config .*config\/api.js throws when loaded \(boom\): its settings are not applied$/),
      expect.stringMatching(/^warning: config .*config\/plugins.js throws when called with \{ env \} \(Invalid json environment variable BAD: .*\): its settings are not applied$/),
    ]);
    expect(e.config.jwtExpiresInSeconds).toBe(30 * 86400);
  });

  test('settings that change answers but are not emulated are one warning each', () => {
    const root = project({ ...base, 'config/api.js': "module.exports = { rest: { prefix: '/v1' }, responses: { privateAttributes: ['createdAt'] } };" });
    expect(loadProjectConfig(root, {}).warnings).toEqual(['config api.rest.prefix "/v1" is not emulated: the routes stay under /api', 'config api.responses.privateAttributes (createdAt) is not emulated: only attributes marked private in a schema are hidden']);
  });
});

describe("the project's route code", () => {
  const populate = [
    "import { factories } from '@strapi/strapi';",
    "export default factories.createCoreRouter('api::post.post', { config: {",
    "  find: { middlewares: ['api::post.post-populate'], policies: [() => undefined] },",
    "  update: { policies: [() => null] },",
    "  delete: { policies: [(ctx) => ctx.state.user?.role?.type === 'authenticated' && typeof ctx.state.user.password === 'undefined'] },",
    "  findOne: { middlewares: ['post-populate'], policies: ['api::post.only-mine'] },",
    "  create: { policies: [(ctx) => ctx.request.body?.data?.title !== 'forbidden'] },",
    '} });',
  ].join('\n');
  const files = {
    ...base,
    'src/api/post/routes/post.ts': populate,
    'src/api/post/middlewares/post-populate.ts': "import { populate } from '../../../utils/populate';\nexport default (config, { strapi }) => async (ctx, next) => { ctx.query.populate = populate; await next(); if (ctx.query.wrap) ctx.body = { wrapped: ctx.body }; };",
    'src/utils/populate.ts': 'export const populate: Record<string, boolean> = { tag: true };',
    'src/api/post/policies/only-mine.js': "module.exports = (policyContext) => policyContext.params.id !== 'nope';",
    'src/api/post/controllers/post.ts': "import { factories } from '@strapi/strapi';\nexport default factories.createCoreController('api::post.post', ({ strapi }) => ({ async find(ctx) { return 1; } }));",
    'src/api/post/services/post.ts': "import { factories } from '@strapi/strapi';\nexport default factories.createCoreService('api::post.post');",
    'src/api/post/content-types/post/lifecycles.js': 'module.exports = { beforeCreate() {} };',
    'src/api/tag/routes/custom.js': "module.exports = { routes: [{ method: 'GET', path: '/tags/top', handler: 'tag.top' }] };",
    'src/api/tag/routes/tag.js': "const { createCoreRouter } = require('@strapi/strapi').factories;\nmodule.exports = createCoreRouter('api::tag.tag', { config: { find: { auth: false } } });",
    'src/index.ts': 'export default { register(/* { strapi } */) {}, async bootstrap({ strapi }) { await strapi.db.query("x"); } };',
  };

  test('middlewares change ctx.query before the controller and ctx.body after it; policies answer 403 PolicyError', async () => {
    const { e, call, lines } = await start(project(files), { strapi: 5 });
    const tagged = await call('POST', '/api/tags', { data: { name: 'news' } });
    const created = await call('POST', '/api/posts', { data: { title: 'Hi', tag: tagged.body.data.documentId } });
    expect(created.status).toBe(201);
    expect(created.body.data.tag).toBeUndefined();
    const list = await call('GET', '/api/posts');
    expect(list.status).toBe(200);
    expect(list.body.data[0].tag).toMatchObject({ name: 'news' });
    expect((await call('GET', '/api/posts?wrap=1')).body.wrapped.data[0].tag.name).toBe('news');
    const one = await call('GET', `/api/posts/${created.body.data.documentId}`);
    expect(one.body.data.tag).toMatchObject({ name: 'news' });
    expect(await call('GET', '/api/posts/nope')).toEqual({ status: 403, body: { data: null, error: { status: 403, name: 'PolicyError', message: 'Policy Failed', details: {} } } });
    expect((await call('POST', '/api/posts', { data: { title: 'forbidden' } })).status).toBe(403);
    // As real 5.54.0 answers: a policy answering undefined lets the request through, null does not.
    expect((await call('PUT', `/api/posts/${created.body.data.documentId}`, { data: { title: 'x' } })).body.error.name).toBe('PolicyError');
    // ctx.state.user is the caller with its role, without the password hash.
    expect((await call('DELETE', `/api/posts/${created.body.data.documentId}`)).status).toBe(403);
    await seederFor(e).user({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' });
    await seederFor(e).role({ name: 'Authenticated', permissions: ['api::post.post.delete'] });
    const jwt = (await call('POST', '/api/auth/local', { identifier: 'ann', password: 'Passw0rd!' }, null)).body.jwt;
    expect((await call('DELETE', `/api/posts/${created.body.data.documentId}`, undefined, jwt)).status).toBe(204);
    // auth: false opens the route to anyone, without the Public role's permission.
    expect((await call('GET', '/api/tags', undefined, null)).status).toBe(200);
    expect((await call('GET', '/api/posts', undefined, null)).status).toBe(403);
    expect(lines).toEqual([
      'not emulated: controller api/post/controllers/post.ts; lifecycles api/post/content-types/post/lifecycles.js; custom routes api/tag/routes/custom.js (1); bootstrap() of index.ts',
    ]);
  });

  test("only/except: the core routes left out are unknown paths (as real 5.54.0 answers: GET 404, other methods 405 with Allow)", async () => {
    const root = project({
      ...base,
      'src/api/tag/routes/tag.js': "module.exports = require('@strapi/strapi').factories.createCoreRouter('api::tag.tag', { only: ['find', 'create'] });",
      'src/api/post/routes/post.js': "module.exports = require('@strapi/strapi').factories.createCoreRouter('api::post.post', { except: ['findOne', 'delete'] });",
    });
    const { e } = await start(root);
    const ask = async (method: string, path: string) => {
      const res = await e.app.request(`http://strapi.test${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: method === 'PUT' ? '{"data":{}}' : undefined });
      return `${res.status} ${res.headers.get('allow') ?? ''} ${(await res.text()).slice(0, 40)}`.trim();
    };
    expect([await ask('GET', '/api/tags/x'), await ask('PUT', '/api/tags/x'), await ask('GET', '/api/posts/x'), await ask('DELETE', '/api/posts/x'), await ask('PUT', '/api/posts/x'), await ask('DELETE', '/api/tags')]).toEqual([
      '404  {"data":null,"error":{"status":404,"name',
      '405 HEAD, GET Method Not Allowed',
      '404  {"data":null,"error":{"status":404,"name',
      '405 HEAD, GET, PUT Method Not Allowed',
      '404  {"data":null,"error":{"status":404,"name',
      '405 HEAD, GET, POST Method Not Allowed',
    ]);
    expect((await ask('GET', '/api/posts')).startsWith('200')).toBe(true);
  });

  test('a middleware or policy file that throws, or one a route names that does not exist', () => {
    expect(() => loadProjectCode(join(project({ ...files, 'src/api/post/middlewares/post-populate.ts': "throw new Error('nope');" }), 'src'))).toThrow(ProjectFileError);
    expect(() => loadProjectCode(join(project({ ...files, 'src/api/post/middlewares/post-populate.ts': 'export default () => { throw new Error("factory"); };' }), 'src'))).toThrow(/post-populate.ts: throws when Strapi creates the middleware \(factory\)/);
    expect(() => loadProjectCode(join(project({ ...files, 'src/api/post/routes/post.ts': 'export default {' }), 'src'))).toThrow(/post.ts: syntax error at line 1/);
    const missing = loadProjectCode(join(project({ ...base, 'src/api/post/routes/post.js': "module.exports = require('@strapi/strapi').factories.createCoreRouter('api::post.post', { config: { find: { middlewares: ['global::gone'] } } });" }), 'src'));
    expect(missing.notEmulated).toEqual(['middleware global::gone (find.middlewares[0] of api/post/routes/post.js)']);
  });
});

describe('a broken project is one error naming the file', () => {
  test.each([
    ['broken JSON', { 'src/api/post/content-types/post/schema.json': '{"kind": ' }, SchemaFileError, /schema.json: not valid JSON/],
    ['no src/ folder', { 'README.md': 'hi' }, ProjectFileError, /no src\/ folder/],
  ] as const)('%s', (_, files, kind, reason) => {
    const root = project(files as Record<string, unknown>);
    let error: unknown;
    try {
      createEmulator({ project: root, onWarning: () => undefined });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(reason);
  });
  test('a folder that does not exist', () => {
    expect(() => createEmulator({ project: '/nonexistent/project' })).toThrow(/\/nonexistent\/project: no such folder/);
  });
});

describe('permissions for a dev server', () => {
  test('publicActions: bare names open every served type, full actions one; single types have no findOne', async () => {
    const root = project({ ...base, 'src/api/home/content-types/home/schema.json': { ...ct('home', 'homes', { title: { type: 'string' } }), kind: 'singleType' } });
    const { call } = await start(root, { publicActions: ['find', 'api::post.post.findOne'] });
    expect((await call('GET', '/api/tags', undefined, null)).status).toBe(200);
    expect((await call('GET', '/api/posts', undefined, null)).status).toBe(200);
    expect((await call('GET', '/api/home', undefined, null)).status).toBe(404);
    expect((await call('POST', '/api/tags', { data: { name: 'x' } }, null)).status).toBe(403);
    expect(() => createEmulator({ project: root, publicActions: ['api::nope.nope.find'], onWarning: () => undefined })).toThrow(/publicActions: "api::nope.nope.find" is not an action of a served content type/);
    expect(() => createEmulator({ project: root, publicActions: ['list'], onWarning: () => undefined })).toThrow(/publicActions: "list" is not a content-type action/);
  });

  test('a seeded role that names Public or Authenticated grants on it instead of making a second one', async () => {
    const { e, call } = await start(project(base));
    const seed = seederFor(e);
    await seed.role({ name: 'Public', permissions: ['api::tag.tag.find'] });
    await seed.role({ name: 'x', type: 'authenticated', permissions: ['api::post.post.find'] });
    const roles = (await call('GET', '/api/users-permissions/roles')).body.roles as Array<{ name: string; type: string }>;
    expect(roles.map((r) => r.type).sort()).toEqual(['authenticated', 'public']);
    expect((await call('GET', '/api/tags', undefined, null)).status).toBe(200);
    expect((await call('GET', '/api/posts', undefined, null)).status).toBe(403);
  });
});

describe('--hooks FILE', () => {
  test('exports a RequestHook, a list, or a function of the emulator', async () => {
    const root = project({ ...base, 'hooks.ts': "export default (emulator) => [{ name: 'top', before: (request, url) => (url.pathname === '/api/tags/top' ? Response.json({ data: emulator.major }) : undefined) }];", 'bad.js': 'module.exports = { nope: 1 };' });
    const { e, call } = await start(root);
    for (const hook of loadHooksFile(join(root, 'hooks.ts'), e)) e.use(hook);
    expect((await call('GET', '/api/tags/top')).body).toEqual({ data: 5 });
    expect(() => loadHooksFile(join(root, 'bad.js'), e)).toThrow(/bad.js: the default export is not a RequestHook/);
  });
});
