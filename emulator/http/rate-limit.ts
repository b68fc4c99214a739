// users-permissions' rateLimit middleware over koa2-ratelimit's MemoryStore, as it behaves
// on the routes the spec marks `x-strapi-rate-limit`:
//  - a fixed window per key: the first hit opens it (dateEnd = now + interval); every request
//    counts, successful or not; the (max+1)th in the window gets 429 RateLimitError;
//  - every answer of a limited route carries X-RateLimit-Limit / -Remaining / -Reset (epoch
//    seconds of the window end), the 429 too; there is no Retry-After;
//  - keys: v5 `noIdentifier:<path>:<ip>` on /auth/local, /auth/reset-password,
//    /auth/change-password and /connect/*, else `<lower(body.email)|unknownIdentifier>:<path>:<ip>`,
//    the path POSIX-normalized, lower-cased, trailing slashes removed; v4
//    `<lower(body.email)|unknownIdentifier>:<lower(normalize(path))>:<ip>` everywhere.
//    koa2-ratelimit then appends `|<user id>` for a JWT caller, else `|<ip>`.
// It runs after the permission check, so a 403 carries no rate-limit headers.
import { posix } from 'node:path';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { Caller } from './context.js';
import { insteadOfStrapiCrash, missingJsonBody } from './errors.js';

const ROUTES_WITHOUT_IDENTIFIER = ['/auth/local', '/auth/reset-password', '/auth/change-password'];

/** lodash toLower: String(value) lower-cased, '' for null/undefined. */
function lodashToLower(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? '' : String(v))).join(',').toLowerCase();
  return String(value).toLowerCase();
}

export function prefixKey(major: 4 | 5, path: string, body: unknown, ip: string): string {
  const email = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).email : undefined;
  if (major === 4) {
    return `${lodashToLower(email) || 'unknownIdentifier'}:${posix.normalize(path).toLowerCase()}:${ip}`;
  }
  let requestPath = posix.normalize(path).toLowerCase().replace(/\/+$/, '') || '/';
  if (requestPath === '.' || requestPath === '..') requestPath = 'invalidPath';
  const usesEmail = !requestPath.includes('/connect/') && !ROUTES_WITHOUT_IDENTIFIER.some((r) => requestPath.endsWith(r));
  if (!usesEmail) return `noIdentifier:${requestPath}:${ip}`;
  const identifier = typeof email === 'string' && email !== '' ? email.toLowerCase() : 'unknownIdentifier';
  return `${identifier}:${requestPath}:${ip}`;
}

export type RateLimitOutcome = { headers: Record<string, string>; limited: boolean; key: string };

export function hitRateLimit(config: Config, store: Store, req: { path: string; body: unknown; ip: string; caller: Caller }): RateLimitOutcome | null {
  const { enabled, max, interval } = config.rateLimit;
  if (!enabled) return null;
  // v4 reads ctx.request.body.email unguarded: a JSON `null` body crashes real Strapi 4 here.
  if (config.major === 4 && (req.body === undefined || req.body === null)) throw insteadOfStrapiCrash(missingJsonBody);
  const userId = req.caller.kind === 'user' ? req.caller.user.id : undefined;
  return countHit(store, `${prefixKey(config.major, req.path, req.body, req.ip)}|${userId ?? req.ip}`, { max, interval });
}

/** One request counted in koa2-ratelimit's MemoryStore under `key` (any limiter: users-permissions', the admin's). */
export function countHit(store: Store, key: string, { max, interval }: { max: number; interval: number }): RateLimitOutcome {
  const now = store.clock.now();
  // MemoryStore.incr: drop every finished window, then count this hit.
  for (const [k, hit] of store.rateLimit) if (hit.dateEnd <= now) store.rateLimit.delete(k);
  let hit = store.rateLimit.get(key);
  if (!hit) {
    hit = { counter: 0, dateEnd: now + interval };
    store.rateLimit.set(key, hit);
  }
  hit.counter += 1;
  return {
    key,
    limited: hit.counter > max,
    headers: {
      'X-RateLimit-Limit': String(max),
      'X-RateLimit-Remaining': String(Math.max(max - hit.counter, 0)),
      'X-RateLimit-Reset': String(Math.ceil(hit.dateEnd / 1000)),
    },
  };
}
