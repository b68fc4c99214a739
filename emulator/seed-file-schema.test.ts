import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect, test } from 'vitest';
import { parseSeed } from './seed-file.js';
import { seedFileJsonSchema, seedSchemaFile } from './seed-file-schema.js';

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(seedFileJsonSchema());
const readerAccepts = (seed: unknown) => {
  try {
    parseSeed(seed);
    return true;
  } catch {
    return false;
  }
};

test('the committed spec/seed-file.schema.json is the one the reader makes (npx tsx emulator/seed-file-schema.ts rewrites it)', () => {
  expect(JSON.parse(readFileSync(seedSchemaFile, 'utf8'))).toEqual(seedFileJsonSchema());
});

test('the schema and the reader agree on what a seed file is', () => {
  const hash = `$2a$10$${'a'.repeat(53)}`;
  const cases: unknown[] = [
    {},
    { $schema: './spec/seed-file.schema.json' },
    { $comment: 'anything under a $ key' },
    { roles: [{ name: 'Editor', permissions: ['api::page.page.find'] }], users: [{ username: 'ed', email: 'ed@example.com', password: 'Passw0rd!', role: 'editor' }] },
    { users: [{ username: 'h', email: 'h@example.com', passwordHash: hash, confirmed: false, blocked: true, role: 2 }] },
    { users: [{ username: 'n', email: 'n@example.com', role: null }] },
    { apiTokens: [{ accessKey: 'k', type: 'custom', permissions: ['api::a.a.find'], expiresAt: '2030-01-01T00:00:00.000Z' }] },
    { apiTokens: [{ accessKey: 'k', type: 'full-access', expiresAt: null }] },
    { locales: ['fr', { code: 'de', isDefault: true }] },
    { documents: { 'api::category.category': [{ name: 'News' }], 'api::homepage.homepage': { headline: 'Hi' } } },
    // refused by both
    [],
    'seed',
    { role: [] },
    { roles: {} },
    { roles: [{ permissions: [] }] },
    { roles: [{ name: 'x', permissions: ['find'] }] },
    { users: [{ username: '', email: 'a@b.c' }] },
    { users: [{ username: 'a', email: 'a@b.c', admin: true }] },
    { users: [{ username: 'a', email: 'a@b.c', passwordHash: 'plain' }] },
    { users: [{ username: 'a', email: 'a@b.c', role: 0 }] },
    { users: [{ username: 'a', email: 'a@b.c', blocked: 'yes' }] },
    { apiTokens: [{ accessKey: 'k', type: 'admin' }] },
    { apiTokens: [{ accessKey: '', type: 'read-only' }] },
    { locales: 'fr' },
    { locales: [1] },
    { documents: [] },
    { documents: { 'api::a.a': ['x'] } },
    { documents: { 'api::a.a': [[]] } },
  ];
  for (const seed of cases) expect(validate(seed), `${JSON.stringify(seed)}: ${JSON.stringify(validate.errors)}`).toBe(readerAccepts(seed));
});

test('what only the reader can check: one of password/passwordHash, unique usernames and emails, real dates', () => {
  for (const seed of [
    { users: [{ username: 'a', email: 'a@b.c', password: 'p', passwordHash: `$2a$10$${'a'.repeat(53)}` }] },
    { users: [{ username: 'a', email: 'a@b.c' }, { username: 'a', email: 'b@b.c' }] },
    { apiTokens: [{ accessKey: 'k', type: 'read-only', expiresAt: 'not a date' }] },
  ]) {
    expect(validate(seed)).toBe(true);
    expect(readerAccepts(seed)).toBe(false);
  }
});
