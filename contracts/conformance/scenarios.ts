// The conformance scenarios: every operation of the spec, its happy path and its main error
// answers, sent with the generated SDK to one target. Every answer is validated against the
// spec (see ../target.ts), and the last test checks that every answer the spec documents was
// really seen. Run against real Strapi, this proves the spec; run against the emulator, it
// proves the emulator. The same code runs on every target; where v4 and v5 differ, it says so.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as sdk from '../../clients/v5/sdk/index.js';
import { png } from '../fixtures.js';
import { Contract, type TargetInfo } from '../target.js';

/** A running target: where it is, and how to stop it afterwards. */
export type Connected = { target: TargetInfo; stop(): Promise<void> };

/** Declares the whole suite against the target `connect` gives (called once, before the tests). */
export function conformanceSuite(connect: () => Promise<Connected>): void {
  let c: Contract;
  let v5 = false;
  let connected: Connected | undefined;
  const admin = () => c.client({ token: c.target.apiTokens.fullAccess });
  const anon = () => c.client();
  const garbage = () => c.client({ token: 'not-a-jwt' });
  const as = (jwt: string) => c.client({ token: jwt });
  const uid = () => randomBytes(5).toString('hex');
  /** Letters only: Strapi derives a role's type with lodash snakeCase, which also splits digits off. */
  const letters = () => Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
  const password = 'Passw0rd!';

  type Result = { response: Response; error?: unknown; data?: unknown };
  function expectStatus(result: Result, status: number): void {
    expect(result.response.status, JSON.stringify(result.error ?? result.data)?.slice(0, 400)).toBe(status);
  }
  function expectError(result: Result, status: number, name: string, message?: string | RegExp): void {
    expectStatus(result, status);
    const error = (result.error as { error: { name: string; message: string } }).error;
    expect(error.name).toBe(name);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else if (message) expect(error.message).toMatch(message);
  }

  /** Registers a fresh user; returns its JWT, id, and credentials. */
  async function register() {
    const username = `u${uid()}`;
    const email = `${username}@example.com`;
    const r = await sdk.authLocalRegister({ client: anon(), body: { username, email, password } });
    expectStatus(r, 200);
    const { jwt, user } = r.data as { jwt: string; user: { id: number } };
    return { jwt, id: user.id, username, email };
  }

  let authenticatedRoleId = 0;
  let publicRoleId = 0;
  let seenBefore = 0;

  beforeAll(async () => {
    connected = await connect();
    c = new Contract(connected.target);
    v5 = c.target.major === 5;
    const r = await sdk.rolesFind({ client: admin() });
    expectStatus(r, 200);
    for (const role of r.data!.roles) {
      if (role.type === 'authenticated') authenticatedRoleId = role.id;
      if (role.type === 'public') publicRoleId = role.id;
    }
    expect(authenticatedRoleId).toBeGreaterThan(0);
  });
  beforeEach(() => {
    seenBefore = c.seen.length;
  });
  afterEach(() => {
    const violations = c.seen.slice(seenBefore).flatMap((s) => s.violations.map((v) => `${s.request}: ${v}`));
    expect(violations, 'answers that do not conform to the spec').toEqual([]);
  });
  afterAll(async () => {
    await c?.close();
    await connected?.stop();
  });

  describe('auth: register and login', () => {
    test('register → 200 {jwt, user}; login by email (any case) and by username', async () => {
      const username = `u${uid()}`;
      const registered = await sdk.authLocalRegister({ client: anon(), body: { username, email: `${username}@Example.COM`, password } });
      expectStatus(registered, 200);
      // Email confirmation is off by default: the user is confirmed at once; the email is stored lower-cased; no role.
      expect(registered.data).toMatchObject({ user: { username, email: `${username}@example.com`, confirmed: true, blocked: false, provider: 'local' } });
      expect((registered.data as { user: object }).user).not.toHaveProperty('role');
      const u = await register();
      const byEmail = await sdk.authLocal({ client: anon(), body: { identifier: u.email.toUpperCase(), password } });
      expectStatus(byEmail, 200);
      expect(byEmail.response.headers.get('x-ratelimit-limit')).toBe('10');
      expect(byEmail.response.headers.get('x-ratelimit-remaining')).toBe('9');
      const byName = await sdk.authLocal({ client: anon(), body: { identifier: u.username, password } });
      expectStatus(byName, 200);
      expect(byName.data!.user.id).toBe(u.id);
    });

    test('register errors: duplicate → ApplicationError, missing password → ValidationError', async () => {
      const u = await register();
      expectError(await sdk.authLocalRegister({ client: anon(), body: { username: `x${uid()}`, email: u.email.toUpperCase(), password } }), 400, 'ApplicationError', 'Email or Username are already taken');
      expectError(await sdk.authLocalRegister({ client: anon(), body: { username: `x${uid()}`, email: `${uid()}@example.com` } as never }), 400, 'ValidationError', 'password is a required field');
    });

    test('login errors: wrong password 400, blocked 400, a JWT 403, garbage bearer 401', async () => {
      const u = await register();
      expectError(await sdk.authLocal({ client: anon(), body: { identifier: u.email, password: 'wrong-password' } }), 400, 'ValidationError', 'Invalid identifier or password');
      expectError(await sdk.authLocal({ client: as(u.jwt), body: { identifier: u.email, password } }), 403, 'ForbiddenError', 'Forbidden');
      expectError(await sdk.authLocal({ client: garbage(), body: { identifier: u.email, password } }), 401, 'UnauthorizedError', 'Missing or invalid credentials');
      expectStatus(await sdk.usersUpdate({ client: admin(), path: { id: u.id }, body: { blocked: true } }), 200);
      expectError(await sdk.authLocal({ client: anon(), body: { identifier: u.email, password } }), 400, 'ApplicationError', 'Your account has been blocked by an administrator');
      // A JWT issued before the block is refused everywhere, public routes included.
      expectError(await sdk.articlesFind({ client: as(u.jwt) }), 401, 'UnauthorizedError', 'Invalid credentials');
    });

    test('register: a JWT 403, garbage bearer 401', async () => {
      const u = await register();
      expectError(await sdk.authLocalRegister({ client: as(u.jwt), body: { username: `x${uid()}`, email: `${uid()}@example.com`, password } }), 403, 'ForbiddenError');
      expectError(await sdk.authLocalRegister({ client: garbage(), body: { username: `x${uid()}`, email: `${uid()}@example.com`, password } }), 401, 'UnauthorizedError');
    });

    test('rate limit: the 11th login from one address gets 429, whatever the identifier', async () => {
      const client = anon();
      for (let i = 1; i <= 10; i++) {
        const r = await sdk.authLocal({ client, body: { identifier: `nobody${i}@example.com`, password } });
        expectStatus(r, 400);
        expect(r.response.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
      }
      const limited = await sdk.authLocal({ client, body: { identifier: 'someone-else@example.com', password } });
      expectError(limited, 429, 'RateLimitError', 'Too many requests, please try again later.');
      expect(limited.response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.response.headers.get('retry-after')).toBeNull();
      // Another address is not limited.
      expectStatus(await sdk.authLocal({ client: anon(), body: { identifier: 'nobody@example.com', password } }), 400);
    });

    test('rate limit: register is keyed on the email', async () => {
      const client = anon();
      const email = `${uid()}@example.com`;
      for (let i = 0; i < 10; i++) await sdk.authLocalRegister({ client, body: { username: `r${uid()}`, email, password: 'x' } });
      expectError(await sdk.authLocalRegister({ client, body: { username: `r${uid()}`, email, password } }), 429, 'RateLimitError');
      expectStatus(await sdk.authLocalRegister({ client, body: { username: `r${uid()}`, email: `${uid()}@example.com`, password } }), 200);
    });
  });

  describe('auth: passwords and email confirmation', () => {
    test('forgot-password → 200 ok and an email with the code; reset-password with it → 200; the code is spent', async () => {
      const u = await register();
      const forgot = await sdk.authForgotPassword({ client: anon(), body: { email: u.email } });
      expectStatus(forgot, 200);
      expect(forgot.data).toEqual({ ok: true });
      const code = /code=([0-9a-f]+)/.exec(JSON.stringify(await c.lastMailTo(u.email)))?.[1];
      expect(code).toMatch(/^[0-9a-f]{128}$/);
      const newPassword = 'N3w-password';
      const reset = await sdk.authResetPassword({ client: anon(), body: { code: code!, password: newPassword, passwordConfirmation: newPassword } });
      expectStatus(reset, 200);
      expect(reset.data!.user.id).toBe(u.id);
      expectError(await sdk.authResetPassword({ client: anon(), body: { code: code!, password: newPassword, passwordConfirmation: newPassword } }), 400, 'ValidationError', 'Incorrect code provided');
      expectStatus(await sdk.authLocal({ client: anon(), body: { identifier: u.email, password: newPassword } }), 200);
    });

    test('forgot-password: unknown email 200, bad email 400, a JWT 403, garbage 401', async () => {
      const u = await register();
      expectStatus(await sdk.authForgotPassword({ client: anon(), body: { email: 'nobody-here@example.com' } }), 200);
      expectError(await sdk.authForgotPassword({ client: anon(), body: { email: 'not an email' } }), 400, 'ValidationError', 'email must be a valid email');
      expectError(await sdk.authForgotPassword({ client: as(u.jwt), body: { email: u.email } }), 403, 'ForbiddenError');
      expectError(await sdk.authForgotPassword({ client: garbage(), body: { email: u.email } }), 401, 'UnauthorizedError');
    });

    test('reset-password errors: mismatch, a JWT 403, garbage 401', async () => {
      const u = await register();
      expectError(await sdk.authResetPassword({ client: anon(), body: { code: 'abc', password: 'aaaaaa1', passwordConfirmation: 'bbbbbb1' } }), 400, 'ValidationError', 'Passwords do not match');
      expectError(await sdk.authResetPassword({ client: as(u.jwt), body: { code: 'abc', password: 'aaaaaa1', passwordConfirmation: 'aaaaaa1' } }), 403, 'ForbiddenError');
      expectError(await sdk.authResetPassword({ client: garbage(), body: { code: 'abc', password: 'aaaaaa1', passwordConfirmation: 'aaaaaa1' } }), 401, 'UnauthorizedError');
    });

    test('rate limit: forgot-password per email, reset-password per address', async () => {
      const client = anon();
      const email = `${uid()}@example.com`;
      for (let i = 0; i < 10; i++) expectStatus(await sdk.authForgotPassword({ client, body: { email } }), 200);
      expectError(await sdk.authForgotPassword({ client, body: { email } }), 429, 'RateLimitError');
      const resetter = anon();
      for (let i = 0; i < 10; i++) await sdk.authResetPassword({ client: resetter, body: { code: `bad${i}`, password: 'aaaaaa1', passwordConfirmation: 'aaaaaa1' } });
      expectError(await sdk.authResetPassword({ client: resetter, body: { code: 'bad', password: 'aaaaaa1', passwordConfirmation: 'aaaaaa1' } }), 429, 'RateLimitError');
    });

    test('change-password → 200; wrong current 400; same as current 400; anonymous 403; garbage 401; 11th → 429', async () => {
      const u = await register();
      const client = as(u.jwt);
      expectError(await sdk.authChangePassword({ client, body: { currentPassword: 'not-it', password: 'Other-1', passwordConfirmation: 'Other-1' } }), 400, 'ValidationError', 'The provided current password is invalid');
      expectError(await sdk.authChangePassword({ client, body: { currentPassword: password, password, passwordConfirmation: password } }), 400, 'ValidationError', 'Your new password must be different than your current password');
      expectError(await sdk.authChangePassword({ client: anon(), body: { currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' } }), 403, 'ForbiddenError');
      expectError(await sdk.authChangePassword({ client: garbage(), body: { currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' } }), 401, 'UnauthorizedError');
      const changed = await sdk.authChangePassword({ client, body: { currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' } });
      expectStatus(changed, 200);
      expect(changed.data!.jwt).toBeTypeOf('string');
      for (let i = 0; i < 7; i++) await sdk.authChangePassword({ client, body: { currentPassword: 'x', password: 'Other-2', passwordConfirmation: 'Other-2' } });
      expectError(await sdk.authChangePassword({ client, body: { currentPassword: 'x', password: 'Other-2', passwordConfirmation: 'Other-2' } }), 429, 'RateLimitError');
    });

    test('email confirmation: send → mail with token → confirm → 302; then "Already confirmed"', async () => {
      const username = `c${uid()}`;
      const email = `${username}@example.com`;
      const created = await sdk.usersCreate({ client: admin(), body: { username, email, password, role: authenticatedRoleId } });
      expectStatus(created, 201);
      expect(created.data!.confirmed).toBe(false);
      const sent = await sdk.authSendEmailConfirmation({ client: anon(), body: { email } });
      expectStatus(sent, 200);
      expect(sent.data).toEqual({ email, sent: true });
      const token = /confirmation=([^"&\s\\<]+)/.exec(JSON.stringify(await c.lastMailTo(email)))?.[1];
      expect(token).toBeTruthy();
      const confirmed = await sdk.authEmailConfirmation({ client: anon(), query: { confirmation: token! } });
      expectStatus(confirmed, 302);
      expectError(await sdk.authSendEmailConfirmation({ client: anon(), body: { email } }), 400, 'ApplicationError', 'Already confirmed');
      expectError(await sdk.authEmailConfirmation({ client: anon(), query: { confirmation: 'nope' } }), 400, 'ValidationError', 'Invalid token');
    });

    test('send-email-confirmation: rate-limited per email on v5, not on v4', async () => {
      const client = anon();
      const email = `${uid()}@example.com`;
      for (let i = 0; i < 10; i++) {
        const r = await sdk.authSendEmailConfirmation({ client, body: { email } });
        expectStatus(r, 200);
        expect(r.response.headers.get('x-ratelimit-limit')).toBe(v5 ? '10' : null);
      }
      const eleventh = await sdk.authSendEmailConfirmation({ client, body: { email } });
      if (v5) expectError(eleventh, 429, 'RateLimitError', 'Too many requests, please try again later.');
      else expectStatus(eleventh, 200);
      expectStatus(await sdk.authSendEmailConfirmation({ client, body: { email: `${uid()}@example.com` } }), 200);
    });

    test('email confirmation: a JWT 403, garbage 401', async () => {
      const u = await register();
      expectError(await sdk.authEmailConfirmation({ client: as(u.jwt), query: { confirmation: 'nope' } }), 403, 'ForbiddenError');
      expectError(await sdk.authEmailConfirmation({ client: garbage(), query: { confirmation: 'nope' } }), 401, 'UnauthorizedError');
      expectError(await sdk.authSendEmailConfirmation({ client: as(u.jwt), body: { email: u.email } }), 403, 'ForbiddenError');
      expectError(await sdk.authSendEmailConfirmation({ client: garbage(), body: { email: u.email } }), 401, 'UnauthorizedError');
    });

    test('refresh and logout: absent from v4 (405), 404 in v5 legacy JWT mode', async () => {
      const u = await register();
      if (!v5) {
        for (const call of [sdk.authRefresh({ client: anon(), body: { refreshToken: 'x' } }), sdk.authLogout({ client: as(u.jwt) })]) {
          const r = await call;
          expectStatus(r, 405);
        }
        return;
      }
      expectError(await sdk.authRefresh({ client: anon(), body: { refreshToken: 'x' } }), 404, 'NotFoundError', 'Not Found');
      expectError(await sdk.authLogout({ client: as(u.jwt) }), 404, 'NotFoundError', 'Not Found');
      expectError(await sdk.authLogout({ client: anon() }), 403, 'ForbiddenError');
      expectError(await sdk.authLogout({ client: garbage() }), 401, 'UnauthorizedError');
      expectError(await sdk.authRefresh({ client: garbage(), body: { refreshToken: 'x' } }), 401, 'UnauthorizedError');
      expectError(await sdk.authRefresh({ client: as(u.jwt), body: { refreshToken: 'x' } }), 403, 'ForbiddenError');
      // After a "logout" in legacy mode the JWT still works.
      expectStatus(await sdk.usersMe({ client: as(u.jwt) }), 200);
    });
  });

  describe('users', () => {
    test('me: JWT 200 without role, and populate=role is dropped for Authenticated; anonymous 403; garbage 401; API token 401', async () => {
      const u = await register();
      const me = await sdk.usersMe({ client: as(u.jwt) });
      expectStatus(me, 200);
      expect(me.data!.id).toBe(u.id);
      expect(me.data).not.toHaveProperty('role');
      // populate=role is dropped for a caller whose role may not read roles (Authenticated by default).
      const populated = await sdk.usersMe({ client: as(u.jwt), query: { populate: 'role' } });
      expectStatus(populated, 200);
      expect(populated.data).not.toHaveProperty('role');
      expectError(await sdk.usersMe({ client: anon() }), 403, 'ForbiddenError', 'Forbidden');
      expectError(await sdk.usersMe({ client: garbage() }), 401, 'UnauthorizedError', 'Missing or invalid credentials');
      expectError(await sdk.usersMe({ client: admin() }), 401, 'UnauthorizedError', 'Unauthorized');
    });

    test('find ignores pagination[…]: every user comes back', async () => {
      await register();
      await register();
      const all = await sdk.usersFind({ client: admin() });
      const paged = await sdk.usersFind({ client: admin(), query: { pagination: { page: 1, pageSize: 1 } } });
      expectStatus(paged, 200);
      expect(all.data!.length).toBeGreaterThanOrEqual(2);
      expect(paged.data!.length).toBe(all.data!.length);
    });

    test('find and count: a bare array and a bare number; filters; private keys 400; anonymous 403; garbage 401', async () => {
      const u = await register();
      const all = await sdk.usersFind({ client: admin(), query: { filters: { username: { $eq: u.username } } } });
      expectStatus(all, 200);
      expect(all.data!.map((x) => x.id)).toEqual([u.id]);
      const count = await sdk.usersCount({ client: admin() });
      expectStatus(count, 200);
      expect(count.data).toBeGreaterThan(0);
      expectError(await sdk.usersFind({ client: admin(), query: { filters: { password: { $eq: 'x' } } } }), 400, 'ValidationError');
      expectError(await sdk.usersFind({ client: anon() }), 403, 'ForbiddenError');
      expectError(await sdk.usersFind({ client: garbage() }), 401, 'UnauthorizedError');
      expectError(await sdk.usersCount({ client: anon() }), 403, 'ForbiddenError');
      expectError(await sdk.usersCount({ client: garbage() }), 401, 'UnauthorizedError');
    });

    test('create 201 with role; duplicate email 400; update 200; missing 404; delete 200 then 204', async () => {
      const username = `n${uid()}`;
      const email = `${username}@example.com`;
      const created = await sdk.usersCreate({ client: admin(), body: { username, email, password, role: authenticatedRoleId } });
      expectStatus(created, 201);
      expect(created.data!.role.id).toBe(authenticatedRoleId);
      const id = created.data!.id;
      expectError(await sdk.usersCreate({ client: admin(), body: { username: `o${uid()}`, email, password, role: authenticatedRoleId } }), 400, 'ApplicationError', 'Email already taken');
      expectError(await sdk.usersCreate({ client: admin(), body: { username: `o${uid()}`, email: `${uid()}@example.com`, password } }), 400, 'ValidationError', 'role is a required field');
      const updated = await sdk.usersUpdate({ client: admin(), path: { id }, body: { blocked: true } });
      expectStatus(updated, 200);
      expect(updated.data!.blocked).toBe(true);
      expectError(await sdk.usersUpdate({ client: admin(), path: { id: 987654 }, body: { blocked: true } }), 404, 'NotFoundError', 'User not found');
      const one = await sdk.usersFindOne({ client: admin(), path: { id } });
      expectStatus(one, 200);
      expectStatus(await sdk.usersFindOne({ client: admin(), path: { id: 987654 } }), 204);
      const deleted = await sdk.usersDestroy({ client: admin(), path: { id } });
      expectStatus(deleted, 200);
      expect(deleted.data!.id).toBe(id);
      expectStatus(await sdk.usersDestroy({ client: admin(), path: { id } }), 204);
    });

    test('update: duplicate username 400', async () => {
      const a = await register();
      const b = await register();
      expectError(await sdk.usersUpdate({ client: admin(), path: { id: b.id }, body: { username: a.username } }), 400, 'ApplicationError', 'Username already taken');
    });

    test('create/update/findOne/destroy: anonymous 403, garbage 401', async () => {
      const u = await register();
      const body = { username: `z${uid()}`, email: `${uid()}@example.com`, password, role: authenticatedRoleId };
      expectError(await sdk.usersCreate({ client: anon(), body }), 403, 'ForbiddenError');
      expectError(await sdk.usersCreate({ client: garbage(), body }), 401, 'UnauthorizedError');
      expectError(await sdk.usersUpdate({ client: anon(), path: { id: u.id }, body: { blocked: true } }), 403, 'ForbiddenError');
      expectError(await sdk.usersUpdate({ client: garbage(), path: { id: u.id }, body: { blocked: true } }), 401, 'UnauthorizedError');
      expectError(await sdk.usersFindOne({ client: anon(), path: { id: u.id } }), 403, 'ForbiddenError');
      expectError(await sdk.usersFindOne({ client: garbage(), path: { id: u.id } }), 401, 'UnauthorizedError');
      expectError(await sdk.usersDestroy({ client: anon(), path: { id: u.id } }), 403, 'ForbiddenError');
      expectError(await sdk.usersDestroy({ client: garbage(), path: { id: u.id } }), 401, 'UnauthorizedError');
    });

    test('a deleted user\'s JWT → 401 "Invalid credentials"', async () => {
      const u = await register();
      expectStatus(await sdk.usersDestroy({ client: admin(), path: { id: u.id } }), 200);
      expectError(await sdk.usersMe({ client: as(u.jwt) }), 401, 'UnauthorizedError', 'Invalid credentials');
    });
  });

  describe('roles and permissions', () => {
    test('find (nb_users), findOne (permission tree), permissions tree', async () => {
      const list = await sdk.rolesFind({ client: admin() });
      expectStatus(list, 200);
      expect(list.data!.roles.every((r) => typeof r.nb_users === 'number')).toBe(true);
      const one = await sdk.rolesFindOne({ client: admin(), path: { id: authenticatedRoleId } });
      expectStatus(one, 200);
      expect(one.data!.role.permissions!['api::article']!.controllers.article!.find!.enabled).toBe(true);
      expectError(await sdk.rolesFindOne({ client: admin(), path: { id: 987654 } }), 404, 'NotFoundError', 'Role not found');
      const tree = await sdk.permissionsFind({ client: admin() });
      expectStatus(tree, 200);
      expect(Object.keys(tree.data!.permissions)).toEqual(expect.arrayContaining(['api::article', 'plugin::upload', 'plugin::users-permissions']));
    });

    test('create → update → users moved to Public on delete; public role cannot be deleted', async () => {
      const name = `Role ${letters()}`;
      expect((await sdk.rolesCreate({ client: admin(), body: { name, description: 'made by the contract run' } })).data).toEqual({ ok: true });
      const role = (await sdk.rolesFind({ client: admin() })).data!.roles.find((r) => r.name === name)!;
      expect(role.type).toBe(name.toLowerCase().replace(/ /g, '_'));
      expectStatus(await sdk.rolesUpdate({ client: admin(), path: { id: role.id }, body: { description: 'changed' } }), 200);
      expectError(await sdk.rolesUpdate({ client: admin(), path: { id: role.id }, body: {} }), 400, 'ValidationError', 'Request body cannot be empty');
      expectError(await sdk.rolesUpdate({ client: admin(), path: { id: 987654 }, body: { description: 'x' } }), 404, 'NotFoundError', 'Role not found');
      const username = `m${uid()}`;
      const member = await sdk.usersCreate({ client: admin(), body: { username, email: `${username}@example.com`, password, role: role.id } });
      expectStatus(member, 201);
      expect((await sdk.rolesDestroy({ client: admin(), path: { id: role.id } })).data).toEqual({ ok: true });
      const moved = await sdk.usersFindOne({ client: admin(), path: { id: member.data!.id }, query: { populate: 'role' } });
      expect(moved.data!.role!.type).toBe('public');
      expectError(await sdk.rolesDestroy({ client: admin(), path: { id: publicRoleId } }), 400, 'ApplicationError', 'Cannot delete public role');
      expectError(await sdk.rolesDestroy({ client: admin(), path: { id: 987654 } }), 404, 'NotFoundError');
    });

    test('malformed JSON → 400 SyntaxError without details', async () => {
      const r = await c.raw('POST', '/api/users-permissions/roles', {
        headers: { authorization: `Bearer ${c.target.apiTokens.fullAccess}`, 'content-type': 'application/json' },
        body: '{"name": ',
      });
      expect(r.status).toBe(400);
      const body = (await r.json()) as { error: Record<string, unknown> };
      expect(body.error.name).toBe('SyntaxError');
      expect(body.error).not.toHaveProperty('details');
    });

    test('anonymous 403, garbage 401 on every role route', async () => {
      for (const [client, status] of [[anon(), 403], [garbage(), 401]] as const) {
        expectStatus(await sdk.rolesFind({ client }), status);
        expectStatus(await sdk.rolesFindOne({ client, path: { id: authenticatedRoleId } }), status);
        expectStatus(await sdk.rolesCreate({ client, body: { name: 'x' } }), status);
        expectStatus(await sdk.rolesUpdate({ client, path: { id: authenticatedRoleId }, body: { description: 'x' } }), status);
        expectStatus(await sdk.rolesDestroy({ client, path: { id: authenticatedRoleId } }), status);
        expectStatus(await sdk.permissionsFind({ client }), status);
      }
    });
  });

  const image = () => new File([new Uint8Array(png(4, 3))], 'pixel.png', { type: 'image/png' });

  describe('upload', () => {
    test('upload → array of files; ?id= with fileInfo → the one file; find, findOne, destroy', async () => {
      const up = await sdk.uploadFiles({ client: admin(), body: { files: image() } });
      expectStatus(up, v5 ? 201 : 200);
      const [file] = up.data as Array<{ id: number; url: string; width: number; mime: string; name: string }>;
      expect(file).toMatchObject({ width: 4, mime: 'image/png', name: 'pixel.png' });
      expect(file.url).toMatch(/^\/uploads\/pixel_[0-9a-f]{10}\.png$/);
      const info = await sdk.uploadFiles({ client: admin(), query: { id: file.id }, body: { fileInfo: JSON.stringify({ alternativeText: 'alt', caption: 'cap', name: 'renamed.png' }) } });
      expectStatus(info, 200);
      expect(info.data).toMatchObject({ id: file.id, alternativeText: 'alt', caption: 'cap', name: 'renamed.png' });
      expectError(await sdk.uploadFiles({ client: admin(), query: { id: 987654 }, body: { fileInfo: JSON.stringify({ caption: 'x' }) } }), 404, 'NotFoundError', 'Entity not found');
      const list = await sdk.uploadFilesFind({ client: admin(), query: { filters: { id: { $eq: file.id } } } });
      expectStatus(list, 200);
      expect(list.data!.map((f) => f.id)).toEqual([file.id]);
      expectStatus(await sdk.uploadFilesFindOne({ client: admin(), path: { id: file.id } }), 200);
      const served = await fetch(new URL(file.url, c.target.url));
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      const deleted = await sdk.uploadFilesDestroy({ client: admin(), path: { id: file.id } });
      expectStatus(deleted, 200);
      expectError(await sdk.uploadFilesFindOne({ client: admin(), path: { id: file.id } }), 404, 'NotFoundError', 'file.notFound');
      expectError(await sdk.uploadFilesDestroy({ client: admin(), path: { id: file.id } }), 404, 'NotFoundError', 'file.notFound');
    });

    test('no files → 400 "Files are empty"; a bad filter key → 400', async () => {
      expectError(await sdk.uploadFiles({ client: admin(), body: {} }), 400, 'ValidationError', 'Files are empty');
      expectError(await sdk.uploadFilesFind({ client: admin(), query: { filters: { nope: { $eq: 1 } } } }), 400, 'ValidationError');
    });

    test('anonymous 403, garbage 401', async () => {
      for (const [client, status] of [[anon(), 403], [garbage(), 401]] as const) {
        expectStatus(await sdk.uploadFiles({ client, body: { files: image() } }), status);
        expectStatus(await sdk.uploadFilesFind({ client }), status);
        expectStatus(await sdk.uploadFilesFindOne({ client, path: { id: 1 } }), status);
        expectStatus(await sdk.uploadFilesDestroy({ client, path: { id: 1 } }), status);
      }
    });
  });

  describe('documents (articles)', () => {
    type Entry = { id: number; documentId?: string; attributes?: Record<string, unknown> } & Record<string, unknown>;
    const key = (e: Entry) => (v5 ? e.documentId! : String(e.id));
    const attrs = (e: Entry) => (v5 ? e : e.attributes!);

    test('create → find → findOne → update → delete', async () => {
      const title = `Hello ${uid()}`;
      const created = await sdk.articlesCreate({ client: admin(), body: { data: { title, body: 'text' } } });
      expectStatus(created, v5 ? 201 : 200);
      const entry = created.data!.data as unknown as Entry;
      expect(attrs(entry).title).toBe(title);
      expect(attrs(entry).publishedAt).toBeTruthy();
      const list = await sdk.articlesFind({ client: anon(), query: { filters: { title: { $eq: title } } } });
      expectStatus(list, 200);
      expect(list.data!.data.map((e) => (e as unknown as Entry).id)).toEqual([entry.id]);
      expect(list.data!.meta.pagination).toEqual({ page: 1, pageSize: 25, pageCount: 1, total: 1 });
      expectStatus(await sdk.articlesFindOne({ client: anon(), path: { id: key(entry) } }), 200);
      const updated = await sdk.articlesUpdate({ client: admin(), path: { id: key(entry) }, body: { data: { body: 'changed' } } });
      expectStatus(updated, 200);
      expect(attrs(updated.data!.data as unknown as Entry).body).toBe('changed');
      const deleted = await sdk.articlesDelete({ client: admin(), path: { id: key(entry) } });
      expectStatus(deleted, v5 ? 204 : 200);
      expectError(await sdk.articlesFindOne({ client: anon(), path: { id: key(entry) } }), 404, 'NotFoundError', 'Not Found');
      expectError(await sdk.articlesUpdate({ client: admin(), path: { id: key(entry) }, body: { data: { body: 'x' } } }), 404, 'NotFoundError');
      if (!v5) expectError(await sdk.articlesDelete({ client: admin(), path: { id: key(entry) } }), 404, 'NotFoundError');
    });

    test('bad input: missing data, wrong type, unknown filter key, unknown field → 400', async () => {
      expectError(await sdk.articlesCreate({ client: admin(), body: {} as never }), 400, 'ValidationError', 'Missing "data" payload in the request body');
      const created = await sdk.articlesCreate({ client: admin(), body: { data: { title: `T ${uid()}` } } });
      const entry = created.data!.data as unknown as Entry;
      expectError(await sdk.articlesUpdate({ client: admin(), path: { id: key(entry) }, body: { data: { title: 123 as never } } }), 400, 'ValidationError', 'title must be a `string` type, but the final value was: `123`.');
      expectError(await sdk.articlesFind({ client: anon(), query: { filters: { nope: { $eq: 1 } } } }), 400, 'ValidationError');
      expectError(await sdk.articlesFindOne({ client: anon(), path: { id: key(entry) }, query: { fields: ['nope'] } }), 400, 'ValidationError');
    });

    test('permissions: anonymous cannot write (403); a role without article.find gets 403; garbage 401', async () => {
      const created = await sdk.articlesCreate({ client: admin(), body: { data: { title: `P ${uid()}` } } });
      const entry = created.data!.data as unknown as Entry;
      expectError(await sdk.articlesCreate({ client: anon(), body: { data: { title: 'x' } } }), 403, 'ForbiddenError');
      expectError(await sdk.articlesUpdate({ client: anon(), path: { id: key(entry) }, body: { data: { title: 'x' } } }), 403, 'ForbiddenError');
      expectError(await sdk.articlesDelete({ client: anon(), path: { id: key(entry) } }), 403, 'ForbiddenError');
      const name = `Reader-less ${uid()}`;
      await sdk.rolesCreate({ client: admin(), body: { name } });
      const role = (await sdk.rolesFind({ client: admin() })).data!.roles.find((r) => r.name === name)!;
      const username = `p${uid()}`;
      expectStatus(await sdk.usersCreate({ client: admin(), body: { username, email: `${username}@example.com`, password, role: role.id } }), 201);
      const login = await sdk.authLocal({ client: anon(), body: { identifier: username, password } });
      const jwt = login.data!.jwt;
      expectError(await sdk.articlesFind({ client: as(jwt) }), 403, 'ForbiddenError');
      expectError(await sdk.articlesFindOne({ client: as(jwt), path: { id: key(entry) } }), 403, 'ForbiddenError');
      for (const client of [garbage()]) {
        expectError(await sdk.articlesFind({ client }), 401, 'UnauthorizedError');
        expectError(await sdk.articlesFindOne({ client, path: { id: key(entry) } }), 401, 'UnauthorizedError');
        expectError(await sdk.articlesCreate({ client, body: { data: { title: 'x' } } }), 401, 'UnauthorizedError');
        expectError(await sdk.articlesUpdate({ client, path: { id: key(entry) }, body: { data: { title: 'x' } } }), 401, 'UnauthorizedError');
        expectError(await sdk.articlesDelete({ client, path: { id: key(entry) } }), 401, 'UnauthorizedError');
      }
    });

    test('a JSON body over the parser limit → 413', async () => {
      const huge = 'x'.repeat(2 * 1024 * 1024);
      const r = await sdk.articlesCreate({ client: admin(), body: { data: { title: huge } } });
      expectError(r, 413, 'PayloadTooLargeError');
      const created = await sdk.articlesCreate({ client: admin(), body: { data: { title: `L ${uid()}` } } });
      const entry = created.data!.data as unknown as Entry;
      expectError(await sdk.articlesUpdate({ client: admin(), path: { id: key(entry) }, body: { data: { title: huge } } }), 413, 'PayloadTooLargeError');
    });

    test('a read-only API token can read but not write', async () => {
      const client = c.client({ token: c.target.apiTokens.readOnly });
      expectStatus(await sdk.articlesFind({ client }), 200);
      expectError(await sdk.articlesCreate({ client, body: { data: { title: 'x' } } }), 403, 'ForbiddenError');
    });
  });

  /** Answers the spec documents that a default real Strapi cannot be made to give. */
  const notObservable: Record<string, string> = {
    'authRefresh 200': 'refresh mode only (jwtManagement: "refresh"); the real apps run the default legacy mode',
    'authLogout 200': 'refresh mode only',
  };

  describe('coverage', () => {
    test('every answer the spec documents was seen', () => {
      const seen = new Set(c.seen.map((s) => `${s.operationId} ${s.status}`));
      const missing: string[] = [];
      // The emulator's own control API (/_emulator/*) is not Strapi's: the emulator's tests cover it.
      for (const route of c.validator.routes.filter((r) => !r.template.startsWith('/_emulator/'))) {
        for (const status of Object.keys(route.operation.responses)) {
          const id = `${route.operation.operationId} ${status}`;
          if (!seen.has(id) && !notObservable[id]) missing.push(id);
        }
      }
      expect(missing).toEqual([]);
    });
  });
}
