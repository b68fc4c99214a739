import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { createEmulator } from './index.js';
import { UsageError, listen, parseServerArgs } from './server.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
});

const tsxServer = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'emulator', 'server.ts')];

/** Starts `tsx emulator/server.ts` (or `entry`) and resolves with the URL it prints and all it printed so far. */
function start(args: string[], env: Record<string, string>, entry = tsxServer): Promise<{ url: string; child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, out: () => out });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

test('PORT=1400 serves on 1400; EMULATOR_API_TOKEN seeds a full-access token; the process stops on SIGTERM', async () => {
  const { url, child } = await start([], { PORT: '1400', EMULATOR_API_TOKEN: 'token-from-env', STRAPI_VERSION: '4' });
  expect(url).toBe('http://127.0.0.1:1400');
  const roles = await fetch('http://127.0.0.1:1400/api/users-permissions/roles', { headers: { authorization: 'Bearer token-from-env' } });
  expect(roles.status).toBe(200);
  const body = (await roles.json()) as { roles: Array<Record<string, unknown>> };
  expect(body.roles[0]).not.toHaveProperty('documentId'); // Strapi 4 shape
  expect((await fetch('http://127.0.0.1:1400/api/users-permissions/roles')).status).toBe(403);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await expect(fetch('http://127.0.0.1:1400/api/articles')).rejects.toThrow();
}, 60_000);

const banner = (url: string, extra: string[] = [], log = 'one line per request, as Strapi prints it (--quiet to silence)') =>
  [
    `Strapi v5 emulator listening on ${url}`,
    '  Strapi 5.54.0 · no project: the default content types',
    '  content types: api::article.article (0 documents), api::greeting.greeting (single type, 0 documents), api::post.post (0 documents)',
    '  locales: en (default)',
    ...extra,
    `  request log: ${log}`,
  ].join('\n');

test('the bundle `npm start` runs (dist/server.js) prints its banner and a Strapi log line per request, and writes nothing', async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet', '--if-stale', '--no-types'], { cwd: root });
  const before = statSync(join(root, 'spec', 'dist', 'strapi-v5.json')).mtimeMs;
  const { url, out } = await start(['--port', '0'], {}, [join(root, 'dist', 'server.js')]);
  expect((await fetch(`${url}/api/articles?sort=title`)).status).toBe(200);
  await fetch(`${url}/_emulator/ui`);
  expect((await fetch(`${url}/api/nope`, { method: 'POST' })).status).toBe(405);
  await expect.poll(() => out()).toMatch(/POST \/api\/nope/);
  const lines = out().split('\n');
  expect(lines.slice(0, 7).join('\n')).toBe(banner(url, ['  seeded: 2 roles, 0 users, 0 API tokens, 0 documents, 0 files', `  inspector: ${url}/_emulator/ui`]));
  // Strapi's own format (winston, local time): "[2026-12-03 13:21:02.233] http: GET /api/articles?x=1 (17 ms) 200".
  expect(lines.slice(7)).toEqual([expect.stringMatching(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] http: GET \/api\/articles\?sort=title \(\d+ ms\) 200$/), expect.stringMatching(/\] http: POST \/api\/nope \(\d+ ms\) 405$/), '']);
  // A module's "am I the entry?" check must not fire inside the bundle (spec/build.ts once rewrote spec/dist on every start).
  expect(statSync(join(root, 'spec', 'dist', 'strapi-v5.json')).mtimeMs).toBe(before);
}, 60_000);

test('flags win over the environment', async () => {
  const { url } = await start(['--port', '0', '--strapi', '5', '--api-token=flag-token'], { PORT: '1400', EMULATOR_API_TOKEN: 'env-token' });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(url).not.toBe('http://127.0.0.1:1400');
  expect((await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer flag-token' } })).status).toBe(200);
  expect((await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer env-token' } })).status).toBe(401);
}, 60_000);

test('--host 0.0.0.0: the start line says the control API needs a token and prints it with the inspector link; /api stays open', async () => {
  // Bound on every interface for a moment, but every request below goes to 127.0.0.1.
  const { url, out } = await start(['--port', '0', '--host', '0.0.0.0'], {});
  const port = new URL(url).port;
  const local = `http://127.0.0.1:${port}`;
  await expect.poll(() => out()).toMatch(/inspector: /);
  const lines = out().split('\n');
  expect(lines[0]).toBe(`Strapi v5 emulator listening on ${url} (beyond loopback: the control API and the inspector need the control token)`);
  const at = lines.findIndex((l) => l.startsWith('  control token'));
  expect(lines.some((l) => l.startsWith('  inspector: http://0.0.0.0'))).toBe(false);
  const token = /^  control token: ([A-Za-z0-9_-]{32}), sent as the X-Emulator-Control-Token header$/.exec(lines[at])?.[1];
  expect(token, lines[at]).toBeDefined();
  expect(lines[at + 1]).toMatch(new RegExp(`^  inspector: http://[0-9.]+:${port}/_emulator/ui\\?token=${token}$`));
  expect((await fetch(`${local}/api/articles`)).status).toBe(200);
  expect((await fetch(`${local}/_emulator/outbox`)).status).toBe(401);
  expect((await fetch(`${local}/_emulator/outbox`, { headers: { 'x-emulator-control-token': token! } })).status).toBe(200);
}, 60_000);

test('--control-token on loopback: required, and not printed', async () => {
  const { url, out } = await start(['--port', '0'], { EMULATOR_CONTROL_TOKEN: 'env-control-token-0123' });
  await expect.poll(() => out()).toMatch(/inspector: /);
  expect(out()).toBe(
    `${banner(url, ['  seeded: 2 roles, 0 users, 0 API tokens, 0 documents, 0 files'])}\n  control token: the one given (--control-token / EMULATOR_CONTROL_TOKEN), sent as the X-Emulator-Control-Token header\n  inspector: ${url}/_emulator/ui?token=<control token>\n`,
  );
  expect((await fetch(`${url}/_emulator/outbox`)).status).toBe(401);
  expect((await fetch(`${url}/_emulator/outbox`, { headers: { 'x-emulator-control-token': 'env-control-token-0123' } })).status).toBe(200);
}, 60_000);

test('--quiet (or EMULATOR_QUIET=1): no log line; the banner lists seeded tokens and counts', async () => {
  const { url, out } = await start(['--port', '0', '--quiet', '--api-token', 'banner-token'], {});
  expect((await fetch(`${url}/api/articles`)).status).toBe(200);
  await new Promise((done) => setTimeout(done, 200));
  expect(out()).toBe(`${banner(url, ['  seeded: 2 roles, 0 users, 1 API token, 0 documents, 0 files', '  API token "emulator" (full-access): Authorization: Bearer banner-token', `  inspector: ${url}/_emulator/ui`], 'off (--quiet)')}\n`);
  expect(parseServerArgs([], { EMULATOR_QUIET: '1' }).quiet).toBe(true);
  expect(parseServerArgs(['--watch'], {}).watch).toBe(true);
  expect(() => parseServerArgs(['--watch', '--data', 'x.json'], {})).toThrow(/cannot be combined/);
}, 60_000);

test('--watch: an edited schema is served without a restart, the documents kept; a broken one keeps the last good world', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-watch-'));
  const write = (attributes: Record<string, unknown>) => {
    mkdirSync(join(dir, 'book'), { recursive: true });
    writeFileSync(join(dir, 'book', 'schema.json'), JSON.stringify({ kind: 'collectionType', collectionName: 'books', info: { singularName: 'book', pluralName: 'books', displayName: 'Book' }, options: { draftAndPublish: false }, attributes }));
  };
  try {
    write({ title: { type: 'string' } });
    const { url, out } = await start(['--port', '0', '--watch', '--quiet', '--content-types', dir, '--api-token', 'watch-token', '--public', 'find'], {});
    await expect.poll(() => out()).toContain('  watching the schemas and config for changes (--watch)');
    const post = await fetch(`${url}/api/books`, { method: 'POST', headers: { authorization: 'Bearer watch-token', 'content-type': 'application/json' }, body: JSON.stringify({ data: { title: 'Kept' } }) });
    expect(post.status).toBe(201);
    write({ title: { type: 'string' }, pages: { type: 'integer', default: 100 } });
    await expect.poll(() => out(), { timeout: 10_000 }).toMatch(/\[strapi-emulator\] {3}api::book\.book: attribute pages added \(1 rows get its default 100\)/);
    const books = (await (await fetch(`${url}/api/books`)).json()) as { data: Array<Record<string, unknown>> };
    expect(books.data.map((b) => [b.title, b.pages])).toEqual([['Kept', 100]]);
    writeFileSync(join(dir, 'book', 'schema.json'), '{ "kind": ');
    await expect.poll(() => out(), { timeout: 10_000 }).toMatch(/reload failed \(.*\), still serving the last good schemas: content type schema .*schema\.json/);
    expect((await fetch(`${url}/api/books`)).status).toBe(200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('argument parsing', () => {
  expect(parseServerArgs([], {})).toEqual({ port: 1337, host: '127.0.0.1', emulator: { strapi: 5 } });
  expect(parseServerArgs(['--admin', 'a@example.com:pa:ss', '--admin=b@example.com:x'], {}).emulator.admins).toEqual([{ email: 'a@example.com', password: 'pa:ss' }, { email: 'b@example.com', password: 'x' }]);
  expect(parseServerArgs([], { EMULATOR_ADMINS: 'c@example.com:y' }).emulator.admins).toEqual([{ email: 'c@example.com', password: 'y' }]);
  expect(() => parseServerArgs(['--admin', 'nopassword'], {})).toThrow('admin must be EMAIL:PASSWORD, got "nopassword"');
  expect(parseServerArgs(['--host', '0.0.0.0', '--jwt-secret', 's'], { PORT: '9' })).toEqual({ port: 9, host: '0.0.0.0', emulator: { strapi: 5, jwtSecret: 's' } });
  expect(parseServerArgs(['--explain-crashes'], {}).emulator.strapiCrashes).toBe('explain');
  expect(parseServerArgs([], { EMULATOR_EXPLAIN_CRASHES: '1' }).emulator.strapiCrashes).toBe('explain');
  expect(parseServerArgs([], {}).emulator.strapiCrashes).toBeUndefined();
  expect(() => parseServerArgs(['--strapi', '3'], {})).toThrow(UsageError);
  expect(() => parseServerArgs(['--port', 'x'], {})).toThrow(UsageError);
  expect(() => parseServerArgs(['--nope'], {})).toThrow(UsageError);
});

test('auth flags: JWT algorithm, the refresh cookie, OAuth providers', () => {
  const parsed = parseServerArgs(['--jwt-algorithm', 'HS384', '--refresh-cookie', '--provider', 'github,cid,sec,http://localhost:3000/cb', '--provider=google,g,s,http://localhost:3000/g'], {});
  expect(parsed.emulator).toMatchObject({
    jwtAlgorithm: 'HS384',
    sessions: { httpOnly: true },
    providers: { github: { enabled: true, key: 'cid', secret: 'sec', callback: 'http://localhost:3000/cb' }, google: { enabled: true, key: 'g', secret: 's', callback: 'http://localhost:3000/g' } },
  });
  expect(parseServerArgs([], { JWT_ALGORITHM: 'HS512', EMULATOR_REFRESH_COOKIE: '1' }).emulator).toMatchObject({ jwtAlgorithm: 'HS512', sessions: { httpOnly: true } });
  expect(() => parseServerArgs(['--jwt-algorithm', 'none'], {})).toThrow(/jwt-algorithm must be one of/);
  expect(() => parseServerArgs(['--provider', 'github,cid'], {})).toThrow(/NAME,KEY,SECRET,CALLBACK_URL/);
});

test('the client address comes from the socket: rate-limit buckets are per address', async () => {
  const emulator = createEmulator({ bcryptCost: 4, rateLimit: { max: 1 } });
  const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
  try {
    const login = () => fetch(`${server.url}/api/auth/local`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"identifier":"a","password":"b"}' });
    expect((await login()).status).toBe(400);
    expect((await login()).status).toBe(429);
    expect(emulator.control.rateLimitState()[0].key).toBe('noIdentifier:/api/auth/local:127.0.0.1|127.0.0.1');
  } finally {
    await server.close();
  }
});

test('a broken content-type folder stops the server with the file and the reason, not a stack trace', async () => {
  const failure = start(['--port', '0', '--content-types', join(root, 'no-such-project')], {});
  const error = (await failure.catch((e: Error) => e)) as Error;
  expect(error.message).toMatch(/server exited with 1: strapi-emulator: content type schema \S*no-such-project: cannot read the folder \(ENOENT\)\n$/);
}, 60_000);
