// The test helper for projects that talk to Strapi: one call at the top of a vitest file gives
// a fresh emulator behind MSW (no port) or on a real port, put back to its seed after every
// test, with typed seeding and the email outbox.
//
//   const strapi = setupStrapiEmulator({ strapi: 5 });              // MSW on http://strapi.test
//   const strapi = setupStrapiEmulator({ port: 0 });                // a real server: strapi.url
//   const user = await strapi.seed.user({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' });
//
// It registers vitest hooks, so call it at the top level of a test file (or of a describe).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Seeder, seederFor } from './control/seeding.js';
import { type Emulator, type EmulatorOptions, type Mail, createEmulator } from './index.js';
import { strapiHandlers } from './msw.js';
import { type SeedData, applySeed, parseSeed, readSeedFile } from './seed-file.js';
import { listen } from './server.js';

export type { Seeder, UserSeed, RoleSeed, DocumentSeedOptions } from './control/seeding.js';
export type { ApiTokenSeed } from './config.js';
export type { SeedData } from './seed-file.js';

export type StrapiEmulatorSetup = EmulatorOptions & {
  /** MSW mode: the base URL whose requests the emulator answers (default http://strapi.test). */
  baseUrl?: string;
  /** Serve on a real port instead of MSW (0: any free port); `url` is then the server's address. */
  port?: number;
  /** With `port`: the address to listen on (default 127.0.0.1). */
  host?: string;
  /** Written once before the tests (a seed object or the path of a seed file); every reset goes back to it. */
  seed?: SeedData | string;
  /** MSW mode: what to do with a request no handler answers (default 'error', as a test wants). */
  onUnhandledRequest?: 'error' | 'warn' | 'bypass';
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

export function setupStrapiEmulator(options: StrapiEmulatorSetup = {}): StrapiTestEmulator {
  const { baseUrl = 'http://strapi.test', port, host = '127.0.0.1', seed, onUnhandledRequest = 'error', ...emulatorOptions } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new TypeError(`port must be an integer 0..65535, got ${port}`);
  const emulator = createEmulator(emulatorOptions);
  const seeder = seederFor(emulator);
  let url: string | undefined = port === undefined ? baseUrl.replace(/\/+$/, '') : undefined;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    await emulator.ready;
    if (seed !== undefined) {
      await applySeed(seeder, typeof seed === 'string' ? readSeedFile(seed) : parseSeed(seed), 'seed', emulator);
      emulator.store.markSeed();
    }
    if (port === undefined) {
      const server = setupServer(...strapiHandlers(baseUrl, emulator));
      server.listen({ onUnhandledRequest });
      stop = async () => server.close();
    } else {
      const server = await listen(emulator, { port, host });
      url = server.url;
      stop = server.close;
    }
  });
  // Every test starts from the seed, the emulated clock included.
  afterEach(() => emulator.control.reset({ clock: true }));
  afterAll(async () => {
    await stop?.();
  });

  return {
    get url() {
      if (url === undefined) throw new Error('setupStrapiEmulator: the server listens from beforeAll on; read `url` inside a hook or a test');
      return url;
    },
    seed: seeder,
    outbox: (to) => emulator.control.outbox(to),
    reset: () => emulator.control.reset({ clock: true }),
    emulator,
  };
}
