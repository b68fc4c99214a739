// users-permissions' auth controller (controllers/auth.js of 4.26.2 and 5.54.0): local
// login, register, forgot/reset/change password, email confirmation, and Strapi 5's
// refresh/logout. Checks run in the controller's order, with its exact messages.
import { randomUUID } from 'node:crypto';
import { requireJsonBody } from '../http/body.js';
import { type Handler, type Reply, type RequestContext, json } from '../http/context.js';
import { ApplicationError, BadRequestError, NotFoundError, UnauthorizedError, ValidationError } from '../http/errors.js';
import { formatUser } from '../http/format.js';
import { validate } from '../http/yup.js';
import type { UserRecord } from '../store/records.js';
import * as schemas from './validation.js';
import { userFieldsOf } from './user-service.js';
import { USER } from '../documents/models.js';
import { readRefreshCookie, refreshCookieLines, wantsRefreshCookie } from './refresh-cookie.js';
import type { SessionMetadata } from './sessions.js';
import { deviceName } from './user-agent.js';
import type { Content } from '../documents/state.js';

const sanitizeUser = (ctx: RequestContext, user: UserRecord) => formatUser(ctx.major, user, { names: userFieldsOf(ctx.store) });


function deviceIdOf(body: unknown): string | undefined {
  const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).deviceId : undefined;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** buildSessionMetadata: when and from what the user logged in (kept across rotations). */
function loginMetadata(ctx: RequestContext): SessionMetadata {
  const name = deviceName(ctx.request.headers.get('user-agent'));
  return { loginAt: ctx.store.now(), ...(name ? { deviceName: name } : {}) };
}

type SessionStart = { deviceId?: string; metadata?: SessionMetadata; cookie: boolean };

/**
 * Strapi 5 refresh mode: a new session → `{jwt, refreshToken, user}`, or, when the refresh
 * cookie is wanted (login and OAuth callback only), `{jwt, user}` and the cookie.
 */
export async function refreshAuthResponse(ctx: RequestContext, user: UserRecord, start: SessionStart): Promise<Reply> {
  const { sessions } = ctx.services;
  const refresh = await sessions.generateRefreshToken(String(user.id), start.deviceId, start.metadata);
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new ApplicationError('Invalid credentials');
  if (start.cookie && wantsRefreshCookie(ctx)) {
    return { ...json({ jwt: access.token, user: sanitizeUser(ctx, user) }), cookies: refreshCookieLines(ctx.config, refresh.token, ctx.store.clock.now()) };
  }
  return json({ jwt: access.token, refreshToken: refresh.token, user: sanitizeUser(ctx, user) });
}

/** A login's session (local or provider): the body's deviceId, the login metadata, the cookie if wanted. */
export const loginSession = (ctx: RequestContext): SessionStart => ({ deviceId: deviceIdOf(ctx.body), metadata: loginMetadata(ctx), cookie: true });

/** After a password change in refresh mode every session of the user ends and a new one starts (no metadata, no cookie). */
async function reissueAfterPasswordChange(ctx: RequestContext, user: UserRecord): Promise<Reply> {
  ctx.services.sessions.invalidateRefreshToken(String(user.id));
  return refreshAuthResponse(ctx, user, { deviceId: deviceIdOf(ctx.body) ?? randomUUID(), cookie: false });
}

const refreshMode = (ctx: RequestContext) => ctx.major === 5 && ctx.config.jwtManagement === 'refresh';

export const callback: Handler = async (ctx) => {
  const params = ctx.body;
  validate(schemas.callbackSchema(), params, ctx.major);
  const { identifier, password } = requireJsonBody(ctx.body) as { identifier: string; password: string };
  const { passwords } = ctx.services;
  // Through the email and username indexes (not a scan); the lowest id wins, as the first row sqlite finds.
  const user = [...ctx.store.users.by('email', identifier.toLowerCase()), ...ctx.store.users.by('username', identifier)].filter((u) => u.provider === 'local').sort((a, b) => a.id - b.id)[0];
  if (!user || !user.password) throw new ValidationError('Invalid identifier or password');
  if (!(await passwords.verify(password, user.password))) throw new ValidationError('Invalid identifier or password');
  if (ctx.store.advanced.email_confirmation && user.confirmed !== true) throw new ApplicationError('Your account email is not confirmed');
  if (user.blocked === true) throw new ApplicationError('Your account has been blocked by an administrator');
  if (refreshMode(ctx)) return refreshAuthResponse(ctx, user, loginSession(ctx));
  return json({ jwt: await ctx.services.jwt.issue({ id: user.id }), user: sanitizeUser(ctx, user) });
};

/** v4 register without allowedFields: the keys it never takes from the body, even when they are user attributes. */
const v4Excluded = ['confirmed', 'blocked', 'confirmationToken', 'resetPasswordToken', 'provider', 'id', 'role', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'publishedAt', 'strapi_reviewWorkflows_stage'];

/**
 * The body keys register takes: username, email and password, plus `register.allowedFields`
 * (not filtered: a project may allow a private field). Without that setting v5 takes nothing
 * more, while v4 takes every public attribute of the user but its system ones.
 */
function registerKeys(ctx: RequestContext): string[] {
  const always = ['username', 'password', 'email'];
  const configured = ctx.config.registerAllowedFields;
  if (configured) return [...new Set([...always, ...configured])];
  if (ctx.major === 5) return always;
  const content = ctx.store.extension<Content>('content');
  const attributes = content ? content.registry.get(USER).attributes : {};
  const more = Object.entries(attributes).filter(([name, a]) => !a.private && a.type !== 'password' && !v4Excluded.includes(name) && !always.includes(name)).map(([name]) => name);
  return [...always, ...more];
}

export const register: Handler = async (ctx) => {
  const settings = ctx.store.advanced;
  if (!settings.allow_register) throw new ApplicationError('Register action is currently disabled');
  const allowed = registerKeys(ctx);
  let params: Record<string, unknown>;
  if (ctx.major === 5) {
    const invalid = Object.keys(requireJsonBody(ctx.body)).filter((k) => !allowed.includes(k));
    if (invalid.length) throw new ValidationError(`Invalid parameters: ${invalid.join(', ')}`);
  }
  // v4 silently drops every other key. It _.pick()s them, which finds nothing in a string body
  // (text/plain): `in` would throw on one.
  const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<string, unknown>;
  params = Object.fromEntries(allowed.filter((k) => k in body).map((k) => [k, body[k]]));
  params = { ...params, provider: 'local' };
  validate(schemas.registerSchema(ctx.major), params, ctx.major);
  const role = ctx.store.roles.one('type', settings.default_role);
  if (!role) throw new ApplicationError('Impossible to find the default role');
  const email = params.email as string;
  const username = params.username as string;
  // Every user whose email or username is the given email or username (through the indexes, not a scan).
  const conflicting = (): UserRecord[] => {
    const users = ctx.store.users;
    return [...users.by('email', email.toLowerCase()), ...users.by('username', email.toLowerCase()), ...users.by('username', username), ...users.by('email', username)];
  };
  const assertFree = () => {
    const found = conflicting();
    if (found.some((u) => u.provider === 'local')) throw new ApplicationError('Email or Username are already taken');
    if (settings.unique_email && found.length > 0) throw new ApplicationError('Email or Username are already taken');
  };
  assertFree();
  const user = await ctx.services.users.add({ ...params, role: role.id, email: email.toLowerCase(), username, confirmed: !settings.email_confirmation }, assertFree);
  const sanitized = sanitizeUser(ctx, user);
  if (settings.email_confirmation) {
    await ctx.services.mailer.sendConfirmation(user, ctx.serverUrl);
    return json({ user: sanitized });
  }
  if (refreshMode(ctx)) {
    const reply = await refreshAuthResponse(ctx, user, { deviceId: deviceIdOf(ctx.body) ?? randomUUID(), metadata: loginMetadata(ctx), cookie: false });
    return json({ ...(reply.json as object), user: sanitized });
  }
  return json({ jwt: await ctx.services.jwt.issue({ id: user.id }), user: sanitized });
};

export const forgotPassword: Handler = async (ctx) => {
  validate(schemas.forgotPasswordSchema(), ctx.body, ctx.major);
  const { email } = requireJsonBody(ctx.body) as { email: string };
  const user = ctx.store.users.one('email', email.toLowerCase());
  if (!user || user.blocked) return json({ ok: true });
  await ctx.services.mailer.sendResetPassword(user);
  return json({ ok: true });
};

export const resetPassword: Handler = async (ctx) => {
  validate(schemas.resetPasswordSchema(ctx.major), ctx.body, ctx.major);
  const { password, passwordConfirmation, code } = requireJsonBody(ctx.body) as Record<string, string>;
  if (password !== passwordConfirmation) throw new ValidationError('Passwords do not match');
  const user = code === null ? undefined : ctx.store.users.one('resetPasswordToken', code);
  if (!user) throw new ValidationError('Incorrect code provided');
  await ctx.services.users.edit(user.id, { resetPasswordToken: null, password });
  if (refreshMode(ctx)) return reissueAfterPasswordChange(ctx, user);
  // Strapi answers with the user as it was read before the change.
  return json({ jwt: await ctx.services.jwt.issue({ id: user.id }), user: sanitizeUser(ctx, user) });
};

export const changePassword: Handler = async (ctx) => {
  if (ctx.caller.kind !== 'user') throw new ApplicationError('You must be authenticated to reset your password');
  validate(schemas.changePasswordSchema(ctx.major), ctx.body, ctx.major);
  const { currentPassword, password } = requireJsonBody(ctx.body) as Record<string, string>;
  const user = ctx.store.users.get(ctx.caller.user.id)!;
  if (!(await ctx.services.passwords.verify(currentPassword, user.password))) throw new ValidationError('The provided current password is invalid');
  if (currentPassword === password) throw new ValidationError('Your new password must be different than your current password');
  await ctx.services.users.edit(user.id, { password });
  if (refreshMode(ctx)) return reissueAfterPasswordChange(ctx, user);
  return json({ jwt: await ctx.services.jwt.issue({ id: user.id }), user: sanitizeUser(ctx, user) });
};

/** encodeurl (what Koa applies to Location): encode what a URL cannot hold, keep valid %XX escapes. */
export function encodeUrl(url: string): string {
  return url
    .replace(/(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF]([^\uDC00-\uDFFF]|$)/g, '$1\uFFFD$2')
    .replace(/(?:[^\x21\x23-\x3B\x3D\x3F-\x5F\x61-\x7A\x7C\x7E]|%(?:[^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|$))+/g, encodeURI);
}

/** Koa's ctx.redirect(): 302, Location, and a short HTML (or, when HTML is not accepted, text) body. */
export function redirect(ctx: RequestContext, to: string): Reply {
  const location = encodeUrl(to);
  const accept = ctx.request.headers.get('accept');
  const wantsHtml = !accept || /(^|,)\s*(text\/html|text\/\*|\*\/\*)/.test(accept);
  if (wantsHtml) {
    const escaped = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return { status: 302, text: `Redirecting to <a href="${escaped}">${escaped}</a>.`, contentType: 'text/html; charset=utf-8', headers: { Location: location } };
  }
  return { status: 302, text: `Redirecting to ${location}.`, contentType: 'text/plain; charset=utf-8', headers: { Location: location } };
}

export const emailConfirmation: Handler = async (ctx) => {
  validate(schemas.emailConfirmationSchema(), ctx.query, ctx.major);
  const token = ctx.query.confirmation as string;
  const user = token === null ? undefined : ctx.store.users.one('confirmationToken', token);
  if (!user) throw new ValidationError('Invalid token');
  await ctx.services.users.edit(user.id, { confirmed: true, confirmationToken: null });
  return redirect(ctx, ctx.store.advanced.email_confirmation_redirection || '/');
};

export const sendEmailConfirmation: Handler = async (ctx) => {
  validate(schemas.sendEmailConfirmationSchema(), ctx.body, ctx.major);
  const { email } = requireJsonBody(ctx.body) as { email: string };
  const user = ctx.store.users.one('email', email.toLowerCase());
  if (!user) return json({ email, sent: true });
  if (user.confirmed) throw new ApplicationError('Already confirmed');
  if (user.blocked) throw new ApplicationError('User blocked');
  await ctx.services.mailer.sendConfirmation(user, ctx.serverUrl);
  return json({ email: user.email, sent: true });
};

export const refresh: Handler = async (ctx) => {
  if (!refreshMode(ctx)) throw new NotFoundError('Not Found');
  const body = ctx.body as Record<string, unknown> | undefined;
  const refreshToken = readRefreshCookie(ctx) ?? body?.refreshToken;
  if (!refreshToken || typeof refreshToken !== 'string') throw new BadRequestError('Missing refresh token');
  const rotation = await ctx.services.sessions.rotateRefreshToken(refreshToken);
  if ('error' in rotation) throw new UnauthorizedError('Invalid refresh token');
  const access = await ctx.services.sessions.generateAccessToken(rotation.token);
  if ('error' in access) throw new UnauthorizedError('Invalid refresh token');
  if (wantsRefreshCookie(ctx)) return { ...json({ jwt: access.token }), cookies: refreshCookieLines(ctx.config, rotation.token, ctx.store.clock.now()) };
  return json({ jwt: access.token, refreshToken: rotation.token });
};

export const logout: Handler = async (ctx) => {
  if (!refreshMode(ctx)) throw new NotFoundError('Not Found');
  if (ctx.caller.kind !== 'user') throw new UnauthorizedError('Missing authentication');
  const { sessions } = ctx.services;
  const userId = String(ctx.caller.user.id);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const deviceId = deviceIdOf(body);
  if (body.scope === 'all') sessions.invalidateRefreshToken(userId);
  else if (deviceId) sessions.invalidateRefreshToken(userId, deviceId);
  else {
    let sessionId = ctx.caller.sessionId;
    const token = readRefreshCookie(ctx) ?? (typeof body.refreshToken === 'string' ? body.refreshToken : undefined);
    if (token) {
      const v = await sessions.validateRefreshToken(token);
      if (v.isValid) sessionId = v.sessionId;
    }
    if (sessionId) sessions.revokeSessionById(userId, sessionId);
    else sessions.invalidateRefreshToken(userId);
  }
  // Clearing: the cookie's attributes without maxAge, expired (the .sig line too).
  return { ...json({ ok: true }), ...(wantsRefreshCookie(ctx) ? { cookies: refreshCookieLines(ctx.config, '', ctx.store.clock.now()) } : {}) };
};

/** GET /api/auth/sessions: the caller's active sessions, the current one first, then the most recently used. */
export const getSessions: Handler = async (ctx) => {
  if (!refreshMode(ctx)) throw new NotFoundError('Not Found');
  if (ctx.caller.kind !== 'user') throw new UnauthorizedError('Missing authentication');
  const current = ctx.caller.sessionId;
  const data = ctx.services.sessions.listSessions(String(ctx.caller.user.id)).map((s) => ({
    id: s.sessionId,
    deviceId: s.deviceId,
    ...(typeof s.metadata?.deviceName === 'string' ? { deviceName: s.metadata.deviceName } : {}),
    current: Boolean(current) && s.sessionId === current,
    ...(typeof s.metadata?.loginAt === 'string' ? { loginAt: s.metadata.loginAt } : {}),
    lastActiveAt: s.createdAt,
  }));
  // A stable sort, as Array.prototype.sort is, over the store's newest-first order.
  data.sort((a, b) => (a.current !== b.current ? (a.current ? -1 : 1) : b.lastActiveAt.localeCompare(a.lastActiveAt)));
  return json({ data });
};

/** DELETE /api/auth/sessions/:sessionId: only one of the caller's own sessions. */
export const revokeSession: Handler = async (ctx) => {
  if (!refreshMode(ctx)) throw new NotFoundError('Not Found');
  if (ctx.caller.kind !== 'user') throw new UnauthorizedError('Missing authentication');
  if (!ctx.services.sessions.revokeSessionById(String(ctx.caller.user.id), ctx.params.sessionId)) throw new NotFoundError('Session not found');
  return json({ data: {} });
};

/** Strapi 4 has no refresh/logout route: the path only has the public folder's GET, so koa-router answers 405. */
export const methodNotAllowed: Handler = () => ({ status: 405, text: 'Method Not Allowed', headers: { Allow: 'HEAD, GET' } });

