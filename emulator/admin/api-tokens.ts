// /admin/api-tokens (@strapi/admin controllers/api-token.js + services/api-token.js): the same
// table the content API authenticates with and the control API seeds, so a token made here
// works on /api/* at once and one revoked here is refused there. Keys are shown once (create,
// regenerate; v5 also on GET, decrypted) and stored hashed (store/api-token-keys.ts).
import type { ApiTokenRecord } from '../store/records.js';
import { decryptAccessKey, encryptAccessKey, newAccessKey } from '../store/api-token-keys.js';
import { type Handler, type RequestContext, bodyObject, json } from '../http/context.js';
import { ApplicationError, NotFoundError, ValidationError } from '../http/errors.js';
import { validate } from '../http/yup.js';
import { actionNames } from '../users-permissions/actions.js';
import { requireAdmin } from './auth.js';
import { idOf } from './format.js';
import { apiTokenCreation, apiTokenUpdate } from './validation.js';

function format(ctx: RequestContext, token: ApiTokenRecord, accessKey?: string) {
  return {
    id: token.id,
    ...(ctx.major === 5 ? { kind: 'content-api' } : {}),
    name: token.name,
    description: token.description,
    lastUsedAt: token.lastUsedAt,
    type: token.type,
    lifespan: token.lifespan ?? null,
    expiresAt: token.expiresAt,
    createdAt: token.createdAt,
    updatedAt: token.updatedAt,
    permissions: token.permissions,
    ...(accessKey !== undefined ? { accessKey } : {}),
  };
}

/** assertCustomTokenPermissionsValidity. */
function checkPermissions(ctx: RequestContext, type: unknown, permissions: unknown): void {
  const empty = permissions === undefined || permissions === null || (Array.isArray(permissions) && permissions.length === 0);
  if (type !== 'custom' && !empty) throw new ValidationError('Non-custom tokens should not reference permissions');
  if (type === 'custom' && !Array.isArray(permissions)) throw new ValidationError('Missing permissions attribute for custom token');
  if (type === 'custom') {
    const known = new Set(actionNames(ctx.services.actions));
    const unknown = [...new Set(permissions as string[])].filter((p) => !known.has(p));
    if (unknown.length) throw new ValidationError(`Unknown permissions provided: ${unknown.join(', ')}`);
  }
}

const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v));

export const create: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const raw = bodyObject(ctx.body);
  const input = { ...raw, name: trim(raw.name), description: trim(raw.description) };
  if (raw.type === undefined) delete (input as Record<string, unknown>).type;
  const body = validate(apiTokenCreation, Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined || k in raw)), ctx.major);
  if (ctx.store.apiTokens.first((t) => t.name === body.name)) throw new ApplicationError('Name already taken');
  checkPermissions(ctx, body.type, body.permissions);
  const accessKey = newAccessKey();
  const now = ctx.store.clock.now();
  const lifespan = typeof body.lifespan === 'number' ? body.lifespan : null;
  const token = await ctx.store.apiTokens.insert({
    name: body.name as string,
    description: (body.description as string) ?? '',
    type: body.type as ApiTokenRecord['type'],
    accessKey: ctx.store.hashAccessKey(accessKey),
    encryptedKey: ctx.major === 5 ? encryptAccessKey(ctx.store.encryptionKey, accessKey) : null,
    lifespan: lifespan === null ? null : String(lifespan),
    permissions: body.type === 'custom' ? [...new Set(body.permissions as string[])] : [],
    expiresAt: lifespan === null ? null : new Date(now + lifespan).toISOString(),
    lastUsedAt: null,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  });
  return json({ data: format(ctx, token, accessKey) }, 201);
};

export const list: Handler = async (ctx) => {
  await requireAdmin(ctx);
  // orderBy name ASC: SQLite compares text byte by byte.
  const tokens = ctx.store.apiTokens.all().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  return json({ data: tokens.map((t) => format(ctx, t)) });
};

export const get: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const token = ctx.store.apiTokens.get(idOf(ctx.params.id));
  if (!token) throw new NotFoundError('API Token not found');
  const accessKey = ctx.major === 5 && token.encryptedKey ? (decryptAccessKey(ctx.store.encryptionKey, token.encryptedKey) ?? undefined) : undefined;
  return json({ data: format(ctx, token, accessKey) });
};

export const update: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const raw = { ...bodyObject(ctx.body) };
  if ('name' in raw) raw.name = trim(raw.name);
  if ('description' in raw && raw.description !== null) raw.description = trim(raw.description);
  const body = validate(apiTokenUpdate, raw, ctx.major);
  const token = ctx.store.apiTokens.get(idOf(ctx.params.id));
  if (!token) throw new NotFoundError('API Token not found');
  if ('name' in body && ctx.store.apiTokens.first((t) => t.name === body.name && t.id !== token.id)) throw new ApplicationError('Name already taken');
  const type = (body.type as ApiTokenRecord['type'] | undefined) ?? token.type;
  const permissions = 'permissions' in body ? body.permissions : type === 'custom' ? token.permissions : undefined;
  checkPermissions(ctx, type, permissions);
  const updated = await ctx.store.apiTokens.update(token.id, {
    ...(body.name !== undefined ? { name: body.name as string } : {}),
    ...(body.description !== undefined ? { description: (body.description as string | null) ?? '' } : {}),
    type,
    permissions: type === 'custom' ? [...new Set(permissions as string[])] : [],
    updatedAt: ctx.store.now(),
  });
  return json({ data: format(ctx, updated!) });
};

export const regenerate: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const token = ctx.store.apiTokens.get(idOf(ctx.params.id));
  if (!token) throw new NotFoundError('API Token not found');
  const accessKey = newAccessKey();
  await ctx.store.apiTokens.update(token.id, { accessKey: ctx.store.hashAccessKey(accessKey), encryptedKey: ctx.major === 5 ? encryptAccessKey(ctx.store.encryptionKey, accessKey) : null });
  return json({ data: { id: token.id, accessKey, ...(ctx.major === 5 ? { kind: 'content-api' } : {}) } }, 201);
};

export const revoke: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const token = ctx.store.apiTokens.get(idOf(ctx.params.id));
  // Strapi answers 200 {data: null} for a token that is not there.
  if (!token) return json({ data: null });
  ctx.store.apiTokens.delete(token.id);
  return json({ data: format(ctx, token) });
};
