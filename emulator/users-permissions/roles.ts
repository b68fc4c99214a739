// users-permissions' role and permissions controllers. Roles are listed by name with
// nb_users; findOne carries the whole action tree with the role's actions enabled; create and
// update answer {ok:true} without validating (a missing name is null, the type is derived
// from the name); update replaces the role's whole action set with the enabled actions it
// sends; delete moves the role's users to the Public role.
import { type Handler, type RequestContext, json } from '../http/context.js';
import { ApplicationError, NotFoundError, ValidationError, insteadOfStrapiCrash } from '../http/errors.js';
import { formatRole } from '../http/format.js';
import { grant } from '../seed.js';
import { createRole as insertRole } from '../seed.js';
import type { RoleRecord } from '../store/records.js';
import { roleTree } from './actions.js';
import { roleTypeFromName } from './strings.js';
import { toId } from './user-service.js';

/** lodash isEmpty for a request body. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return true;
}

function roleBody(ctx: RequestContext, update = false): Record<string, unknown> {
  if (isEmpty(ctx.body)) throw new ValidationError('Request body cannot be empty');
  if (typeof ctx.body !== 'object') {
    // A non-empty text body is a string. Creating: real Strapi's service crashes assigning
    // `params.type`. Updating: it reads no name, description or permissions from it — so the
    // role loses every permission (200, compared with real 4.26.2 and 5.54.0).
    if (update) return {};
    throw insteadOfStrapiCrash('The request body must be a JSON object');
  }
  return ctx.body as Record<string, unknown>;
}

/** The enabled actions of a permission tree (`{<uid>: {controllers: {<c>: {<a>: {enabled}}}}}`). */
export function enabledActions(tree: unknown): string[] {
  const out: string[] = [];
  if (typeof tree !== 'object' || tree === null) return out;
  for (const [type, entry] of Object.entries(tree as Record<string, unknown>)) {
    const controllers = (entry as { controllers?: unknown } | null)?.controllers;
    if (typeof controllers !== 'object' || controllers === null) continue;
    for (const [controller, actions] of Object.entries(controllers as Record<string, unknown>)) {
      if (typeof actions !== 'object' || actions === null) continue;
      for (const [name, action] of Object.entries(actions as Record<string, unknown>)) {
        if (typeof action === 'object' && action !== null && (action as { enabled?: unknown }).enabled) out.push(`${type}.${controller}.${name}`);
      }
    }
  }
  return out;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

export const find: Handler = (ctx) => {
  // In id order (not by name): real 4.26.2 and 5.54.0 list Zeta (3) before Alpha (4).
  const roles = ctx.store.roles.all().sort((a, b) => a.id - b.id);
  return json({ roles: roles.map((r) => formatRole(ctx.major, r, { nb_users: ctx.store.users.by('role', r.id).length })) });
};

export const findOne: Handler = (ctx) => {
  const id = toId(ctx.params.id);
  const role = id === undefined ? undefined : ctx.store.roles.get(id);
  if (!role) throw new NotFoundError('Role not found');
  const granted = ctx.store.permissions.by('role', role.id).map((p) => p.action);
  return json({ role: formatRole(ctx.major, role, { permissions: roleTree(ctx.services.actions, granted) }) });
};

export const createRole: Handler = async (ctx) => {
  const body = roleBody(ctx);
  const type = body.type ? text(body.type) : roleTypeFromName(body.name);
  const role = await insertRole(ctx.store, ctx.major, { name: text(body.name), description: text(body.description), type });
  await grant(ctx.store, role.id, enabledActions(body.permissions));
  return json({ ok: true });
};

export const updateRole: Handler = async (ctx) => {
  const body = roleBody(ctx, true);
  const id = toId(ctx.params.id);
  const role = id === undefined ? undefined : ctx.store.roles.get(id);
  if (!role) throw new NotFoundError('Role not found');
  const now = ctx.store.now();
  await ctx.store.roles.update(role.id, {
    ...('name' in body ? { name: text(body.name) } : {}),
    ...('description' in body ? { description: text(body.description) } : {}),
    updatedAt: now,
    ...(ctx.major === 5 ? { publishedAt: now } : {}),
  });
  const wanted = enabledActions(body.permissions);
  for (const p of ctx.store.permissions.by('role', role.id)) if (!wanted.includes(p.action)) ctx.store.permissions.delete(p.id);
  await grant(ctx.store, role.id, wanted);
  return json({ ok: true });
};

export const deleteRole: Handler = async (ctx) => {
  const publicRole = ctx.store.roles.one('type', 'public');
  if (!publicRole) throw insteadOfStrapiCrash('There is no public role: real Strapi reads its id unguarded while moving the deleted role\'s users');
  if (ctx.params.id === String(publicRole.id)) throw new ApplicationError('Cannot delete public role');
  const id = toId(ctx.params.id);
  const role = id === undefined ? undefined : ctx.store.roles.get(id);
  if (!role) throw new NotFoundError('Role not found');
  for (const user of ctx.store.users.by('role', role.id)) await ctx.services.users.patch(user.id, { role: publicRole.id }, false);
  for (const p of ctx.store.permissions.by('role', role.id)) ctx.store.permissions.delete(p.id);
  ctx.store.roles.delete(role.id);
  return json({ ok: true });
};

export const getPermissions: Handler = (ctx) => json({ permissions: ctx.services.actions });
