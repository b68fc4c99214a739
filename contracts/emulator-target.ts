// The emulator as a contract target: a fresh emulator of one major, served over HTTP on a
// free loopback port (the scenarios rely on per-address rate limiting, so they need sockets),
// with a full-access and a read-only API token, its outbox as the mailbox, a fixed JWT secret (so
// scenarios can sign their own tokens, as they do with real Strapi's), and API tokens created
// with the control API and revoked in its store, locales added with the control API (real Strapi: the admin API).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorOptions, createEmulator } from '../emulator/index.js';
import { attachPersistence } from '../emulator/persistence/index.js';
import { listen } from '../emulator/server.js';
import type { Connected } from './conformance/scenarios.js';

export async function startEmulatorTarget(major: 4 | 5, opts: { project?: string; locales?: string[]; providers?: EmulatorOptions['providers'] } = {}): Promise<Connected> {
  const apiTokens = { fullAccess: randomBytes(32).toString('hex'), readOnly: randomBytes(32).toString('hex') };
  const jwtSecret = 'emulator-contracts-users-permissions-jwt-secret';
  const emulator = createEmulator({
    // A Strapi project folder, loaded as it is (its types replace the default article).
    ...(opts.project ? { project: opts.project } : {}),
    // Locales a project adds in its bootstrap (not emulated) come as the emulator's option.
    ...(opts.locales ? { locales: opts.locales } : {}),
    // OAuth providers a project turns on in its bootstrap, likewise.
    ...(opts.providers ? { providers: opts.providers } : {}),
    strapi: major,
    jwtSecret,
    apiTokens: [
      { accessKey: apiTokens.fullAccess, type: 'full-access', name: 'contracts full access' },
      { accessKey: apiTokens.readOnly, type: 'read-only', name: 'contracts read only' },
    ],
  });
  await emulator.ready;
  // CONTRACT_EMULATOR_DATA=1: the same scenarios on an emulator with `--data` (every write through the journal,
  // compacted every 64 KB so compactions run under the scenarios too).
  const dir = process.env.CONTRACT_EMULATOR_DATA === '1' ? mkdtempSync(join(tmpdir(), 'contracts-data-')) : undefined;
  const persistence = dir ? await attachPersistence(emulator, { file: join(dir, 'state.json'), compactBytes: 64 * 1024 }) : undefined;
  const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
  return {
    target: { name: `emulator-v${major}`, major, url: server.url, apiTokens, outboxUrl: `${server.url}/_emulator/outbox`, jwtSecret },
    async stop() {
      await server.close();
      await persistence?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    localeAdmin: {
      async add(code, name) {
        const res = await fetch(`${server.url}/_emulator/locales`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
        if (res.status !== 201 && !(res.status === 400 && emulator.store.extension('i18n'))) throw new Error(`POST /_emulator/locales answered ${res.status}`);
      },
    },
    apiTokenAdmin: {
      async create() {
        const accessKey = randomBytes(32).toString('hex');
        const res = await fetch(`${server.url}/_emulator/api-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessKey, type: 'full-access' }) });
        if (res.status !== 201) throw new Error(`POST /_emulator/api-tokens answered ${res.status}`);
        const { id } = (await res.json()) as { id: number };
        return { accessKey, revoke: async () => void emulator.store.apiTokens.delete(id) };
      },
    },
  };
}
