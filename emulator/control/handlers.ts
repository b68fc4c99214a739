// The control API (/_emulator/*, documented in spec/parts/control.ts): reset and snapshots,
// the outbox, seeding, the clock, the rate limiter and the advanced settings. It answers bad
// input with Strapi's error envelope like every other route.
import { type Handler, type RequestContext, bodyObject, json } from '../http/context.js';
import { ValidationError } from '../http/errors.js';
import { formatRole, formatUser } from '../http/format.js';
import { addApiToken, createRole, grant } from '../seed.js';
import type { AdvancedSettings, StoreSnapshot } from '../store/store.js';
import { newDocumentId, toId } from '../users-permissions/user-service.js';
import { roleTypeFromName } from '../users-permissions/strings.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function only(body: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length) throw new ValidationError(`Unknown keys: ${extra.join(', ')}`, { keys: extra });
}

function expect(cond: boolean, message: string): asserts cond {
  if (!cond) throw new ValidationError(message);
}

export const reset: Handler = async (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['clock']);
  await ctx.store.reset({ clock: body.clock === true });
  return json({ ok: true });
};

export const snapshot: Handler = (ctx) => json(ctx.store.snapshot());

export const restore: Handler = async (ctx) => {
  const body = ctx.body;
  expect(isObject(body), 'The body must be a snapshot object');
  const before = ctx.store.snapshot();
  try {
    await ctx.store.restore(body as unknown as StoreSnapshot);
  } catch (error) {
    await ctx.store.restore(before);
    throw new ValidationError(`Not a snapshot this emulator can restore: ${(error as Error).message}`);
  }
  return json({ ok: true });
};

export const outbox: Handler = (ctx) => {
  const to = ctx.query.to;
  const mails = typeof to === 'string' ? ctx.store.outbox.filter((m) => m.to === to) : ctx.store.outbox;
  return json({ mails });
};

export const outboxClear: Handler = (ctx) => {
  ctx.store.outbox = [];
  return json({ ok: true });
};

function roleIdOf(ctx: RequestContext, value: unknown): number | null {
  if (value === null) return null;
  if (value === undefined) return ctx.store.roles.first((r) => r.type === ctx.store.advanced.default_role)?.id ?? null;
  const id = toId(value);
  const role = id !== undefined ? ctx.store.roles.get(id) : ctx.store.roles.first((r) => r.type === value);
  expect(!!role, `No role ${JSON.stringify(value)} (give a role id or type)`);
  return role!.id;
}

export const seedUser: Handler = async (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['username', 'email', 'password', 'passwordHash', 'provider', 'confirmed', 'blocked', 'role']);
  const { username, email, password, passwordHash } = body;
  expect(typeof username === 'string' && username !== '', 'username must be a non-empty string');
  expect(typeof email === 'string' && email !== '', 'email must be a non-empty string');
  expect(password === undefined || typeof password === 'string', 'password must be a string');
  expect(passwordHash === undefined || (typeof passwordHash === 'string' && /^\$2[aby]\$\d\d\$/.test(passwordHash)), 'passwordHash must be a bcrypt hash ($2a$/$2b$/$2y$)');
  expect(password === undefined || passwordHash === undefined, 'give password or passwordHash, not both');
  for (const flag of ['confirmed', 'blocked'] as const) expect(body[flag] === undefined || typeof body[flag] === 'boolean', `${flag} must be a boolean`);
  expect(body.provider === undefined || typeof body.provider === 'string', 'provider must be a string');
  const lower = (email as string).toLowerCase();
  expect(!ctx.store.users.first((u) => u.username === username), `username "${username}" is taken`);
  expect(!ctx.store.users.first((u) => u.email === lower), `email "${lower}" is taken`);
  const role = roleIdOf(ctx, body.role);
  const now = ctx.store.now();
  const user = await ctx.store.users.insert({
    documentId: newDocumentId(),
    username: username as string,
    email: lower,
    provider: (body.provider as string | undefined) ?? 'local',
    password: passwordHash !== undefined ? (passwordHash as string) : typeof password === 'string' ? await ctx.services.passwords.hash(password) : null,
    resetPasswordToken: null,
    confirmationToken: null,
    confirmed: (body.confirmed as boolean | undefined) ?? true,
    blocked: (body.blocked as boolean | undefined) ?? false,
    role,
    createdAt: now,
    updatedAt: now,
    publishedAt: ctx.major === 5 ? now : null,
  });
  const roleRecord = role === null ? undefined : ctx.store.roles.get(role);
  return json(formatUser(ctx.major, user, roleRecord ? { role: roleRecord } : {}), 201);
};

export const seedRole: Handler = async (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['name', 'description', 'type', 'permissions']);
  expect(typeof body.name === 'string', 'name must be a string');
  expect(body.description === undefined || typeof body.description === 'string', 'description must be a string');
  expect(body.type === undefined || typeof body.type === 'string', 'type must be a string');
  const permissions = body.permissions ?? [];
  expect(Array.isArray(permissions) && permissions.every((p) => typeof p === 'string' && p.split('.').length === 3), 'permissions must be a list of actions like "api::article.article.find"');
  const role = await createRole(ctx.store, ctx.major, { name: body.name as string, description: (body.description as string | undefined) ?? '', type: (body.type as string | undefined) || roleTypeFromName(body.name) });
  await grant(ctx.store, role.id, permissions as string[]);
  return json(formatRole(ctx.major, role), 201);
};

export const seedApiToken: Handler = async (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['accessKey', 'type', 'name', 'description', 'permissions', 'expiresAt']);
  try {
    await addApiToken(ctx.store, body as never);
  } catch (error) {
    throw new ValidationError((error as Error).message);
  }
  return json(ctx.store.apiTokens.first((t) => t.accessKey === body.accessKey), 201);
};

const clockState = (ctx: RequestContext) => ({ now: ctx.store.now(), offset: ctx.store.clock.offset });

export const clock: Handler = (ctx) => json(clockState(ctx));

export const clockMove: Handler = (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['advance', 'set', 'reset']);
  const { advance, set, reset: back } = body;
  expect(advance === undefined || (typeof advance === 'number' && Number.isFinite(advance)), 'advance must be a number of milliseconds');
  expect(set === undefined || typeof set === 'number' || (typeof set === 'string' && !Number.isNaN(Date.parse(set))), 'set must be an ISO date or epoch milliseconds');
  if (back === true) ctx.store.clock.resetOffset();
  if (set !== undefined) ctx.store.clock.set(set as string | number);
  if (advance !== undefined) ctx.store.clock.advance(advance as number);
  return json(clockState(ctx));
};

export const rateLimit: Handler = (ctx) => {
  const { enabled, max, interval } = ctx.config.rateLimit;
  const now = ctx.store.clock.now();
  const buckets = [...ctx.store.rateLimit.entries()]
    .filter(([, hit]) => hit.dateEnd > now)
    .map(([key, hit]) => ({ key, counter: hit.counter, remaining: Math.max(max - hit.counter, 0), reset: Math.ceil(hit.dateEnd / 1000) }));
  return json({ enabled, max, interval, buckets });
};

export const rateLimitClear: Handler = (ctx) => {
  ctx.store.rateLimit.clear();
  return json({ ok: true });
};

export const settings: Handler = (ctx) => json(ctx.store.advanced);

export const settingsUpdate: Handler = (ctx) => {
  const body = bodyObject(ctx.body);
  const types: Record<keyof AdvancedSettings, string> = {
    unique_email: 'boolean',
    allow_register: 'boolean',
    email_confirmation: 'boolean',
    email_reset_password: 'string|null',
    email_confirmation_redirection: 'string|null',
    default_role: 'string',
  };
  only(body, Object.keys(types));
  for (const [key, value] of Object.entries(body)) {
    const allowed = types[key as keyof AdvancedSettings].split('|');
    expect(allowed.includes(value === null ? 'null' : typeof value), `${key} must be ${types[key as keyof AdvancedSettings].replace('|', ' or ')}`);
  }
  ctx.store.advanced = { ...ctx.store.advanced, ...(body as Partial<AdvancedSettings>) };
  return json(ctx.store.advanced);
};
