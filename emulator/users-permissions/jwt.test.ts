import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { setup } from '../testing.js';

// What jsonwebtoken does with a secret or a PEM, through jose: sign, and verify with given algorithms.
const keyOf = (secret: string, use: 'sign' | 'verify') => (secret.includes('BEGIN') ? (use === 'sign' ? createPrivateKey(secret) : createPublicKey(secret)) : createSecretKey(Buffer.from(secret)));
const jwt = {
  sign: (payload: Record<string, unknown>, secret: string, opts: { algorithm: string }) => new SignJWT(payload).setProtectedHeader({ alg: opts.algorithm, typ: 'JWT' }).setIssuedAt().sign(keyOf(secret, 'sign')),
  verify: async (token: string, secret: string, opts: { algorithms: string[] }) => (await jwtVerify(token, keyOf(secret, 'verify'), opts)).payload,
};
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());

describe('users-permissions jwt.algorithm', () => {
  test.each([4, 5] as const)('v%i HS512: the JWT is signed with it and verifies as jsonwebtoken would', async (major) => {
    const t = await setup({ strapi: major, jwtSecret: 'secret', jwtAlgorithm: 'HS512' });
    const u = await t.register();
    expect(header(u.jwt)).toEqual({ alg: 'HS512', typ: 'JWT' });
    expect(await jwt.verify(u.jwt, 'secret', { algorithms: ['HS512'] })).toMatchObject({ id: u.id });
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
    // v5 verifies with [algorithm] only; v4 without `algorithms`, so any HMAC one passes.
    const hs256 = await jwt.sign({ id: u.id }, 'secret', { algorithm: 'HS256' });
    expect((await t.call('GET', '/api/users/me', { token: hs256 })).status).toBe(major === 5 ? 401 : 200);
  });

  test('RS256 with a PEM private key as jwtSecret; a token of the wrong key is refused', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const t = await setup({ strapi: 5, jwtSecret: privateKey, jwtAlgorithm: 'RS256' });
    const u = await t.register();
    expect(header(u.jwt).alg).toBe('RS256');
    expect(await jwt.verify(u.jwt, privateKey, { algorithms: ['RS256'] })).toMatchObject({ id: u.id });
    expect((await t.call('GET', '/api/users/me', { token: u.jwt })).status).toBe(200);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect((await t.call('GET', '/api/users/me', { token: await jwt.sign({ id: u.id }, other.privateKey, { algorithm: 'RS256' }) })).status).toBe(401);
  });

  test('an asymmetric algorithm with a plain secret, or an unknown algorithm, fails at start', async () => {
    await expect(setup({ strapi: 5, jwtSecret: 'plain', jwtAlgorithm: 'RS256' })).rejects.toThrow(/PEM private key/);
    await expect(setup({ strapi: 5, jwtAlgorithm: 'none' as never })).rejects.toThrow(/jwtAlgorithm must be one of/);
  });
});
