// Writing users, roles, API tokens and documents straight into an emulator: one code path for
// the control API (POST /_emulator/users|roles|api-tokens), the test helper's `seed.*`
// (emulator/vitest.ts) and the CLI's `--seed file.json` (emulator/seed-file.ts). Bad input is a
// ValidationError with the message the control API answers; every function returns what the
// HTTP API would answer for the record.
import { LocaleError, type LocaleRecord, type LocaleSeed, checkLocaleSeed, localesOf } from '../i18n/locales.js';
import type { AdminSeed, ApiTokenSeed, Config, Major, SpecDocument } from '../config.js';
import { formatAdminUser } from '../admin/format.js';
import { adminOf } from '../admin/state.js';
import { seedAdmin } from '../admin/users.js';
import { create as createDocument, update as updateDocument } from '../documents/handlers.js';
import { type RequestContext, isObject } from '../http/context.js';
import { StrapiError, ValidationError } from '../http/errors.js';
import { formatRole, formatUser } from '../http/format.js';
import { userFieldsOf } from '../users-permissions/user-service.js';
import { parseQuery } from '../http/query.js';
import { addApiToken, createRole, grant } from '../seed.js';
import type { Services } from '../services.js';
import type { ApiTokenRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Operation } from '../../spec/openapi.js';
import { newDocumentId, toId } from '../users-permissions/user-service.js';
import { roleTypeFromName } from '../users-permissions/strings.js';

/** What seeding needs of an emulator (a RequestContext has it too). */
export type SeedTarget = { store: Store; services: Services; major: Major };

export type UserSeed = {
  username: string;
  email: string;
  /** Hashed with the emulator's bcrypt cost. */
  password?: string;
  /** A `$2a$`/`$2b$`/`$2y$` hash stored as is (e.g. from a real database). */
  passwordHash?: string;
  provider?: string;
  /** Default true. */
  confirmed?: boolean;
  blocked?: boolean;
  /** A role id or type (default: the default role, authenticated); null: no role. */
  role?: number | string | null;
};

export type RoleSeed = { name: string; description?: string; type?: string; permissions?: string[] };



export function only(body: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw new ValidationError(`Unknown keys: ${extra.join(', ')}`, { keys: extra });
}

export function expect(cond: boolean, message: string): asserts cond {
  if (!cond) throw new ValidationError(message);
}

function roleIdOf(store: Store, value: unknown): number | null {
  if (value === null) return null;
  if (value === undefined) return store.roles.one('type', store.advanced.default_role)?.id ?? null;
  const id = toId(value);
  const role = id !== undefined ? store.roles.get(id) : store.roles.one('type', value);
  expect(!!role, `No role ${JSON.stringify(value)} (give a role id or type)`);
  return role!.id;
}

/** Writes a user; answers it as the users API shows it, role populated when it has one. */
export async function seedUser(t: SeedTarget, input: unknown): Promise<Record<string, unknown>> {
  expect(isObject(input), 'A user must be an object like {username, email, password}');
  const body = input;
  // A project's user extension adds its attributes (validated and linked as the users API does).
  only(body, ['username', 'email', 'password', 'passwordHash', 'provider', 'confirmed', 'blocked', 'role', ...(t.services.users.extraModel()?.writable ?? [])]);
  const { username, email, password, passwordHash } = body;
  expect(typeof username === 'string' && username !== '', 'username must be a non-empty string');
  expect(typeof email === 'string' && email !== '', 'email must be a non-empty string');
  expect(password === undefined || typeof password === 'string', 'password must be a string');
  expect(passwordHash === undefined || (typeof passwordHash === 'string' && /^\$2[aby]\$\d\d\$/.test(passwordHash)), 'passwordHash must be a bcrypt hash ($2a$/$2b$/$2y$)');
  expect(password === undefined || passwordHash === undefined, 'give password or passwordHash, not both');
  for (const flag of ['confirmed', 'blocked'] as const) expect(body[flag] === undefined || typeof body[flag] === 'boolean', `${flag} must be a boolean`);
  expect(body.provider === undefined || typeof body.provider === 'string', 'provider must be a string');
  const { store } = t;
  const lower = email.toLowerCase();
  const role = roleIdOf(store, body.role);
  const extras = t.services.users.prepareExtras(body, undefined);
  // Held from the check to the insert: the hash awaits, and a concurrent seed of the same user must see this one.
  const user = await t.services.users.hold({ username, email }, async () => {
    expect(!store.users.one('username', username), `username "${username}" is taken`);
    expect(!store.users.one('email', lower), `email "${lower}" is taken`);
    const now = store.now();
    return store.users.insert({
      ...(extras?.stored as Record<string, never>),
      documentId: newDocumentId(),
      username,
      email: lower,
      provider: (body.provider as string | undefined) ?? 'local',
      password: passwordHash !== undefined ? (passwordHash as string) : typeof password === 'string' ? await t.services.passwords.hash(password) : null,
      resetPasswordToken: null,
      confirmationToken: null,
      confirmed: (body.confirmed as boolean | undefined) ?? true,
      blocked: (body.blocked as boolean | undefined) ?? false,
      role,
      createdAt: now,
      updatedAt: now,
      publishedAt: t.major === 5 ? now : null,
    });
  });
  await extras?.apply(user.id);
  const roleRecord = role === null ? undefined : store.roles.get(role);
  return formatUser(t.major, user, { names: userFieldsOf(store), ...(roleRecord ? { role: roleRecord } : {}) });
}

/**
 * Changes a stored user (the inspector's edit and block buttons): the keys given, checked as a
 * seed is; a new password is hashed. Username and email stay unique.
 */
export async function updateUser(t: SeedTarget, id: number, input: unknown): Promise<Record<string, unknown> | undefined> {
  expect(isObject(input), 'A user update must be an object like {blocked: true}');
  const body = input;
  only(body, ['username', 'email', 'password', 'provider', 'confirmed', 'blocked', 'role']);
  for (const key of ['username', 'email'] as const) expect(body[key] === undefined || (typeof body[key] === 'string' && body[key] !== ''), `${key} must be a non-empty string`);
  expect(body.password === undefined || (typeof body.password === 'string' && body.password !== ''), 'password must be a non-empty string');
  for (const flag of ['confirmed', 'blocked'] as const) expect(body[flag] === undefined || typeof body[flag] === 'boolean', `${flag} must be a boolean`);
  expect(body.provider === undefined || typeof body.provider === 'string', 'provider must be a string');
  const { store } = t;
  if (!store.users.has(id)) return undefined;
  const email = typeof body.email === 'string' ? body.email.toLowerCase() : undefined;
  const patch: Record<string, unknown> = {};
  for (const key of ['username', 'provider', 'confirmed', 'blocked'] as const) if (body[key] !== undefined) patch[key] = body[key];
  if (email !== undefined) patch.email = email;
  if ('role' in body) patch.role = body.role === null ? null : roleIdOf(store, body.role);
  const user = await t.services.users.hold({ username: body.username, email }, async () => {
    if (body.username !== undefined) expect(!store.users.first((u) => u.username === body.username && u.id !== id), `username "${String(body.username)}" is taken`);
    if (email !== undefined) expect(!store.users.first((u) => u.email === email && u.id !== id), `email "${email}" is taken`);
    if (typeof body.password === 'string') patch.password = await t.services.passwords.hash(body.password);
    return t.services.users.patch(id, patch);
  });
  if (!user) return undefined;
  const roleRecord = user.role === null ? undefined : store.roles.get(user.role);
  return formatUser(t.major, user, { names: userFieldsOf(store), ...(roleRecord ? { role: roleRecord } : {}) });
}

/** Writes a role and grants it `permissions`; answers it as the roles API shows it. */
export async function seedRole(t: SeedTarget, input: unknown): Promise<Record<string, unknown>> {
  expect(isObject(input), 'A role must be an object like {name, permissions}');
  const body = input;
  only(body, ['name', 'description', 'type', 'permissions']);
  expect(typeof body.name === 'string', 'name must be a string');
  expect(body.description === undefined || typeof body.description === 'string', 'description must be a string');
  expect(body.type === undefined || typeof body.type === 'string', 'type must be a string');
  const permissions = body.permissions ?? [];
  expect(Array.isArray(permissions) && permissions.every((p) => typeof p === 'string' && p.split('.').length === 3), 'permissions must be a list of actions like "api::article.article.find"');
  const type = (body.type as string | undefined) || roleTypeFromName(body.name);
  // A seed that names an existing role (Public, Authenticated: by name or type) grants on it
  // rather than making a second one no caller ever gets.
  const name = (body.name as string).toLowerCase();
  const existing = t.store.roles.first((r) => r.type === type) ?? t.store.roles.first((r) => (r.name ?? '').toLowerCase() === name);
  const role = existing ?? (await createRole(t.store, t.major, { name: body.name, description: (body.description as string | undefined) ?? '', type }));
  await grant(t.store, role.id, permissions as string[]);
  return formatRole(t.major, existing ? (t.store.roles.get(role.id) ?? role) : role);
}

/** Adds an API token; answers the stored token (its accessKey is the bearer value). */
export async function seedApiToken(t: SeedTarget, input: unknown): Promise<ApiTokenRecord> {
  expect(isObject(input), 'An API token must be an object like {accessKey, type}');
  only(input, ['accessKey', 'type', 'name', 'description', 'permissions', 'expiresAt']);
  // Checked here, or the table's schema refuses the row with a message that says nothing.
  expect(input.name === undefined || typeof input.name === 'string', 'name must be a string');
  expect(input.description === undefined || typeof input.description === 'string', 'description must be a string');
  expect(input.permissions === undefined || (Array.isArray(input.permissions) && input.permissions.every((p) => typeof p === 'string')), 'permissions must be a list of actions like "api::article.article.find"');
  let stored: ApiTokenRecord;
  try {
    stored = await addApiToken(t.store, input as never);
  } catch (error) {
    throw new ValidationError((error as Error).message);
  }
  // The bearer value, not the stored hash: the caller gave it and uses it.
  const { encryptedKey: _encrypted, lifespan: _lifespan, ...token } = stored;
  return { ...token, accessKey: input.accessKey as string };
}

export type DocumentSeedOptions = {
  /** v5 `status` / v4 publication: 'draft' writes an unpublished entry (default: published). */
  status?: 'draft' | 'published';
  /** For a localized content type (default: the default locale). */
  locale?: string;
};

type DocumentTarget = SeedTarget & { config: Config; spec: SpecDocument };

type WriteOperation = { operation: Operation; path: string; single: boolean };
/** Per spec, per uid: a seed of 100k documents looked the operation up 100k times (7 % of seeding). */
const writeOperations = new WeakMap<SpecDocument, Map<string, WriteOperation>>();

/** The operation that writes a document of `uid`: POST of a collection type, PUT of a single type. */
function writeOperation(spec: SpecDocument, uid: string): WriteOperation {
  let known = writeOperations.get(spec);
  if (!known) writeOperations.set(spec, (known = new Map()));
  let found = known.get(uid);
  if (!found) known.set(uid, (found = findWriteOperation(spec, uid)));
  return found;
}

function findWriteOperation(spec: SpecDocument, uid: string): WriteOperation {
  const known = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Operation]>) {
      const ct = op?.['x-strapi-content-type'];
      if (typeof ct !== 'string') continue;
      known.add(ct);
      if (ct !== uid) continue;
      const action = op['x-strapi-action']?.split('.').pop();
      if (method === 'post' && action === 'create') return { operation: op, path, single: false };
      if (method === 'put' && action === 'update' && !path.includes('{')) return { operation: op, path, single: true };
    }
  }
  throw new ValidationError(`No content type "${uid}" (known: ${[...known].join(', ') || 'none'})`);
}

/** A Request per URL, reused: no handler reads it, and making one (undici, an AbortSignal) was 5 % of seeding. */
const seedRequests = new WeakMap<SpecDocument, Map<string, Request>>();
function seedRequest(spec: SpecDocument, url: URL, method: string): Request {
  let known = seedRequests.get(spec);
  if (!known) seedRequests.set(spec, (known = new Map()));
  const key = `${method} ${url.href}`;
  let request = known.get(key);
  if (!request) known.set(key, (request = new Request(url, { method })));
  return request;
}

/**
 * Creates a document (a collection type's entry, or a single type's content) as a full-access
 * API token would through the content API — the same validation, relations, components and
 * defaults — and answers the `data` the API answers.
 */
export async function seedDocument(t: DocumentTarget, uid: string, data: unknown, opts: DocumentSeedOptions = {}): Promise<Record<string, unknown>> {
  expect(isObject(data), `A document of ${uid} must be an object of its attributes`);
  const { operation, path, single } = writeOperation(t.spec, uid);
  const search = new URLSearchParams();
  // v5 picks the version with ?status=; v4 writes a draft when the data says publishedAt: null.
  if (opts.status && t.major === 5) search.set('status', opts.status);
  if (opts.locale) search.set('locale', opts.locale);
  // v4 creates in data.locale (its create ignores ?locale=).
  const body = t.major === 4 ? { ...data, ...(opts.status === 'draft' ? { publishedAt: null } : {}), ...(opts.locale ? { locale: opts.locale } : {}) } : data;
  const url = new URL(`http://127.0.0.1${path}${search.size ? `?${search}` : ''}`);
  const now = t.store.now();
  const token: ApiTokenRecord = { id: 0, name: 'seed', description: '', type: 'full-access', accessKey: '', permissions: [], expiresAt: null, lastUsedAt: null, createdAt: now, updatedAt: now };
  const ctx: RequestContext = {
    major: t.major,
    config: t.config,
    store: t.store,
    services: t.services,
    request: seedRequest(t.spec, url, single ? 'PUT' : 'POST'),
    url,
    method: single ? 'PUT' : 'POST',
    operation,
    params: {},
    query: parseQuery(url.search),
    body: { data: body },
    files: [],
    caller: { kind: 'apiToken', token },
    ip: '127.0.0.1',
    serverUrl: t.config.serverUrl ?? 'http://127.0.0.1:1337',
  };
  const reply = await (single ? updateDocument : createDocument)(ctx);
  return (reply.json as { data: Record<string, unknown> }).data;
}

/** A seeding error as one line: `ValidationError: title must be …` plus the yup details when there are some. */
export function seedErrorMessage(error: unknown): string {
  if (!(error instanceof StrapiError)) return (error as Error).message ?? String(error);
  const issues = (error.details as { errors?: Array<{ path: string[]; message: string }> } | undefined)?.errors;
  const more = issues?.length ? ` (${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})` : '';
  return `${error.name}: ${error.message}${more}`;
}

/** The seeding functions bound to one emulator (the test helper's `seed`, the seed file's loader). */
export type Seeder = {
  /** A user; answers it as `GET /api/users/:id?populate=role` would. */
  user(user: UserSeed): Promise<Record<string, unknown>>;
  /** A role with its actions; answers it as `GET /api/users-permissions/roles/:id` would. */
  role(role: RoleSeed): Promise<Record<string, unknown>>;
  /** An API token; `accessKey` is the bearer value. */
  apiToken(token: ApiTokenSeed): Promise<ApiTokenRecord>;
  /** A document of a content type (uid like `api::article.article`); answers the API's `data`. */
  document(uid: string, data: Record<string, unknown>, opts?: DocumentSeedOptions): Promise<Record<string, unknown>>;
  /** An i18n locale (`'fr'` or `{code, name?, isDefault?}`); one that exists is left as it is, unless `isDefault` moves the default to it. */
  locale(locale: LocaleSeed | string): Promise<LocaleRecord>;
  /** An admin panel account; answers it as `GET /admin/users/:id` would. */
  admin(admin: AdminSeed): Promise<Record<string, unknown>>;
};

/** Adds a locale, or makes an existing one the default when asked. */
export async function seedLocale(t: SeedTarget, input: LocaleSeed | string): Promise<LocaleRecord> {
  const locales = localesOf(t.store);
  if (!locales) throw new ValidationError('this emulator has no locales');
  try {
    const seed = checkLocaleSeed(input);
    if (!locales.has(seed.code)) return locales.add(seed);
    if (seed.isDefault) locales.makeDefault(seed.code);
    return locales.list().find((l) => l.code === seed.code)!;
  } catch (error) {
    if (error instanceof LocaleError) throw new ValidationError(error.message);
    throw error;
  }
}

export function seederFor(emulator: DocumentTarget & { ready: Promise<void> }): Seeder {
  // Seeds land on top of the default world, never before it.
  const afterSeed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await emulator.ready;
      return fn(...args);
    };
  return {
    user: afterSeed((user: UserSeed) => seedUser(emulator, user)),
    role: afterSeed((role: RoleSeed) => seedRole(emulator, role)),
    apiToken: afterSeed((token: ApiTokenSeed) => seedApiToken(emulator, token)),
    admin: afterSeed(async (admin: AdminSeed) => formatAdminUser(adminOf(emulator.store), await seedAdmin(emulator, admin))),
    document: afterSeed((uid: string, data: Record<string, unknown>, opts?: DocumentSeedOptions) => seedDocument(emulator, uid, data, opts)),
    locale: afterSeed((locale: LocaleSeed | string) => seedLocale(emulator, locale)),
  };
}
