// What the vitest and jest helpers share: one emulator behind MSW (no port) or on a real port,
// put back to its seed after every test, with typed seeding and the email outbox. Each helper
// passes its runner's hooks; this file imports no test runner.
import type { RequestHandler } from 'msw';
import { type Seeder, seederFor } from './control/seeding.js';
import { type Emulator, type EmulatorOptions, type Mail, createEmulator } from './index.js';
import { type SeedData, applySeed, parseSeed, readSeedFile } from './seed-file.js';
import { listen } from './server.js';
import { checkInstalledPeer } from './peers-node.js';

export type { Seeder, UserSeed, RoleSeed, DocumentSeedOptions } from './control/seeding.js';
export type { ApiTokenSeed } from './config.js';
export type { SeedData } from './seed-file.js';
export type { Emulator, EmulatorOptions, Mail } from './index.js';

/** What of an MSW server the helper uses to join it (msw/node's setupServer() answers one). */
export type MswServer = {
  listHandlers(): ReadonlyArray<unknown>;
  resetHandlers(...handlers: RequestHandler[]): void;
};

export type StrapiEmulatorSetup = EmulatorOptions & {
  /** MSW mode: the base URL whose requests the emulator answers (default http://strapi.test). */
  baseUrl?: string;
  /**
   * MSW mode: your own MSW server (from `setupServer()`), for an app that mocks other hosts too.
   * The emulator's handlers join it (before yours, and they survive its `resetHandlers()`);
   * listening and closing stay yours. Without it the helper runs a server of its own — and only
   * one MSW server answers in a process (the last one to `listen()`), so pass yours.
   */
  server?: MswServer;
  /**
   * MSW mode, the helper's own server: what to do with a request for another host (default
   * 'bypass': it goes out as it would without MSW; 'error' fails the test instead).
   */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
  /** Serve on a real port instead of MSW (0: any free port); `url` is then the server's address. */
  port?: number;
  /** With `port`: the address to listen on (default 127.0.0.1). */
  host?: string;
  /** Written once before the tests (a seed object or the path of a seed file); every reset goes back to it. */
  seed?: SeedData | string;
};

export type StrapiTestEmulator = {
  /** The base URL to point the code under test at (with `port`: known from beforeAll on). */
  readonly url: string;
  /** Typed seeding, each returning what the API would answer for the record. */
  seed: Seeder;
  /** The emails sent so far (reset codes, confirmation links), oldest first. */
  outbox(to?: string): Mail[];
  /** Back to the seed now (it also happens after every test). */
  reset(): Promise<void>;
  /** The emulator itself (control, store, app, spec). */
  emulator: Emulator;
};

/**
 * msw, loaded only in MSW mode (port mode needs none). jest's CommonJS runtime cannot require
 * an ES module before Node 24.9, and msw 2.11+ depends on ESM-only packages: say that plainly.
 */
async function loadMsw(name: string) {
  checkInstalledPeer(name, 'msw');
  try {
    const [{ setupServer }, { strapiHandlers }] = await Promise.all([import('msw/node'), import('./msw.js')]);
    return { setupServer, strapiHandlers };
  } catch (error) {
    if (!/Must use import to load ES Module/.test(String((error as Error)?.message))) throw error;
    throw new Error(`${name}: jest cannot load this msw in CommonJS on Node ${process.versions.node} (msw 2.11 and later depend on ES-only packages; jest requires them from Node 24.9 on). Use msw 2.10, jest's ESM mode, or the emulator on a port, which needs no msw: setupStrapiEmulator({ port: 0 }). (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
}

type Hook = (fn: () => unknown) => void;
export type RunnerHooks = { beforeAll: Hook; afterEach: Hook; afterAll: Hook };

/** Joins `server`: the emulator's handlers first, as initial handlers; returns how to leave. */
function join(server: MswServer, handlers: RequestHandler[]): () => void {
  const before = server.listHandlers() as RequestHandler[];
  server.resetHandlers(...handlers, ...before);
  return () => {
    const rest = (server.listHandlers() as RequestHandler[]).filter((h) => !handlers.includes(h));
    // resetHandlers() with no handler keeps the current initial ones: give back the app's own.
    if (rest.length) server.resetHandlers(...rest);
  };
}

export function setupWith(name: string, hooks: RunnerHooks, options: StrapiEmulatorSetup = {}): StrapiTestEmulator {
  const { baseUrl = 'http://strapi.test', server: appServer, port, host = '127.0.0.1', seed, onUnhandledRequest = 'bypass', ...emulatorOptions } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new TypeError(`port must be an integer 0..65535, got ${port}`);
  if (port !== undefined && appServer) throw new TypeError(`${name}: give either port (a real server) or server (MSW), not both`);
  const emulator = createEmulator(emulatorOptions);
  const seeder = seederFor(emulator);
  let url: string | undefined = port === undefined ? baseUrl.replace(/\/+$/, '') : undefined;
  let stop: (() => Promise<void>) | undefined;

  hooks.beforeAll(async () => {
    await emulator.ready;
    if (seed !== undefined) {
      await applySeed(seeder, typeof seed === 'string' ? readSeedFile(seed) : parseSeed(seed), 'seed', emulator);
      emulator.store.markSeed();
    }
    if (port !== undefined) {
      const server = await listen(emulator, { port, host });
      url = server.url;
      stop = server.close;
    } else if (appServer) {
      const { strapiHandlers } = await loadMsw(name);
      const leave = join(appServer, strapiHandlers(baseUrl, emulator));
      stop = async () => leave();
    } else {
      const { setupServer, strapiHandlers } = await loadMsw(name);
      const server = setupServer(...strapiHandlers(baseUrl, emulator));
      server.listen({ onUnhandledRequest });
      stop = async () => server.close();
    }
  });
  // Every test starts from the seed, the emulated clock included.
  hooks.afterEach(() => emulator.control.reset({ clock: true }));
  hooks.afterAll(async () => {
    await stop?.();
  });

  return {
    get url() {
      if (url === undefined) throw new Error(`${name}: the server listens from beforeAll on; read \`url\` inside a hook or a test`);
      return url;
    },
    seed: seeder,
    outbox: (to) => emulator.control.outbox(to),
    reset: () => emulator.control.reset({ clock: true }),
    emulator,
  };
}
