// users-permissions' user service over the store: add/edit go through the checks Strapi's
// entity validator runs on plugin::users-permissions.user (username ≥ 3 chars and unique,
// email a valid email ≥ 6 chars, password ≥ 6 chars, booleans, an existing role), hash the
// password, and stamp updatedAt (and, on v5, publishedAt — every v5 update republishes).
import { randomBytes } from 'node:crypto';
import type { Major } from '../config.js';
import { ValidationError, type YupIssue, YupValidationError } from '../http/errors.js';
import { formatUser } from '../http/format.js';
import { webhooksOf } from '../webhooks/hub.js';
import { isYupEmail, printValue } from '../http/yup.js';
import type { RoleRecord, UserRecord } from '../store/records.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { Store } from '../store/store.js';
import type { Passwords } from './passwords.js';
import { type ModelDef, USER } from '../documents/models.js';
import { documentService } from '../documents/service.js';
import { type Content, contentOf } from '../documents/state.js';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A v5 documentId: 24 lowercase alphanumerics (cuid2-like), starting with a letter. */
// Random bytes drawn 256 ids at a time: one randomBytes call per id was a fifth of seeding 100k documents.
let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

export function newDocumentId(): string {
  if (poolAt + 24 > pool.length) {
    pool = randomBytes(24 * 256);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += 24;
  let out = alphabet[pool[at] % 26];
  for (let i = 1; i < 24; i++) out += alphabet[pool[at + i] % 36];
  return out;
}

export type UserInput = Record<string, unknown>;

const writable = ['username', 'email', 'provider', 'password', 'resetPasswordToken', 'confirmationToken', 'confirmed', 'blocked', 'role'] as const;

/** The values a write claims: a username or an email may not be taken by two users at once. */
function claims(data: UserInput): string[] {
  const out: string[] = [];
  for (const v of [data.username, data.email]) if (typeof v === 'string') out.push(v, v.toLowerCase());
  return out;
}

export class UserService {
  /** Holds writes that claim one username or email one after the other (see KeyedLock). */
  private readonly claims = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly major: Major,
    private readonly passwords: Passwords,
  ) {}

  stamps(): { updatedAt: string; publishedAt: string | null } {
    const now = this.store.now();
    return { updatedAt: now, publishedAt: this.major === 5 ? now : null };
  }

  get(id: unknown): UserRecord | undefined {
    const n = toId(id);
    return n === undefined ? undefined : this.store.users.get(n);
  }

  roleOf(user: UserRecord): RoleRecord | null {
    return user.role === null ? null : (this.store.roles.get(user.role) ?? null);
  }

  /** The role id a `role` input names: an id, a numeric string, a v5 documentId, or `{connect:[{id}]}`. */
  resolveRoleInput(value: unknown): number | null | 'missing' {
    if (value === null) return null;
    let ref: unknown = value;
    if (typeof value === 'object' && value !== null) {
      const connect = (value as { connect?: unknown[]; set?: unknown[] }).connect ?? (value as { set?: unknown[] }).set;
      if (!Array.isArray(connect) || connect.length === 0) return 'missing';
      const last = connect[connect.length - 1];
      ref = typeof last === 'object' && last !== null ? ((last as { id?: unknown; documentId?: unknown }).id ?? (last as { documentId?: unknown }).documentId) : last;
    }
    const id = toId(ref);
    if (id !== undefined) return this.store.roles.has(id) ? id : 'missing';
    if (this.major === 5 && typeof ref === 'string') return this.store.roles.one('documentId', ref)?.id ?? 'missing';
    return 'missing';
  }

  /**
   * The attributes a project's user extension adds (job, picture, reviews…), as a model of
   * their own: written through the documents' writer, so they are validated, cast and linked
   * as the entity validator and the database layer of Strapi do for any content type.
   */
  extraModel(): ModelDef | undefined {
    const content = this.store.extension<Content>('content');
    if (!content) return undefined;
    const extras = content.registry.userExtras();
    if (!Object.keys(extras).length) return undefined;
    return { ...content.registry.get(USER), attributes: extras, writable: Object.keys(extras) };
  }

  /** The extension's attributes of `data` → stored values and the inverse links to write (Strapi's errors, nothing stored). */
  prepareExtras(data: UserInput, current: UserRecord | undefined) {
    const model = this.extraModel();
    if (!model) return undefined;
    const given = Object.fromEntries(Object.entries(data).filter(([k, v]) => model.writable.includes(k) && v !== undefined));
    if (current && !Object.keys(given).length) return undefined;
    const content = contentOf(this.store);
    const { writer } = documentService(content);
    const prepared = writer.prepare(model, given, { mode: current ? 'update' : 'creation', isDraft: false, current: current as unknown as Parameters<typeof writer.prepare>[2]['current'], self: { id: current?.id, documentId: current?.documentId } });
    return { stored: prepared.stored, apply: (id: number) => writer.applyInverse(prepared.inverse, id) };
  }

  /**
   * The entity validator's checks on the attributes present in `data`: the plugin's own and an
   * extension's together, one error per attribute in the model's order ("2 errors occurred", as
   * real Strapi answers a short username with a wrong job). Returns the extension's prepared values.
   */
  private validate(data: UserInput, creating: boolean, selfId?: number) {
    const current = selfId === undefined ? undefined : this.store.users.get(selfId);
    let extras: ReturnType<UserService['prepareExtras']>;
    let extraIssues: YupIssue[] = [];
    try {
      extras = this.prepareExtras(data, current);
    } catch (error) {
      if (!(error instanceof YupValidationError)) throw error;
      extraIssues = error.issues;
    }
    this.validateOwn(data, creating, selfId, extraIssues);
    return extras;
  }

  private validateOwn(data: UserInput, creating: boolean, selfId: number | undefined, extraIssues: YupIssue[]): void {
    const issues: YupIssue[] = [];
    const issue = (path: string, message: string, value: unknown) => issues.push({ path: [path], message, name: 'ValidationError', ...(value === undefined || this.major === 4 ? {} : { value }) });
    const stringAttr = (name: string, minLength?: number, extra?: (v: string) => string | null) => {
      if (!(name in data)) {
        if (creating && (name === 'username' || name === 'email')) issue(name, `${name} must be defined.`, undefined);
        return;
      }
      const v = data[name];
      if (v === null || v === undefined) return;
      if (typeof v !== 'string') return issue(name, `${name} must be a \`string\` type, but the final value was: \`${printValue(v)}\`.`, v);
      if (minLength !== undefined && v.length < minLength) issue(name, `${name} must be at least ${minLength} characters`, v);
      const more = extra?.(v);
      if (more) issue(name, more, v);
    };
    stringAttr('username', 3, (v) => (this.store.users.by('username', v).some((u) => u.id !== selfId) ? 'This attribute must be unique' : null));
    stringAttr('email', 6, (v) => (isYupEmail(v) ? null : 'email must be a valid email'));
    stringAttr('provider');
    stringAttr('password', 6);
    for (const name of ['confirmed', 'blocked']) {
      const v = data[name];
      if (v !== undefined && v !== null && typeof v !== 'boolean') issue(name, `${name} must be a \`boolean\` type, but the final value was: \`${printValue(v)}\`.`, v);
    }
    if (issues.length || extraIssues.length) {
      const order = Object.keys(this.store.extension<Content>('content')?.registry.get(USER).attributes ?? {});
      const at = (i: YupIssue) => (order.includes(String(i.path[0])) ? order.indexOf(String(i.path[0])) : order.length);
      throw new YupValidationError([...issues, ...extraIssues].sort((a, b) => at(a) - at(b)));
    }
    if ('role' in data && data.role !== undefined && this.resolveRoleInput(data.role) === 'missing') {
      throw new ValidationError('1 relation(s) of type plugin::users-permissions.role associated with this entity do not exist');
    }
  }

  private async toRecordPatch(data: UserInput): Promise<Partial<UserRecord>> {
    const patch: Partial<UserRecord> = {};
    for (const key of writable) {
      if (!(key in data) || data[key] === undefined) continue;
      const value = data[key];
      if (key === 'role') patch.role = this.resolveRoleInput(value) as number | null;
      else if (key === 'password') patch.password = typeof value === 'string' ? await this.passwords.hash(value) : null;
      else (patch as Record<string, unknown>)[key] = value;
    }
    return patch;
  }

  /**
   * Runs `section` (a check-then-write) while no other write that claims the same username or
   * email runs: its checks then see what the earlier writes stored.
   */
  hold<T>(user: { username?: unknown; email?: unknown }, section: () => Promise<T>): Promise<T> {
    return this.claims.hold(claims(user), section);
  }

  /**
   * `guard` is the caller's own uniqueness check: it runs first, inside the section that holds
   * the username and email until the user is stored (hashing the password awaits, and concurrent
   * requests must not both pass the checks).
   */
  add(data: UserInput, guard?: () => void): Promise<UserRecord> {
    return this.hold(data, async () => {
      guard?.();
      const extras = this.validate(data, true);
      const patch = await this.toRecordPatch(data);
      const now = this.store.now();
      const user = await this.store.users.insert({
        ...(extras?.stored as Record<string, never>),
        documentId: newDocumentId(),
        username: patch.username as string,
        email: patch.email as string,
        provider: patch.provider ?? 'local',
        password: patch.password ?? null,
        resetPasswordToken: patch.resetPasswordToken ?? null,
        confirmationToken: patch.confirmationToken ?? null,
        confirmed: patch.confirmed ?? false,
        blocked: patch.blocked ?? false,
        role: patch.role ?? null,
        createdAt: now,
        updatedAt: now,
        publishedAt: this.major === 5 ? now : null,
      });
      await extras?.apply(user.id);
      return this.emit('entry.create', user);
    });
  }

  /** As add: `guard` runs first, while the new username and email are held. */
  edit(id: number, data: UserInput, guard?: () => void): Promise<UserRecord | undefined> {
    return this.hold(data, async () => {
      if (!this.store.users.has(id)) return undefined;
      guard?.();
      const extras = this.validate(data, false, id);
      const patch = await this.toRecordPatch(data);
      // null is a real value here (e.g. resetPasswordToken: null); Table.update skips only undefined.
      const user = await this.store.users.update(id, { ...(extras?.stored as Partial<UserRecord>), ...patch, ...this.stamps() });
      await extras?.apply(id);
      return this.emit('entry.update', user);
    });
  }

  /**
   * Writes internal fields without the entity validator: with `touch`, a token that Strapi
   * writes through its user service (an update, with its event); without, what Strapi writes
   * with a bare database query (users moved off a deleted role: no stamp, no event).
   */
  async patch(id: number, patch: Partial<Omit<UserRecord, 'id'>>, touch = true): Promise<UserRecord | undefined> {
    if (!touch) return this.store.users.update(id, patch);
    return this.emit('entry.update', await this.store.users.update(id, { ...patch, ...this.stamps() }));
  }

  /**
   * The webhook event of a write through Strapi's user service (entity service on v4,
   * document service on v5, both with `populate: ['role']`). remove() has none: Strapi
   * deletes users with a bare database query.
   */
  private emit<U extends UserRecord | undefined>(event: 'entry.create' | 'entry.update', user: U): U {
    const hub = webhooksOf(this.store);
    if (user && hub) hub.emit(event, () => ({ model: 'user', uid: 'plugin::users-permissions.user', entry: formatUser(this.major, user, { role: this.roleOf(user), names: userFieldsOf(this.store) }) }));
    return user;
  }

  remove(id: number): UserRecord | undefined {
    const removed = this.store.users.delete(id);
    if (removed) for (const s of this.store.sessions.by('userId', String(id))) this.store.sessions.delete(s.id);
    return removed;
  }
}

/** The user attributes answers carry (a project's extension adds some): see Registry.userFields. */
export function userFieldsOf(store: Store): string[] | undefined {
  return store.extension<Content>('content')?.registry.userFields();
}

/** A database id from a route parameter or a JSON value (`7`, `"7"`); anything else is no id. */
export function toId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  }
  return undefined;
}
