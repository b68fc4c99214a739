import bcrypt from 'bcryptjs';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, jwtPayload, password, setup } from '../testing.js';

describe.each([4, 5] as const)('v%i auth', (major) => {
  test('register and login answer {jwt, user} without role or private fields; email any case, username exact', async () => {
    const t = await setup({ strapi: major });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'Ann', email: 'Ann@Example.com', password }, ip: t.ip() });
    expect(r.status).toBe(200);
    const keys = ['id', ...(major === 5 ? ['documentId'] : []), 'username', 'email', 'provider', 'confirmed', 'blocked', 'createdAt', 'updatedAt', ...(major === 5 ? ['publishedAt'] : [])];
    expect(Object.keys(r.body.user)).toEqual(keys);
    expect(r.body.user).toMatchObject({ username: 'Ann', email: 'ann@example.com', provider: 'local', confirmed: true, blocked: false });
    const byEmail = await t.call('POST', '/api/auth/local', { json: { identifier: 'ANN@example.COM', password }, ip: t.ip() });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.user.id).toBe(r.body.user.id);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: 'Ann', password }, ip: t.ip() })).status).toBe(200);
    const wrongCase = await t.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: t.ip() });
    expect(wrongCase.status).toBe(400);
    expect(wrongCase.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid identifier or password', details: {} });
  });

  test('the JWT is HS256 {id, iat, exp = iat + 30 days}; same user, same second → same token', async () => {
    const t = await setup({ strapi: major, clock: () => Date.parse('2026-03-01T10:00:00.250Z') });
    const u = await t.register();
    const [header] = u.jwt.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = jwtPayload(u.jwt);
    expect(payload).toEqual({ id: u.id, iat: Date.parse('2026-03-01T10:00:00Z') / 1000, exp: Date.parse('2026-03-31T10:00:00Z') / 1000 });
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password }, ip: t.ip() });
    expect(login.body.jwt).toBe(u.jwt);
  });

  test('a JWT expires with the clock (then it is just an invalid bearer)', async () => {
    const t = await setup({ strapi: major, jwtExpiresIn: '1h' });
    const u = await t.register();
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
    t.control.advanceClock(3600 * 1000);
    const expired = await t.call('GET', '/api/users/me', { token: u.jwt });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe('Missing or invalid credentials');
  });

  test('register errors: duplicates, validation (3 errors in order), short password', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const dup = await t.call('POST', '/api/auth/local/register', { json: { username: 'other', email: u.email.toUpperCase(), password }, ip: t.ip() });
    expect(dup.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Email or Username are already taken', details: {} });
    const dupName = await t.call('POST', '/api/auth/local/register', { json: { username: u.username, email: 'x@example.com', password }, ip: t.ip() });
    expect(dupName.body.error.message).toBe('Email or Username are already taken');
    const empty = await t.call('POST', '/api/auth/local/register', { json: {}, ip: t.ip() });
    expect(empty.body.error.message).toBe('3 errors occurred');
    expect(empty.body.error.details.errors.map((e: { path: string[] }) => e.path[0])).toEqual(['email', 'username', 'password']);
    const badEmail = await t.call('POST', '/api/auth/local/register', { json: { username: 'bob', email: 'not an email', password }, ip: t.ip() });
    // Strapi 5 reports the offending value, Strapi 4 does not.
    const issue = { path: ['email'], message: 'email must be a valid email', name: 'ValidationError', ...(major === 5 ? { value: 'not an email' } : {}) };
    expect(badEmail.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'email must be a valid email', details: { errors: [issue] } });
    const short = await t.call('POST', '/api/auth/local/register', { json: { username: 'bob', email: 'bob@example.com', password: 'abc' }, ip: t.ip() });
    expect(short.body.error.message).toBe('password must be at least 6 characters');
    expect(short.body.error.details.errors[0].path).toEqual(['password']);
  });

  test('register: extra fields are refused on v5, dropped on v4', async () => {
    const t = await setup({ strapi: major });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'carl', email: 'carl@example.com', password, role: 1, blocked: true }, ip: t.ip() });
    if (major === 5) {
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid parameters: role, blocked', details: {} });
    } else {
      expect(r.status).toBe(200);
      expect(r.body.user.blocked).toBe(false);
    }
  });

  test('login: blocked user with the right password → ApplicationError; with a wrong one the generic error', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    expect((await t.call('PUT', `/api/users/${u.id}`, { token: fullAccessToken, json: { blocked: true } })).status).toBe(200);
    const right = await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password }, ip: t.ip() });
    expect(right.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Your account has been blocked by an administrator', details: {} });
    const wrong = await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password: 'wrong-password' }, ip: t.ip() });
    expect(wrong.body.error.name).toBe('ValidationError');
    const missing = await t.call('POST', '/api/auth/local', { json: { identifier: u.email }, ip: t.ip() });
    expect(missing.body.error.message).toBe('password is a required field');
  });

  test('a $2a$10$ hash from a real Strapi database verifies', async () => {
    const t = await setup({ strapi: major });
    const hash = bcrypt.hashSync(password, 10).replace(/^\$2b\$/, '$2a$');
    expect(hash.startsWith('$2a$10$')).toBe(true);
    const seeded = await t.call('POST', '/_emulator/users', { json: { username: 'legacy', email: 'legacy@example.com', passwordHash: hash } });
    expect(seeded.status).toBe(201);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: 'legacy', password }, ip: t.ip() })).status).toBe(200);
  });

  test('forgot-password → the outbox holds the code → reset-password → the code is spent; old JWTs stay valid', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const forgot = await t.call('POST', '/api/auth/forgot-password', { json: { email: u.email }, ip: t.ip() });
    expect(forgot.body).toEqual({ ok: true });
    const [mail] = t.control.outbox(u.email);
    expect(mail).toMatchObject({ to: u.email, subject: 'Reset password', from: 'Administration Panel <no-reply@strapi.io>', replyTo: '' });
    const code = /\?code=([0-9a-f]+)/.exec(mail.text)![1];
    expect(code).toMatch(/^[0-9a-f]{128}$/);
    const newPassword = 'N3w-password';
    const reset = await t.call('POST', '/api/auth/reset-password', { json: { code, password: newPassword, passwordConfirmation: newPassword }, ip: t.ip() });
    expect(reset.status).toBe(200);
    expect(reset.body.user.id).toBe(u.id);
    const again = await t.call('POST', '/api/auth/reset-password', { json: { code, password: newPassword, passwordConfirmation: newPassword }, ip: t.ip() });
    expect(again.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Incorrect code provided', details: {} });
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password }, ip: t.ip() })).status).toBe(400);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password: newPassword }, ip: t.ip() })).status).toBe(200);
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
  });

  test('forgot-password: unknown and blocked emails answer ok without mail; a bad email is a yup error; unknown keys refused', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    expect((await t.call('POST', '/api/auth/forgot-password', { json: { email: 'nobody@example.com' }, ip: t.ip() })).body).toEqual({ ok: true });
    await t.call('PUT', `/api/users/${u.id}`, { token: fullAccessToken, json: { blocked: true } });
    expect((await t.call('POST', '/api/auth/forgot-password', { json: { email: u.email }, ip: t.ip() })).body).toEqual({ ok: true });
    expect(t.control.outbox()).toEqual([]);
    const bad = await t.call('POST', '/api/auth/forgot-password', { json: { email: 'not an email' }, ip: t.ip() });
    expect(bad.body.error.message).toBe('email must be a valid email');
    const extra = await t.call('POST', '/api/auth/forgot-password', { json: { email: u.email, foo: 1 }, ip: t.ip() });
    expect(extra.body.error.message).toBe('this field has unspecified keys: foo');
  });

  test('reset-password errors: mismatch (v5 yup details, v4 plain), missing fields', async () => {
    const t = await setup({ strapi: major });
    const mismatch = await t.call('POST', '/api/auth/reset-password', { json: { code: 'abc', password: 'aaaaaa1', passwordConfirmation: 'bbbbbb1' }, ip: t.ip() });
    expect(mismatch.body.error.message).toBe('Passwords do not match');
    if (major === 5) expect(mismatch.body.error.details.errors[0].path).toEqual(['passwordConfirmation']);
    else expect(mismatch.body.error.details).toEqual({});
    const missing = await t.call('POST', '/api/auth/reset-password', { json: { code: 'abc', password: 'aaaaaa1' }, ip: t.ip() });
    expect(missing.body.error.message).toBe('passwordConfirmation is a required field');
  });

  test('change-password: wrong current, same as current, mismatch, anonymous 403, success (old JWT still valid)', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const ip = t.ip();
    const change = (json: unknown, token: string | undefined = u.jwt) => t.call('POST', '/api/auth/change-password', { json, token, ip });
    expect((await change({ currentPassword: 'nope', password: 'Other-1', passwordConfirmation: 'Other-1' })).body.error.message).toBe('The provided current password is invalid');
    expect((await change({ currentPassword: password, password, passwordConfirmation: password })).body.error.message).toBe('Your new password must be different than your current password');
    const mismatch = await change({ currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-2' });
    expect(mismatch.body.error.details.errors[0]).toMatchObject({ path: ['passwordConfirmation'], message: 'Passwords do not match' });
    expect((await t.call('POST', '/api/auth/change-password', { json: { currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' }, ip: t.ip() })).status).toBe(403);
    const ok = await change({ currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.jwt).toBe('string');
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: u.username, password: 'Other-1' }, ip: t.ip() })).status).toBe(200);
  });

  test('change-password with an API token: the controller has no user', async () => {
    const t = await setup({ strapi: major });
    const r = await t.call('POST', '/api/auth/change-password', { token: fullAccessToken, json: { currentPassword: password, password: 'Other-1', passwordConfirmation: 'Other-1' } });
    expect(r.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'You must be authenticated to reset your password', details: {} });
  });

  test('email confirmation on: register → {user} + mail; login refused until confirmed; 302 to the redirection; then login', async () => {
    const t = await setup({ strapi: major, emailConfirmation: true, emailConfirmationRedirection: 'https://app.example/welcome' });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'dora', email: 'dora@example.com', password }, ip: t.ip() });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['user']);
    expect(r.body.user.confirmed).toBe(false);
    const blocked = await t.call('POST', '/api/auth/local', { json: { identifier: 'dora', password }, ip: t.ip() });
    expect(blocked.body.error).toEqual({ status: 400, name: 'ApplicationError', message: 'Your account email is not confirmed', details: {} });
    const [mail] = t.control.outbox('dora@example.com');
    expect(mail.subject).toBe('Account confirmation');
    const link = /(http:\/\/[^<\s]+\?confirmation=([0-9a-f]{40}))/.exec(mail.text)!;
    expect(link[1]).toBe(`http://127.0.0.1:1337/api/auth/email-confirmation?confirmation=${link[2]}`);
    const confirmed = await t.call('GET', `/api/auth/email-confirmation?confirmation=${link[2]}`);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('location')).toBe('https://app.example/welcome');
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: 'dora', password }, ip: t.ip() })).status).toBe(200);
    const reused = await t.call('GET', `/api/auth/email-confirmation?confirmation=${link[2]}`);
    expect(reused.body.error).toEqual({ status: 400, name: 'ValidationError', message: 'Invalid token', details: {} });
    const missing = await t.call('GET', '/api/auth/email-confirmation');
    expect(missing.body.error.message).toBe('confirmation is a required field');
  });

  test('email confirmation on: a JWT of an unconfirmed user is refused', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    await t.call('PUT', `/api/users/${u.id}`, { token: fullAccessToken, json: { confirmed: false } });
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
    await t.call('PUT', '/_emulator/settings', { json: { email_confirmation: true } });
    const r = await t.call('GET', '/api/users/me', { token: u.jwt });
    expect(r.body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Invalid credentials', details: {} });
  });

  test('send-email-confirmation: unknown email echoed; already confirmed; blocked; sends the link', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const unknown = await t.call('POST', '/api/auth/send-email-confirmation', { json: { email: 'Nobody@Example.com' } });
    expect(unknown.body).toEqual({ email: 'Nobody@Example.com', sent: true });
    expect((await t.call('POST', '/api/auth/send-email-confirmation', { json: { email: u.email } })).body.error.message).toBe('Already confirmed');
    await t.call('PUT', `/api/users/${u.id}`, { token: fullAccessToken, json: { confirmed: false, blocked: true } });
    expect((await t.call('POST', '/api/auth/send-email-confirmation', { json: { email: u.email } })).body.error.message).toBe('User blocked');
    await t.call('PUT', `/api/users/${u.id}`, { token: fullAccessToken, json: { blocked: false } });
    const sent = await t.call('POST', '/api/auth/send-email-confirmation', { json: { email: u.email } });
    expect(sent.body).toEqual({ email: u.email, sent: true });
    expect(t.control.outbox(u.email)).toHaveLength(1);
  });

  test(major === 4 ? 'refresh and logout do not exist: 405 text, whoever asks' : 'refresh and logout in legacy mode: 404 (after the permission check)', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const refresh = await t.call('POST', '/api/auth/refresh', { json: { refreshToken: 'x' } });
    const logout = await t.call('POST', '/api/auth/logout', { token: u.jwt });
    if (major === 4) {
      for (const r of [refresh, logout, await t.call('POST', '/api/auth/logout', { token: 'garbage' })]) {
        expect(r.status).toBe(405);
        expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(r.text).toBe('Method Not Allowed');
      }
      return;
    }
    expect(refresh.body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'Not Found', details: {} });
    expect(logout.body.error).toEqual({ status: 404, name: 'NotFoundError', message: 'Not Found', details: {} });
    expect((await t.call('POST', '/api/auth/logout', {})).status).toBe(403);
    expect((await t.call('POST', '/api/auth/refresh', { token: u.jwt, json: { refreshToken: 'x' } })).status).toBe(403);
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
  });
});

describe('v5 refresh mode (jwtManagement: refresh)', () => {
  test('login → access + refresh; refresh rotates (a refresh token works once); logout revokes the session', async () => {
    const t = await setup({ strapi: 5, jwtManagement: 'refresh' });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'eve', email: 'eve@example.com', password }, ip: t.ip() });
    expect(Object.keys(r.body)).toEqual(['jwt', 'refreshToken', 'user']);
    expect(jwtPayload(r.body.jwt)).toMatchObject({ type: 'access', userId: String(r.body.user.id) });
    const login = await t.call('POST', '/api/auth/local', { json: { identifier: 'eve', password }, ip: t.ip() });
    const { jwt, refreshToken } = login.body;
    expect((await t.call('GET', '/api/users/me', { token: jwt })).status).toBe(200);
    const rotated = await t.call('POST', '/api/auth/refresh', { json: { refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(refreshToken);
    const reused = await t.call('POST', '/api/auth/refresh', { json: { refreshToken } });
    expect(reused.body.error).toEqual({ status: 401, name: 'UnauthorizedError', message: 'Invalid refresh token', details: {} });
    const out = await t.call('POST', '/api/auth/logout', { token: rotated.body.jwt, json: { refreshToken: rotated.body.refreshToken } });
    expect(out.body).toEqual({ ok: true });
    expect((await t.call('POST', '/api/auth/refresh', { json: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
  });

  test('a legacy {id} JWT is not an access token; access tokens expire after 10 minutes', async () => {
    const t = await setup({ strapi: 5, jwtManagement: 'refresh' });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'fay', email: 'fay@example.com', password }, ip: t.ip() });
    const legacy = await t.services.jwt.issue({ id: r.body.user.id });
    expect((await t.call('GET', '/api/users/me', { token: legacy })).status).toBe(401);
    t.control.advanceClock(10 * 60 * 1000);
    expect((await t.call('GET', '/api/users/me', { token: r.body.jwt })).body.error.message).toBe('Missing or invalid credentials');
  });
});
