// Regression (found by test/fuzz): a register body that is not an object — text/plain gives a
// string — crashed v4's key filter with a 500. Strapi 4 _.pick()s the allowed keys, which finds
// none in a string, so yup then refuses the missing fields with a 400; v5 refuses the body first.
import { describe, expect, test } from 'vitest';
import { setup } from '../testing.js';

describe.each([4, 5] as const)('v%i register with a body that is not an object', (major) => {
  test('text/plain body → 400, no user written', async () => {
    const t = await setup({ strapi: major });
    const before = t.store.users.count();
    const r = await t.call('POST', '/api/auth/local/register', { raw: '{"username":"ann","email":"ann@example.com","password":"Passw0rd!"}', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(400);
    expect(r.body.error.name).toBe('ValidationError');
    expect(t.store.users.count()).toBe(before);
  });
});
