// Who is calling: Strapi's content-API authentication, strategy by strategy.
//  1. API token: `Bearer <accessKey>` of a known token (an expired one → 401 "Token expired").
//  2. users-permissions: `Bearer <jwt>` → the user. A valid JWT whose user is gone, blocked
//     (or unconfirmed while email confirmation is on) → 401 "Invalid credentials", on every
//     route, public ones included. No bearer → the Public role (or 401 when Public has no
//     permission at all).
//  3. Nothing authenticated → 401 "Missing or invalid credentials".
// A header that is not exactly `Bearer <token>` (split on whitespace) counts as no bearer.
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import type { Store } from '../store/store.js';
import type { Caller } from './context.js';
import { claimedUser } from '../users-permissions/jwt-claim.js';
import { UnauthorizedError } from './errors.js';

/**
 * The Authorization header as Strapi reads it: Node's http parser keeps the first of repeated
 * Authorization lines, where the fetch Headers API joins them with ", " (which would then not
 * split into `Bearer <token>`). The socket's parsed headers are used when there is a socket.
 */
export function authorizationOf(request: Request, env: unknown): string | null {
  const first = (env as { incoming?: { headers?: Record<string, unknown> } } | undefined)?.incoming?.headers?.authorization;
  return typeof first === 'string' ? first : request.headers.get('authorization');
}

export function bearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const parts = authorization.split(/\s+/);
  if (parts[0].toLowerCase() !== 'bearer' || parts.length !== 2) return null;
  return parts[1];
}

// Every request needs its role's actions: derive them once per state of the permissions table.
const actionCache = new WeakMap<Store['permissions'], { version: number; byRole: Map<number, ReadonlySet<string>> }>();

function roleActions(store: Store, roleId: number): ReadonlySet<string> {
  let cache = actionCache.get(store.permissions);
  if (!cache || cache.version !== store.permissions.version) {
    cache = { version: store.permissions.version, byRole: new Map() };
    actionCache.set(store.permissions, cache);
  }
  let actions = cache.byRole.get(roleId);
  if (!actions) {
    actions = new Set(store.permissions.by('role', roleId).map((p) => p.action));
    cache.byRole.set(roleId, actions);
  }
  return actions;
}

async function apiTokenStrategy(store: Store, token: string | null): Promise<Caller | null> {
  if (token === null) return null;
  const record = store.apiTokens.by('accessKey', store.hashAccessKey(token))[0];
  if (!record) return null;
  if (record.expiresAt !== null && new Date(record.expiresAt).getTime() < store.clock.now()) throw new UnauthorizedError('Token expired');
  const now = store.clock.now();
  if (record.lastUsedAt === null || now - new Date(record.lastUsedAt).getTime() >= 3_600_000) {
    await store.apiTokens.update(record.id, { lastUsedAt: new Date(now).toISOString() });
  }
  return { kind: 'apiToken', token: record };
}

/** The user id a token names, or undefined when the token is not one of ours. */
async function tokenUserId(config: Config, services: Services, token: string): Promise<{ id: unknown; sessionId?: string } | undefined> {
  try {
    if (config.jwtManagement === 'refresh') {
      const access = await services.sessions.validateAccessToken(token);
      if (!access) return undefined;
      const id = Number(access.userId) || access.userId;
      // Refresh mode looks the user up while verifying: a missing user is an invalid token.
      if (!services.users.get(id)) return undefined;
      return { id, sessionId: access.sessionId };
    }
    const payload = await services.jwt.verify(token);
    return payload.id === undefined ? undefined : { id: payload.id };
  } catch {
    return undefined;
  }
}

async function usersPermissionsStrategy(config: Config, store: Store, services: Services, token: string | null): Promise<Caller | null> {
  if (token !== null) {
    const claim = await tokenUserId(config, services, token);
    if (!claim) return null;
    const found = claimedUser(claim.id, config.major, store.users);
    if (found === 'rejected') return null;
    const { user } = found;
    if (!user) throw new UnauthorizedError('Invalid credentials');
    if (store.advanced.email_confirmation && !user.confirmed) throw new UnauthorizedError('Invalid credentials');
    if (user.blocked) throw new UnauthorizedError('Invalid credentials');
    // A user without a role makes Strapi's strategy throw, which it reports as "not authenticated".
    if (user.role === null || !store.roles.has(user.role)) return null;
    return { kind: 'user', user, roleId: user.role, actions: roleActions(store, user.role), ...(claim.sessionId ? { sessionId: claim.sessionId } : {}) };
  }
  const publicRole = store.roles.by('type', 'public')[0];
  if (!publicRole) return null;
  const actions = roleActions(store, publicRole.id);
  if (actions.size === 0) return null;
  return { kind: 'public', roleId: publicRole.id, actions };
}

export async function resolveCaller(config: Config, store: Store, services: Services, authorization: string | null): Promise<Caller> {
  const token = bearerToken(authorization);
  const caller = (await apiTokenStrategy(store, token)) ?? (await usersPermissionsStrategy(config, store, services, token));
  if (!caller) throw new UnauthorizedError('Missing or invalid credentials');
  return caller;
}
