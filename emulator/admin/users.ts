// The admin API's authentication, users and roles (@strapi/admin controllers authentication,
// authenticated-user, user, role), compared with real 4.26.2 and 5.54.0.
import { randomBytes } from 'node:crypto';
import { type Handler, type Reply, type RequestContext, bodyObject, isObject, json } from '../http/context.js';
import { ApplicationError, BadRequestError, NotFoundError, RateLimitError, ValidationError, YupValidationError, errorBody, insteadOfStrapiCrash, toStrapiError } from '../http/errors.js';
import { countHit } from '../http/rate-limit.js';
import { validate } from '../http/yup.js';
import { newDocumentId } from '../users-permissions/user-service.js';
import { adminAuth, requireAdmin } from './auth.js';
import { formatAdminRole, formatAdminUser, idOf } from './format.js';
import { type AdminUserRecord, SUPER_ADMIN, adminOf } from './state.js';
import { adminRegistration, profileUpdate, renewToken as renewTokenSchema, userCreation, userUpdate } from './validation.js';

/**
 * admin::rateLimit: koa2-ratelimit, 5 requests per 5 minutes per `<email>:<path>:<ip>`, every
 * request counted, headers on every answer (the 429 too). v5 puts it on login and
 * register-admin, v4 on login only.
 */
function adminRateLimit(ctx: RequestContext): Record<string, string> {
  const body = bodyObject(ctx.body);
  const email = typeof body.email === 'string' ? body.email.toLowerCase() : 'unknownEmail';
  const path = ctx.url.pathname.toLowerCase().replace(/\/+/g, '/').replace(/\/$/, '');
  const outcome = countHit(ctx.store, `admin:${email}:${path}:${ctx.ip}`, { max: 5, interval: 5 * 60_000 });
  if (outcome.limited) throw Object.assign(new RateLimitError(), { headers: outcome.headers });
  return outcome.headers;
}

/** Runs a rate-limited handler: its headers go on the answer whatever it is, errors included. */
async function limited(ctx: RequestContext, run: () => Promise<Reply>): Promise<Reply> {
  let headers: Record<string, string> = {};
  try {
    headers = adminRateLimit(ctx);
    const reply = await run();
    return { ...reply, headers: { ...headers, ...reply.headers } };
  } catch (thrown) {
    const error = toStrapiError(thrown);
    if (error.status >= 500) throw thrown;
    return { status: error.status, json: errorBody(error), headers: { ...headers, ...((thrown as { headers?: Record<string, string> }).headers ?? {}) } };
  }
}

const secure = (ctx: RequestContext) => ctx.url.protocol === 'https:';

/** The answer of a login or first registration: v5 adds `accessToken` and sets the refresh cookie. */
async function session(ctx: RequestContext, user: AdminUserRecord, opts: { withRoles: boolean }): Promise<Reply> {
  const body = bodyObject(ctx.body);
  const state = adminOf(ctx.store);
  const issued = await adminAuth(ctx).issue(user, { rememberMe: body.rememberMe === true, deviceId: typeof body.deviceId === 'string' ? body.deviceId : undefined, secure: secure(ctx) });
  const data = { token: issued.token, ...(ctx.major === 5 ? { accessToken: issued.token } : {}), user: formatAdminUser(state, user, { roles: opts.withRoles }) };
  return { status: 200, json: { data }, cookies: issued.cookies };
}

export const init: Handler = (ctx) => json({ data: { uuid: false, hasAdmin: adminOf(ctx.store).hasAdmin(), menuLogo: null, authLogo: null } });

async function createAdmin(ctx: RequestContext, data: { email: string; firstname: string | null; lastname?: string | null; password: string | null; roles: number[]; isActive: boolean; registrationToken?: string | null }) {
  const state = adminOf(ctx.store);
  const now = ctx.store.now();
  return state.users.insert({
    documentId: newDocumentId(),
    firstname: data.firstname,
    lastname: data.lastname ?? null,
    username: null,
    email: data.email,
    password: data.password === null ? null : await ctx.services.passwords.hash(data.password),
    isActive: data.isActive,
    blocked: false,
    preferedLanguage: null,
    registrationToken: data.registrationToken ?? null,
    roles: data.roles,
    createdAt: now,
    updatedAt: now,
    publishedAt: ctx.major === 5 ? now : null,
  });
}

export const registerAdmin: Handler = (ctx) => {
  const run = async () => {
    const body = validate(adminRegistration, ctx.body, ctx.major);
    const state = adminOf(ctx.store);
    if (state.hasAdmin()) throw new ApplicationError('You cannot register a new super admin');
    const superAdmin = state.superAdminRole();
    if (!superAdmin) throw new ApplicationError("Cannot register the first admin because the super admin role doesn't exist.");
    const user = await createAdmin(ctx, { email: body.email as string, firstname: body.firstname as string, lastname: (body.lastname as string | undefined) ?? null, password: body.password as string, roles: [superAdmin.id], isActive: true });
    return session(ctx, user, { withRoles: true });
  };
  return ctx.major === 5 ? limited(ctx, run) : run();
};

export const login: Handler = (ctx) =>
  limited(ctx, async () => {
    const body = bodyObject(ctx.body);
    const { email, password } = body;
    // passport-local: a missing field (or one that is not a string) is "Missing credentials".
    if (typeof email !== 'string' || !email || typeof password !== 'string' || !password) throw new ApplicationError('Missing credentials');
    const state = adminOf(ctx.store);
    const user = state.users.first((u) => u.email === email.toLowerCase());
    if (!user || !user.password || !(await ctx.services.passwords.verify(password, user.password))) throw new ApplicationError('Invalid credentials');
    if (!user.isActive) throw new ApplicationError('User not active');
    // passport's user is read without its roles: the login answer has none (both majors).
    return session(ctx, user, { withRoles: false });
  });

/** v4 POST /admin/renew-token `{token}`: a new JWT for a valid one. */
export const renewToken: Handler = async (ctx) => {
  const body = validate(renewTokenSchema, ctx.body, ctx.major);
  const auth = adminAuth(ctx);
  const found = await auth.adminOf(body.token as string);
  if (!found) throw new ValidationError('Invalid token');
  return json({ data: { token: await auth.jwt.issue({ id: found.user.id }) } });
};

/** v5 POST /admin/access-token: the refresh cookie's session rotated, a new access token. */
export const accessToken: Handler = async (ctx) => {
  const auth = adminAuth(ctx);
  const refresh = auth.refreshTokenOf(ctx.request);
  if (!refresh) return unauthorized('Missing refresh token');
  const renewed = await auth.renewAccess(refresh, secure(ctx));
  if (!renewed) return unauthorized('Invalid refresh token');
  return { status: 200, json: { data: { token: renewed.token } }, cookies: renewed.cookies };
};

const unauthorized = (message: string): Reply => ({ status: 401, json: { data: null, error: { status: 401, name: 'UnauthorizedError', message, details: {} } } });

export const logout: Handler = async (ctx) => {
  const admin = await requireAdmin(ctx);
  const deviceId = bodyObject(ctx.body).deviceId;
  const cookies = adminAuth(ctx).logout(admin.id, secure(ctx), typeof deviceId === 'string' && deviceId ? deviceId : undefined);
  return { status: 200, json: { data: {} }, cookies: ctx.major === 5 ? cookies : [] };
};

export const me: Handler = async (ctx) => json({ data: formatAdminUser(adminOf(ctx.store), await requireAdmin(ctx)) });

export const updateMe: Handler = async (ctx) => {
  const admin = await requireAdmin(ctx);
  const raw = bodyObject(ctx.body);
  // v5 lower-cases the email before validating it (normalizeEmail); v4 refuses an upper-case one.
  const input = ctx.major === 5 && typeof raw.email === 'string' ? { ...raw, email: raw.email.toLowerCase() } : ctx.body;
  const body = validate(profileUpdate, input, ctx.major);
  // yup's when('password', …): currentPassword is required once a password is given.
  if (body.password !== undefined && (body.currentPassword === undefined || body.currentPassword === '')) throw new YupValidationError([{ path: ['currentPassword'], message: 'currentPassword is a required field', name: 'ValidationError' }]);
  const { currentPassword, ...changes } = body;
  const changingPassword = !!currentPassword && !!changes.password;
  if (changingPassword && !(await ctx.services.passwords.verify(currentPassword, admin.password))) throw new BadRequestError('ValidationError', { currentPassword: ['Invalid credentials'] });
  const state = adminOf(ctx.store);
  if (changes.email !== undefined && state.users.first((u) => u.email === changes.email && u.id !== admin.id)) throw new BadRequestError('ValidationError', { email: ['Email already taken'] });
  // v5 ends every session of an admin whose password changes (this access token included).
  if (changingPassword && ctx.major === 5) for (const s of state.sessions.where((s) => s.userId === String(admin.id))) state.sessions.delete(s.id);
  return json({ data: formatAdminUser(state, await writeUser(ctx, admin, changes)) });
};

async function writeUser(ctx: RequestContext, user: AdminUserRecord, changes: Record<string, unknown>): Promise<AdminUserRecord> {
  const state = adminOf(ctx.store);
  if (typeof changes.email === 'string' && state.users.first((u) => u.email === changes.email && u.id !== user.id)) throw new ApplicationError('A user with this email address already exists');
  const superAdmin = state.superAdminRole();
  const lastSuperAdmin = !!superAdmin && user.roles.includes(superAdmin.id) && state.users.count((u) => u.roles.includes(superAdmin.id)) === 1;
  const roles = Array.isArray(changes.roles) ? (changes.roles as unknown[]).map(Number) : undefined;
  if (lastSuperAdmin && ((roles && !roles.includes(superAdmin!.id)) || changes.isActive === false)) throw new ValidationError('You must have at least one user with super admin role.');
  if (roles?.some((id) => !state.roles.has(id))) throw insteadOfStrapiCrash(`admin role ${roles.find((id) => !state.roles.has(id))} does not exist: real Strapi fails on the roles link`);
  const patch: Partial<AdminUserRecord> = { updatedAt: ctx.store.now() };
  for (const key of ['email', 'firstname', 'lastname', 'username', 'isActive', 'preferedLanguage'] as const) if (key in changes) (patch as Record<string, unknown>)[key] = changes[key];
  if (roles) patch.roles = [...new Set(roles)];
  if (typeof changes.password === 'string') patch.password = await ctx.services.passwords.hash(changes.password);
  // A null patch value is a write of null: Table.update skips undefined only.
  return (await state.users.update(user.id, patch))!;
}


export const find: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const state = adminOf(ctx.store);
  const page = Math.max(Number(ctx.query.page) || 1, 1);
  const pageSize = Math.max(Number(ctx.query.pageSize) || 10, 1);
  const all = state.users.all();
  const results = all.slice((page - 1) * pageSize, page * pageSize).map((u) => formatAdminUser(state, u));
  return json({ data: { results, pagination: { page, pageSize, pageCount: Math.ceil(all.length / pageSize), total: all.length } } });
};

export const findOne: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const state = adminOf(ctx.store);
  const user = state.users.get(idOf(ctx.params.id));
  if (!user) throw new NotFoundError('User does not exist');
  return json({ data: formatAdminUser(state, user) });
};

export const create: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const raw = bodyObject(ctx.body);
  const body = validate(userCreation, { ...raw, email: typeof raw.email === 'string' ? raw.email.toLowerCase() : raw.email === undefined ? '' : raw.email }, ctx.major);
  const state = adminOf(ctx.store);
  if (state.users.first((u) => u.email === body.email)) throw new ApplicationError('Email already taken');
  const roles = Array.isArray(body.roles) ? [...new Set((body.roles as unknown[]).map(Number))] : [];
  if (roles.some((id) => !state.roles.has(id))) throw insteadOfStrapiCrash('an admin role given does not exist: real Strapi fails on the roles link');
  const user = await createAdmin(ctx, { email: body.email as string, firstname: body.firstname as string, lastname: (body.lastname as string | undefined) ?? null, password: null, roles, isActive: false, registrationToken: randomBytes(20).toString('hex') });
  return json({ data: { ...formatAdminUser(state, user), registrationToken: user.registrationToken } }, 201);
};

export const update: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const body = validate(userUpdate, ctx.body, ctx.major);
  const state = adminOf(ctx.store);
  const user = state.users.get(idOf(ctx.params.id));
  if (!user) throw new NotFoundError('User does not exist');
  return json({ data: formatAdminUser(state, await writeUser(ctx, user, body)) });
};

export const destroy: Handler = async (ctx) => {
  // v5's "You cannot delete your own user" compares the admin's numeric id with the string
  // path parameter, so it never fires (v4 has no such check): only the Super Admin rule protects.
  await requireAdmin(ctx);
  const state = adminOf(ctx.store);
  const user = state.users.get(idOf(ctx.params.id));
  if (!user) throw new NotFoundError('User not found');
  const superAdmin = state.superAdminRole();
  if (superAdmin && user.roles.includes(superAdmin.id) && state.users.count((u) => u.roles.includes(superAdmin.id)) === 1) throw new ValidationError('You must have at least one user with super admin role.');
  const answer = formatAdminUser(state, user);
  state.users.delete(user.id);
  for (const s of state.sessions.where((s) => s.userId === String(user.id))) state.sessions.delete(s.id);
  return json({ data: answer });
};

export const rolesFind: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const state = adminOf(ctx.store);
  return json({ data: state.roles.all().map((r) => formatAdminRole(state, r)) });
};

export const rolesFindOne: Handler = async (ctx) => {
  await requireAdmin(ctx);
  const state = adminOf(ctx.store);
  const role = state.roles.get(idOf(ctx.params.id));
  if (!role) throw new NotFoundError('role.notFound');
  return json({ data: formatAdminRole(state, role) });
};

/** Seeds an admin (option `admins`, seed file, control API): active, with a password, Super Admin unless roles are given. */
export async function seedAdmin(ctx: Pick<RequestContext, 'store' | 'services' | 'major'>, input: unknown): Promise<AdminUserRecord> {
  if (!isObject(input)) throw new ValidationError('An admin must be an object like {email, password}');
  const { email, password, firstname, lastname, roles } = input;
  if (typeof email !== 'string' || !email.includes('@')) throw new ValidationError('admin email must be an email address');
  if (typeof password !== 'string' || password.length < 1) throw new ValidationError('admin password must be a non-empty string');
  const state = adminOf(ctx.store);
  if (state.users.first((u) => u.email === email.toLowerCase())) throw new ValidationError(`an admin with the email ${email.toLowerCase()} exists already`);
  const wanted = roles === undefined ? [SUPER_ADMIN] : roles;
  if (!Array.isArray(wanted) || wanted.some((r) => typeof r !== 'string')) throw new ValidationError('admin roles must be a list of role codes or names');
  const roleIds = (wanted as string[]).map((r) => {
    const role = state.roles.first((x) => x.code === r || x.name.toLowerCase() === r.toLowerCase() || x.code === `strapi-${r.toLowerCase()}`);
    if (!role) throw new ValidationError(`no admin role ${JSON.stringify(r)} (known: ${state.roles.all().map((x) => x.code).join(', ')})`);
    return role.id;
  });
  return createAdmin(ctx as RequestContext, { email: email.toLowerCase(), firstname: typeof firstname === 'string' ? firstname : email.split('@')[0], lastname: typeof lastname === 'string' ? lastname : null, password, roles: roleIds, isActive: true });
}
