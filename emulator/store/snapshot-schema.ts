// The whole shape of a store snapshot (PUT /_emulator/snapshot, control.restore, the state
// file of --data): everything a handler later relies on, checked before anything is
// restored, so a snapshot is either refused naming what is wrong where, or restored whole
// and every route still answers. Beyond each record's fields: ids unique and positive, the
// counters past them, a user's and a permission's role existing, the public role present
// (every anonymous request acts as it), timestamps that print. Extensions add their own part (Store.extend).
// zod/mini, like the records: the full zod would add a third to the bundle (start-up time).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { apiTokenSchema, permissionSchema, roleSchema, sessionSchema, userSchema } from './records.js';

/** A snapshot that cannot be restored: each problem with its path in the document. */
export class SnapshotError extends Error {
  constructor(readonly issues: Array<{ path: PropertyKey[]; message: string }>) {
    super(SnapshotError.describe(issues));
    this.name = 'SnapshotError';
  }

  /** The problems on one line, their paths under `prefix` (where the snapshot sits in its document). */
  static describe(issues: SnapshotError['issues'], prefix: PropertyKey[] = []): string {
    return issues.map((i) => `${pathText([...prefix, ...i.path]) || '(the snapshot)'}: ${i.message}`).join('; ');
  }

  /** As Strapi's ValidationError details (yup's shape: path segments as strings). */
  details() {
    return { errors: this.issues.map((i) => ({ path: i.path.map(String), message: `${pathText(i.path) || '(the snapshot)'}: ${i.message}`, name: 'ValidationError' })) };
  }
}

/** `users.rows[3].email` */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Strapi's timestamps: ISO 8601 in UTC with milliseconds, a four-digit year (what toISOString prints). */
export const timestamp = z.iso.datetime({ precision: 3 }).check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'));
const nullableTimestamp = z.nullable(timestamp);
export const id = z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));

/** A table: its rows with unique ids, its counter (the next id never reuses one below it). */
export function tableSchema<T extends z.ZodMiniType<{ id: number }>>(row: T) {
  return z.strictObject({ nextId: id, rows: z.array(row) }).check(
    z.superRefine((table, ctx) => {
      const seen = new Set<number>();
      table.rows.forEach((r, i) => {
        if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rows', i, 'id'], message: `id ${r.id} appears twice` });
        seen.add(r.id);
      });
    }),
  );
}

const bcrypt = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

// The tables' own record schemas (records.ts), made strict, with what handlers rely on beyond the types.
const stamps = { createdAt: timestamp, updatedAt: timestamp, publishedAt: nullableTimestamp };

const user = z.strictObject({
  ...userSchema.shape,
  id,
  password: z.nullable(z.string().check(z.regex(bcrypt, 'must be a bcrypt hash ($2a$/$2b$/$2y$, 60 characters) or null'))),
  role: z.nullable(id),
  ...stamps,
});

const role = z.strictObject({ ...roleSchema.shape, id, ...stamps });

const permission = z.strictObject({
  ...permissionSchema.shape,
  id,
  action: z.string().check(z.regex(/^[^.]+\.[^.]+\.[^.]+(\.[^.]+)*$/, 'must be an action like "api::article.article.find"')),
  role: id,
  ...stamps,
});

const apiToken = z.strictObject({
  ...apiTokenSchema.shape,
  id,
  accessKey: z.string().check(z.minLength(1)),
  expiresAt: nullableTimestamp,
  lastUsedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const session = z.strictObject({ ...sessionSchema.shape, id, expiresAt: timestamp, absoluteExpiresAt: timestamp, createdAt: timestamp });

const mail = z.strictObject({
  from: z.optional(z.string()),
  replyTo: z.optional(z.string()),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  sentAt: timestamp,
});

const template = z.strictObject({
  from: z.strictObject({ name: z.string(), email: z.string() }),
  response_email: z.string(),
  object: z.string(),
  message: z.string(),
});

const advanced = z.strictObject({
  unique_email: z.boolean(),
  allow_register: z.boolean(),
  email_confirmation: z.boolean(),
  email_reset_password: z.nullable(z.string()),
  email_confirmation_redirection: z.nullable(z.string()),
  default_role: z.string(),
});

const rateLimitHit = z.strictObject({ counter: z.int().check(z.minimum(0)), dateEnd: z.number().check(z.refine(Number.isFinite, 'must be a finite number')) });

/** The snapshot's schema, with the extensions' parts (`extensions.<name>`). */
export function snapshotSchema(extensions: Record<string, z.ZodMiniType>, userAttributes: Record<string, z.ZodMiniType> = {}) {
  return z
    .strictObject({
      // A project's user extension adds its attributes to the users rows.
      users: tableSchema(Object.keys(userAttributes).length ? z.strictObject({ ...user.shape, ...userAttributes }) : user),
      roles: tableSchema(role),
      permissions: tableSchema(permission),
      apiTokens: tableSchema(apiToken),
      sessions: tableSchema(session),
      outbox: z.array(mail),
      rateLimit: z.array(z.tuple([z.string(), rateLimitHit])),
      advanced,
      emailTemplates: z.strictObject({ reset_password: template, email_confirmation: template }),
      // Absent: a snapshot from before extensions existed (each restores empty).
      extensions: z.optional(z.strictObject(Object.fromEntries(Object.entries(extensions).map(([name, schema]) => [name, z.optional(schema)])))),
    })
    .check(z.superRefine((s, ctx) => {
      const roles = new Set(s.roles.rows.map((r) => r.id));
      const types = new Set(s.roles.rows.map((r) => r.type));
      // Every anonymous request acts as the public role, which Strapi never lets go (a missing default role is register's own 400).
      if (!types.has('public')) ctx.addIssue({ code: 'custom', path: ['roles', 'rows'], message: 'no role of type "public" (Strapi always has one: anonymous requests act as it)' });
      s.users.rows.forEach((u, i) => {
        if (u.role !== null && !roles.has(u.role)) ctx.addIssue({ code: 'custom', path: ['users', 'rows', i, 'role'], message: `no role with id ${u.role}` });
      });
      s.permissions.rows.forEach((p, i) => {
        if (!roles.has(p.role)) ctx.addIssue({ code: 'custom', path: ['permissions', 'rows', i, 'role'], message: `no role with id ${p.role}` });
      });
      const keys = new Set<string>();
      s.apiTokens.rows.forEach((t, i) => {
        if (keys.has(t.accessKey)) ctx.addIssue({ code: 'custom', path: ['apiTokens', 'rows', i, 'accessKey'], message: 'two tokens share this accessKey' });
        keys.add(t.accessKey);
      });
      const buckets = new Set<string>();
      s.rateLimit.forEach(([key], i) => {
        if (buckets.has(key)) ctx.addIssue({ code: 'custom', path: ['rateLimit', i, 0], message: `the window "${key}" appears twice` });
        buckets.add(key);
      });
    }));
}

/** Messages in English (zod/mini loads no locale of its own). */
export const messages = en().localeError;

/** Checks a whole snapshot and answers the copy to restore; throws a SnapshotError listing (at most 5) problems with their paths. */
export function checkSnapshot<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value, { error: messages });
  // The parsed copy: parts that strip (rows of content types and attributes the emulator no longer has) arrive stripped.
  if (result.success) return result.data;
  throw new SnapshotError(result.error.issues.slice(0, 5).map((issue) => ({ path: [...issue.path], message: issue.message })));
}
