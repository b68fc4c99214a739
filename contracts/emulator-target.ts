// The emulator as a contract target: a fresh emulator of one major, served over HTTP on a
// free loopback port (the scenarios rely on per-address rate limiting, so they need sockets),
// with a full-access and a read-only API token, its outbox as the mailbox, a fixed JWT secret (so
// scenarios can sign their own tokens, as they do with real Strapi's), and API tokens created
// with the control API and revoked in its store (real Strapi: the admin API).
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createEmulator, type EmulatorOptions } from '../emulator/index.js';
import { listen } from '../emulator/server.js';
import type { Connected } from './conformance/scenarios.js';

/** Underlying types of the custom fields the contract projects use (real Strapi: see the harness). */
const CUSTOM_FIELD_TYPES: Record<string, string> = { 'plugin::color-picker.color': 'string' };

/**
 * What the emulator is given for a Strapi project folder. Until the emulator loads a project as
 * it is (branch `project`: extensions, custom fields, config), this hands it a copy of the
 * project's src/api and src/components with custom fields as their underlying type, and the
 * project's config/api `rest` settings; src/extensions is not given (see rich-inflight.ts).
 */
function projectOptions(project: string): { options: Partial<EmulatorOptions>; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contract-project-'));
  for (const part of ['api', 'components']) cpSync(path.join(project, 'src', part), path.join(dir, part), { recursive: true });
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
  for (const file of walk(dir).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const attr of Object.values<Record<string, unknown>>(json.attributes ?? {})) {
      if (attr.type === 'customField') attr.type = CUSTOM_FIELD_TYPES[attr.customField as string] ?? 'string';
    }
    writeFileSync(file, JSON.stringify(json));
  }
  const rest = (createRequire(import.meta.url)(path.join(project, 'config', 'api.js')) as { rest?: EmulatorOptions['rest'] }).rest;
  return { options: { contentTypes: [dir], rest }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startEmulatorTarget(major: 4 | 5, opts: { project?: string } = {}): Promise<Connected> {
  const project = opts.project ? projectOptions(opts.project) : undefined;
  const apiTokens = { fullAccess: randomBytes(32).toString('hex'), readOnly: randomBytes(32).toString('hex') };
  const jwtSecret = 'emulator-contracts-users-permissions-jwt-secret';
  const emulator = createEmulator({
    ...project?.options,
    strapi: major,
    jwtSecret,
    apiTokens: [
      { accessKey: apiTokens.fullAccess, type: 'full-access', name: 'contracts full access' },
      { accessKey: apiTokens.readOnly, type: 'read-only', name: 'contracts read only' },
    ],
  });
  await emulator.ready;
  const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
  return {
    target: { name: `emulator-v${major}`, major, url: server.url, apiTokens, outboxUrl: `${server.url}/_emulator/outbox`, jwtSecret },
    stop: async () => {
      await server.close();
      project?.cleanup();
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
