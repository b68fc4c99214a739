// The emulator side of a comparison: an in-process emulator of the instance's major, with the
// same content types (a project folder, or schema folders), locales, REST settings and the same
// roles with exactly the same enabled actions, and the caller's API token as a full-access
// token. Requests reach it with app.request (no socket).
import { type Emulator, createEmulator } from '../emulator/index.js';
import type { RequestHook } from '../emulator/http/app.js';
import { createRole, grant } from '../emulator/seed.js';
import type { WireRequest } from './mapping.js';
import { type Answer, type Send, readAnswer } from './replay.js';

export type MirrorOptions = {
  major: 4 | 5;
  project?: string;
  /** Schema folders (a project's src/) when there is no project. */
  contentTypes?: string[];
  locales?: Array<string | { code: string; name?: string; isDefault?: boolean }>;
  rest?: { defaultLimit?: number; maxLimit?: number | null; withCount?: boolean };
  /** The instance's enabled actions by role type (discoverInstance's `permissions`); unset: Strapi's defaults. */
  permissions?: Record<string, string[]>;
  /** API tokens the emulator takes as full-access (the one the instance got, or a recording's aliases). */
  apiTokens?: string[];
  hooks?: RequestHook[];
  jwtSecret?: string;
  onWarning?: (line: string) => void;
};

export type Mirror = { emulator: Emulator; send: Send; warnings: string[] };

export async function createMirror(opts: MirrorOptions): Promise<Mirror> {
  const warnings: string[] = [];
  const emulator = createEmulator({
    strapi: opts.major,
    ...(opts.project ? { project: opts.project } : {}),
    ...(opts.contentTypes ? { contentTypes: opts.contentTypes } : {}),
    ...(opts.locales?.length ? { locales: opts.locales } : {}),
    ...(opts.rest ? { rest: opts.rest } : {}),
    ...(opts.jwtSecret ? { jwtSecret: opts.jwtSecret } : {}),
    // The instance's own permissions are copied below; none of the emulator's demo seed.
    seedPermissions: {},
    apiTokens: (opts.apiTokens ?? []).map((accessKey, i) => ({ accessKey, type: 'full-access' as const, name: `mirror token ${i + 1}` })),
    hooks: opts.hooks ?? [],
    // A crash answer is compared like any other; its log line would only be noise here.
    onStrapiCrash: () => {},
    onWarning: (line) => (opts.onWarning ?? ((l: string) => warnings.push(l)))(line),
  });
  await emulator.ready;
  if (opts.permissions) await mirrorPermissions(emulator, opts.permissions);
  const send: Send = async (req: WireRequest): Promise<Answer> => {
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body);
    const res = await emulator.app.request(req.path, { method: req.method, headers: req.headers, ...(body !== undefined && !['GET', 'HEAD'].includes(req.method) ? { body } : {}) });
    return readAnswer(res);
  };
  return { emulator, send, warnings };
}

/**
 * Gives the emulator's roles exactly the instance's actions: what Strapi enables by default and
 * the instance took away is taken away too. A role type the emulator lacks is created, named
 * after its type (the content API does not say its name).
 */
async function mirrorPermissions(emulator: Emulator, permissions: Record<string, string[]>): Promise<void> {
  const { store, major } = emulator;
  for (const [type, actions] of Object.entries(permissions)) {
    const role = store.roles.first((x) => x.type === type) ?? (await createRole(store, major, { name: type, description: null, type }));
    const wanted = new Set(actions);
    for (const p of store.permissions.where((p) => p.role === role.id)) if (!wanted.has(p.action)) store.permissions.delete(p.id);
    await grant(store, role.id, actions);
  }
}
