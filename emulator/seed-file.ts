// A seed file (`strapi-emulator serve --seed seed.json`, `setupStrapiEmulator({ seed })`): the
// roles, users, API tokens and documents to write on top of a fresh emulator, through the same
// functions as the control API and the test helper (control/seeding.ts).
//
//   {
//     "roles":     [{ "name": "Editor", "permissions": ["api::article.article.create"] }],
//     "users":     [{ "username": "ann", "email": "ann@example.com", "password": "Passw0rd!", "role": "editor" }],
//     "apiTokens": [{ "accessKey": "ci-token", "type": "full-access" }],
//     "admins":    [{ "email": "admin@example.com", "password": "Admin-Passw0rd", "roles": ["Editor"] }],
//     "documents": { "api::article.article": [{ "title": "Hello" }], "api::homepage.homepage": { "title": "Home" } }
//   }
//
// Every key is optional; they are applied in that order (roles before the users that name
// them). A collection type takes a list of entries, a single type one object (or a list of one).
import { readFileSync } from 'node:fs';
import type { AdminSeed, ApiTokenSeed } from './config.js';
import { type RoleSeed, type Seeder, type UserSeed, seedErrorMessage } from './control/seeding.js';
import * as z from 'zod/mini';
import { isObject } from './http/context.js';
import type { Store } from './store/store.js';
import { messages, pathText } from './store/snapshot-schema.js';

export type SeedData = {
  roles?: RoleSeed[];
  users?: UserSeed[];
  apiTokens?: ApiTokenSeed[];
  /** Admin panel accounts (admin::user), Super Admin unless `roles` names others. */
  admins?: AdminSeed[];
  documents?: Record<string, Array<Record<string, unknown>> | Record<string, unknown>>;
  /** i18n locales to add (`"fr"` or `{code, name?, isDefault?}`), written before the documents. */
  locales?: Array<string | Record<string, unknown>>;
};

/** A seed that cannot be read or applied: `where` names the file (and entry), `reason` what is wrong. */
export class SeedFileError extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

const sections = ['roles', 'users', 'apiTokens', 'admins', 'locales', 'documents'] as const;

const text = () => z.string({ error: 'must be a string' });
const nonEmpty = () => text().check(z.minLength(1, 'must be a non-empty string'));
const flag = () => z.optional(z.boolean({ error: 'must be a boolean' }));
const action = z.string().check(z.regex(/^[^.]+\.[^.]+\.[^.]+$/, 'must be an action like "api::article.article.find"'));
/** Each list section's entry, as parseSeed checks it (seed-file-schema.ts turns them into the published JSON Schema). */
export const entry = {
  roles: z.strictObject({ name: text(), description: z.optional(text()), type: z.optional(text()), permissions: z.optional(z.array(action)) }),
  users: z
    .strictObject({
      username: nonEmpty(),
      email: nonEmpty(),
      password: z.optional(text()),
      passwordHash: z.optional(z.string().check(z.regex(/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/, 'must be a bcrypt hash ($2a$/$2b$/$2y$)'))),
      provider: z.optional(text()),
      confirmed: flag(),
      blocked: flag(),
      role: z.optional(z.union([z.int().check(z.minimum(1)), z.string().check(z.minLength(1)), z.null()], { error: 'must be a role id, a role type or null' })),
    })
    .check(z.refine((u) => u.password === undefined || u.passwordHash === undefined, 'give password or passwordHash, not both')),
  apiTokens: z.strictObject({
    accessKey: nonEmpty(),
    type: z.enum(['read-only', 'full-access', 'custom'], { error: 'must be read-only, full-access or custom' }),
    name: z.optional(text()),
    description: z.optional(text()),
    permissions: z.optional(z.array(text())),
    expiresAt: z.optional(z.nullable(z.string({ error: 'must be an ISO date or null' }).check(z.refine((d) => !Number.isNaN(Date.parse(d)), 'must be an ISO date or null')))),
  }),
  admins: z.strictObject({
    email: nonEmpty().check(z.refine((e) => e.includes('@'), 'must be an email address')),
    password: nonEmpty(),
    firstname: z.optional(text()),
    lastname: z.optional(z.nullable(text())),
    roles: z.optional(z.array(nonEmpty())),
  }),
};

/** Two entries of one section that would collide (the second would be refused half-way through). */
const uniqueBy: Record<keyof typeof entry, Array<(e: Record<string, unknown>) => unknown>> = {
  roles: [],
  users: [(u) => u.username, (u) => String(u.email).toLowerCase()],
  apiTokens: [(t) => t.accessKey],
  admins: [(a) => String(a.email).toLowerCase()],
};

/** Checks the whole file before anything is written: every entry's keys and types, and no two entries that collide. */
export function parseSeed(raw: unknown, source = 'seed'): SeedData {
  if (!isObject(raw)) throw new SeedFileError(source, 'expected a JSON object like {"roles": [], "users": [], "apiTokens": [], "documents": {}}');
  const unknown = Object.keys(raw).filter((k) => !k.startsWith('$') && !(sections as readonly string[]).includes(k));
  if (unknown.length) throw new SeedFileError(source, `unknown keys ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected ${sections.join(', ')})`);
  for (const key of ['roles', 'users', 'apiTokens', 'admins'] as const) {
    const list = raw[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new SeedFileError(source, `"${key}" must be a list`);
    const at = list.findIndex((e) => !isObject(e));
    if (at >= 0) throw new SeedFileError(source, `${key}[${at}] must be an object`);
    list.forEach((e, i) => {
      const checked = (entry[key] as z.ZodMiniType).safeParse(e, { error: messages });
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new SeedFileError(source, `${pathText([key, i, ...issue.path])}: ${issue.code === 'unrecognized_keys' ? `unknown keys ${issue.keys.join(', ')}` : issue.message}`);
      }
    });
    for (const key_ of uniqueBy[key]) {
      const seen = new Map<unknown, number>();
      list.forEach((e, i) => {
        const k = key_(e as Record<string, unknown>);
        if (seen.has(k)) throw new SeedFileError(source, `${key}[${i}]: ${JSON.stringify(k)} is already in ${key}[${seen.get(k)}]`);
        seen.set(k, i);
      });
    }
  }
  if (raw.locales !== undefined && (!Array.isArray(raw.locales) || raw.locales.some((l) => typeof l !== 'string' && !isObject(l)))) throw new SeedFileError(source, '"locales" must be a list of locale codes like "fr" or objects like {"code": "fr", "isDefault": true}');
  const documents = raw.documents;
  if (documents !== undefined) {
    if (!isObject(documents)) throw new SeedFileError(source, '"documents" must be an object of content type uid → list of entries');
    for (const [uid, entries] of Object.entries(documents)) {
      const list = Array.isArray(entries) ? entries : [entries];
      const at = list.findIndex((entry) => !isObject(entry));
      if (at >= 0) throw new SeedFileError(source, `documents["${uid}"]${Array.isArray(entries) ? `[${at}]` : ''} must be an object of attributes`);
    }
  }
  return raw as SeedData;
}

/** Reads and checks a seed file. */
export function readSeedFile(file: string): SeedData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SeedFileError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SeedFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  return parseSeed(raw, file);
}

/**
 * Writes the seed through `seed`; the first entry refused stops it with a SeedFileError naming
 * it. With the emulator's `world`, a refusal undoes the entries written before it: all or nothing.
 */
export async function applySeed(seed: Seeder, data: SeedData, source = 'seed', world?: { ready: Promise<void>; store: Store }): Promise<void> {
  await world?.ready;
  if (world) return world.store.loading(() => writeSeed(seed, data, source, world));
  return writeSeed(seed, data, source);
}

async function writeSeed(seed: Seeder, data: SeedData, source: string, world?: { store: Store }): Promise<void> {
  const before = world?.store.snapshot();
  const step = async (where: string, write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      if (before) await world!.store.restore(before, { trusted: true });
      throw new SeedFileError(`${source}: ${where}`, seedErrorMessage(error));
    }
  };
  for (const [i, role] of (data.roles ?? []).entries()) await step(`roles[${i}]`, () => seed.role(role));
  for (const [i, user] of (data.users ?? []).entries()) await step(`users[${i}]`, () => seed.user(user));
  for (const [i, token] of (data.apiTokens ?? []).entries()) await step(`apiTokens[${i}]`, () => seed.apiToken(token));
  for (const [i, admin] of (data.admins ?? []).entries()) await step(`admins[${i}]`, () => seed.admin(admin));
  for (const [i, locale] of (data.locales ?? []).entries()) await step(`locales[${i}]`, () => seed.locale(locale as never));
  for (const [uid, entries] of Object.entries(data.documents ?? {})) {
    const list = Array.isArray(entries) ? entries : [entries];
    // A localized entry names its locale with `locale` (v5 writes it as ?locale=, v4 as data.locale).
    const opts = (entry: Record<string, unknown>) => (typeof entry.locale === 'string' ? { locale: entry.locale } : undefined);
    for (const [i, entry] of list.entries()) await step(`documents["${uid}"]${Array.isArray(entries) ? `[${i}]` : ''}`, () => seed.document(uid, entry, opts(entry)));
  }
}
