import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { seederFor } from './control/seeding.js';
import { createEmulator } from './index.js';
import { SeedFileError, applySeed, parseSeed, readSeedFile } from './seed-file.js';

describe('parseSeed: the shape, with where and why', () => {
  test.each([
    [[], 'seed: expected a JSON object like'],
    [{ user: [] }, 'seed: unknown keys "user" (expected roles, users, apiTokens, admins, locales, documents)'],
    [{ users: {} }, 'seed: "users" must be a list'],
    [{ roles: [{ name: 'A' }, 'B'] }, 'seed: roles[1] must be an object'],
    [{ documents: [] }, 'seed: "documents" must be an object of content type uid → list of entries'],
    [{ documents: { 'api::a.a': [{}, 3] } }, 'seed: documents["api::a.a"][1] must be an object of attributes'],
    // Every entry is checked before anything is written, the problem named by its path.
    [{ users: [{ username: 'ann', email: 'ann@example.com' }, { username: 'bob', email: 7 }] }, 'seed: users[1].email: must be a string'],
    [{ users: [{ username: 'ann', email: 'a@b.co', role: {} }] }, 'seed: users[0].role: must be a role id, a role type or null'],
    [{ users: [{ username: 'ann', email: 'a@b.co', passwordHash: 'x' }] }, 'seed: users[0].passwordHash: must be a bcrypt hash'],
    [{ users: [{ username: 'ann', email: 'a@b.co', nick: 'x' }] }, 'seed: users[0]: unknown keys nick'],
    [{ users: [{ username: 'ann', email: 'A@b.co' }, { username: 'bob', email: 'a@B.co' }] }, 'seed: users[1]: "a@b.co" is already in users[0]'],
    [{ roles: [{ name: 'Editor', permissions: ['find'] }] }, 'seed: roles[0].permissions[0]: must be an action like "api::article.article.find"'],
    [{ apiTokens: [{ accessKey: 'k', type: 'admin' }] }, 'seed: apiTokens[0].type: must be read-only, full-access or custom'],
    [{ apiTokens: [{ accessKey: 'k', type: 'custom', expiresAt: 'soon' }] }, 'seed: apiTokens[0].expiresAt: must be an ISO date or null'],
    [{ apiTokens: [{ accessKey: 'k', type: 'custom' }, { accessKey: 'k', type: 'read-only' }] }, 'seed: apiTokens[1]: "k" is already in apiTokens[0]'],
    [{ admins: [{ email: 'nobody', password: 'x' }] }, 'seed: admins[0].email: must be an email address'],
    [{ admins: [{ email: 'a@example.com', password: 'x' }, { email: 'A@example.com', password: 'y' }] }, 'seed: admins[1]: "a@example.com" is already in admins[0]'],
  ])('%j', (raw, message) => {
    expect(() => parseSeed(raw)).toThrow(SeedFileError);
    expect(() => parseSeed(raw)).toThrow(message);
  });

  test('a file that is not JSON, or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    writeFileSync(join(dir, 'bad.json'), '{"users": [');
    expect(() => readSeedFile(join(dir, 'bad.json'))).toThrow(new RegExp(`^${join(dir, 'bad.json')}: not valid JSON \\(`));
    expect(() => readSeedFile(join(dir, 'none.json'))).toThrow(`${join(dir, 'none.json')}: cannot read the file (ENOENT)`);
  });
});

test('applySeed writes in order (roles before the users naming them) and stops at the first refusal, naming it', async () => {
  const emulator = createEmulator({ bcryptCost: 4 });
  const seed = seederFor(emulator);
  await applySeed(seed, parseSeed({ users: [{ username: 'ann', email: 'ann@example.com', role: 'writer' }], roles: [{ name: 'Writer' }] }));
  expect(emulator.store.users.first((u) => u.username === 'ann')?.role).toBe(emulator.store.roles.first((r) => r.type === 'writer')?.id);
  await expect(applySeed(seed, { apiTokens: [{ accessKey: 'a', type: 'full-access' }, { accessKey: 'a', type: 'read-only' }] }, 'x.json')).rejects.toThrow('x.json: apiTokens[1]: ValidationError: apiTokens: two tokens share one accessKey');
  await expect(applySeed(seed, { documents: { 'api::article.article': { title: 1 } as never } })).rejects.toThrow('seed: documents["api::article.article"]: ValidationError: title must be a `string` type');
});

test('admins: seeded as active accounts that log in on /admin/login, by role code or name', async () => {
  const emulator = createEmulator({ bcryptCost: 4 });
  await applySeed(seederFor(emulator), parseSeed({ admins: [{ email: 'Boss@Example.com', password: 'Boss-Passw0rd' }, { email: 'ed@example.com', password: 'Ed-Passw0rd', roles: ['Editor', 'strapi-author'] }] }), 'seed', emulator);
  const login = await emulator.app.request('/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'boss@example.com', password: 'Boss-Passw0rd' }) });
  expect(login.status).toBe(200);
  const { token } = ((await login.json()) as { data: { token: string } }).data;
  const list = (await (await emulator.app.request('/admin/users', { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { results: Array<{ email: string; roles: Array<{ code: string }> }> } };
  expect(list.data.results.map((u) => [u.email, u.roles.map((r) => r.code)])).toEqual([['boss@example.com', ['strapi-super-admin']], ['ed@example.com', ['strapi-editor', 'strapi-author']]]);
  await expect(applySeed(seederFor(emulator), { admins: [{ email: 'x@example.com', password: 'p', roles: ['nope'] }] }, 's.json')).rejects.toThrow('s.json: admins[0]: ValidationError: no admin role "nope"');
});

test('with the emulator given, a refused entry undoes the ones before it: never a half-seeded world', async () => {
  const emulator = createEmulator({ bcryptCost: 4 });
  await emulator.ready;
  const before = emulator.store.snapshot();
  const data = parseSeed({ roles: [{ name: 'Writer' }], users: [{ username: 'ann', email: 'ann@example.com', role: 'writer' }, { username: 'bob', email: 'bob@example.com', role: 'nobody' }] });
  await expect(applySeed(seederFor(emulator), data, 'seed.json', emulator)).rejects.toThrow('seed.json: users[1]: ValidationError: No role "nobody" (give a role id or type)');
  expect(emulator.store.snapshot()).toEqual(before);
});
