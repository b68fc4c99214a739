// The users-permissions scenarios: roles and users read, a uniquely named user registered, logged
// in, read as itself, refused a wrong password and a second registration, and deleted; the auth
// rate limit, from its own address where there is one, else from this machine's (after which
// every auth request of the run waits out the window the X-RateLimit-Reset header gives).
import qs from 'qs';
import { pluginOwn } from './instance.js';
import { CheckFailure, type Ctx, type Scenario, Skip } from './runner.js';
import { makeData } from './values.js';

const group = 'users-permissions';
const password = 'Check-Passw0rd!';

async function register(ctx: Ctx, agent = ctx.source()) {
  if (!ctx.instance.permissions.public?.includes('plugin::users-permissions.auth.register')) throw new Skip('the Public role may not register');
  const mark = ctx.mark();
  // A project's user extension may add required fields: register must send them too.
  const ext = ctx.instance.extensions['plugin::users-permissions.user'];
  const own = pluginOwn['plugin::users-permissions.user'];
  const extra = makeData(Object.fromEntries(Object.entries(ext?.attributes ?? {}).filter(([n, a]) => a.required && !own.includes(n))), mark, ctx.instance.components);
  if (extra.cannot.length) throw new Skip(`the user model requires ${extra.cannot.join(', ')}`);
  const body = { username: mark, email: `${mark}@example.com`, password };
  const a = await ctx.http.send('POST', '/api/auth/local/register', { json: { ...extra.data, ...body }, agent });
  const refused = (a.json as { error?: { message?: string } } | undefined)?.error?.message;
  if (Object.keys(extra.data).length && a.status === 400 && refused?.startsWith('Invalid parameters')) throw new Skip(`the user model requires ${Object.keys(extra.data).join(', ')}, which register.allowedFields does not allow: no one can register`);
  const user = (a.json as { user?: { id: number } } | undefined)?.user;
  if (a.status === 200 && user?.id) ctx.created(`user ${user.id} (${mark})`, async () => {
    const res = await ctx.http.send('DELETE', `/api/users/${user.id}`, { token: ctx.token });
    // 4.26.2 and 5.54.0 answer a user that is gone with 204 and no body.
    if (![200, 204, 404].includes(res.status)) throw new Error(`DELETE /api/users/${user.id} answered ${res.status}`);
  });
  ctx.expect(a, 200);
  const jwt = (a.json as { jwt?: string }).jwt;
  return { ...body, id: user!.id, jwt, agent };
}

export function authScenarios(): Scenario[] {
  return [
    { group, name: 'roles: list', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/users-permissions/roles', { token: ctx.token }), 200) },
    { group, name: 'users: list', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', `/api/users?${qs.stringify({ pagination: { limit: 5 } })}`, { token: ctx.token }), 200) },
    { group, name: '/api/users/me with an API token: 401', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/users/me', { token: ctx.token }), 401, { name: 'UnauthorizedError' }) },
    { group, name: '/api/users/me without a token: 403', run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/users/me'), 403, { name: 'ForbiddenError' }) },
    {
      group,
      name: 'email confirmation with an unknown token: 400',
      run: async (ctx) => void ctx.expect(await ctx.http.send('GET', '/api/auth/email-confirmation?confirmation=check-no-such-token'), 400, { name: 'ValidationError', message: 'Invalid token' }),
    },
    {
      group,
      name: 'register, log in, read itself, delete',
      writes: true,
      async run(ctx) {
        const user = await register(ctx);
        if (!user.jwt) throw new Skip('registered without a JWT: email confirmation is on, so the user cannot log in');
        const login = ctx.expect(await ctx.http.send('POST', '/api/auth/local', { json: { identifier: user.email, password }, agent: user.agent }), 200);
        const jwt = (login.json as { jwt: string }).jwt;
        const me = ctx.expect(await ctx.http.send('GET', '/api/users/me', { token: jwt }), 200);
        if ((me.json as { email?: string }).email !== user.email) throw new CheckFailure(`/api/users/me answered ${me.text.slice(0, 200)}`);
        ctx.expect(await ctx.http.send('DELETE', `/api/users/${user.id}`, { token: ctx.token }), 200);
        ctx.expect(await ctx.http.send('GET', `/api/users/${user.id}`, { token: ctx.token }), 204);
      },
    },
    {
      group,
      name: 'a wrong password, a taken email, a missing password: 400',
      writes: true,
      async run(ctx) {
        const user = await register(ctx);
        ctx.expect(await ctx.http.send('POST', '/api/auth/local', { json: { identifier: user.email, password: 'Wrong-Passw0rd!' }, agent: user.agent }), 400, { name: 'ValidationError', message: 'Invalid identifier or password' });
        ctx.expect(await ctx.http.send('POST', '/api/auth/local/register', { json: { username: `${user.username}x`, email: user.email, password }, agent: user.agent }), 400, { name: 'ApplicationError', message: 'Email or Username are already taken' });
        ctx.expect(await ctx.http.send('POST', '/api/auth/local/register', { json: { username: `${user.username}y`, email: `y${user.email}` }, agent: user.agent }), 400, { name: 'ValidationError' });
      },
    },
  ];
}

/** Run last: from this machine's one address it uses up the auth window for a minute. */
export function rateLimitScenarios(): Scenario[] {
  return [
    {
      group: 'auth rate limit',
      name: 'logins past X-RateLimit-Limit get 429 with Strapi\'s error',
      writes: true,
      async run(ctx) {
        const agent = ctx.source();
        const first = await ctx.http.send('POST', '/api/auth/local', { json: { identifier: `${ctx.mark()}@example.com`, password }, agent });
        const limit = Number(first.headers.get('x-ratelimit-limit'));
        if (first.status === 429) throw new CheckFailure('the first login of this address was already limited');
        if (!limit) throw new Skip('no X-RateLimit-Limit header: the auth rate limit is off (or a proxy removes it)');
        if (limit > 100) throw new Skip(`X-RateLimit-Limit is ${limit}: too many requests to reach it`);
        let last = first;
        for (let i = 1; i <= limit && last.status !== 429; i++) {
          // Straight through the window, without the client's own waiting: this scenario is the one that fills it.
          last = await ctx.http.send('POST', '/api/auth/local', { json: { identifier: `${ctx.mark()}@example.com`, password }, agent, ignoreWindow: true });
        }
        ctx.expect(last, 429, { name: 'RateLimitError', message: 'Too many requests, please try again later.' });
        const reset = Number(last.headers.get('x-ratelimit-reset'));
        if (reset) ctx.http.exhaust(agent, reset, '/api/auth/local|');
      },
    },
  ];
}
