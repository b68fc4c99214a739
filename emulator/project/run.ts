// Runs a project's route policies and middlewares around the emulator's controller, on a
// koa-like ctx: ctx.query, ctx.params, ctx.request.body, ctx.state.user / ctx.state.auth,
// ctx.body / ctx.status. What a middleware leaves in ctx.query and ctx.request.body is what
// the controller reads; what it sets in ctx.body after `await next()` is the answer.
import type { ActionCode } from '../http/app.js';
import type { Reply, RequestContext } from '../http/context.js';
import { PolicyError } from './shim.js';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError, StrapiError } from '../http/errors.js';
import type { KoaContext, RouteCode } from './code.js';


function koaContext(ctx: RequestContext): KoaContext & { body: unknown; status: number } {
  const state: Record<string, unknown> = {};
  const caller = ctx.caller;
  if (caller.kind === 'user') {
    // As users-permissions puts it there: the user with its role populated, without the password hash.
    const { password: _password, ...fields } = caller.user as unknown as Record<string, unknown>;
    const role = typeof fields.role === 'number' ? ctx.store.roles.get(fields.role) : undefined;
    const user = { ...fields, role: role ?? fields.role ?? null };
    state.user = user;
    state.auth = { strategy: { name: 'users-permissions' }, credentials: user };
    state.isAuthenticated = true;
  } else if (caller.kind === 'apiToken') {
    state.auth = { strategy: { name: 'api-token' }, credentials: caller.token };
    state.isAuthenticated = true;
  }
  const headers = Object.fromEntries(ctx.request.headers);
  const request = { body: ctx.body, headers, method: ctx.method, url: ctx.url.pathname + ctx.url.search, path: ctx.url.pathname, ip: ctx.ip, files: ctx.files } as Record<string, unknown>;
  let query = ctx.query;
  const koa = {
    params: ctx.params,
    state,
    request,
    method: ctx.method,
    path: ctx.url.pathname,
    url: ctx.url.pathname + ctx.url.search,
    headers,
    ip: ctx.ip,
    status: 404,
    body: undefined as unknown,
    get: (name: string) => ctx.request.headers.get(name) ?? '',
    set: () => undefined,
    is: (type: string) => type === 'koa',
    type: 'koa',
    throw: (status: number, message?: string) => {
      throw new StrapiError(status, status === 400 ? 'BadRequestError' : 'HttpError', message ?? String(status));
    },
    badRequest: (message?: string, details?: Record<string, unknown>) => {
      throw new BadRequestError(message, details);
    },
    unauthorized: (message?: string, details?: Record<string, unknown>) => {
      throw new UnauthorizedError(message, details);
    },
    forbidden: (message?: string, details?: Record<string, unknown>) => {
      throw new ForbiddenError(message, details);
    },
    notFound: (message?: string, details?: Record<string, unknown>) => {
      throw new NotFoundError(message, details);
    },
  };
  // ctx.query and ctx.request.query are one object, and a middleware may replace it.
  const queryProperty = { get: () => query, set: (v: Record<string, unknown>) => (query = v ?? {}), enumerable: true };
  Object.defineProperty(koa, 'query', queryProperty);
  Object.defineProperty(request, 'query', queryProperty);
  return koa as unknown as KoaContext & { body: unknown; status: number };
}

export function routeWrapper(route: RouteCode): ActionCode {
  return {
    ...(route.auth === false ? { auth: false as const } : {}),
    ...(route.absent ? { absent: true as const } : {}),
    async wrap(ctx, controller) {
      const koa = koaContext(ctx);
      // Strapi's policies middleware: anything but true or undefined is a PolicyError.
      for (const policy of route.policies) {
        const outcome = await policy.run(koa);
        if (outcome !== true && outcome !== undefined) throw new PolicyError();
      }
      let reply: Reply | undefined;
      const chain = [...route.middlewares.map((m) => m.run)];
      const dispatch = async (i: number): Promise<void> => {
        if (i < chain.length) {
          await chain[i](koa, () => dispatch(i + 1));
          return;
        }
        ctx.query = koa.query;
        ctx.body = (koa.request as { body: unknown }).body;
        reply = await controller();
        koa.status = reply.status;
        koa.body = reply.json;
      };
      await dispatch(0);
      if (!reply) {
        // The chain answered without the controller (ctx.body set and next() not awaited).
        if (koa.body === undefined) throw new NotFoundError('Not Found');
        return { status: koa.status === 404 ? 200 : koa.status, json: koa.body };
      }
      return koa.body === reply.json && koa.status === reply.status ? reply : { ...reply, status: koa.status, json: koa.body };
    },
  };
}
