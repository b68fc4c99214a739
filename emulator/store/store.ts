// The state of one emulator: its tables, the outbox, the rate limiter's hits, the plugin
// settings and the clock. No module-level state: every createEmulator() gets its own Store,
// so several emulators can run side by side. snapshot()/restore() copy the whole world;
// reset() goes back to the seed: tables and extensions that can rewind undo the changes since
// the seed (the cost of the changes, not of the world), the small rest is copied back.
import { type Clock, createClock, type TimeSource } from './clock.js';
import { apiTokenSchema, permissionSchema, roleSchema, sessionSchema, userSchema } from './records.js';
import { Table, type TableSnapshot } from './table.js';
import { defaultApiTokenSalt, defaultEncryptionKey, hashAccessKey } from './api-token-keys.js';
import type { ZodMiniType } from 'zod/mini';
import { checkSnapshot, snapshotSchema } from './snapshot-schema.js';

/** One email as the email plugin would hand it to its provider. */
export type Mail = {
  from?: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string;
};

/** The users-permissions "advanced" settings (Settings → Users & Permissions → Advanced). */
export type AdvancedSettings = {
  unique_email: boolean;
  allow_register: boolean;
  email_confirmation: boolean;
  email_reset_password: string | null;
  email_confirmation_redirection: string | null;
  default_role: string;
};

export type EmailTemplate = { from: { name: string; email: string }; response_email: string; object: string; message: string };
export type EmailTemplates = { reset_password: EmailTemplate; email_confirmation: EmailTemplate };

/** A koa2-ratelimit MemoryStore entry. */
export type RateLimitHit = { counter: number; dateEnd: number };

/**
 * State that lives outside the built-in tables (documents, uploaded files) and that
 * snapshot/restore/reset must cover: registered with Store.extend() before the seed is marked.
 */
export type StoreExtension = {
  /** A JSON-serializable copy of the state. */
  snapshot(): unknown;
  /** Replaces the state with a snapshot's (`undefined`: a snapshot taken before it existed → empty). */
  restore(snapshot: unknown): void | Promise<void>;
  /** The whole shape its snapshot must have (checked before anything is restored: see snapshot-schema.ts). */
  schema?(): ZodMiniType;
  /** Attributes this extension adds to users rows (a project's user extension), checked in snapshots. */
  userAttributes?(): Record<string, ZodMiniType>;
  /** snapshot() answers fresh containers holding only frozen shared records: the store needs not copy it. */
  readonly freshSnapshots?: boolean;
  /** Remembers the current state as the seed (with rewind(): reset without a snapshot). */
  markSeed?(): void;
  /** Back to the state of the last markSeed(). */
  rewind?(): void | Promise<void>;
  /** Its tables, for Store.loading. */
  ownTables?(): Iterable<{ loading: number }>;
};

/** The parts of a snapshot outside the tables: small, copied whole. */
type Small = Pick<StoreSnapshot, 'outbox' | 'rateLimit' | 'advanced' | 'emailTemplates'>;

export type StoreSnapshot = {
  users: TableSnapshot<ReturnType<Store['users']['all']>[number]>;
  roles: TableSnapshot<ReturnType<Store['roles']['all']>[number]>;
  permissions: TableSnapshot<ReturnType<Store['permissions']['all']>[number]>;
  apiTokens: TableSnapshot<ReturnType<Store['apiTokens']['all']>[number]>;
  sessions: TableSnapshot<ReturnType<Store['sessions']['all']>[number]>;
  outbox: Mail[];
  rateLimit: Array<[string, RateLimitHit]>;
  advanced: AdvancedSettings;
  emailTemplates: EmailTemplates;
  /** The registered extensions' state, by name. */
  extensions?: Record<string, unknown>;
};

export class Store {
  readonly clock: Clock;
  readonly users = new Table('users', userSchema, ['username', 'email', 'documentId', 'role']);
  readonly roles = new Table('roles', roleSchema, ['type', 'documentId']);
  readonly permissions = new Table('permissions', permissionSchema, ['role']);
  readonly apiTokens = new Table('apiTokens', apiTokenSchema, ['accessKey']);
  readonly sessions = new Table('sessions', sessionSchema, ['sessionId', 'userId']);
  outbox: Mail[] = [];
  readonly rateLimit = new Map<string, RateLimitHit>();
  advanced: AdvancedSettings;
  emailTemplates: EmailTemplates;
  /** The seed reset() returns to: the small state, and the snapshots of extensions that cannot rewind (the tables keep their own marks). */
  private seed: { small: Small; extensions: Map<string, unknown>; marked: Set<string> } | undefined;
  private readonly extensions = new Map<string, StoreExtension>();
  private schema: ZodMiniType<StoreSnapshot> | undefined;

  /** admin.apiToken.salt and admin.secrets.encryptionKey: how API token keys are stored. */
  readonly apiTokenSalt: string;
  readonly encryptionKey: string;

  constructor(opts: { clock?: Clock | TimeSource; advanced: AdvancedSettings; emailTemplates: EmailTemplates; apiTokenSalt?: string; encryptionKey?: string }) {
    this.apiTokenSalt = opts.apiTokenSalt ?? defaultApiTokenSalt;
    this.encryptionKey = opts.encryptionKey ?? defaultEncryptionKey;
    this.clock = typeof opts.clock === 'function' || opts.clock === undefined ? createClock(opts.clock) : opts.clock;
    this.advanced = { ...opts.advanced };
    this.emailTemplates = structuredClone(opts.emailTemplates);
  }

  /** Registers extra state under `name` (once); snapshot(), restore() and reset() then cover it. */
  extend<E extends StoreExtension>(name: string, extension: E): E {
    if (this.extensions.has(name)) throw new Error(`store: an extension named "${name}" is already registered`);
    this.extensions.set(name, extension);
    this.schema = undefined;
    return extension;
  }

  /** The extension registered under `name`. */
  extension<E extends StoreExtension>(name: string): E | undefined {
    return this.extensions.get(name) as E | undefined;
  }

  private tables() {
    return { users: this.users, roles: this.roles, permissions: this.permissions, apiTokens: this.apiTokens, sessions: this.sessions };
  }

  private small(): Small {
    return structuredClone({ outbox: this.outbox, rateLimit: [...this.rateLimit.entries()], advanced: this.advanced, emailTemplates: this.emailTemplates });
  }

  private setSmall(s: Small): void {
    this.outbox = s.outbox ?? [];
    this.rateLimit.clear();
    for (const [key, hit] of s.rateLimit ?? []) this.rateLimit.set(key, hit);
    this.advanced = s.advanced;
    this.emailTemplates = s.emailTemplates;
  }

  /** The whole world. Rows are the stored frozen records (shared, not copied); everything else is a copy. */
  snapshot(): StoreSnapshot {
    const t = this.tables();
    return {
      users: t.users.snapshot(),
      roles: t.roles.snapshot(),
      permissions: t.permissions.snapshot(),
      apiTokens: t.apiTokens.snapshot(),
      sessions: t.sessions.snapshot(),
      ...this.small(),
      extensions: Object.fromEntries([...this.extensions].map(([name, e]) => [name, e.freshSnapshots ? e.snapshot() : structuredClone(e.snapshot())])),
    };
  }

  /** Checks a whole snapshot (a SnapshotError naming each problem's path); restore() does it first. */
  check(snapshot: unknown): StoreSnapshot {
    const userAttributes = Object.assign({}, ...[...this.extensions.values()].map((e) => e.userAttributes?.() ?? {})) as Record<string, ZodMiniType>;
    this.schema ??= snapshotSchema(Object.fromEntries([...this.extensions].flatMap(([name, e]) => (e.schema ? [[name, e.schema()]] : []))), userAttributes) as unknown as ZodMiniType<StoreSnapshot>;
    return checkSnapshot(this.schema, snapshot);
  }

  /**
   * Replaces the world with a snapshot's, checked whole first (nothing changes when it is
   * refused). `trusted`: one this store's snapshot() made (the seed, a rollback), not checked.
   */
  async restore(snapshot: StoreSnapshot, opts: { trusted?: boolean } = {}): Promise<void> {
    // Not one structuredClone of the whole: tables copy their rows as they insert them (and
    // extensions that say so copy theirs), so only the small rest is cloned here.
    const checked = opts.trusted ? snapshot : this.check(snapshot);
    const s = opts.trusted ? checked : { ...checked, apiTokens: { ...checked.apiTokens, rows: checked.apiTokens.rows.map((t) => this.upgradeToken(t)) } };
    const t = this.tables();
    for (const name of Object.keys(t) as Array<keyof typeof t>) await t[name].restore(s[name] as never);
    this.setSmall(structuredClone({ outbox: s.outbox, rateLimit: s.rateLimit, advanced: s.advanced, emailTemplates: s.emailTemplates }));
    for (const [name, extension] of this.extensions) {
      const state = s.extensions?.[name];
      await extension.restore(extension.freshSnapshots ? state : structuredClone(state));
    }
  }

  /**
   * A token row from before keys were stored hashed (no `encryptedKey` at all) holds its bearer
   * value: hashed on the way in, so snapshots and --data files of older versions keep working.
   */
  private upgradeToken<T extends { accessKey: string; encryptedKey?: string | null }>(token: T): T {
    return token.encryptedKey === undefined ? { ...token, accessKey: this.hashAccessKey(token.accessKey), encryptedKey: null } : token;
  }

  /**
   * Runs `load` (a seed file being applied) with every table placing its inserts outside its
   * @msw/data Collections, checked with the table's schema as create would check them: a
   * seed of 100k documents spent two thirds of its time in create's copy of each row.
   */
  async loading<R>(load: () => Promise<R>): Promise<R> {
    const tables = [...Object.values(this.tables()), ...[...this.extensions.values()].flatMap((e) => [...(e.ownTables?.() ?? [])])];
    for (const table of tables) table.loading++;
    try {
      return await load();
    } finally {
      for (const table of tables) table.loading--;
    }
  }

  /** Remembers the current state as the seed that reset() returns to. */
  markSeed(): void {
    for (const table of Object.values(this.tables())) table.mark();
    const extensions = new Map<string, unknown>();
    const marked = new Set<string>();
    for (const [name, extension] of this.extensions) {
      if (extension.markSeed && extension.rewind) {
        extension.markSeed();
        marked.add(name);
      } else extensions.set(name, structuredClone(extension.snapshot()));
    }
    this.seed = { small: this.small(), extensions, marked };
  }

  /** Back to the seed (the clock offset is kept unless asked). */
  async reset(opts: { clock?: boolean } = {}): Promise<void> {
    const seed = this.seed;
    if (!seed) throw new Error('store: no seed recorded');
    for (const table of Object.values(this.tables())) await table.rewind();
    this.setSmall(structuredClone(seed.small));
    for (const [name, extension] of this.extensions) {
      if (seed.marked.has(name)) await extension.rewind!();
      // Registered after the seed: it had no state then.
      else await extension.restore(seed.extensions.has(name) ? structuredClone(seed.extensions.get(name)) : undefined);
    }
    if (opts.clock) this.clock.resetOffset();
  }

  /** The stored form of an API token's bearer value (what `apiTokens.by('accessKey', …)` finds). */
  hashAccessKey(accessKey: string): string {
    return hashAccessKey(this.apiTokenSalt, accessKey);
  }

  /** Time in Strapi's format. */
  now(): string {
    return this.clock.iso();
  }
}
