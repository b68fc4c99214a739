import { describe, expect, test } from 'vitest';
import { password, setup } from '../testing.js';
import { prefixKey } from './rate-limit.js';

const login = (identifier: string) => ({ identifier, password: 'wrong-password' });

test('keys: v5 leaves the email out on /auth/local, reset and change password, normalizes the path', () => {
  expect(prefixKey(5, '/api/auth/local', { email: 'A@b.c' }, '1.2.3.4')).toBe('noIdentifier:/api/auth/local:1.2.3.4');
  expect(prefixKey(5, '/api/AUTH/local/', {}, '1.2.3.4')).toBe('noIdentifier:/api/auth/local:1.2.3.4');
  expect(prefixKey(5, '/api/auth/local/register', { email: 'A@B.c' }, '1.2.3.4')).toBe('a@b.c:/api/auth/local/register:1.2.3.4');
  expect(prefixKey(5, '/api/auth/forgot-password', { email: ['x'] }, '1.2.3.4')).toBe('unknownIdentifier:/api/auth/forgot-password:1.2.3.4');
  expect(prefixKey(4, '/api/auth/local', { email: 'A@b.c' }, '1.2.3.4')).toBe('a@b.c:/api/auth/local:1.2.3.4');
  expect(prefixKey(4, '/api/AUTH//local/', {}, '1.2.3.4')).toBe('unknownIdentifier:/api/auth/local/:1.2.3.4');
});

describe.each([4, 5] as const)('v%i rate limit', (major) => {
  test('10 requests per 60 s per address: the 11th is 429, with headers and no Retry-After; another address is fine', async () => {
    const t = await setup({ strapi: major, clock: () => Date.parse('2026-05-01T12:00:00.400Z') });
    const ip = t.ip();
    for (let i = 1; i <= 10; i++) {
      const r = await t.call('POST', '/api/auth/local', { json: login(`nobody${i}@example.com`), ip });
      expect(r.status).toBe(400);
      expect(r.headers.get('x-ratelimit-limit')).toBe('10');
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
      expect(r.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil(Date.parse('2026-05-01T12:01:00.400Z') / 1000)));
    }
    const limited = await t.call('POST', '/api/auth/local', { json: login('someone-else@example.com'), ip });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ data: null, error: { status: 429, name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} } });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBeNull();
    expect((await t.call('POST', '/api/auth/local', { json: login('x@example.com'), ip: t.ip() })).status).toBe(400);
    // Other routes are not limited.
    expect((await t.call('GET', '/api/articles', { ip })).headers.get('x-ratelimit-limit')).toBeNull();
  });

  test('the window is fixed: it ends interval after the first hit, then the count starts again', async () => {
    const t = await setup({ strapi: major });
    const ip = t.ip();
    for (let i = 0; i < 11; i++) await t.call('POST', '/api/auth/local', { json: login('a@example.com'), ip });
    t.control.advanceClock(59_000);
    expect((await t.call('POST', '/api/auth/local', { json: login('a@example.com'), ip })).status).toBe(429);
    t.control.advanceClock(1_000);
    const fresh = await t.call('POST', '/api/auth/local', { json: login('a@example.com'), ip });
    expect(fresh.status).toBe(400);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('9');
  });

  test('successful requests count too', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const ip = t.ip();
    for (let i = 0; i < 10; i++) expect((await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password }, ip })).status).toBe(200);
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: u.email, password }, ip })).status).toBe(429);
  });

  test('register and forgot-password are keyed on the email', async () => {
    const t = await setup({ strapi: major });
    const ip = t.ip();
    for (let i = 0; i < 10; i++) await t.call('POST', '/api/auth/local/register', { json: { username: `r${i}`, email: 'same@example.com', password: 'x' }, ip });
    expect((await t.call('POST', '/api/auth/local/register', { json: { username: 'r10', email: 'SAME@example.com', password }, ip })).status).toBe(429);
    expect((await t.call('POST', '/api/auth/local/register', { json: { username: 'r11', email: 'other@example.com', password }, ip })).status).toBe(200);
    for (let i = 0; i < 10; i++) await t.call('POST', '/api/auth/forgot-password', { json: { email: 'f@example.com' }, ip });
    expect((await t.call('POST', '/api/auth/forgot-password', { json: { email: 'f@example.com' }, ip })).status).toBe(429);
    expect((await t.call('POST', '/api/auth/forgot-password', { json: { email: 'g@example.com' }, ip })).status).toBe(200);
  });

  test(major === 5 ? 'v5: a trailing slash or other case shares the bucket; an email in a login body does not help' : 'v4: case shares the bucket, a trailing slash does not; an email in a login body gets a fresh bucket', async () => {
    const t = await setup({ strapi: major });
    const ip = t.ip();
    for (let i = 0; i < 10; i++) await t.call('POST', '/api/auth/local', { json: login('a'), ip });
    // (The spec validator matches paths exactly, so this one is not validated.)
    expect((await t.call('POST', '/api/AUTH/LOCAL', { json: login('a'), ip, validate: false })).status).toBe(429);
    expect((await t.call('POST', '/api/auth/local/', { json: login('a'), ip, validate: false })).status).toBe(major === 5 ? 429 : 400);
    expect((await t.call('POST', '/api/auth/local', { json: { ...login('a'), email: 'fresh@example.com' }, ip })).status).toBe(major === 5 ? 429 : 400);
  });

  test('a 403 happens before the limiter: no headers, no count', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    const ip = t.ip();
    for (let i = 0; i < 12; i++) {
      const r = await t.call('POST', '/api/auth/local', { token: u.jwt, json: login('a'), ip });
      expect(r.status).toBe(403);
      expect(r.headers.get('x-ratelimit-limit')).toBeNull();
    }
    expect((await t.call('POST', '/api/auth/local', { json: login('a'), ip })).headers.get('x-ratelimit-remaining')).toBe('9');
  });

  test('change-password counts per user (koa2-ratelimit keys JWT callers by user id)', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    const b = await t.register();
    const ip = t.ip();
    const change = (jwt: string) => t.call('POST', '/api/auth/change-password', { token: jwt, json: { currentPassword: 'nope', password: 'Other-1', passwordConfirmation: 'Other-1' }, ip });
    for (let i = 0; i < 10; i++) await change(a.jwt);
    expect((await change(a.jwt)).status).toBe(429);
    expect((await change(b.jwt)).status).toBe(400);
  });

  test('disabled, and a custom max/interval', async () => {
    const off = await setup({ strapi: major, rateLimit: { enabled: false } });
    const ip = off.ip();
    for (let i = 0; i < 12; i++) expect((await off.call('POST', '/api/auth/local', { json: login('a'), ip, validate: false })).status).toBe(400);
    const strict = await setup({ strapi: major, rateLimit: { max: 2, interval: 1000 } });
    await strict.call('POST', '/api/auth/local', { json: login('a') });
    await strict.call('POST', '/api/auth/local', { json: login('a') });
    const third = await strict.call('POST', '/api/auth/local', { json: login('a') });
    expect(third.status).toBe(429);
    expect(third.headers.get('x-ratelimit-limit')).toBe('2');
    expect(strict.control.rateLimitState()).toEqual([expect.objectContaining({ counter: 3, remaining: 0 })]);
  });
});
