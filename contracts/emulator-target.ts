// The emulator as a contract target: a fresh emulator of one major, served over HTTP on a
// free loopback port (the scenarios rely on per-address rate limiting, so they need sockets),
// with a full-access and a read-only API token, and its outbox as the mailbox.
import { randomBytes } from 'node:crypto';
import { createEmulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';
import type { Connected } from './conformance/scenarios.js';

export async function startEmulatorTarget(major: 4 | 5): Promise<Connected> {
  const apiTokens = { fullAccess: randomBytes(32).toString('hex'), readOnly: randomBytes(32).toString('hex') };
  const emulator = createEmulator({
    strapi: major,
    apiTokens: [
      { accessKey: apiTokens.fullAccess, type: 'full-access', name: 'contracts full access' },
      { accessKey: apiTokens.readOnly, type: 'read-only', name: 'contracts read only' },
    ],
  });
  await emulator.ready;
  const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
  return {
    target: { name: `emulator-v${major}`, major, url: server.url, apiTokens, outboxUrl: `${server.url}/_emulator/outbox` },
    stop: () => server.close(),
  };
}
