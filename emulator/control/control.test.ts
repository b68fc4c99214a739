import { describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';

describe.each([4, 5] as const)('v%i control API', (major) => {
  test('reset goes back to the seed: users, outbox, rate limiter and role changes are gone', async () => {
    const t = await setup({ strapi: major });
    const u = await t.register();
    await t.call('POST', '/api/auth/forgot-password', { json: { email: u.email } });
    await t.call('POST', '/api/users-permissions/roles', { token: fullAccessToken, json: { name: 'Extra' } });
    expect(t.control.outbox()).toHaveLength(1);
    expect(t.control.rateLimitState().length).toBeGreaterThan(0);
    expect((await t.call('POST', '/_emulator/reset', {})).body).toEqual({ ok: true });
    expect((await t.call('GET', '/api/users', { token: fullAccessToken })).body).toEqual([]);
    expect((await t.call('GET', '/_emulator/outbox')).body).toEqual({ mails: [] });
    expect((await t.call('GET', '/_emulator/rate-limit')).body.buckets).toEqual([]);
    expect((await t.call('GET', '/api/users-permissions/roles', { token: fullAccessToken })).body.roles.map((r: { name: string }) => r.name)).toEqual(['Authenticated', 'Public']);
    // The seeded API tokens survive a reset.
    expect((await t.call('GET', '/api/users/count', { token: fullAccessToken })).body).toBe(0);
  });

  test('snapshot and restore: the world comes back exactly, ids included', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    const snap = await t.call('GET', '/_emulator/snapshot');
    await t.call('DELETE', `/api/users/${a.id}`, { token: fullAccessToken });
    await t.register();
    expect((await t.call('PUT', '/_emulator/snapshot', { json: snap.body })).body).toEqual({ ok: true });
    const users = (await t.call('GET', '/api/users', { token: fullAccessToken })).body;
    expect(users).toEqual([a.user]);
    expect((await t.call('GET', '/api/users/me', { token: a.jwt })).status).toBe(200);
    const b = await t.register({ username: 'after' });
    expect(b.id).toBe(a.id + 1);
    const broken = await t.call('PUT', '/_emulator/snapshot', { json: { users: 'nope' } });
    expect(broken.status).toBe(400);
    expect((await t.call('GET', '/api/users', { token: fullAccessToken })).body).toHaveLength(2);
  });

  test('outbox: filter by recipient, clear', async () => {
    const t = await setup({ strapi: major });
    const a = await t.register();
    const b = await t.register();
    for (const email of [a.email, b.email]) await t.call('POST', '/api/auth/forgot-password', { json: { email }, ip: t.ip() });
    const mails = (await t.call('GET', `/_emulator/outbox?to=${encodeURIComponent(b.email)}`)).body.mails;
    expect(mails.map((m: { to: string }) => m.to)).toEqual([b.email]);
    expect(Object.keys(mails[0])).toEqual(['from', 'replyTo', 'to', 'subject', 'text', 'html', 'sentAt']);
    await t.call('DELETE', '/_emulator/outbox');
    expect(t.control.outbox()).toEqual([]);
  });

  test('seed a user (password or $2a$ hash, role by type) and a role with actions', async () => {
    const t = await setup({ strapi: major });
    const role = await t.call('POST', '/_emulator/roles', { json: { name: 'Editors', permissions: ['plugin::users-permissions.user.find'] } });
    expect(role.status).toBe(201);
    expect(role.body).toMatchObject({ name: 'Editors', type: 'editors' });
    const user = await t.call('POST', '/_emulator/users', { json: { username: 'ed', email: 'Ed@Example.com', password, role: 'editors' } });
    expect(user.body).toMatchObject({ username: 'ed', email: 'ed@example.com', confirmed: true, role: { type: 'editors' } });
    const jwt = (await t.call('POST', '/api/auth/local', { json: { identifier: 'ed', password } })).body.jwt;
    expect((await t.call('GET', '/api/users', { token: jwt })).status).toBe(200);
    expect((await t.call('POST', '/_emulator/users', { json: { username: 'ed', email: 'x@example.com' } })).body.error.message).toBe('username "ed" is taken');
    expect((await t.call('POST', '/_emulator/users', { json: { username: 'zed', email: 'zed@example.com', role: 'nope' } })).status).toBe(400);
    expect((await t.call('POST', '/_emulator/users', { json: { username: 'zed', email: 'zed@example.com', passwordHash: 'plain' } })).status).toBe(400);
  });

  test('seed an API token', async () => {
    const t = await setup({ strapi: major });
    const r = await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'reader', type: 'read-only' } });
    expect(r.status).toBe(201);
    expect((await t.call('GET', '/api/users', { token: 'reader' })).status).toBe(200);
    expect((await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'reader', type: 'read-only' } })).status).toBe(400);
    expect((await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'x', type: 'owner' } })).status).toBe(400);
  });

  test('clock: advance, set, reset; timestamps follow it', async () => {
    const t = await setup({ strapi: major, clock: () => Date.parse('2026-01-01T00:00:00Z') });
    expect((await t.call('GET', '/_emulator/clock')).body).toEqual({ now: '2026-01-01T00:00:00.000Z', offset: 0 });
    expect((await t.call('POST', '/_emulator/clock', { json: { advance: 90_000 } })).body.now).toBe('2026-01-01T00:01:30.000Z');
    const u = await t.register();
    expect(u.user.createdAt).toBe('2026-01-01T00:01:30.000Z');
    expect((await t.call('POST', '/_emulator/clock', { json: { set: '2027-06-01T00:00:00.000Z' } })).body).toEqual({ now: '2027-06-01T00:00:00.000Z', offset: Date.parse('2027-06-01T00:00:00Z') - Date.parse('2026-01-01T00:00:00Z') });
    // The 30-day JWT has expired by then.
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(401);
    expect((await t.call('POST', '/_emulator/clock', { json: { reset: true } })).body.offset).toBe(0);
    expect((await t.call('POST', '/_emulator/clock', { json: { advance: 'soon' } })).status).toBe(400);
  });

  test('rate-limit state can be read and cleared', async () => {
    const t = await setup({ strapi: major });
    for (let i = 0; i < 11; i++) await t.call('POST', '/api/auth/local', { json: { identifier: 'a', password: 'b' }, ip: '10.0.0.9' });
    const state = (await t.call('GET', '/_emulator/rate-limit')).body;
    expect(state).toMatchObject({ enabled: true, max: 10, interval: 60000 });
    expect(state.buckets).toEqual([expect.objectContaining({ counter: 11, remaining: 0, key: expect.stringContaining('10.0.0.9') })]);
    await t.call('DELETE', '/_emulator/rate-limit');
    expect((await t.call('POST', '/api/auth/local', { json: { identifier: 'a', password: 'b' }, ip: '10.0.0.9' })).status).toBe(400);
  });

  test('settings: read and change, refused when wrong', async () => {
    const t = await setup({ strapi: major });
    expect((await t.call('GET', '/_emulator/settings')).body).toEqual({ unique_email: true, allow_register: true, email_confirmation: false, email_reset_password: null, email_confirmation_redirection: null, default_role: 'authenticated' });
    await t.call('PUT', '/_emulator/settings', { json: { allow_register: false, email_reset_password: 'https://app.example/reset' } });
    const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'x', email: 'x@example.com', password } });
    expect(r.body.error.message).toBe('Register action is currently disabled');
    expect((await t.call('PUT', '/_emulator/settings', { json: { allow_register: 'yes' } })).status).toBe(400);
    expect((await t.call('PUT', '/_emulator/settings', { json: { nope: true } })).status).toBe(400);
    await t.call('PUT', '/_emulator/settings', { json: { allow_register: true } });
    const u = await t.register();
    await t.call('POST', '/api/auth/forgot-password', { json: { email: u.email } });
    expect(t.control.outbox(u.email)[0].text).toMatch(/https:\/\/app\.example\/reset\?code=[0-9a-f]{128}/);
  });
});
