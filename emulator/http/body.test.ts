import { missingJsonBody } from './errors.js';
import { describe, expect, test } from 'vitest';
import { fullAccessToken, setup } from '../testing.js';
import { parseJsonText } from './body.js';

const v8Message = (text: string) => {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
};

test('co-body strict JSON: empty → {}, scalars refused, __proto__ refused', () => {
  expect(parseJsonText('')).toEqual({});
  expect(parseJsonText(' [1]')).toEqual([1]);
  expect(() => parseJsonText('"abc"')).toThrow('invalid JSON, only supports object and array');
  expect(() => parseJsonText('"abc"', 4)).toThrow(expect.objectContaining({ name: 'Error', status: 400, message: 'invalid JSON, only supports object and array' }));
  expect(() => parseJsonText('{"__proto__": {"admin": true}}')).toThrow('Object contains forbidden prototype property');
});

describe.each([4, 5] as const)('v%i request bodies', (major) => {
  test('malformed JSON → 400 SyntaxError with V8’s message and no details, before routing or auth', async () => {
    const t = await setup({ strapi: major });
    for (const raw of ['{"name": ', '{name: 1}', '{"a":1,}']) {
      for (const [path, token] of [['/api/users-permissions/roles', fullAccessToken], ['/api/auth/local', 'garbage']] as const) {
        const r = await t.call('POST', path, { raw, token, headers: { 'content-type': 'application/json' } });
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ data: null, error: { status: 400, name: 'SyntaxError', message: v8Message(raw) } });
      }
    }
    // On an unknown route too (the parser runs first).
    const unknown = await t.call('POST', '/api/nowhere', { raw: '{', headers: { 'content-type': 'application/json' }, validate: false });
    expect(unknown.body.error.name).toBe('SyntaxError');
  });

  test('a JSON body over 1 MB → 413 PayloadTooLargeError without details (declared or streamed)', async () => {
    const t = await setup({ strapi: major });
    const huge = JSON.stringify({ email: 'a'.repeat(1024 * 1024) });
    const declared = await t.call('POST', '/api/auth/forgot-password', { raw: huge, headers: { 'content-type': 'application/json', 'content-length': String(huge.length) }, validate: false });
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ data: null, error: { status: 413, name: 'PayloadTooLargeError', message: 'request entity too large' } });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode(`{"k${i}":"${'x'.repeat(100_000)}",`));
        c.close();
      },
    });
    const streamed = await t.emulator.app.request('http://127.0.0.1:1337/api/articles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    // Just under the limit is parsed (and then judged by the route).
    const big = JSON.stringify({ email: `${'a'.repeat(1000)}@example.com`, pad: 'x'.repeat(1000) });
    expect((await t.call('POST', '/api/auth/forgot-password', { raw: big, headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  test('urlencoded forms are parsed; an unknown content type leaves no body (v5: real Strapi then crashes, so 500 + X-Strapi-Emulator-Crash; v4: koa-body leaves {})', async () => {
    const t = await setup({ strapi: major });
    const form = await t.call('POST', '/api/auth/forgot-password', { raw: 'email=nobody%40example.com', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.body).toEqual({ ok: true });
    const none = await t.call('POST', '/api/auth/forgot-password', { raw: 'email=x', headers: { 'content-type': 'application/octet-stream' } });
    if (major === 5) {
      expect(none.status).toBe(500);
      expect(none.headers.get('x-strapi-emulator-crash')).toBe(missingJsonBody);
    } else expect(none.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: 'email is a required field' });
    const explained = await setup({ strapi: 5, strapiCrashes: 'explain' });
    const told = await explained.call('POST', '/api/auth/forgot-password', { raw: 'email=x', headers: { 'content-type': 'application/octet-stream' }, validate: false });
    expect(told.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: missingJsonBody });
    // Role routes check for an empty body first.
    const role = await t.call('POST', '/api/users-permissions/roles', { token: fullAccessToken, raw: 'x', headers: { 'content-type': 'application/octet-stream' } });
    expect(role.body.error.message).toBe('Request body cannot be empty');
  });
});

describe('the control API\'s JSON limits', () => {
  const over = (bytes: number) => JSON.stringify({ username: 'big', email: 'big@example.com', pad: 'x'.repeat(bytes) });

  test('16 MB by default (controlBodyLimit), 413 naming the limit and the option; a snapshot restore takes up to 256 MB (snapshotBodyLimit)', async () => {
    const t = await setup({ strapi: 5 });
    const seed = await t.call('POST', '/_emulator/users', { raw: over(16 * 1024 * 1024), headers: { 'content-type': 'application/json' }, validate: false });
    expect(seed.status).toBe(413);
    expect(seed.body).toEqual({ data: null, error: { status: 413, name: 'PayloadTooLargeError', message: `The body is over ${16 * 1024 * 1024} bytes, the limit of /_emulator/users (emulator option controlBodyLimit)` } });
    expect(seed.headers.get('connection')).toBe('close');
    // A body read to its end (malformed JSON) keeps the connection.
    expect((await t.call('POST', '/api/auth/local', { raw: '{', headers: { 'content-type': 'application/json' }, validate: false })).headers.get('connection')).toBeNull();
    // Under it, the body is read and judged by the route.
    expect((await t.call('POST', '/_emulator/users', { raw: over(2 * 1024 * 1024), headers: { 'content-type': 'application/json' }, validate: false })).status).toBe(400);
    // A snapshot over 16 MB is read (then refused for its shape, not its size).
    const restore = await t.call('PUT', '/_emulator/snapshot', { raw: over(17 * 1024 * 1024), headers: { 'content-type': 'application/json' }, validate: false });
    expect(restore.status).not.toBe(413);
  });

  test('both limits are options', async () => {
    const t = await setup({ strapi: 5, controlBodyLimit: 100, snapshotBodyLimit: 1000 });
    expect((await t.call('POST', '/_emulator/users', { raw: over(200), headers: { 'content-type': 'application/json' }, validate: false })).status).toBe(413);
    const restore = await t.call('PUT', '/_emulator/snapshot', { raw: over(2000), headers: { 'content-type': 'application/json' }, validate: false });
    expect(restore.body.error.message).toBe('The body is over 1000 bytes, the limit of /_emulator/snapshot (emulator option snapshotBodyLimit)');
    await expect(setup({ strapi: 5, controlBodyLimit: -1 })).rejects.toThrow('controlBodyLimit must be a whole number of bytes, got -1');
    // The content API keeps Strapi's 1mb.
    expect((await t.call('POST', '/api/auth/local', { raw: over(2 * 1024 * 1024), headers: { 'content-type': 'application/json' }, validate: false })).body.error.message).toBe('request entity too large');
  });
});
