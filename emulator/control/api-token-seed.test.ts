// Regression (found by test/fuzz): a seeded API token's expiresAt was stored as given, so
// `2024-02-30T00:00:00Z` or `yesterday` came back as an invalid date-time (spec violation) and
// expiry compared against NaN. It is now stored as Strapi's datetime column gives it back.
// And a name, description or permission of the wrong type got the table's unhelpful message.
import { describe, expect, test } from 'vitest';
import { setup } from '../testing.js';

describe('POST /_emulator/api-tokens expiresAt', () => {
  test('an ISO date comes back normalised (UTC, milliseconds); a day past the month rolls over like Date', async () => {
    const t = await setup();
    const r = await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'k1', type: 'read-only', expiresAt: '2030-01-01T01:00:00+01:00' } });
    expect(r.status).toBe(201);
    expect(r.body.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    expect((await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'k2', type: 'read-only', expiresAt: '2024-02-30T00:00:00Z' } })).body.expiresAt).toBe('2024-03-01T00:00:00.000Z');
  });

  test.each(['yesterday', 17e11, true])('%j → 400, no token written', async (expiresAt) => {
    const t = await setup();
    const before = t.store.apiTokens.count();
    const r = await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'k3', type: 'read-only', expiresAt } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/expiresAt must be an ISO date or null/);
    expect(t.store.apiTokens.count()).toBe(before);
  });
});

test.each([{ name: 1 }, { description: ['x'] }, { permissions: [1] }, { permissions: 'api::article.article.find' }])('%j → 400 that names the field', async (extra) => {
  const t = await setup();
  const r = await t.call('POST', '/_emulator/api-tokens', { json: { accessKey: 'k4', type: 'custom', ...extra } });
  expect(r.status).toBe(400);
  expect(r.body.error.message).toMatch(new RegExp(`^${Object.keys(extra)[0]} must be`));
});
