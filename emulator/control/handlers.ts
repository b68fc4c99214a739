// The control API (/_emulator/*, documented in spec/parts/control.ts): reset and snapshots,
// the outbox, seeding, the clock, the rate limiter and the advanced settings. It answers bad
// input with Strapi's error envelope like every other route.
import { formatAdminUser } from '../admin/format.js';
import { adminOf } from '../admin/state.js';
import { seedAdmin as seedAdminAccount } from '../admin/users.js';
import { type Handler, type RequestContext, bodyObject, isObject, json } from '../http/context.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import type { AdvancedSettings, StoreSnapshot } from '../store/store.js';
import { SnapshotError } from '../store/snapshot-schema.js';
import * as seeding from './seeding.js';
import { expect, only } from './seeding.js';

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
    // A SnapshotError is raised before anything changed; any other failure is undone.
    if (!(error instanceof SnapshotError)) await ctx.store.restore(before, { trusted: true });
    throw new ValidationError(`Not a snapshot this emulator can restore: ${(error as Error).message}`, error instanceof SnapshotError ? error.details() : {});
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

export const seedUser: Handler = async (ctx) => json(await seeding.seedUser(ctx, bodyObject(ctx.body)), 201);

const userId = (ctx: RequestContext) => (/^\d+$/.test(ctx.params.id) ? Number(ctx.params.id) : NaN);

export const updateUser: Handler = async (ctx) => {
  const user = await seeding.updateUser(ctx, userId(ctx), bodyObject(ctx.body));
  if (!user) throw new NotFoundError(`No user with id ${ctx.params.id}`);
  return json(user);
};

export const deleteUser: Handler = (ctx) => {
  if (!ctx.services.users.remove(userId(ctx))) throw new NotFoundError(`No user with id ${ctx.params.id}`);
  return json({ ok: true });
};

export const seedRole: Handler = async (ctx) => json(await seeding.seedRole(ctx, bodyObject(ctx.body)), 201);

export const seedApiToken: Handler = async (ctx) => json(await seeding.seedApiToken(ctx, bodyObject(ctx.body)), 201);

export const seedAdmin: Handler = async (ctx) => json(formatAdminUser(adminOf(ctx.store), await seedAdminAccount(ctx, ctx.body)), 201);

/** The OpenAPI document of what this emulator serves (its content types included). */
export const openapi: Handler = (ctx) => json(ctx.services.spec);

const clockState = (ctx: RequestContext) => ({ now: ctx.store.now(), offset: ctx.store.clock.offset });

export const clock: Handler = (ctx) => json(clockState(ctx));

/** The instants Strapi's timestamps can print (`0000-01-01T…Z` to `9999-12-31T…Z`: four-digit years). */
const firstDate = Date.parse('0000-01-01T00:00:00.000Z');
const lastDate = Date.parse('9999-12-31T23:59:59.999Z');

export const clockMove: Handler = (ctx) => {
  const body = bodyObject(ctx.body);
  only(body, ['advance', 'set', 'reset']);
  const { advance, set, reset: back } = body;
  expect(advance === undefined || Number.isInteger(advance), 'advance must be a number of milliseconds');
  expect(set === undefined || Number.isInteger(set) || (typeof set === 'string' && !Number.isNaN(Date.parse(set))), 'set must be an ISO date or epoch milliseconds');
  // Checked before moving: a time no timestamp can print would break every later answer.
  const clock = ctx.store.clock;
  const from = set !== undefined ? (typeof set === 'number' ? set : Date.parse(set as string)) : back === true ? clock.now() - clock.offset : clock.now();
  const to = from + ((advance as number | undefined) ?? 0);
  expect(to >= firstDate && to <= lastDate, 'the clock must stay between 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z');
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
