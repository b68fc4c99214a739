// `npm start` and `strapi-emulator serve`: the emulator as an HTTP server (@hono/node-server),
// seeded like a fresh Strapi with the project's default permissions.
// Flags win over the environment; `serveUsage` lists them.
import { checkLocaleSeed } from './i18n/locales.js';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaFileError } from '../spec/content-types.js';
import { ProjectFileError, projectSrc } from './project/index.js';
import { loadHooksFile } from './project/hooks.js';
import { serve } from '@hono/node-server';
import { checkControlToken, controlTokenHeader, isLoopbackHost } from './control/guard.js';
import { seederFor } from './control/seeding.js';
import { type Emulator, type EmulatorOptions, createEmulator } from './index.js';
import { type JwtAlgorithm, jwtAlgorithms } from './config.js';
import { SeedFileError, applySeed, readSeedFile } from './seed-file.js';
import { StateFileError, attachPersistence, persistedJwtSecret } from './persistence/index.js';
import { bannerLines } from './devserver/banner.js';
import { httpLogHook } from './devserver/http-log.js';
import { type Reloader, watchAndReload } from './devserver/watch.js';

export type ServerOptions = {
  port: number;
  host: string;
  emulator: EmulatorOptions;
  /** A seed file written on top of the default world (reset goes back to it). */
  seed?: string;
  /** The state file (`--data`): loaded at start (with its journal), each change appended to the journal before it is answered. */
  data?: string;
  /** EMULATOR_DATA_COMPACT_BYTES: the journal size below which it is never compacted (persistence/durable.ts). */
  compactBytes?: number;
  /** `--hooks FILE`: RequestHooks of the user's, installed at start. */
  hooks?: string;
  /** `--quiet`: no request log line per request. */
  quiet?: boolean;
  /** `--watch`: rebuild the world when a schema, the config or the seed file changes (devserver/watch.ts). */
  watch?: boolean;
};

export const serveUsage = `Options (flag / environment; flags win):
  --port N                    PORT                 port to listen on (default 1337; 0: any free port)
  --host H                    HOST                 address to listen on (default 127.0.0.1)
  --strapi 4|5                STRAPI_VERSION       which Strapi major to behave as (default 5)
  --project PATH              STRAPI_PROJECT       a Strapi project, as Strapi reads it: src/api/*/content-types,
                                                   src/components, config/ (api.rest, users-permissions, upload),
                                                   route policies and middlewares (instead of the default article)
  --content-types DIR[,DIR]   STRAPI_CONTENT_TYPES more schema folders (a project's src/, or <name>/schema.json)
  --custom-field UID=TYPE (repeatable)             serve a custom field as a Strapi type (plugin::x.y=string)
  --public ACTIONS            EMULATOR_PUBLIC      open actions to the Public role: find,findOne (every served
                                                   type) or api::page.page.find,… (comma-separated)
  --hooks FILE                EMULATOR_HOOKS       a JS/TS file exporting RequestHooks (emulator/README.md)
  --seed FILE                 EMULATOR_SEED        roles, users, API tokens and documents to write at start
                                                   (JSON: {"roles":[],"users":[],"apiTokens":[],"documents":{}})
  --data FILE                 EMULATOR_DATA        keep the world in FILE: loaded at start (created when missing), each change
                                                   made durable (FILE.journal.N) before it is answered; keeps a random
                                                   jwtSecret too (EMULATOR_DATA_COMPACT_BYTES: journal floor, 8 MiB)
  --jwt-secret S              JWT_SECRET           users-permissions jwtSecret (default: random)
  --api-token VALUE           EMULATOR_API_TOKEN   seeds a full-access API token with exactly this value
  --admin EMAIL:PASSWORD (repeatable)  EMULATOR_ADMINS  an admin panel account (Super Admin) for /admin/login
  --email-confirmation on|off EMAIL_CONFIRMATION   the advanced setting email_confirmation (default off)
  --jwt-management legacy|refresh  JWT_MANAGEMENT  Strapi 5 jwtManagement (default legacy; refresh: v5 only)
  --jwt-algorithm ALG         JWT_ALGORITHM        users-permissions jwt.algorithm: HS256 (default), HS384, HS512, or
                                                   RS/PS/ES256|384|512 with --jwt-secret a PEM private key
  --refresh-cookie            EMULATOR_REFRESH_COOKIE=1  refresh mode: sessions.httpOnly (the refresh token as a cookie)
  --provider NAME,KEY,SECRET,CALLBACK (repeatable) turn an OAuth provider on (github, google, keycloak, …); the
                                                   local identity provider at /_emulator/idp plays it
  --webhook URL (repeatable)  EMULATOR_WEBHOOKS    a webhook receiving every entry/media event (comma-separated in env)
  --control-token T           EMULATOR_CONTROL_TOKEN  the token /_emulator/* and the inspector then require (header
                                                   X-Emulator-Control-Token); generated when --host is not loopback
  --explain-crashes           EMULATOR_EXPLAIN_CRASHES=1  where real Strapi crashes (500), answer a 400 that names the
                                                   mistake instead of the same 500 (+ X-Strapi-Emulator-Crash header)
  --locales CODE[,CODE]       EMULATOR_LOCALES     the i18n locales, the first the default (default en)
  --quiet                     EMULATOR_QUIET=1     no log line per request (Strapi's "[time] http: GET /api/… (3 ms) 200")
  --watch                     EMULATOR_WATCH=1     reload the project's schemas and config, the --content-types folders and
                                                   the seed file on change, keeping the documents and users that still fit
  -h, --help                                       this help`;

const valued = ['port', 'host', 'strapi', 'jwt-secret', 'api-token', 'content-types', 'project', 'seed', 'data', 'email-confirmation', 'jwt-management', 'webhook', 'custom-field', 'public', 'hooks', 'locales', 'control-token', 'admin', 'jwt-algorithm', 'provider'];
const switches = ['explain-crashes', 'quiet', 'watch', 'refresh-cookie'];
const repeatable = new Set(['webhook', 'content-types', 'custom-field', 'public', 'admin', 'provider']);

/** `--project P`: the project's src/ (or P itself when it is a src/ folder). */
export function projectSource(project: string): string {
  try {
    return projectSrc(resolve(project));
  } catch (error) {
    if (error instanceof ProjectFileError) throw new UsageError(`--project ${project}: ${error.reason}`);
    throw error;
  }
}

/** `--custom-field plugin::x.y=string` (repeatable). */
export function customFieldFlags(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const m = /^([^=\s]+)=([a-z]+)$/.exec(value.trim());
    if (!m) throw new UsageError(`--custom-field must be UID=TYPE (like plugin::color-picker.color=string), got "${value}"`);
    out[m[1]] = m[2];
  }
  return out;
}

export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv): ServerOptions {
  const flags: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (switches.includes(arg.slice(2))) {
      flags[arg.slice(2)] = ['1'];
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !valued.includes(m[1])) throw new UsageError(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    if (flags[m[1]] && !repeatable.has(m[1])) throw new UsageError(`--${m[1]} given twice`);
    (flags[m[1]] ??= []).push(value);
  }
  const one = (flag: string, name: string) => flags[flag]?.[0] ?? env[name];
  const list = (flag: string, name: string) => (flags[flag] ?? [env[name] ?? '']).flatMap((v) => v.split(',')).map((d) => d.trim()).filter(Boolean);
  const portText = one('port', 'PORT') ?? '1337';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`port must be 0..65535, got "${portText}"`);
  const strapiText = one('strapi', 'STRAPI_VERSION') ?? '5';
  if (strapiText !== '4' && strapiText !== '5') throw new UsageError(`strapi must be 4 or 5, got "${strapiText}"`);
  const major = Number(strapiText) as 4 | 5;
  const token = one('api-token', 'EMULATOR_API_TOKEN');
  const jwtSecret = one('jwt-secret', 'JWT_SECRET');
  const project = one('project', 'STRAPI_PROJECT');
  if (project) projectSource(project);
  const contentTypes = list('content-types', 'STRAPI_CONTENT_TYPES');
  const customFields = customFieldFlags(flags['custom-field'] ?? []);
  const publicActions = list('public', 'EMULATOR_PUBLIC');
  const hooks = one('hooks', 'EMULATOR_HOOKS');
  const confirmation = one('email-confirmation', 'EMAIL_CONFIRMATION');
  if (confirmation !== undefined && !['on', 'off'].includes(confirmation)) throw new UsageError(`email-confirmation must be on or off, got "${confirmation}"`);
  const jwtManagement = one('jwt-management', 'JWT_MANAGEMENT');
  if (jwtManagement !== undefined && jwtManagement !== 'legacy' && jwtManagement !== 'refresh') throw new UsageError(`jwt-management must be legacy or refresh, got "${jwtManagement}"`);
  if (jwtManagement === 'refresh' && major === 4) throw new UsageError('jwt-management refresh exists only in Strapi 5 (add --strapi 5)');
  const jwtAlgorithm = one('jwt-algorithm', 'JWT_ALGORITHM');
  if (jwtAlgorithm !== undefined && !(jwtAlgorithms as readonly string[]).includes(jwtAlgorithm)) throw new UsageError(`jwt-algorithm must be one of ${jwtAlgorithms.join(', ')}, got "${jwtAlgorithm}"`);
  const refreshCookie = flags['refresh-cookie'] !== undefined || ['1', 'true', 'on'].includes(env.EMULATOR_REFRESH_COOKIE ?? '');
  const providers: NonNullable<EmulatorOptions['providers']> = {};
  for (const value of flags.provider ?? []) {
    const [name, key, secret, callback, ...rest] = value.split(',');
    if (!name || !key || secret === undefined || !callback || rest.length || !URL.canParse(callback)) throw new UsageError(`provider must be NAME,KEY,SECRET,CALLBACK_URL (the front end's redirect URL), got "${value}"`);
    providers[name] = { enabled: true, key, secret, callback };
  }
  const webhooks = list('webhook', 'EMULATOR_WEBHOOKS');
  for (const url of webhooks) if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) throw new UsageError(`webhook must be an absolute http(s) URL, got "${url}"`);
  const admins = list('admin', 'EMULATOR_ADMINS').map((pair) => {
    const at = pair.indexOf(':');
    if (at < 1 || at === pair.length - 1 || !pair.slice(0, at).includes('@')) throw new UsageError(`admin must be EMAIL:PASSWORD, got "${pair}"`);
    return { email: pair.slice(0, at), password: pair.slice(at + 1) };
  });
  const locales = list('locales', 'EMULATOR_LOCALES');
  for (const code of locales) {
    try {
      checkLocaleSeed(code);
    } catch (error) {
      throw new UsageError(`locales: ${(error as Error).message}`);
    }
  }
  if (new Set(locales).size !== locales.length) throw new UsageError('locales: a locale is listed twice');
  const seed = one('seed', 'EMULATOR_SEED');
  const data = one('data', 'EMULATOR_DATA');
  if (data === '') throw new UsageError('--data needs a file path');
  const compact = env.EMULATOR_DATA_COMPACT_BYTES;
  const compactBytes = compact === undefined || compact === '' ? undefined : Number(compact);
  if (compactBytes !== undefined && (!Number.isInteger(compactBytes) || compactBytes < 0)) throw new UsageError(`EMULATOR_DATA_COMPACT_BYTES must be a non-negative integer, got "${compact}"`);
  const controlToken = one('control-token', 'EMULATOR_CONTROL_TOKEN');
  if (controlToken !== undefined) {
    try {
      checkControlToken(controlToken);
    } catch (error) {
      throw new UsageError(`--control-token: ${(error as Error).message.replace(/^controlToken /, '')}`);
    }
  }
  const on = (flag: string, name: string) => flags[flag] !== undefined || ['1', 'true', 'on'].includes(env[name] ?? '');
  const explain = on('explain-crashes', 'EMULATOR_EXPLAIN_CRASHES');
  const quiet = on('quiet', 'EMULATOR_QUIET');
  const watch = on('watch', 'EMULATOR_WATCH');
  if (watch && data) throw new UsageError('--watch and --data cannot be combined yet (a reload would have to rewrite the data file under its lock)');
  return {
    port,
    host: one('host', 'HOST') ?? '127.0.0.1',
    ...(seed ? { seed } : {}),
    ...(data ? { data } : {}),
    ...(compactBytes !== undefined ? { compactBytes } : {}),
    ...(hooks ? { hooks } : {}),
    ...(quiet ? { quiet } : {}),
    ...(watch ? { watch } : {}),
    emulator: {
      strapi: major,
      ...(project ? { project: resolve(project) } : {}),
      ...(Object.keys(customFields).length ? { customFields } : {}),
      ...(publicActions.length ? { publicActions } : {}),
      ...(jwtSecret ? { jwtSecret } : {}),
      ...(contentTypes.length ? { contentTypes } : {}),
      ...(token ? { apiTokens: [{ accessKey: token, type: 'full-access' as const, name: 'emulator' }] } : {}),
      ...(confirmation ? { emailConfirmation: confirmation === 'on' } : {}),
      ...(jwtManagement ? { jwtManagement } : {}),
      ...(jwtAlgorithm ? { jwtAlgorithm: jwtAlgorithm as JwtAlgorithm } : {}),
      ...(refreshCookie ? { sessions: { httpOnly: true } } : {}),
      ...(Object.keys(providers).length ? { providers } : {}),
      ...(webhooks.length ? { webhooks: webhooks.map((url) => ({ url })) } : {}),
      ...(controlToken !== undefined ? { controlToken } : {}),
      ...(explain ? { strapiCrashes: 'explain' as const } : {}),
      ...(locales.length ? { locales } : {}),
      ...(admins.length ? { admins } : {}),
    },
  };
}

export class UsageError extends Error {}

export type Listening = {
  url: string;
  port: number;
  /** Set when the control API and the inspector require a token (given, or generated because the server listens beyond loopback). */
  controlToken: string | undefined;
  /** True when the address is not loopback: other machines may connect. */
  exposed: boolean;
  close: () => Promise<void>;
};

/**
 * Serves an emulator; resolves once it listens. Beyond loopback (`0.0.0.0`, a LAN address, a
 * host name) the control API and the inspector require the control token from then on, one is
 * generated when none was given. `exposed: true` forces that on a loopback address (tests).
 */
export function listen(emulator: Emulator, opts: { port: number; host: string; exposed?: boolean; current?: () => Emulator }): Promise<Listening> {
  const exposed = opts.exposed ?? !isLoopbackHost(opts.host);
  // Before the socket opens: no request may come in while the control API is still open.
  if (exposed) emulator.guard.requireToken();
  return new Promise((resolve, reject) => {
    const current = opts.current;
    // --watch swaps the emulator behind the socket: each request goes to the one serving now.
    const fetch = current ? (request: Request, env: unknown) => current().app.fetch(request, env) : emulator.app.fetch;
    const server = serve({ fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        controlToken: emulator.guard.token,
        exposed,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}

/** The lines after "listening on" when a control token is in force: what to send, and the inspector's link. */
export function accessLines(server: Listening, tokenGiven: boolean): string[] {
  if (server.controlToken === undefined) return [];
  const base = server.exposed && /^http:\/\/(0\.0\.0\.0|\[::\])/.test(server.url) ? `http://${firstLanAddress() ?? '127.0.0.1'}:${server.port}` : server.url;
  const token = tokenGiven ? '<control token>' : server.controlToken;
  return [
    `  control token: ${tokenGiven ? 'the one given (--control-token / EMULATOR_CONTROL_TOKEN)' : token}, sent as the ${controlTokenHeader} header`,
    `  inspector: ${base}/_emulator/ui?token=${token}`,
  ];
}

function firstLanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return undefined;
}

/** One line for a mistake of the user's (a broken schema, seed or data file, a busy port); undefined: a bug, thrown on. */
export function userMistake(error: unknown): string | undefined {
  if (error instanceof SchemaFileError) return `content type schema ${error.message}`;
  if (error instanceof ProjectFileError) return `project file ${error.message}`;
  if (error instanceof TypeError && /^(customFields|publicActions|registerAllowedFields|jwtExpiresIn|uploadSizeLimit)/.test(error.message)) return error.message;
  if (error instanceof SeedFileError) return `seed file ${error.message}`;
  if (error instanceof StateFileError) return `data file ${error.message}`;
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return `${(error as { address?: string }).address ?? 'the address'}:${(error as { port?: number }).port ?? ''} is already in use (choose another with --port or PORT)`;
  return undefined;
}

/** An emulator as the options describe it, its hooks installed and its seed written (reset goes back to it). */
export async function buildWorld(options: ServerOptions, overrides: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const seed = options.seed ? readSeedFile(options.seed) : undefined;
  const emulator = createEmulator({ ...options.emulator, ...overrides });
  if (options.hooks) for (const hook of loadHooksFile(options.hooks, emulator)) emulator.use(hook);
  if (!options.quiet) emulator.use(httpLogHook((line) => console.log(line), { color: process.stdout.isTTY === true }));
  await emulator.ready;
  if (seed) {
    await applySeed(seederFor(emulator), seed, options.seed, emulator);
    // POST /_emulator/reset goes back to the seeded world, not the empty one.
    emulator.store.markSeed();
  }
  return emulator;
}

/** What `--watch` watches: the project's src/ and config/, the schema folders, the seed and hooks files. */
export function watchedPaths(options: ServerOptions): string[] {
  const project = options.emulator.project;
  return [
    ...(project ? [projectSource(project), join(project, 'config')] : []),
    ...(options.emulator.contentTypes ?? []).map((d) => resolve(d)),
    ...(options.seed ? [resolve(options.seed)] : []),
    ...(options.hooks ? [resolve(options.hooks)] : []),
  ];
}

/** Parses, builds, seeds and serves; a mistake of the user's is one line on stderr and exit 1 (2: usage). */
export async function runServer(argv: string[], env: NodeJS.ProcessEnv, usage = 'usage: npm start -- [options]'): Promise<void> {
  let options: ServerOptions;
  try {
    options = parseServerArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) {
      console.error(`strapi-emulator: ${error.message}`);
      console.error(`${usage} (--help for the options)`);
      process.exit(2);
    }
    console.log(`${usage}\n\n${serveUsage}`);
    process.exit(0);
  }
  let emulator: Emulator;
  let server: Listening;
  let persistence: Awaited<ReturnType<typeof attachPersistence>> | undefined;
  let reloader: Reloader | undefined;
  try {
    // Tokens issued before a restart stay valid: reuse the file's random secret unless one is given.
    const jwtSecret = options.emulator.jwtSecret ?? (options.data ? await persistedJwtSecret(options.data) : undefined);
    emulator = await buildWorld(options, jwtSecret ? { jwtSecret } : {});
    if (options.data) persistence = await attachPersistence(emulator, { file: options.data, compactBytes: options.compactBytes });
    if (options.watch) {
      // A rebuild keeps the first world's secret and control token: JWTs and the inspector's cookie stay valid.
      const keep = { jwtSecret: emulator.config.jwtSecret, ...(emulator.guard.token !== undefined ? { controlToken: emulator.guard.token } : {}) };
      const first = emulator;
      reloader = watchAndReload({
        first,
        build: async () => {
          const next = await buildWorld(options, { ...keep, ...(first.guard.token !== undefined ? { controlToken: first.guard.token } : {}) });
          if (first.guard.token !== undefined) next.guard.requireToken();
          return next;
        },
        paths: watchedPaths(options),
        log: (line) => console.log(`[strapi-emulator] ${line}`),
        describe: userMistake,
      });
    }
    const current = reloader?.current;
    server = await listen(emulator, { ...options, ...(current ? { current } : {}) });
  } catch (error) {
    const mistake = userMistake(error);
    if (mistake === undefined) throw error;
    console.error(`strapi-emulator: ${mistake}`);
    process.exit(1);
  }
  const access = accessLines(server, options.emulator.controlToken !== undefined);
  console.log(`Strapi v${emulator.major} emulator listening on ${server.url}${server.exposed ? ' (beyond loopback: the control API and the inspector need the control token)' : ''}`);
  for (const line of bannerLines(emulator, { ...(access.length ? {} : { inspector: `${server.url}/_emulator/ui` }), quiet: options.quiet, watch: options.watch })) console.log(line);
  for (const line of access) console.log(line);
  const stop = () => {
    reloader?.close();
    void server
      .close()
      .then(() => persistence?.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run as `tsx emulator/server.ts` or `node dist/server.js` (a bundle of its own, scripts/build.mjs).
// Not a top-level await: the CommonJS build (jest) bundles this file too; a failure still ends the process as an unhandled rejection.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void runServer(process.argv.slice(2), process.env);
