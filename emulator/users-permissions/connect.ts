// users-permissions' OAuth sign-in: GET /api/connect/:provider (and its /callback), then
// GET /api/auth/:provider/callback → {jwt, user}. Strapi 5.54 runs its own oauth-connect
// middleware (state in the koa session, the provider's tokens kept in the session, the front end
// redirected with an empty query); Strapi 4 runs grant (no state, the tokens in the redirect's
// query: `?access_token=…&raw[…]=…`). The provider is the local identity provider
// (emulator/identity-provider/): its authorize page instead of github.com, its token and profile
// answers in-process. Errors, redirects and messages are real Strapi's (contracts/conformance/sessions.ts).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import qs from 'qs';
import type { Handler, Reply, RequestContext } from '../http/context.js';
import { ApplicationError, ValidationError } from '../http/errors.js';
import { formatUser } from '../http/format.js';
import { callbackOf, playable, profileFor, scopeDelimiter, type ProviderSettings } from '../identity-provider/providers.js';
import { oauthOf } from '../identity-provider/state.js';
import type { UserRecord } from '../store/records.js';
import { callback as localCallback, loginSession, redirect, refreshAuthResponse } from './auth.js';
import { type Session, readSession, sessionCookieLines } from './koa-session.js';
import { userFieldsOf } from './user-service.js';

/** The provider named after /connect/, undecoded (Strapi splits the raw URL the same way, so `%67ithub` is no provider). */
function connectTarget(ctx: RequestContext): { provider: string; isCallback: boolean } {
  const [provider = '', segment] = ctx.url.pathname.split('/connect/')[1]?.split('/') ?? [];
  return { provider, isCallback: segment === 'callback' };
}

/** server.absoluteUrl: the configured URL, else the server's own, with a loopback host named localhost as Strapi does. */
function absoluteUrl(ctx: RequestContext): string {
  if (ctx.config.serverUrl) return ctx.config.serverUrl;
  const url = new URL(ctx.url.origin);
  if (url.hostname === '127.0.0.1' || url.hostname === '0.0.0.0') url.hostname = 'localhost';
  return url.origin;
}

/** config.callback.validate: the custom callback must share the provider callback's origin and path. */
function validateCallback(custom: unknown, settings: ProviderSettings): void {
  const configured = callbackOf(settings);
  let a: URL;
  let b: URL;
  try {
    a = new URL(String(custom));
    b = new URL(String(configured));
  } catch {
    throw new Error('The callback is not a valid URL');
  }
  if (a.origin !== b.origin || a.pathname !== b.pathname) throw new Error('Forbidden callback provided');
}

const withSession = (reply: Reply, ctx: RequestContext, session: Session): Reply => ({ ...reply, cookies: sessionCookieLines(ctx.config, session, ctx.store.clock.now()) });

/** v5's redirectWithPayload: the callback URL with its query replaced by the payload (URLSearchParams). */
function redirectWith(ctx: RequestContext, to: string, payload: Record<string, string | undefined>, session: Session): Reply {
  const url = new URL(to);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(payload)) if (v !== undefined) params.set(k, v);
  url.search = params.toString();
  return withSession(redirect(ctx, url.toString()), ctx, session);
}

/** The local identity provider's authorize URL, in the built-in provider's parameter order. */
function authorizeUrl(ctx: RequestContext, provider: string, settings: ProviderSettings, redirectUri: string): string {
  const params = new URLSearchParams({ client_id: String(settings.key ?? ''), response_type: 'code', redirect_uri: redirectUri });
  const scope = Array.isArray(settings.scope) ? settings.scope.filter(Boolean).join(scopeDelimiter(provider)) : settings.scope;
  if (scope) params.set('scope', String(scope));
  return `${ctx.url.origin}/_emulator/idp/${encodeURIComponent(provider)}/authorize?${params}`;
}

export const connect: Handler = async (ctx) => {
  const oauth = oauthOf(ctx.store);
  const { provider, isCallback } = connectTarget(ctx);
  const settings = Object.hasOwn(oauth.providers, provider) ? oauth.providers[provider] : undefined;
  if (!settings?.enabled) throw new ApplicationError('This provider is disabled');
  const session = readSession(ctx);
  const grant = (session.grant ?? {}) as Record<string, unknown>;
  const dynamic = grant.dynamic as { callback?: unknown } | undefined;
  const custom = ctx.query.callback ?? dynamic?.callback;
  if (custom !== undefined) {
    try {
      validateCallback(custom, settings);
    } catch {
      throw new ValidationError('Invalid callback URL provided', { callback: custom });
    }
  }
  const redirectUri = `${absoluteUrl(ctx)}/api/connect/${provider}/callback`;
  const callbackUrl = typeof custom === 'string' ? custom : callbackOf(settings);
  return ctx.major === 5 ? connectV5(ctx, provider, settings, { isCallback, grant, custom, redirectUri, callbackUrl }) : connectV4(ctx, provider, settings, { isCallback, grant, custom, redirectUri, callbackUrl });
};

type Step = { isCallback: boolean; grant: Record<string, unknown>; custom: unknown; redirectUri: string; callbackUrl: string | undefined };

function connectV5(ctx: RequestContext, provider: string, settings: ProviderSettings, s: Step): Reply {
  if (!playable(provider, settings)) throw new ApplicationError('Unknown OAuth provider');
  const dynamic = s.custom !== undefined ? { dynamic: { ...(s.grant.dynamic as object), callback: s.custom } } : s.grant.dynamic ? { dynamic: s.grant.dynamic } : {};
  if (!s.isCallback) {
    const state = randomBytes(20).toString('hex');
    return withSession(redirect(ctx, `${authorizeUrl(ctx, provider, settings, s.redirectUri)}&state=${encodeURIComponent(state)}`), ctx, { grant: { ...dynamic, provider, state } });
  }
  if (!s.callbackUrl) throw new ApplicationError('Provider callback URL is not configured');
  const q = ctx.query as Record<string, unknown>;
  try {
    if (q.error) return redirectWith(ctx, s.callbackUrl, { error: String(q.error), error_description: q.error_description === undefined ? undefined : String(q.error_description) }, { grant: {} });
    if (!q.code) throw new Error('OAuth2 missing code parameter');
    if (!s.grant.state || q.state !== s.grant.state) throw new Error('OAuth2 state mismatch');
    const tokens = oauthOf(ctx.store).exchange(provider, String(q.code), String(settings.key ?? ''), String(settings.secret ?? ''), s.redirectUri);
    return redirectWith(ctx, s.callbackUrl, {}, { grant: { response: { access_token: tokens.access_token } } });
  } catch (error) {
    return redirectWith(ctx, s.callbackUrl, { error: 'oauth_error', error_description: (error as Error).message }, { grant: {} });
  }
}

/** grant 5 (Strapi 4): errors go to '/' (no session or provider) or to the callback, `?error=<message>` (qs encoding). */
function connectV4(ctx: RequestContext, provider: string, settings: ProviderSettings, s: Step): Reply {
  const grantSession = { provider, ...(s.custom !== undefined ? { dynamic: { callback: s.custom } } : {}) };
  if (!s.isCallback) {
    if (!playable(provider, settings)) return withSession(redirect(ctx, `/?${qs.stringify({ error: 'Grant: missing or misconfigured provider' })}`), ctx, { grant: grantSession });
    return withSession(redirect(ctx, authorizeUrl(ctx, provider, settings, s.redirectUri)), ctx, { grant: grantSession });
  }
  if (s.grant.provider !== provider || !playable(provider, settings)) return withSession(redirect(ctx, `/?${qs.stringify({ error: 'Grant: missing session or misconfigured provider' })}`), ctx, { grant: {} });
  const to = (query: Record<string, unknown>) => {
    const base = String(s.callbackUrl ?? '/');
    return withSession(redirect(ctx, `${base}${base.includes('?') ? '&' : '?'}${qs.stringify(query)}`), ctx, { grant: { provider, ...(s.grant.dynamic ? { dynamic: s.grant.dynamic } : {}) } });
  };
  const q = ctx.query as Record<string, unknown>;
  if (q.error) return to({ error: q.error, ...(q.error_description ? { error_description: q.error_description } : {}) });
  if (!q.code) return to({ error: 'Grant: OAuth2 missing code parameter' });
  try {
    const tokens = oauthOf(ctx.store).exchange(provider, String(q.code), String(settings.key ?? ''), String(settings.secret ?? ''), s.redirectUri);
    return to({ access_token: tokens.access_token, raw: tokens });
  } catch (error) {
    return to({ error: (error as Error).message });
  }
}

/** findValidUsername (v5): the profile's name if free and long enough, else name + 4 digits (10 tries), else a UUID. */
function validUsername(ctx: RequestContext, base: string): string {
  const taken = (name: string) => ctx.store.users.count((u) => u.username === name) > 0;
  for (let attempt = 0; attempt <= 10; attempt++) {
    const candidate = attempt === 0 && base.length >= 3 ? base : `${base}${randomInt(1000, 9999)}`;
    if (!taken(candidate)) return candidate;
  }
  return randomUUID();
}

/** providers.connect(): the user the provider's profile names, created on first sign-in. */
async function providerUser(ctx: RequestContext, provider: string, data: Record<string, unknown>): Promise<UserRecord> {
  const accessToken = data.access_token || data.code || data.oauth_token;
  if (!accessToken && !(ctx.major === 5 && data.id_token)) throw new Error('No access_token.');
  const profile = profileFor(provider, oauthOf(ctx.store).profileOf(provider, String(accessToken)));
  const email = profile.email.toLowerCase();
  if (!email) throw new Error('Email was not available.');
  const users = ctx.store.users.where((u) => u.email === email);
  const settings = ctx.store.advanced;
  const existing = users.find((u) => u.provider === provider);
  if (!existing && !settings.allow_register) throw new Error('Register action is actually not available.');
  if (existing) return existing;
  if (users.length && settings.unique_email) throw new Error('Email is already taken.');
  const role = ctx.store.roles.first((r) => r.type === settings.default_role);
  const username = ctx.major === 5 ? validUsername(ctx, profile.username.trim() || email.split('@')[0]) : profile.username;
  return ctx.services.users.add({ username, email, provider, role: role?.id ?? null, confirmed: true });
}

export const providerCallback: Handler = async (ctx) => {
  const provider = ctx.params.provider;
  if (provider === 'local') return localCallback(ctx);
  const oauth = oauthOf(ctx.store);
  const grantName = provider;
  if (!(Object.hasOwn(oauth.providers, grantName) && oauth.providers[grantName].enabled)) throw new ApplicationError('This provider is disabled');
  try {
    let data: Record<string, unknown>;
    if (ctx.major === 5) {
      const response = readSession(ctx).grant?.response;
      if (!response || typeof response !== 'object') throw new ApplicationError('OAuth authentication requires a completed provider session');
      data = response as Record<string, unknown>;
    } else data = ctx.query as Record<string, unknown>;
    const user = await providerUser(ctx, provider, data);
    if (user.blocked) throw new Error('Your account has been blocked by an administrator');
    if (ctx.major === 5 && ctx.config.jwtManagement === 'refresh') return await refreshAuthResponse(ctx, user, loginSession(ctx));
    return { status: 200, json: { jwt: await ctx.services.jwt.issue({ id: user.id }), user: formatUser(ctx.major, user, { names: userFieldsOf(ctx.store) }) } };
  } catch (error) {
    // Strapi wraps every failure of the provider step in an ApplicationError with its message.
    throw new ApplicationError((error as Error).message);
  }
};
