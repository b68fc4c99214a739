// The real-Strapi harness: installs a minimal real Strapi 4 or 5 app (node_modules cached outside
// the clone, keyed by the template's package-lock.json), assembles a fresh app dir per boot
// (common/ files + the content types of spec/content-types/, or a Strapi project's own types and
// code, + a fresh sqlite DB), boots it with plain `strapi start` on 127.0.0.1, and hands back its
// URL, API tokens and mail outbox file.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { customFieldFallback, knownCustomFields } from '../../spec/custom-fields.js';

export type LiveStrapi = {
  major: 4 | 5;
  url: string;
  apiTokens: { fullAccess: string; readOnly: string };
  /** JSON-lines file the offline email provider appends every sent mail to. */
  mailFile: string;
  jwtSecret: string;
  stop(): Promise<void>;
};

export const liveDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(liveDir, '..', '..');
const specDir = path.join(repoRoot, 'spec');

/** Fixed test secrets (never used outside throwaway local test instances). */
export const TEST_SECRETS = {
  APP_KEYS: 'live-test-app-key-1,live-test-app-key-2,live-test-app-key-3,live-test-app-key-4',
  API_TOKEN_SALT: 'live-test-api-token-salt',
  ADMIN_JWT_SECRET: 'live-test-admin-jwt-secret',
  TRANSFER_TOKEN_SALT: 'live-test-transfer-token-salt',
  JWT_SECRET: 'live-test-users-permissions-jwt-secret',
  // 32 bytes, base64: Strapi 5 uses it to encrypt API token keys at rest.
  ENCRYPTION_KEY: 'bGl2ZS10ZXN0LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=',
} as const;

/**
 * Packages whose declared `engines.node` excludes Node 20 but that Strapi itself pins exactly.
 * Strapi 5.54.0's @strapi/utils pins preferred-pm 5.0.0 (and so which-pm 4.0.0), which declare
 * node >=22.13; Strapi only `import()`s it for package-manager detection in CLI commands, never in
 * `strapi start`. Overriding it would break that import (4.x has no named export), so v5 installs
 * with engine-strict off and any EBADENGINE warning about another package fails the install.
 */
const ENGINE_EXCEPTIONS: Record<4 | 5, string[]> = {
  4: [],
  5: ['preferred-pm@5.0.0', 'which-pm@4.0.0'],
};

const MARKER = '.strapi-live-installed.json';
const BETTER_SQLITE_BINARY = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

const log = (msg: string) => process.stderr.write(`[strapi-live] ${msg}\n`);
const secs = (t0: number) => ((Date.now() - t0) / 1000).toFixed(1);

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'strapi-emulator');
}

function templateDir(major: 4 | 5): string {
  return path.join(liveDir, `v${major}`);
}

/** `${cache}/strapi-emulator/live-v<major>-<first 16 hex of sha256(package-lock.json)>` */
export function installDirFor(major: 4 | 5): string {
  const lock = readFileSync(path.join(templateDir(major), 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  return path.join(cacheRoot(), `live-v${major}-${hash}`);
}

function isInstalled(dir: string): boolean {
  return existsSync(path.join(dir, MARKER)) && existsSync(path.join(dir, BETTER_SQLITE_BINARY));
}

type RunResult = { code: number | null; signal: NodeJS.Signals | null; output: string };

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(opts.logFile);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const onData = (b: Buffer) => {
      out.write(b);
      chunks.push(b.toString());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      out.end();
      resolve({ code, signal, output: chunks.join('') });
    });
  });
}

const tail = (text: string, lines = 40) => text.split('\n').slice(-lines).join('\n');

const installing = new Map<4 | 5, Promise<string>>();

/**
 * Installs the template's exact dependency tree (npm ci from the committed lockfile) into the
 * cache, unless a complete install is already there. Returns that install dir (package.json,
 * package-lock.json, node_modules): the base every boot's app dir links to.
 */
export function installStrapi(major: 4 | 5): Promise<string> {
  let p = installing.get(major);
  if (!p) {
    p = doInstall(major).finally(() => installing.delete(major));
    installing.set(major, p);
  }
  return p;
}

async function doInstall(major: 4 | 5): Promise<string> {
  const dir = installDirFor(major);
  if (isInstalled(dir)) {
    log(`v${major}: using cached install ${dir}`);
    return dir;
  }
  const t0 = Date.now();
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await sweepPartialInstalls(dir);
  // Install into a staging dir; the marker is written last and the dir renamed into place, so an
  // interrupted install is never taken for a complete one (and is redone on the next run).
  const staging = `${dir}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) await fs.copyFile(path.join(templateDir(major), f), path.join(staging, f));
  const strict = ENGINE_EXCEPTIONS[major].length === 0;
  log(`v${major}: installing into ${dir} (npm ci${strict ? ' --engine-strict' : ''}; a few minutes, better-sqlite3 builds from source)`);
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  delete env.NODE_ENV; // NODE_ENV=production would make npm ci omit nothing here, but keep installs identical
  const res = await run('npm', ['ci', `--engine-strict=${strict}`, '--no-audit', '--no-fund'], { cwd: staging, env, logFile: path.join(staging, 'npm-ci.log') });
  if (res.code !== 0) {
    throw new Error(`v${major}: npm ci failed (exit ${res.code ?? res.signal}); log: ${path.join(staging, 'npm-ci.log')}\n${tail(res.output)}`);
  }
  const badEngines = [...res.output.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map((m) => m[1]);
  const unexpected = badEngines.filter((p) => !ENGINE_EXCEPTIONS[major].includes(p));
  if (unexpected.length) throw new Error(`v${major}: packages not supporting ${process.version}: ${unexpected.join(', ')}`);
  if (!existsSync(path.join(staging, BETTER_SQLITE_BINARY))) {
    throw new Error(`v${major}: better-sqlite3 was not built (${BETTER_SQLITE_BINARY} missing; is it in package.json allowScripts?)\n${tail(res.output)}`);
  }
  const probe = await run(process.execPath, ['-e', "const D=require('better-sqlite3');const d=new D(':memory:');process.stdout.write(String(d.prepare('select 41+1 as x').get().x))"], {
    cwd: staging,
    logFile: path.join(staging, 'better-sqlite3-check.log'),
  });
  if (probe.code !== 0 || probe.output.trim() !== '42') throw new Error(`v${major}: better-sqlite3 does not load:\n${tail(probe.output)}`);
  const seconds = Number(secs(t0));
  await fs.writeFile(path.join(staging, MARKER), `${JSON.stringify({ major, node: process.version, installedAt: new Date().toISOString(), seconds }, null, 2)}\n`);
  try {
    await fs.rm(dir, { recursive: true, force: true }); // an old incomplete install (no marker)
    await fs.rename(staging, dir);
  } catch (err) {
    // Another process finished the same install first: use theirs.
    if (!isInstalled(dir)) throw err;
    await fs.rm(staging, { recursive: true, force: true });
  }
  log(`v${major}: installed in ${seconds}s`);
  return dir;
}

function pidAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging dirs of installs whose process died (interrupted installs). */
async function sweepPartialInstalls(dir: string): Promise<void> {
  const prefix = `${path.basename(dir)}.partial-`;
  for (const name of await fs.readdir(path.dirname(dir)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!pidAlive(pid)) await fs.rm(path.join(path.dirname(dir), name), { recursive: true, force: true }).catch(() => {});
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function copyDir(from: string, to: string): Promise<void> {
  await fs.cp(from, to, { recursive: true });
}

/**
 * A fresh dir for one boot. Its path must be all lower case: Strapi lower-cases the email
 * provider name before `require`-ing it, and our provider is configured by absolute path.
 */
async function makeRunDir(major: 4 | 5): Promise<string> {
  const base = [os.tmpdir(), '/tmp'].find((d) => d === d.toLowerCase() && existsSync(d));
  if (!base) throw new Error(`no lower-case temp dir (TMPDIR=${os.tmpdir()}): Strapi lower-cases the email provider path`);
  await sweepRunDirs(base);
  const dir = path.join(base, `strapi-live-v${major}-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

const OWNER_FILE = 'harness.pid';
const KEPT_FILE = 'KEPT';

/** Removes the run dirs of harness processes that died without stop() (e.g. SIGKILL). */
async function sweepRunDirs(base: string): Promise<void> {
  for (const name of await fs.readdir(base).catch(() => [] as string[])) {
    if (!/^strapi-live-v[45]-[0-9a-f]{12}$/.test(name)) continue;
    const dir = path.join(base, name);
    if (existsSync(path.join(dir, KEPT_FILE))) continue;
    const owner = Number(await fs.readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => '0'));
    if (!pidAlive(owner)) await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

const CONTROLLER = (uid: string) => `'use strict';\n\nconst { factories } = require('@strapi/strapi');\n\nmodule.exports = factories.createCoreController('${uid}');\n`;
const ROUTER = (uid: string) => `'use strict';\n\nconst { factories } = require('@strapi/strapi');\n\nmodule.exports = factories.createCoreRouter('${uid}');\n`;
const SERVICE = (uid: string) => `'use strict';\n\nconst { factories } = require('@strapi/strapi');\n\nmodule.exports = factories.createCoreService('${uid}');\n`;

/** Writes src/api/<name>/... for every spec/content-types/<name>/schema.json. */
async function writeContentTypes(appDir: string): Promise<string[]> {
  const ctRoot = path.join(specDir, 'content-types');
  const names = (await fs.readdir(ctRoot, { withFileTypes: true })).filter((d) => d.isDirectory() && existsSync(path.join(ctRoot, d.name, 'schema.json'))).map((d) => d.name);
  for (const name of names) {
    const api = path.join(appDir, 'src', 'api', name);
    const uid = `api::${name}.${name}`;
    await fs.mkdir(path.join(api, 'content-types', name), { recursive: true });
    await fs.copyFile(path.join(ctRoot, name, 'schema.json'), path.join(api, 'content-types', name, 'schema.json'));
    for (const [dir, body] of [['controllers', CONTROLLER(uid)], ['routes', ROUTER(uid)], ['services', SERVICE(uid)]] as const) {
      await fs.mkdir(path.join(api, dir), { recursive: true });
      await fs.writeFile(path.join(api, dir, `${name}.js`), body);
    }
  }
  return names;
}


// What a boot takes from a project folder (Strapi's own layout). Everything else of the app
// (server, database, admin, middlewares, the email provider, secrets, the bootstrap that grants
// permissions and writes the API tokens) stays the harness's own.
const PROJECT_SRC_DIRS = ['api', 'components', 'extensions'];
const CODE_FILE = /\.(c?js|ts)$/;
const SKIPPED_FILE = /\.d\.ts$|\.(test|spec)\.[cm]?[jt]sx?$|\.[jt]sx$/;

/**
 * `strapi start` runs plain CommonJS: a TypeScript project would need `strapi build` first. Each
 * .ts file (and each ESM .js file) is transpiled on its own into CommonJS; Strapi's loaders read
 * `exports.default` of such a module as Strapi's own TS build output is read.
 */
async function toCommonJs(file: string, code: string): Promise<string> {
  const isTs = file.endsWith('.ts');
  if (!isTs && !/^\s*(export|import)\s/m.test(code)) return code;
  const { transform } = await import('esbuild');
  const out = await transform(code, { loader: isTs ? 'ts' : 'js', format: 'cjs', target: 'node18', sourcefile: file });
  return out.code;
}

/** Copies a project's source tree, code files as CommonJS .js; admin panel code is left out. */
async function copyProjectTree(from: string, to: string): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'admin' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      await copyProjectTree(src, path.join(to, entry.name));
      continue;
    }
    if (!entry.isFile() || SKIPPED_FILE.test(entry.name) || entry.name.startsWith('.')) continue;
    await fs.mkdir(to, { recursive: true });
    if (CODE_FILE.test(entry.name)) {
      const js = await toCommonJs(src, await fs.readFile(src, 'utf8'));
      await fs.writeFile(path.join(to, entry.name.replace(/\.(c?js|ts)$/, '.js')), js);
    } else {
      await fs.copyFile(src, path.join(to, entry.name));
    }
  }
}

/**
 * Underlying types of well-known plugins' custom fields. Server side a custom field is only its
 * underlying type, so registering `{name, type}` in place of a plugin that is not installed here
 * answers as the plugin would.
 */
/**
 * `{uid: underlying type}` of every custom field the app's schemas use that no installed plugin
 * provides (no custom-field plugin is installed in the harness): the bootstrap registers them
 * after the project's own register, unless the project registered them itself.
 */
async function missingCustomFields(srcDir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (entry.name.endsWith('.json')) {
        let schema: { attributes?: Record<string, { type?: string; customField?: string }> };
        try {
          schema = JSON.parse(await fs.readFile(file, 'utf8'));
        } catch {
          continue;
        }
        for (const [name, attr] of Object.entries(schema?.attributes ?? {})) {
          if (attr?.type !== 'customField' || typeof attr.customField !== 'string') continue;
          // The emulator's own table and fallback, so both sides store an unknown field alike.
          const type = knownCustomFields[attr.customField];
          if (!type) log(`custom field ${attr.customField} (${path.relative(srcDir, file)} → ${name}): not a known one, registered as "${customFieldFallback}" unless the project registers it`);
          found[attr.customField] = type ?? customFieldFallback;
        }
      }
    }
  };
  await walk(srcDir);
  return found;
}

/** The first of `<base>.ts|.js|.cjs` that exists, or undefined. */
function codeFile(base: string): string | undefined {
  return ['.ts', '.js', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
}

/**
 * Writes a project's src/api, src/components, src/extensions (schemas and code as they are; the
 * standard core controller/router/service for a content type that has none of its own), its
 * config/api (rest settings), the users-permissions and i18n sections of its config/plugins, and
 * its src/index register/bootstrap (run by the harness's own bootstrap). Returns the content type
 * UIDs of src/api.
 */
export async function writeProject(appDir: string, projectDir: string): Promise<string[]> {
  const src = path.join(projectDir, 'src');
  if (!existsSync(path.join(src, 'api')) && !existsSync(path.join(src, 'extensions'))) {
    throw new Error(`${projectDir}: not a Strapi project (no src/api nor src/extensions)`);
  }
  for (const dir of PROJECT_SRC_DIRS) {
    if (existsSync(path.join(src, dir))) await copyProjectTree(path.join(src, dir), path.join(appDir, 'src', dir));
  }
  const uids: string[] = [];
  const apiRoot = path.join(appDir, 'src', 'api');
  for (const api of existsSync(apiRoot) ? await fs.readdir(apiRoot, { withFileTypes: true }) : []) {
    if (!api.isDirectory()) continue;
    const ctRoot = path.join(apiRoot, api.name, 'content-types');
    if (!existsSync(ctRoot)) continue;
    for (const ct of await fs.readdir(ctRoot, { withFileTypes: true })) {
      if (!ct.isDirectory() || !existsSync(path.join(ctRoot, ct.name, 'schema.json'))) continue;
      const uid = `api::${api.name}.${ct.name}`;
      uids.push(uid);
      for (const [dir, body] of [['controllers', CONTROLLER(uid)], ['routes', ROUTER(uid)], ['services', SERVICE(uid)]] as const) {
        const own = path.join(apiRoot, api.name, dir, ct.name);
        if (codeFile(own)) continue;
        await fs.mkdir(path.dirname(own), { recursive: true });
        await fs.writeFile(`${own}.js`, body);
      }
    }
  }
  const config = path.join(projectDir, 'config');
  const apiConfig = codeFile(path.join(config, 'api'));
  if (apiConfig) await fs.writeFile(path.join(appDir, 'config', 'api.js'), await toCommonJs(apiConfig, await fs.readFile(apiConfig, 'utf8')));
  const pluginsConfig = codeFile(path.join(config, 'plugins'));
  if (pluginsConfig) await fs.writeFile(path.join(appDir, 'config', 'project-plugins.js'), await toCommonJs(pluginsConfig, await fs.readFile(pluginsConfig, 'utf8')));
  const customFields = await missingCustomFields(path.join(appDir, 'src'));
  if (Object.keys(customFields).length) await fs.writeFile(path.join(appDir, 'src', 'custom-fields.json'), `${JSON.stringify(customFields, null, 2)}\n`);
  const index = codeFile(path.join(src, 'index'));
  if (index) await fs.writeFile(path.join(appDir, 'src', 'project-index.js'), await toCommonJs(index, await fs.readFile(index, 'utf8')));
  return uids;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the parent exits without stop(): the app also watches its parent pid
  // (STRAPI_LIVE_PARENT_PID, see common/src/index.js) and exits when it is gone.
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

export type BootOptions = {
  major: 4 | 5;
  port?: number;
  jwtSecret?: string;
  /**
   * A Strapi project folder (Strapi's layout: src/api, src/components, src/extensions, config/):
   * its types and code replace spec/content-types/ (see writeProject).
   */
  project?: string;
  /**
   * Seed permissions file (spec/seed/permissions.json's shape) granted on top of Strapi's defaults.
   * Default: spec/seed/permissions.json without a project, none with one.
   */
  permissions?: string;
};

/**
 * Boots a real Strapi on 127.0.0.1 with a fresh app dir and a fresh sqlite DB, and resolves once
 * `GET /_health` answers and the bootstrap has written the API tokens (Strapi runs the bootstrap,
 * which also grants the seed permissions, before it listens).
 */
export async function bootStrapi(opts: BootOptions): Promise<LiveStrapi> {
  const { major } = opts;
  if (major !== 4 && major !== 5) throw new Error(`major must be 4 or 5, got ${major}`);
  const installDir = await installStrapi(major);
  const t0 = Date.now();
  const port = opts.port ?? (await freePort());
  // Never mistake another server on that port (an emulator, an older instance) for this one.
  if (await portAnswers(port)) throw new Error(`v${major}: 127.0.0.1:${port} is already in use`);
  const jwtSecret = opts.jwtSecret ?? TEST_SECRETS.JWT_SECRET;

  const runDir = await makeRunDir(major);
  const appDir = path.join(runDir, 'app');
  await copyDir(path.join(liveDir, 'common'), appDir);
  await fs.copyFile(path.join(installDir, 'package.json'), path.join(appDir, 'package.json'));
  await fs.symlink(path.join(installDir, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
  await fs.mkdir(path.join(appDir, 'public', 'uploads'), { recursive: true });
  const project = opts.project ? path.resolve(opts.project) : undefined;
  const contentTypes = project ? await writeProject(appDir, project) : await writeContentTypes(appDir);
  const permissionsFile = opts.permissions ? path.resolve(opts.permissions) : project ? undefined : path.join(specDir, 'seed', 'permissions.json');

  const mailFile = path.join(runDir, 'mail.jsonl');
  const tokensFile = path.join(runDir, 'api-tokens.json');
  const logFile = path.join(runDir, 'strapi.log');
  await fs.writeFile(mailFile, '');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...TEST_SECRETS,
    JWT_SECRET: jwtSecret,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_FILENAME: path.join(runDir, 'data.db'),
    STRAPI_LIVE_MAIL_FILE: mailFile,
    STRAPI_LIVE_TOKENS_FILE: tokensFile,
    ...(permissionsFile ? { STRAPI_LIVE_PERMISSIONS_FILE: permissionsFile } : {}),
    STRAPI_LIVE_PARENT_PID: String(process.pid),
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'none',
    FORCE_COLOR: '0',
  };
  // Run as the recordings in shared/strapi-facts.md were made: NODE_ENV unset (= development).
  // vitest sets NODE_ENV=test, which Strapi would otherwise pick up.
  delete env.NODE_ENV;
  delete env.DATABASE_URL;
  if (!permissionsFile) delete env.STRAPI_LIVE_PERMISSIONS_FILE;

  const pkg = JSON.parse(await fs.readFile(path.join(installDir, 'node_modules', '@strapi', 'strapi', 'package.json'), 'utf8'));
  const binRel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.strapi;
  const bin = path.join(installDir, 'node_modules', '@strapi', 'strapi', binRel);

  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [bin, 'start'], { cwd: appDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  installExitHook();
  live.add(child);
  let stderrTail = '';
  let stdoutTail = '';
  child.stdout!.on('data', (b: Buffer) => {
    out.write(b);
    stdoutTail = (stdoutTail + b.toString()).slice(-6000);
  });
  child.stderr!.on('data', (b: Buffer) => {
    out.write(b);
    stderrTail = (stderrTail + b.toString()).slice(-6000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      stderrTail += `\n[harness] spawn error: ${err.message}`;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (exitInfo = e));

  let stopped = false;
  const stop = async (keepRunDir = false) => {
    if (stopped) return;
    stopped = true;
    if (!exitInfo) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // Anything else left in the group (there should be nothing).
    killGroup(child, 'SIGKILL');
    out.end();
    if (keepRunDir || process.env.STRAPI_LIVE_KEEP) await fs.writeFile(path.join(runDir, KEPT_FILE), 'kept for inspection; delete this dir by hand\n');
    else await fs.rm(runDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + Number(process.env.STRAPI_LIVE_BOOT_TIMEOUT_MS ?? 120_000);
  const fail = async (why: string): Promise<never> => {
    // Strapi's logger writes errors to stdout, so both tails are given (ANSI colours stripped).
    const clean = (t: string) => tail(t.replace(/\x1b\[[0-9;]*m/g, ''), 40).trim() || '(empty)';
    const detail = `--- strapi stderr (tail) ---\n${clean(stderrTail)}\n--- strapi stdout (tail) ---\n${clean(stdoutTail)}\n--- full log: ${logFile}`;
    await stop(true); // keep the run dir (app, strapi.log) for a look
    throw new Error(`v${major}: ${why} (run dir kept: ${runDir})\n${detail}`);
  };
  // /_health needs no content type and no permission: any project answers it (204) once listening.
  for (;;) {
    if (exitInfo) await fail(`strapi exited during boot (code ${exitInfo.code}, signal ${exitInfo.signal})`);
    if (Date.now() > deadline) await fail(`not ready after ${secs(t0)}s`);
    try {
      const res = await fetch(`${url}/_health`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 300 && existsSync(tokensFile)) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let apiTokens: LiveStrapi['apiTokens'];
  try {
    apiTokens = JSON.parse(await fs.readFile(tokensFile, 'utf8'));
  } catch (err) {
    return fail(`no API tokens file written by the bootstrap (${(err as Error).message})`);
  }
  log(`v${major}: booted in ${secs(t0)}s at ${url} (${project ? `project ${project}, ` : ''}content types: ${contentTypes.join(', ')}; pid ${child.pid}; run dir ${runDir})`);
  return { major, url, apiTokens, mailFile, jwtSecret, stop: () => stop() };
}
