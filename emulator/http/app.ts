// One request, end to end, in the order Strapi's middlewares run:
//   security headers (helmet) → CORS → X-Powered-By → body parser (400 SyntaxError / 413) →
//   route (spec operation; unknown path: GET 404 JSON, other methods 405 text) →
//   authenticate (401) → authorize (`x-strapi-action`, 403) → rate limit
//   (`x-strapi-rate-limit`, 429) → handler → Strapi's error envelope.
// Operations without `x-strapi-action` (the /_emulator control API, v4's absent
// refresh/logout) skip authentication: real Strapi has no content-API route there.
import { Hono } from 'hono';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import type { SpecRoutes } from '../spec.js';
import type { Store } from '../store/store.js';
import { parseBody } from './body.js';
import { authorizationOf, resolveCaller } from './caller.js';
import type { Caller, Handler, Reply, RequestContext } from './context.js';
import { NotFoundError, RateLimitError, StrapiCrash, type StrapiError, ValidationError, crashHeader, crashHeaderValue, errorBody, toStrapiError } from './errors.js';
import { authorize } from './permissions.js';
import { parseQuery } from './query.js';
import { hitRateLimit } from './rate-limit.js';
import { serveUpload } from '../upload/handlers.js';

export type Core = {
  config: Config;
  store: Store;
  services: Services;
  routes: SpecRoutes;
  handlers: Record<string, Handler>;
  /** Resolves once the seed is in the store. */
  ready: Promise<void>;
  /** Unexpected errors (answered as 500) are reported here. */
  onError: (error: unknown, request: Request) => void;
  /** A request real Strapi crashes on was answered with that 500 (`why`: the reason). */
  onStrapiCrash: (why: string, request: Request) => void;
  /** Add-ons that see every request (faults, the request log, persistence), in order. */
  hooks: RequestHook[];
  /** Code around one action's handler (a project's route policies and middlewares), by `x-strapi-action`. */
  actions?: Map<string, ActionCode>;
};

/**
 * Runs where Strapi runs a route's policies and middlewares: after authorization, around
 * the controller. `auth: false` is a route open to anyone (no authentication, no permission check).
 */
export type ActionCode = {
  auth?: false;
  /** The route is not registered (a core router's only/except): answered as an unknown path. */
  absent?: true;
  wrap(ctx: RequestContext, handler: () => Promise<Reply>): Promise<Reply>;
};

/** What an add-on learns about one answered request. */
export type Exchange = {
  request: Request;
  url: URL;
  method: string;
  /** The spec operation that served it (none: unrouted, preflight, /_health). */
  operationId: string | undefined;
  /** The answer, before it is sent (its body is unread: clone() to look). */
  response: Response;
  startedAt: number;
  durationMs: number;
  env: unknown;
};

/**
 * `before` runs first for every request: a Response it returns is the answer (fault
 * injection); the later `before`s are skipped, every `after` still runs. A Response an
 * `after` returns replaces the answer (persistence, when the write it waited for failed). `after` runs once the answer is built and before it is sent; an await in it
 * holds the answer back (persistence acknowledges a write only once it is on disk).
 */
export type RequestHook = {
  name: string;
  before?(request: Request, url: URL, env: unknown): Response | undefined | Promise<Response | undefined>;
  after?(exchange: Exchange): Response | undefined | void | Promise<Response | undefined | void>;
  /**
   * Runs once the body is read and the route known, before anything reads or writes the
   * world (authentication, the rate limiter, the handler, the public folder); an await in it
   * holds the request there (persistence keeps reads out while a write is not yet durable).
   */
  admit?(request: Request, method: string, operation: { operationId: string; 'x-strapi-rate-limit'?: boolean } | undefined): void | Promise<void>;
};

const csp = [
  "connect-src 'self' https:",
  "img-src 'self' data: blob: https://market-assets.strapi.io",
  "media-src 'self' data: blob:",
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
].join(';');

/**
 * An answer's headers as a plain object, not undici's `Headers`: @hono/node-server then writes
 * them as they are (its fast path), where a `Headers` is built, validated and copied again —
 * about a tenth of a list answer's CPU time over HTTP.
 */
export type ResponseHeaders = Record<string, string>;

/**
 * The emulator's own control API and inspector are not Strapi's: they answer without CORS
 * headers, so no page of another origin can read them (emulator/control/guard.ts refuses the rest).
 */
export const isControlPath = (pathname: string) => /^\/_emulator(?:\/|$)/i.test(pathname);

/**
 * The headers every Strapi answer carries (koa-helmet with Strapi's defaults, @koa/cors, poweredBy).
 * `pathname`: the request's, when it may be a control path (no CORS headers there).
 */
export function strapiHeaders(request: Request, pathname?: string): ResponseHeaders {
  const headers: ResponseHeaders = {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'no-referrer',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-DNS-Prefetch-Control': 'off',
    'X-Download-Options': 'noopen',
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Permitted-Cross-Domain-Policies': 'none',
    Vary: 'Origin',
  };
  const control = pathname !== undefined && isControlPath(pathname);
  // Nor may another origin embed them (<img>, <script>: no-cors reads a browser would not refuse).
  if (control) headers['Cross-Origin-Resource-Policy'] = 'same-origin';
  // @koa/cors: an OPTIONS that is not a preflight passes through untouched (only Vary is set).
  else if (!(request.method === 'OPTIONS' && !request.headers.get('access-control-request-method'))) {
    headers['Access-Control-Allow-Origin'] = request.headers.get('origin') ?? '';
    headers['Access-Control-Allow-Credentials'] = 'true';
  }
  headers['X-Powered-By'] = 'Strapi <strapi.io>';
  return headers;
}

const implementedMethods = ['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

export function toResponse(request: Request, reply: Reply, headers: ResponseHeaders): Response {
  if (reply.headers) Object.assign(headers, reply.headers);
  let body: string | null = null;
  if (reply.status !== 204 && reply.status !== 304) {
    if (reply.text !== undefined) {
      body = reply.text;
      headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    } else if ('json' in reply) {
      body = JSON.stringify(reply.json);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
  }
  if (body !== null) headers['Content-Length'] = String(Buffer.byteLength(body));
  const all = new Headers(headers);
  for (const line of reply.cookies ?? []) all.append('Set-Cookie', line);
  return new Response(request.method === 'HEAD' ? null : body, { status: reply.status, headers: all });
}

export function errorReply(error: StrapiError): Reply {
  return { status: error.status, json: errorBody(error) };
}

const anonymous: Caller = { kind: 'public', roleId: 0, actions: new Set() };

/** The client address: the socket's (node server), else the `x-emulator-client-ip` header, else 127.0.0.1. */
export function clientIp(request: Request, env: unknown): string {
  const socket = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
  return socket?.remoteAddress ?? request.headers.get('x-emulator-client-ip') ?? '127.0.0.1';
}

export async function handle(core: Core, request: Request, env: unknown): Promise<Response> {
  const startedAt = Date.now();
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  const served: { operationId: string | undefined } = { operationId: undefined };
  let response: Response | undefined;
  for (const hook of core.hooks) {
    response = await hook.before?.(request, url, env);
    if (response) {
      // An injected fault still shows in the request log, under the operation it hit.
      served.operationId = core.routes.match(method === 'HEAD' ? 'GET' : method, url.pathname)?.route.operation.operationId;
      break;
    }
  }
  response ??= await answer(core, request, env, url, served);
  const exchange: Exchange = { request, url, method, operationId: served.operationId, response, startedAt, durationMs: Date.now() - startedAt, env };
  for (const hook of core.hooks) {
    const replaced = await hook.after?.(exchange);
    if (replaced) exchange.response = response = replaced;
  }
  return response;
}

async function answer(core: Core, request: Request, env: unknown, url: URL, served: { operationId: string | undefined }): Promise<Response> {
  const headers = strapiHeaders(request, url.pathname);
  const method = request.method.toUpperCase();
  let dispose: (() => Promise<void>) | undefined;
  try {
    await core.ready;
    // @koa/cors answers preflights before anything else (not the control API's: no CORS there).
    if (method === 'OPTIONS' && request.headers.get('access-control-request-method') && !isControlPath(url.pathname)) {
      headers['Access-Control-Max-Age'] = '31536000';
      headers['Access-Control-Allow-Methods'] = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';
      headers['Access-Control-Allow-Headers'] = 'Content-Type,Authorization,Origin,Accept';
      return toResponse(request, { status: 204 }, headers);
    }
    const parsed = await parseBody(request, { fileLimit: core.config.uploadSizeLimit, major: core.config.major, ...controlJsonLimit(core, method, url) }).catch((error: unknown) => {
      // Over a limit or mid-way through a multipart body, the rest is left unread: the connection cannot carry another request.
      if ((error as StrapiError).status === 413 || /^multipart\//i.test(request.headers.get('content-type') ?? '')) headers.Connection = 'close';
      throw error;
    });
    dispose = parsed.dispose;
    const { files } = parsed;
    // koa-body 4 (Strapi 4) leaves `{}` when there is nothing it parses; Strapi 5's leaves it undefined
    // (a login without a body: v4 answers its yup errors, v5 crashes — compared with real 4.26.2 and 5.54.0).
    const body = parsed.body === undefined && core.config.major === 4 ? {} : parsed.body;
    if (url.pathname === '/_health') return toResponse(request, { status: 204, headers: { strapi: 'You are so French!' } }, headers);
    const match = core.routes.match(method === 'HEAD' ? 'GET' : method, url.pathname);
    for (const hook of core.hooks) {
      const admitted = hook.admit?.(request, method, match?.route.operation);
      if (admitted) await admitted;
    }
    if (!match || isAbsent(core, match.route.operation)) return unrouted(core, request, url, method, headers);
    const { operation } = match.route;
    served.operationId = operation.operationId;
    const handler = core.handlers[operation.operationId];
    if (!handler) throw new Error(`no handler bound for ${operation.operationId}`);
    const ip = clientIp(request, env);
    const ctx: RequestContext = {
      major: core.config.major,
      config: core.config,
      store: core.store,
      services: core.services,
      request,
      url,
      method,
      operation,
      params: match.params,
      query: parseQuery(url.search),
      body,
      files,
      caller: anonymous,
      ip,
      serverUrl: core.config.serverUrl ?? url.origin,
    };
    const action = operation['x-strapi-action'];
    const code = action ? core.actions?.get(action) : undefined;
    if (action && code?.auth !== false) {
      ctx.caller = await resolveCaller(core.config, core.store, core.services, authorizationOf(request, env));
      authorize(ctx.caller, action);
      if (operation['x-strapi-rate-limit']) {
        const outcome = hitRateLimit(core.config, core.store, { path: url.pathname, body, ip, caller: ctx.caller });
        if (outcome) {
          Object.assign(headers, outcome.headers);
          if (outcome.limited) throw new RateLimitError();
        }
      }
    }
    const reply = code ? await code.wrap(ctx, async () => handler(ctx)) : await handler(ctx);
    return toResponse(request, reply, headers);
  } catch (thrown) {
    let error = toStrapiError(thrown);
    if (error instanceof StrapiCrash) {
      // The control API is the emulator's own: no real Strapi to mimic there.
      if (core.config.strapiCrashes === 'explain' || isControlPath(url.pathname)) error = new ValidationError(error.why);
      else {
        headers[crashHeader] = crashHeaderValue(error.why);
        core.onStrapiCrash(error.why, request);
      }
    } else if (error.status === 500 && thrown !== error) core.onError(thrown, request);
    return toResponse(request, errorReply(error), headers);
  } finally {
    await dispose?.();
  }
}

function isAbsent(core: Core, operation: { 'x-strapi-action'?: string }): boolean {
  const action = operation['x-strapi-action'];
  return !!action && core.actions?.get(action)?.absent === true;
}

/**
 * The control API's JSON limit: Strapi's 1mb is too small for seeding in bulk, so it takes
 * `controlBodyLimit` (default 16 MB), and a snapshot restore `snapshotBodyLimit` (default
 * 256 MB: a snapshot carries the uploaded files).
 */
function controlJsonLimit(core: Core, method: string, url: URL): { jsonLimit?: number; jsonLimitMessage?: string } {
  if (!isControlPath(url.pathname)) return {};
  const [jsonLimit, option] = method === 'PUT' && url.pathname === '/_emulator/snapshot' ? [core.config.snapshotBodyLimit, 'snapshotBodyLimit'] : [core.config.controlBodyLimit, 'controlBodyLimit'];
  return { jsonLimit, jsonLimitMessage: `The body is over ${jsonLimit} bytes, the limit of ${url.pathname} (emulator option ${option})` };
}

/** No spec route: Strapi's public catch-all GET gives 404; koa-router's allowedMethods 405/501. */
function unrouted(core: Core, request: Request, url: URL, method: string, headers: ResponseHeaders): Response {
  if (method === 'GET' || method === 'HEAD') {
    if (url.pathname === '/') return toResponse(request, { status: 302, text: 'Redirecting to <a href="/admin">/admin</a>.', contentType: 'text/html; charset=utf-8', headers: { Location: '/admin' } }, headers);
    // The public folder: uploaded files are served back at their url.
    const file = serveUpload(core.store, url.pathname, method, headers);
    if (file) return file;
    return toResponse(request, errorReply(new NotFoundError('Not Found')), headers);
  }
  if (!implementedMethods.includes(method)) return toResponse(request, { status: 501, text: 'Not Implemented' }, headers);
  const allowed = ['HEAD', 'GET', ...['PUT', 'PATCH', 'POST', 'DELETE'].filter((m) => {
    const match = core.routes.match(m, url.pathname);
    return match && !isAbsent(core, match.route.operation);
  })];
  if (method === 'OPTIONS') return toResponse(request, { status: 200, text: '', headers: { Allow: allowed.join(', ') } }, headers);
  return toResponse(request, { status: 405, text: 'Method Not Allowed', headers: { Allow: allowed.join(', ') } }, headers);
}

/** The Hono app: every request (the control API included, it is in the spec) goes through handle(). */
export function createHonoApp(core: Core): Hono {
  const app = new Hono();
  app.all('*', (c) => handle(core, c.req.raw, c.env));
  return app;
}
