// The world a fresh emulator starts in, the same one the real test apps boot into:
// users-permissions' initialize() (Authenticated, then Public), Strapi's default
// permissions, the actions of spec/seed/permissions.json on top, the API tokens asked for,
// and no users.
import { readFileSync } from 'node:fs';
import type { ApiTokenSeed, Major } from './config.js';
import { type ApiTokenRecord, apiTokenTypes } from './store/records.js';
import { encryptAccessKey } from './store/api-token-keys.js';
import type { Store } from './store/store.js';
import { defaultPermissions } from './users-permissions/actions.js';
import { newDocumentId } from './users-permissions/user-service.js';

/** spec/seed/permissions.json: actions granted on top of Strapi's defaults, by role type. */
export function loadSeedPermissions(): Record<string, string[]> {
  const raw = JSON.parse(readFileSync(new URL('../spec/seed/permissions.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [type, actions] of Object.entries(raw)) {
    if (type.startsWith('$')) continue;
    if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string')) throw new Error(`spec/seed/permissions.json: "${type}" must be a list of action strings`);
    out[type] = actions as string[];
  }
  return out;
}

/** The seed permissions without the actions of content types not served (the default article's, when a project replaces it). */
export function servedActionsOnly(permissions: Record<string, string[]>, served: Array<{ uid: string }>): Record<string, string[]> {
  const uids = new Set(served.map((c) => c.uid));
  const out: Record<string, string[]> = {};
  for (const [type, actions] of Object.entries(permissions)) out[type] = actions.filter((a) => !a.startsWith('api::') || uids.has(a.slice(0, a.lastIndexOf('.'))));
  return out;
}

const actionsOf = (kind: string) => (kind === 'singleType' ? ['find', 'update', 'delete'] : ['find', 'findOne', 'create', 'update', 'delete']);

/**
 * `--public find,findOne` / `publicActions`: a bare action name opens it on every served
 * content type that has it (single types have no findOne/create); a full action
 * (`api::page.page.find`) opens that one and must name a served type's action.
 */
export function publicGrants(entries: string[], served: Array<{ uid: string; kind: string }>): string[] {
  const out: string[] = [];
  const all = new Set(served.flatMap((c) => actionsOf(c.kind).map((a) => `${c.uid}.${a}`)));
  const names = new Set(served.flatMap((c) => actionsOf(c.kind)));
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    if (entry.includes('::')) {
      if (!all.has(entry)) throw new TypeError(`publicActions: "${entry}" is not an action of a served content type (served: ${served.map((c) => c.uid).join(', ') || 'none'})`);
      out.push(entry);
    } else {
      if (!names.has(entry)) throw new TypeError(`publicActions: "${entry}" is not a content-type action (expected find, findOne, create, update or delete, or a full action like api::page.page.find)`);
      for (const c of served) if (actionsOf(c.kind).includes(entry)) out.push(`${c.uid}.${entry}`);
    }
  }
  return out;
}

export async function grant(store: Store, roleId: number, actions: string[]): Promise<void> {
  const have = new Set(store.permissions.by('role', roleId).map((p) => p.action));
  const now = store.now();
  for (const action of actions) {
    if (have.has(action)) continue;
    have.add(action);
    await store.permissions.insert({ documentId: newDocumentId(), action, role: roleId, createdAt: now, updatedAt: now, publishedAt: now });
  }
}

export async function createRole(store: Store, major: Major, data: { name: string | null; description: string | null; type: string | null }) {
  const now = store.now();
  return store.roles.insert({ documentId: newDocumentId(), ...data, createdAt: now, updatedAt: now, publishedAt: major === 5 ? now : null });
}

export async function addApiToken(store: Store, token: ApiTokenSeed): Promise<ApiTokenRecord> {
  if (!token.accessKey || typeof token.accessKey !== 'string') throw new TypeError('apiTokens: every token needs an accessKey string');
  if (!apiTokenTypes.includes(token.type)) throw new TypeError(`apiTokens: type must be one of ${apiTokenTypes.join(', ')}, got ${String(token.type)}`);
  const hashed = store.hashAccessKey(token.accessKey);
  if (store.apiTokens.one('accessKey', hashed)) throw new TypeError('apiTokens: two tokens share one accessKey');
  // Stored as Strapi's datetime column gives it back (ISO, UTC); what no Date can read is refused.
  const expiresAt = token.expiresAt === undefined || token.expiresAt === null ? null : new Date(token.expiresAt);
  if (expiresAt !== null && (typeof token.expiresAt !== 'string' || Number.isNaN(expiresAt.getTime()))) throw new TypeError(`apiTokens: expiresAt must be an ISO date or null, got ${String(token.expiresAt)}`);
  const now = store.now();
  return store.apiTokens.insert({
    name: token.name ?? `${token.type} token ${store.apiTokens.count() + 1}`,
    description: token.description ?? '',
    type: token.type,
    accessKey: hashed,
    encryptedKey: encryptAccessKey(store.encryptionKey, token.accessKey),
    lifespan: null,
    permissions: token.permissions ?? [],
    expiresAt: expiresAt === null ? null : expiresAt.toISOString(),
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
  });
}

export async function seedDefaults(store: Store, opts: { major: Major; extraPermissions: Record<string, string[]>; apiTokens: ApiTokenSeed[] }): Promise<void> {
  const authenticated = await createRole(store, opts.major, { name: 'Authenticated', description: 'Default role given to authenticated user.', type: 'authenticated' });
  const publicRole = await createRole(store, opts.major, { name: 'Public', description: 'Default role given to unauthenticated user.', type: 'public' });
  const defaults = defaultPermissions(opts.major);
  for (const role of [authenticated, publicRole]) await grant(store, role.id, defaults[role.type!] ?? []);
  for (const [type, actions] of Object.entries(opts.extraPermissions)) {
    const role = store.roles.one('type', type);
    if (!role) throw new Error(`seed permissions: no role of type "${type}"`);
    await grant(store, role.id, actions);
  }
  for (const token of opts.apiTokens) await addApiToken(store, token);
}
