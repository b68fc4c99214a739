// `npm start`: the emulator as an HTTP server (@hono/node-server), seeded like a fresh
// Strapi with the project's default permissions.
//   --port N        / PORT                (default 1337)
//   --host H        / HOST                (default 127.0.0.1)
//   --strapi 4|5    / STRAPI_VERSION      (default 5)
//   --jwt-secret S  / JWT_SECRET          (default: random)
//   --api-token V   / EMULATOR_API_TOKEN  seeds a full-access API token with exactly this value
//   --content-types DIR[,DIR] / STRAPI_CONTENT_TYPES  more schema.json folders to serve (a Strapi project's src/)
// Flags win over the environment.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SchemaFileError } from '../spec/content-types.js';
import { serve } from '@hono/node-server';
import { type Emulator, type EmulatorOptions, createEmulator } from './index.js';

export type ServerOptions = { port: number; host: string; emulator: EmulatorOptions };

export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv): ServerOptions {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    const m = /^--(port|host|strapi|jwt-secret|api-token|content-types)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    flags[m[1]] = value;
  }
  const portText = flags.port ?? env.PORT ?? '1337';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`port must be 0..65535, got "${portText}"`);
  const strapiText = flags.strapi ?? env.STRAPI_VERSION ?? '5';
  if (strapiText !== '4' && strapiText !== '5') throw new UsageError(`strapi must be 4 or 5, got "${strapiText}"`);
  const token = flags['api-token'] ?? env.EMULATOR_API_TOKEN;
  const jwtSecret = flags['jwt-secret'] ?? env.JWT_SECRET;
  const contentTypes = (flags['content-types'] ?? env.STRAPI_CONTENT_TYPES ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  return {
    port,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    emulator: {
      strapi: Number(strapiText) as 4 | 5,
      ...(jwtSecret ? { jwtSecret } : {}),
      ...(contentTypes.length ? { contentTypes } : {}),
      ...(token ? { apiTokens: [{ accessKey: token, type: 'full-access' as const, name: 'emulator' }] } : {}),
    },
  };
}

export class UsageError extends Error {}

/** Serves an emulator; resolves once it listens. */
export function listen(emulator: Emulator, opts: { port: number; host: string }): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: emulator.app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  let options: ServerOptions;
  try {
    options = parseServerArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`strapi-emulator: ${error.message}`);
    console.error('usage: npm start -- [--port N] [--host H] [--strapi 4|5] [--jwt-secret S] [--api-token VALUE] [--content-types DIR[,DIR]]');
    process.exit(error.message ? 2 : 0);
  }
  let emulator: Emulator;
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    emulator = createEmulator(options.emulator);
    await emulator.ready;
    server = await listen(emulator, options);
  } catch (error) {
    // A broken schema file or a busy port is the user's to fix: say what and where, no stack.
    if (error instanceof SchemaFileError) console.error(`strapi-emulator: content type schema ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`strapi-emulator: ${options.host}:${options.port} is already in use (choose another with --port or PORT)`);
    else throw error;
    process.exit(1);
  }
  console.log(`Strapi v${emulator.major} emulator listening on ${server.url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
