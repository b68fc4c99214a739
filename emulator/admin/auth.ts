// Who is calling the admin API, and the admin's tokens. Strapi authenticates /admin/* with its
// own strategy, apart from the content API's: an admin JWT signed with admin.auth.secret.
//  - v4: `{id, iat, exp}`, 30 days; POST /admin/renew-token trades a valid one for a new one.
//  - v5: session-backed access tokens `{userId, sessionId, type:'access'}` (30 min) whose
//    session must still be active; the refresh token `{userId, sessionId, type:'refresh'}`
//    lives in the httpOnly cookie `strapi_admin_refresh` (path /admin, signed by koa's keys),
//    spent once by POST /admin/access-token.
// A users-permissions JWT or an API token is no admin JWT: 401 "Missing or invalid credentials".
import { createHmac } from 'node:crypto';
import type { Config, SessionLifespans } from '../config.js';
import type { RequestContext } from '../http/context.js';
import { bearerToken } from '../http/caller.js';
import { UnauthorizedError } from '../http/errors.js';
import type { Store } from '../store/store.js';
import { JwtService } from '../users-permissions/jwt.js';
import { SessionManager } from '../users-permissions/sessions.js';
import { type AdminState, type AdminUserRecord, adminOf } from './state.js';

export const REFRESH_COOKIE = 'strapi_admin_refresh';

/** Strapi 5's admin session defaults (admin.auth.sessions). */
const rememberMe: SessionLifespans = { accessTokenLifespan: 30 * 60, maxRefreshTokenLifespan: 30 * 86400, idleRefreshTokenLifespan: 14 * 86400, maxSessionLifespan: 86400, idleSessionLifespan: 2 * 3600 };
/** Without rememberMe the refresh token is a browser-session cookie that idles out after 2 h. */
const browserSession: SessionLifespans = { ...rememberMe, maxRefreshTokenLifespan: rememberMe.maxSessionLifespan, idleRefreshTokenLifespan: rememberMe.idleSessionLifespan };

export type AdminSession = { token: string; cookies: string[] };

export class AdminAuth {
  readonly jwt: JwtService;
  private readonly remembered: SessionManager;
  private readonly browser: SessionManager;

  constructor(
    private readonly config: Config,
    private readonly store: Store,
    private readonly state: AdminState,
  ) {
    this.jwt = new JwtService(config.adminJwtSecret, 30 * 86400, store.clock, config.major);
    // The session manager reads `sessions` and `clock` only: the admin origin gets its own table.
    const origin = { sessions: state.sessions, clock: store.clock } as unknown as Store;
    this.remembered = new SessionManager(origin, this.jwt, rememberMe);
    this.browser = new SessionManager(origin, this.jwt, browserSession);
  }

  /** v4: the admin JWT; v5: an access token and the refresh cookie of a new session. */
  async issue(user: AdminUserRecord, opts: { rememberMe?: boolean; deviceId?: string; secure?: boolean } = {}): Promise<AdminSession> {
    if (this.config.major === 4) return { token: await this.jwt.issue({ id: user.id }), cookies: [] };
    const manager = opts.rememberMe ? this.remembered : this.browser;
    const refresh = await manager.generateRefreshToken(String(user.id), opts.deviceId);
    const access = await manager.generateAccessToken(refresh.token);
    if ('error' in access) throw new Error('admin: a fresh session refused its own refresh token');
    const expires = opts.rememberMe ? new Date(refresh.session.absoluteExpiresAt) : undefined;
    return { token: access.token, cookies: this.refreshCookie(refresh.token, { expires, secure: opts.secure }) };
  }

  /** v5 POST /admin/access-token: spends the cookie's refresh token; null when it is not valid. */
  async renewAccess(refreshToken: string, secure: boolean): Promise<AdminSession | null> {
    const session = this.state.sessions.first((s) => s.status === 'active' && refreshToken.includes('.') && s.sessionId === sessionIdOf(refreshToken));
    const remembered = session ? new Date(session.absoluteExpiresAt).getTime() - new Date(session.createdAt).getTime() > rememberMe.maxSessionLifespan * 1000 : false;
    const manager = remembered ? this.remembered : this.browser;
    const rotated = await manager.rotateRefreshToken(refreshToken);
    if ('error' in rotated) return null;
    const access = await manager.generateAccessToken(rotated.token);
    if ('error' in access) return null;
    const child = this.state.sessions.first((s) => s.sessionId === rotated.sessionId)!;
    return { token: access.token, cookies: this.refreshCookie(rotated.token, { expires: remembered ? new Date(child.absoluteExpiresAt) : undefined, secure }) };
  }

  /** Ends the admin's sessions, or one device's (v5 logout with `deviceId`); the cookie is cleared either way. */
  logout(userId: number, secure: boolean, deviceId?: string): string[] {
    if (this.config.major === 5) this.browser.invalidateRefreshToken(String(userId), deviceId);
    return this.refreshCookie('', { expires: new Date(0), secure });
  }

  /** koa's ctx.cookies.set with signed: true: the cookie, then `<name>.sig` (keygrip, SHA1, base64url). */
  private refreshCookie(value: string, opts: { expires?: Date; secure?: boolean }): string[] {
    const attributes = `path=/admin${opts.expires ? `; expires=${opts.expires.toUTCString()}` : ''}; samesite=lax${opts.secure ? '; secure' : ''}; httponly`;
    const sig = createHmac('sha1', this.config.appKey).update(`${REFRESH_COOKIE}=${value}`).digest('base64url');
    return [`${REFRESH_COOKIE}=${value}; ${attributes}`, `${REFRESH_COOKIE}.sig=${sig}; ${attributes}`];
  }

  /** The refresh token of a request's cookie, when its signature is ours (koa drops a badly signed one). */
  refreshTokenOf(request: Request): string | undefined {
    const cookies = new Map<string, string>();
    for (const part of (request.headers.get('cookie') ?? '').split(';')) {
      const at = part.indexOf('=');
      if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
    }
    const value = cookies.get(REFRESH_COOKIE);
    const sig = cookies.get(`${REFRESH_COOKIE}.sig`);
    if (!value || !sig) return undefined;
    const expected = createHmac('sha1', this.config.appKey).update(`${REFRESH_COOKIE}=${value}`).digest('base64url');
    return sig === expected ? value : undefined;
  }

  /** The admin a bearer names, or null (any token that is not a live admin JWT). */
  async adminOf(token: string | null): Promise<{ user: AdminUserRecord; sessionId?: string } | null> {
    if (token === null) return null;
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verify(token);
    } catch {
      return null;
    }
    if (this.config.major === 4) {
      const user = typeof payload.id === 'number' ? this.state.users.get(payload.id) : undefined;
      return user ? { user } : null;
    }
    if (payload.type !== 'access' || typeof payload.userId !== 'string' || typeof payload.sessionId !== 'string') return null;
    // Strapi 5's admin strategy checks the session too: a logged-out access token is refused.
    const session = this.state.sessions.first((s) => s.sessionId === payload.sessionId);
    if (!session || session.status !== 'active' || session.userId !== payload.userId) return null;
    const user = this.state.users.get(Number(payload.userId));
    return user ? { user, sessionId: session.sessionId } : null;
  }
}

function sessionIdOf(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sessionId?: unknown };
    return typeof payload.sessionId === 'string' ? payload.sessionId : undefined;
  } catch {
    return undefined;
  }
}

const auths = new WeakMap<Store, AdminAuth>();

/** The admin authentication of the emulator a request runs in. */
export function adminAuth(ctx: Pick<RequestContext, 'config' | 'store'>): AdminAuth {
  let auth = auths.get(ctx.store);
  if (!auth) auths.set(ctx.store, (auth = new AdminAuth(ctx.config, ctx.store, adminOf(ctx.store))));
  return auth;
}

/**
 * admin::isAuthenticatedAdmin: the calling admin, or 401. Strapi checks isActive at login
 * only; a blocked admin's token stops working, as the strategy refuses blocked users.
 */
export async function requireAdmin(ctx: RequestContext): Promise<AdminUserRecord> {
  const found = await adminAuth(ctx).adminOf(bearerToken(ctx.request.headers.get('authorization')));
  if (!found || found.user.blocked || !found.user.isActive) throw new UnauthorizedError('Missing or invalid credentials');
  return found.user;
}
