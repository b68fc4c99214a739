// Strapi 5's httpOnly refresh cookie, written as Koa's `cookies` module writes it: lower-case
// attributes in its order, and — since Strapi gives Koa `app.keys` — a second `<name>.sig` cookie
// holding keygrip's HMAC-SHA1 of `name=value` under the first key. Strapi reads the cookie
// without checking that signature (checked on 5.54.0: a wrong .sig is accepted), so neither does this.
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import type { RequestContext } from '../http/context.js';

/** The refresh cookie is set when the config says so or the request opts in. */
export function wantsRefreshCookie(ctx: RequestContext): boolean {
  return ctx.config.refreshCookieAlways || ctx.request.headers.get('x-strapi-refresh-cookie') === 'httpOnly';
}

export function readRefreshCookie(ctx: RequestContext): string | undefined {
  const name = ctx.config.refreshCookie.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:^|;) *${name}=([^;]*)`).exec(ctx.request.headers.get('cookie') ?? '');
  return m && m[1] ? m[1] : undefined;
}

/** keygrip's sign(): base64 HMAC-SHA1 made URL-safe, without padding. */
export function keygripSign(key: string, data: string): string {
  return createHmac('sha1', key).update(data).digest('base64').replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);
}

function header(name: string, value: string, attrs: Config['refreshCookie'], expires: Date | undefined): string {
  let out = `${name}=${value}`;
  if (attrs.path) out += `; path=${attrs.path}`;
  if (expires) out += `; expires=${expires.toUTCString()}`;
  if (attrs.domain) out += `; domain=${attrs.domain}`;
  if (attrs.sameSite) out += `; samesite=${attrs.sameSite === true ? 'strict' : String(attrs.sameSite).toLowerCase()}`;
  if (attrs.secure) out += '; secure';
  return `${out}; httponly`;
}

/** The two Set-Cookie lines for `value`; an empty value clears the cookie (expires 1970, no maxAge). */
export function refreshCookieLines(config: Config, value: string, now: number): string[] {
  const attrs = config.refreshCookie;
  const expires = value === '' ? new Date(0) : attrs.maxAge ? new Date(now + attrs.maxAge) : undefined;
  const sig = keygripSign(config.appKeys[0], `${attrs.name}=${value}`);
  return [header(attrs.name, value, attrs, expires), header(`${attrs.name}.sig`, sig, attrs, expires)];
}
