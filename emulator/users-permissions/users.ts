// users-permissions' user controller: /api/users (a bare array, pagination ignored on v5,
// top-level start/limit honoured on v4), /count (a bare number), /me, findOne (204 when
// missing), create (201, role populated), update (role populated), destroy.
import type { Major } from '../config.js';
import { requireJsonBody } from '../http/body.js';
import { type Handler, type RequestContext, json, noContent } from '../http/context.js';
import { can } from '../http/permissions.js';
import { ApplicationError, NotFoundError, UnauthorizedError, ValidationError, insteadOfStrapiCrash } from '../http/errors.js';
import { formatUser } from '../http/format.js';
import { type Model, type QueryEnv, compileFilters, fieldList, populateList, sortRows, validateQuery } from '../http/query.js';
import { validate } from '../http/yup.js';
import type { UserRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { toId, userFieldsOf } from './user-service.js';
import { queryEnvFor } from '../documents/handlers.js';
import type { Rec } from '../documents/links.js';
import { Presenter } from '../documents/output.js';
import { parsePopulate } from '../documents/populate.js';
import { documentService } from '../documents/service.js';
import { contentOf } from '../documents/state.js';
import * as schemas from './validation.js';

const USER = 'plugin::users-permissions.user';
const ROLE = 'plugin::users-permissions.role';

/** The timestamps every users-permissions model has (v5 adds publishedAt to all of them). */
const timestamps = (major: Major): Model['attributes'] => ({
  createdAt: { type: 'datetime' },
  updatedAt: { type: 'datetime' },
  ...(major === 5 ? { publishedAt: { type: 'datetime' } } : {}),
});

/**
 * The user model; with a project's extension (src/extensions/users-permissions/content-types/
 * user/schema.json) its attributes are the extension's, as Strapi's shallow merge makes them.
 */
export function userModel(major: Major, extension?: { attributes: Model['attributes'] }): Model {
  if (extension) {
    // The plugin's own attributes the file leaves out stay (users-permissions' code needs them).
    const own = userModel(major).attributes;
    const kept = Object.fromEntries(Object.entries(own).filter(([name]) => !(name in extension.attributes)));
    return { uid: USER, attributes: { ...extension.attributes, ...kept, ...timestamps(major) } };
  }
  return {
    uid: USER,
    attributes: {
      username: { type: 'string' },
      email: { type: 'email' },
      provider: { type: 'string' },
      password: { type: 'password', private: true },
      resetPasswordToken: { type: 'string', private: true },
      confirmationToken: { type: 'string', private: true },
      confirmed: { type: 'boolean' },
      blocked: { type: 'boolean' },
      role: { type: 'relation', target: ROLE },
      ...timestamps(major),
    },
  };
}

export function roleModel(major: Major): Model {
  return {
    uid: ROLE,
    attributes: {
      name: { type: 'string' },
      description: { type: 'string' },
      type: { type: 'string' },
      permissions: { type: 'relation', target: PERMISSION },
      users: { type: 'relation', target: USER },
      ...timestamps(major),
    },
  };
}

export const PERMISSION = 'plugin::users-permissions.permission';

/** What filters may name on a role's permissions (`filters[role][permissions][action]`). */
export function permissionModel(major: Major): Model {
  return {
    uid: PERMISSION,
    attributes: {
      action: { type: 'string' },
      role: { type: 'relation', target: ROLE },
      ...timestamps(major),
    },
  };
}

/**
 * The rows a users-permissions relation joins to, as Strapi's join tables answer them: a user's
 * role, a role's users and permissions, a permission's role (undefined: not such a relation).
 * Filters and sorts go through them (`filters[role][permissions][action]=…`,
 * `filters[author][role][users][username]=…`, as on real 4.26.2 and 5.54.0).
 */
export function pluginLinks(store: Store, uid: string, attribute: string, record: Record<string, unknown>): Array<Record<string, unknown>> | undefined {
  const one = <T>(row: T | undefined) => (row ? [row as Record<string, unknown>] : []);
  if ((uid === USER || uid === PERMISSION) && attribute === 'role') return one(typeof record.role === 'number' ? store.roles.get(record.role) : undefined);
  if (uid === ROLE && attribute === 'users') return typeof record.id === 'number' ? store.users.by('role', record.id) : [];
  if (uid === ROLE && attribute === 'permissions') return typeof record.id === 'number' ? store.permissions.by('role', record.id) : [];
  return undefined;
}

/**
 * The query environment of the users routes: the registry's models (with a project's user
 * extension, filters and populate reach its relations and media through the documents' links).
 */
function queryEnv(ctx: RequestContext): QueryEnv {
  const content = contentOf(ctx.store);
  return queryEnvFor(ctx, content, documentService(content), content.registry.get(USER));
}

/** A user with the query's fields/populate applied. */
function present(ctx: RequestContext, user: UserRecord): Record<string, unknown> {
  const env = queryEnv(ctx);
  const fields = ctx.query.fields ? fieldList(ctx.query.fields).filter((f) => f !== '*') : undefined;
  const populate = ctx.query.populate ? populateList(env, ctx.query.populate) : {};
  const content = contentOf(ctx.store);
  const out = formatUser(ctx.major, user, { fields: fields && fields.length ? fields : undefined, role: 'role' in populate ? ctx.services.users.roleOf(user) : undefined, names: content.registry.userFields() });
  const extras = Object.keys(populate).filter((name) => name !== 'role');
  if (!extras.length) return out;
  // A user extension's links, in the order real Strapi answers them (the query's, or the schema's for `*`).
  const model = content.registry.get(USER);
  const p = { env, registry: content.registry };
  const { role: _role, ...tree } = parsePopulate(p, model, ctx.query.populate);
  const presenter = new Presenter(documentService(content).links, p, false, true);
  return { ...out, ...presenter.populated(model, user as unknown as Rec, tree) };
}

function filtered(ctx: RequestContext, rows: UserRecord[]): UserRecord[] {
  if (!ctx.query.filters) return rows;
  const test = compileFilters(queryEnv(ctx), ctx.query.filters);
  return rows.filter((r) => test(r as unknown as Record<string, unknown>));
}

const intParam = (v: unknown): number | undefined => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : undefined);

export const find: Handler = (ctx) => {
  const env = queryEnv(ctx);
  validateQuery(env, ctx.query);
  let rows = sortRows(env, filtered(ctx, ctx.store.users.all()), ctx.query.sort) as UserRecord[];
  if (ctx.major === 4) {
    // entityService.findMany honours start/limit; page-based pagination is not applied here.
    const start = Math.max(intParam(ctx.query.start) ?? 0, 0);
    const limit = intParam(ctx.query.limit);
    rows = rows.slice(start, limit !== undefined && limit >= 0 ? start + limit : undefined);
  }
  return json(rows.map((u) => present(ctx, u)));
};

export const count: Handler = (ctx) => {
  const env = queryEnv(ctx);
  validateQuery(env, ctx.query);
  if (ctx.major === 5) return json(filtered(ctx, ctx.store.users.all()).length);
  // v4 passes the whole query as the `where` of a db count: attribute keys filter, anything
  // else (`filters` included) is not a column and the database call fails.
  const model = env.model;
  for (const key of Object.keys(ctx.query)) {
    const attribute = model.attributes[key];
    if (key === 'id' || ['$or', '$and', '$not'].includes(key)) continue;
    // Real Strapi 4 fails in the database call (500).
    if (!attribute || attribute.private || attribute.type === 'password') throw insteadOfStrapiCrash(`Invalid parameter ${key}: v4 counts users by plain attribute keys (e.g. ?blocked=true), not filters[…]`);
  }
  const test = compileFilters(env, ctx.query);
  return json(ctx.store.users.all().filter((u) => test(u as unknown as Record<string, unknown>)).length);
};

export const me: Handler = (ctx) => {
  if (ctx.caller.kind !== 'user') throw new UnauthorizedError('Unauthorized');
  validateQuery(queryEnv(ctx), ctx.query);
  const user = ctx.store.users.get(ctx.caller.user.id);
  const [match] = user ? (ctx.major === 5 ? filtered(ctx, [user]) : [user]) : [];
  return match ? json(present(ctx, match)) : noContent();
};

export const findOne: Handler = (ctx) => {
  validateQuery(queryEnv(ctx), ctx.query);
  const user = ctx.services.users.get(ctx.params.id);
  // v5 applies `filters` to findOne too; v4's entityService.findOne only takes fields/populate.
  const [match] = user ? (ctx.major === 5 ? filtered(ctx, [user]) : [user]) : [];
  return match ? json(present(ctx, match)) : noContent();
};


/** create/update populate the role; the output sanitizer drops it for a caller that cannot read roles. */
const withRole = (ctx: RequestContext, user: UserRecord) =>
  formatUser(ctx.major, user, { names: userFieldsOf(ctx.store), ...(can(ctx.caller, `${ROLE}.find`) ? { role: ctx.services.users.roleOf(user) } : {}) });

export const create: Handler = async (ctx) => {
  validate(schemas.createUserSchema(ctx.major), ctx.body, ctx.major);
  const body = requireJsonBody(ctx.body);
  const { email, username, role } = body as { email: string; username: string; role: unknown };
  const assertFree = () => {
    if (ctx.store.users.one('username', username) && !email) throw new ApplicationError('Username already taken');
    if (ctx.store.advanced.unique_email && ctx.store.users.one('email', email.toLowerCase())) throw new ApplicationError('Email already taken');
  };
  const data: Record<string, unknown> = { ...body, email: email.toLowerCase(), provider: 'local' };
  if (!role) data.role = ctx.store.roles.one('type', ctx.store.advanced.default_role)?.id;
  let user: UserRecord;
  try {
    user = await ctx.services.users.add(data, assertFree);
  } catch (error) {
    // The controller turns any creation error into an ApplicationError with its message.
    throw new ApplicationError((error as Error).message);
  }
  return json(withRole(ctx, user), 201);
};

export const update: Handler = async (ctx) => {
  const body = requireJsonBody(ctx.body);
  const { email, username, password } = body as { email?: string; username?: string; password?: unknown };
  const user = ctx.services.users.get(ctx.params.id);
  if (!user) throw new NotFoundError('User not found');
  validate(schemas.updateUserSchema(ctx.major), body, ctx.major);
  if (user.provider === 'local' && 'password' in body && !password) throw new ValidationError('password.notNull');
  const uniqueEmail = 'email' in body && ctx.store.advanced.unique_email;
  const assertFree = () => {
    if ('username' in body) {
      const other = ctx.store.users.one('username', username);
      if (other && String(other.id) !== String(user.id)) throw new ApplicationError('Username already taken');
    }
    if (uniqueEmail) {
      const other = ctx.store.users.one('email', String(email).toLowerCase());
      if (other && String(other.id) !== String(user.id)) throw new ApplicationError('Email already taken');
    }
  };
  const data: Record<string, unknown> = { ...body };
  if (uniqueEmail) data.email = String(email).toLowerCase();
  let updated: UserRecord | undefined;
  try {
    updated = await ctx.services.users.edit(user.id, data, assertFree);
  } catch (error) {
    // v4's entity validator reports a missing relation as a yup error without a path.
    if (ctx.major === 4 && error instanceof ValidationError && !('errors' in (error.details ?? {}))) {
      throw new ValidationError(error.message, { errors: [{ path: [], message: error.message, name: 'ValidationError' }] });
    }
    throw error;
  }
  return json(withRole(ctx, updated!));
};

export const destroy: Handler = (ctx) => {
  const id = toId(ctx.params.id);
  const removed = id === undefined ? undefined : ctx.services.users.remove(id);
  return removed ? json(formatUser(ctx.major, removed, { names: userFieldsOf(ctx.store) })) : noContent();
};
