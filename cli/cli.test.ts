// The CLI as a user runs it: `bin/strapi-emulator.mjs <command>` in a child process (from the
// sources, STRAPI_EMULATOR_SOURCE=1, so a stale dist/ cannot hide a change).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { buildSpec } from '../spec/build.js';
import { loadStrapiSchemas } from '../spec/content-types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'strapi-emulator.mjs');
const project = join(root, 'test', 'fixtures', 'strapi-project');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
});

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, STRAPI_EMULATOR_SOURCE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** `serve …` until it prints its URL. */
function serve(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { cwd: root, env: { ...process.env, STRAPI_EMULATOR_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

/** A loopback port nothing listens on (any more). */
function closedPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  }));
}

/** A one-line error: no stack frames. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('help', () => {
  test('top level and every command', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^usage: strapi-emulator <command>/);
    for (const command of ['serve', 'spec', 'generate', 'check']) expect(top.stdout).toContain(`  ${command} `);
    const helps = await Promise.all(['serve', 'spec', 'generate', 'check'].map((c) => run([c, '--help'])));
    expect(helps.map((h) => h.code)).toEqual([0, 0, 0, 0]);
    expect(helps[0].stdout).toMatch(/--project PATH[\s\S]*--seed FILE[\s\S]*--email-confirmation on\|off[\s\S]*--jwt-management legacy\|refresh/);
    expect(helps[1].stdout).toMatch(/^usage: strapi-emulator spec/);
    expect(helps[2].stdout).toMatch(/^usage: strapi-emulator generate --out DIR/);
    expect(helps[3].stdout).toMatch(/^usage: strapi-emulator check <url>/);
  }, 60_000);

  test('an unknown command or flag: exit 2 and what was wrong', async () => {
    const bogus = await run(['bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/^strapi-emulator: unknown command "bogus"/);
    const flag = await run(['spec', '--nope']);
    expect(flag.code).toBe(2);
    expectOneLine(flag.stderr, /^strapi-emulator spec: unknown argument "--nope"\n$/);
  }, 60_000);
});

describe('serve', () => {
  test('--project answers the project content types; --seed writes roles, users, tokens, documents; reset keeps the seed', async () => {
    const url = await serve(['--project', project, '--seed', join(root, 'test', 'fixtures', 'seed.json'), '--strapi', '5']);
    const auth = { authorization: 'Bearer seed-full-access' };
    const categories = (await (await fetch(`${url}/api/categories?sort=rank`, { headers: auth })).json()) as { data: Array<{ name: string }> };
    expect(categories.data.map((c) => c.name)).toEqual(['News', 'Guides']);
    const page = await fetch(`${url}/api/pages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ data: { title: 'About' } }) });
    expect(page.status).toBe(201);
    const home = await fetch(`${url}/api/homepage`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ data: { headline: 'Hi' } }) });
    expect(home.status).toBe(200);
    const login = await fetch(`${url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'editor', password: 'Passw0rd!' }) });
    expect(login.status).toBe(200);
    expect((await fetch(`${url}/_emulator/reset`, { method: 'POST' })).status).toBe(200);
    expect(((await (await fetch(`${url}/api/pages`, { headers: auth })).json()) as { data: unknown[] }).data).toEqual([]);
    expect(((await (await fetch(`${url}/api/categories`, { headers: auth })).json()) as { data: unknown[] }).data).toHaveLength(2);
    // GET /openapi.json: the document of this project, the same as `spec --project`.
    const served = await (await fetch(`${url}/openapi.json`)).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(buildSpec(5, loadStrapiSchemas([join(project, 'src')])))));
  }, 60_000);

  test('--email-confirmation on, --jwt-management refresh, --webhook', async () => {
    const url = await serve(['--email-confirmation', 'on', '--jwt-management', 'refresh', '--webhook', 'http://127.0.0.1:9/hook']);
    expect(((await (await fetch(`${url}/_emulator/settings`)).json()) as { email_confirmation: boolean }).email_confirmation).toBe(true);
    const registered = (await (await fetch(`${url}/api/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }) })).json()) as { user: { confirmed: boolean } };
    expect(registered.user.confirmed).toBe(false);
    // Refresh mode: /auth/refresh exists (400 without a token, where legacy mode answers 404).
    expect((await fetch(`${url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    const hooks = (await (await fetch(`${url}/_emulator/webhooks`)).json()) as { webhooks: Array<{ url: string }> };
    expect(hooks.webhooks.map((w) => w.url)).toEqual(['http://127.0.0.1:9/hook']);
  }, 60_000);

  test('a wrong path, a broken schema.json, a broken seed: one line naming the file and the reason', async () => {
    const missing = await run(['serve', '--project', '/no/such/project']);
    expect(missing.code).toBe(2);
    expectOneLine(missing.stderr, /^strapi-emulator: --project \/no\/such\/project: no such folder\n/);
    const empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
    const noSrc = await run(['serve', '--project', empty]);
    expect(noSrc.code).toBe(2);
    expectOneLine(noSrc.stderr, /no src\/ folder/);

    const broken = mkdtempSync(join(tmpdir(), 'cli-broken-'));
    const schema = join(broken, 'src', 'api', 'post', 'content-types', 'post', 'schema.json');
    mkdirSync(join(schema, '..'), { recursive: true });
    writeFileSync(schema, '{ "kind": "collectionType", ');
    const bad = await run(['serve', '--project', broken, '--port', '0']);
    expect(bad.code).toBe(1);
    expectOneLine(bad.stderr, new RegExp(`^strapi-emulator: content type schema ${schema.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(`));
    const spec = await run(['spec', '--project', broken]);
    expect(spec.code).toBe(1);
    expectOneLine(spec.stderr, /^strapi-emulator spec: content type schema .*schema\.json: not valid JSON/);

    const seed = join(broken, 'seed.json');
    writeFileSync(seed, JSON.stringify({ users: [{ username: 'ann', email: 'ann@example.com', role: 'ghost' }] }));
    const badSeed = await run(['serve', '--seed', seed, '--port', '0']);
    expect(badSeed.code).toBe(1);
    expectOneLine(badSeed.stderr, /^strapi-emulator: seed file .*seed\.json: users\[0\]: ValidationError: No role "ghost" \(give a role id or type\)\n$/);
    writeFileSync(seed, JSON.stringify({ documents: { 'api::article.article': [{ body: 'no title' }] } }));
    const badDoc = await run(['serve', '--seed', seed, '--port', '0']);
    expectOneLine(badDoc.stderr, /documents\["api::article\.article"\]\[0\]: ValidationError: title must be a `string` type/);
  }, 60_000);

  test('a project file that throws, a bad --custom-field or --public: one line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-code-'));
    const files: Record<string, string> = {
      'src/api/post/content-types/post/schema.json': JSON.stringify({ kind: 'collectionType', info: { singularName: 'post', pluralName: 'posts' }, attributes: { title: { type: 'string' } } }),
      'src/api/post/routes/post.js': "module.exports = require('@strapi/strapi').factories.createCoreRouter('api::post.post', { config: { find: { middlewares: ['api::post.pop'] } } });",
      'src/api/post/middlewares/pop.js': "throw new Error('cannot load');",
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const thrown = await run(['serve', '--project', root, '--port', '0']);
    expect(thrown.code).toBe(1);
    expectOneLine(thrown.stderr, /^strapi-emulator: project file .*pop\.js: throws when loaded \(cannot load\)\n$/);
    const flag = await run(['serve', '--project', root, '--custom-field', 'plugin::x.y']);
    expect(flag.code).toBe(2);
    expectOneLine(flag.stderr, /--custom-field must be UID=TYPE/);
    writeFileSync(join(root, 'src/api/post/middlewares/pop.js'), 'module.exports = () => async (ctx, next) => next();');
    const open = await run(['serve', '--project', root, '--port', '0', '--public', 'lists']);
    expect(open.code).toBe(1);
    expectOneLine(open.stderr, /^strapi-emulator: publicActions: "lists" is not a content-type action/);
    // --public opens the project's types to anonymous callers; --hooks answers what the project's own code would.
    writeFileSync(join(root, 'hooks.ts'), "export default { name: 'top', before: (request: Request, url: URL) => (url.pathname === '/api/posts/top' ? Response.json({ data: 'top' }) : undefined) };");
    const url = await serve(['--project', root, '--public', 'find', '--hooks', join(root, 'hooks.ts')]);
    expect((await fetch(`${url}/api/posts`)).status).toBe(200);
    expect(await (await fetch(`${url}/api/posts/top`)).json()).toEqual({ data: 'top' });
  }, 60_000);
});

describe('spec and generate', () => {
  test('spec prints the project document; --out writes it', async () => {
    const printed = await run(['spec', '--project', project, '--strapi', '4']);
    expect(printed.code).toBe(0);
    const expected = JSON.parse(JSON.stringify(buildSpec(4, loadStrapiSchemas([join(project, 'src')]))));
    expect(JSON.parse(printed.stdout)).toEqual(expected);
    expect(Object.keys(expected.paths)).toEqual(expect.arrayContaining(['/api/pages', '/api/homepage', '/openapi.json']));
    const out = join(mkdtempSync(join(tmpdir(), 'cli-spec-')), 'nested', 'openapi.json');
    const written = await run(['spec', '--out', out]);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/^wrote .*openapi\.json \(OpenAPI 3\.1\.0, \d+ paths\)/);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'spec', 'dist', 'strapi-v5.json'), 'utf8'));
  }, 60_000);

  test('generate writes a typed client for the project; refuses a folder with other files', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cli-generate-')), 'client');
    const r = await run(['generate', '--project', project, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8')).paths).toHaveProperty('/api/categories');
    const sdk = readFileSync(join(out, 'sdk', 'sdk.gen.ts'), 'utf8');
    expect(sdk).toMatch(/export const categoriesFind = /);
    expect(readFileSync(join(out, 'paths.ts'), 'utf8')).toMatch(/^\/\/ Generated by openapi-typescript from openapi\.json; do not edit\.\n[\s\S]*"\/api\/pages\/\{id\}"/);
    // Again into its own output: replaced.
    expect((await run(['generate', '--out', out])).code).toBe(0);
    expect(existsSync(join(out, 'sdk', 'sdk.gen.ts'))).toBe(true);
    const refused = await run(['generate', '--out', project]);
    expect(refused.code).toBe(2);
    expectOneLine(refused.stderr, /--out .*strapi-project: the folder has other files/);
    expect(existsSync(join(project, 'src'))).toBe(true);
  }, 120_000);
});

describe('check', () => {
  test('needs an http(s) URL and a token, and says what is wrong with the target', async () => {
    const notHttp = await run(['check', 'ftp://cms.example.com', '--token', 't']);
    expect(notHttp.code).toBe(2);
    expectOneLine(notHttp.stderr, /not an http\(s\) URL/);
    const noToken = await run(['check', 'http://127.0.0.1:9'], { STRAPI_API_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expectOneLine(noToken.stderr, /check needs a full-access API token: --token T or STRAPI_API_TOKEN/);
    const closed = await closedPort();
    const reports = mkdtempSync(join(tmpdir(), 'check-down-'));
    const down = await run(['check', `http://127.0.0.1:${closed}`, '--token', 't', '--junit', join(reports, 'j.xml'), '--json', join(reports, 'r.json')]);
    expect(down.code).toBe(2);
    // CI still gets a report saying why.
    expect(readFileSync(join(reports, 'j.xml'), 'utf8')).toMatch(/<testcase classname="live.discovery" name="reach the instance and read its content types" time="0.000"><failure message="cannot reach/);
    expect(JSON.parse(readFileSync(join(reports, 'r.json'), 'utf8'))).toMatchObject({ exitCode: 2, notes: [expect.stringMatching(/ECONNREFUSED/)] });
    expect(down.stderr).toMatch(new RegExp(`cannot reach http://127\\.0\\.0\\.1:${closed} \\(GET api/users-permissions/roles: ECONNREFUSED\\)`));
  }, 60_000);

  test('a token the target refuses', async () => {
    const url = await serve(['--api-token', 'good']);
    const r = await run(['check', url, '--token', 'bad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused the token \(401 on GET \/api\/users-permissions\/roles\): give a full-access API token/);
  }, 60_000);

  test('an instance without a readable content-type builder needs --project; with it every type is checked, reports written', async () => {
    const url = await serve(['--api-token', 'good', '--project', project]);
    const without = await run(['check', url, '--token', 'good', '--no-emulator']);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/content-type-builder\/content-types .*--project DIR/);
    const out = mkdtempSync(join(tmpdir(), 'check-reports-'));
    const r = await run(['check', url, '--token', 'good', '--project', project, '--one-address', '--junit', join(out, 'junit.xml'), '--json', join(out, 'check.json')]);
    expect(r.stderr).toMatch(/\[check\] .*: Strapi 5, \d+ content types/);
    expect(r.stdout).toMatch(/\| scenario group .*\| live-v5 .*\| emulator-v5/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'check.json'), 'utf8')) as { exitCode: number; sources: string; targets: Array<{ counts: { passed: number; failed: number } }> };
    expect(report).toMatchObject({ exitCode: 0, sources: 'one' });
    expect(report.targets[0].counts.failed).toBe(0);
    expect(report.targets[0].counts.passed).toBeGreaterThan(20);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="strapi-emulator check" tests="\d+" failures="0"/);
  }, 120_000);

  test('Ctrl-C: the run stops, what it created is removed, exit 2', async () => {
    const url = await serve(['--api-token', 'good', '--project', project]);
    const child = spawn(process.execPath, [bin, 'check', url, '--token', 'good', '--project', project, '--no-emulator'], { cwd: root, env: { ...process.env, STRAPI_EMULATOR_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    // Interrupted once the first group that writes has finished: records exist by then.
    child.stderr!.on('data', (c: Buffer) => {
      const before = stderr;
      stderr += c.toString();
      if (!/\(collection type\): /.test(before) && /\(collection type\): /.test(stderr)) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/interrupted: finishing the current scenario/);
    expect(stdout).toMatch(/note: interrupted: the remaining scenarios were not run/);
    expect(code).toBe(2);
    for (const type of ['categories', 'pages']) {
      const res = await fetch(`${url}/api/${type}?publicationState=preview&status=draft`, { headers: { authorization: 'Bearer good' } });
      expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
    }
  }, 120_000);
});
