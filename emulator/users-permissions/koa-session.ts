// koa-session as Strapi configures it (strapi::session): the session lives in the `koa.sess` cookie
// itself, base64 JSON `{...session, _expire, _maxAge: 86400000}`, signed in `koa.sess.sig` with
// the app keys, httpOnly, path '/', one day. OAuth's grant state rides in it between
// /api/connect/:provider, the provider and the callback. A cookie whose signature does not match
// one of the keys, that does not parse or that expired is no session (koa-session's reading).
import type { Config } from '../config.js';
import type { RequestContext } from '../http/context.js';
import { keygripSign } from './refresh-cookie.js';

const NAME = 'koa.sess';
const MAX_AGE = 86_400_000;
/** Browsers keep ~4 KB a cookie; a bigger one is no session we wrote. */
const MAX_COOKIE = 8192;

export type Session = { grant?: Record<string, unknown> };

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function readSession(ctx: RequestContext): Session {
  const header = ctx.request.headers.get('cookie') ?? '';
  const value = cookieValue(header, NAME);
  const sig = cookieValue(header, `${NAME}.sig`);
  if (!value || !sig || value.length > MAX_COOKIE) return {};
  if (!ctx.config.appKeys.some((key) => keygripSign(key, `${NAME}=${value}`) === sig)) return {};
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed._expire !== 'number' || parsed._expire < ctx.store.clock.now()) return {};
    const { _expire: _e, _maxAge: _m, ...session } = parsed;
    return session as Session;
  } catch {
    return {};
  }
}

/** The two Set-Cookie lines that store `session` (signed with the first key). */
export function sessionCookieLines(config: Config, session: Session, now: number): string[] {
  const value = Buffer.from(JSON.stringify({ ...session, _expire: now + MAX_AGE, _maxAge: MAX_AGE })).toString('base64');
  const attrs = `; path=/; expires=${new Date(now + MAX_AGE).toUTCString()}; httponly`;
  return [`${NAME}=${value}${attrs}`, `${NAME}.sig=${keygripSign(config.appKeys[0], `${NAME}=${value}`)}${attrs}`];
}
