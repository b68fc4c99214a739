// The browser build's stand-ins for Node's built-ins answer as Node does for what the emulator
// asks of them.
import { createCipheriv as nodeCipher, createDecipheriv as nodeDecipher, createHash as nodeHash, createHmac as nodeHmac, randomBytes as nodeRandom } from 'node:crypto';
import nodePath from 'node:path';
import { crc32 as nodeCrc32, deflateSync as nodeDeflate } from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey, randomBytes, randomInt, timingSafeEqual } from './crypto.js';
import { addFiles, existsSync, readFileSync, readdirSync, statSync } from './fs.js';
import { crc32, inflateSync, isIP } from './node-misc.js';
import * as path from './path.js';

test('hashes and HMACs (sha1, sha256, sha384, sha512) are the same digests as node:crypto, for any bytes and keys', () => {
  const algorithm = fc.constantFrom('sha1', 'sha256', 'sha384', 'sha512');
  fc.assert(
    fc.property(algorithm, fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 200 }), (alg, bytes, key) => {
      expect(createHash(alg).update(bytes).digest('hex')).toBe(nodeHash(alg).update(bytes).digest('hex'));
      expect(createHmac(alg, key).update(bytes).update('tail').digest('base64url')).toBe(nodeHmac(alg, key).update(bytes).update('tail').digest('base64url'));
    }),
  );
  expect(Buffer.compare(createHash('sha256').update('abc').digest(), nodeHash('sha256').update('abc').digest())).toBe(0);
  expect(() => createHash('md5')).toThrow("'md5' is not available in the browser build");
});

test('AES-256-GCM as node:crypto: same ciphertext and tag; each side decrypts the other; a damaged value or another key throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), (text, key, iv) => {
      const ours = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([ours.update(text, 'utf8'), ours.final()]);
      const theirs = nodeCipher('aes-256-gcm', key, iv);
      expect(Buffer.concat([theirs.update(text, 'utf8'), theirs.final()]).toString('hex')).toBe(sealed.toString('hex'));
      expect(ours.getAuthTag().toString('hex')).toBe(theirs.getAuthTag().toString('hex'));
      const opened = nodeDecipher('aes-256-gcm', key, iv);
      opened.setAuthTag(ours.getAuthTag());
      expect(Buffer.concat([opened.update(sealed), opened.final()]).toString('utf8')).toBe(text);
      const back = createDecipheriv('aes-256-gcm', key, iv);
      back.setAuthTag(theirs.getAuthTag());
      expect(Buffer.concat([back.update(sealed), back.final()]).toString('utf8')).toBe(text);
    }),
  );
  const key = nodeRandom(32);
  const iv = nodeRandom(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([c.update('secret', 'utf8'), c.final()]);
  const wrong = createDecipheriv('aes-256-gcm', nodeRandom(32), iv);
  wrong.setAuthTag(c.getAuthTag());
  wrong.update(sealed);
  expect(() => wrong.final()).toThrow();
  expect(() => createCipheriv('aes-128-cbc', key, iv)).toThrow('aes-128-cbc is not available in the browser build');
});

test('randomInt stays in its range and reaches both ends; asymmetric keys say they are not in the browser build', () => {
  const seen = new Set(Array.from({ length: 2000 }, () => randomInt(1000, 1004)));
  expect([...seen].sort()).toEqual([1000, 1001, 1002, 1003]);
  expect(() => randomInt(5, 5)).toThrow(RangeError);
  expect(() => createPublicKey('-----BEGIN PRIVATE KEY-----')).toThrow('use HS256, HS384 or HS512');
});

test('randomBytes, timingSafeEqual', () => {
  expect(randomBytes(70_000)).toHaveLength(70_000);
  expect(randomBytes(16).toString('hex')).toMatch(/^[0-9a-f]{32}$/);
  expect(timingSafeEqual(Buffer.from('ab'), Buffer.from('ab'))).toBe(true);
  expect(timingSafeEqual(Buffer.from('ab'), Buffer.from('ac'))).toBe(false);
  expect(() => timingSafeEqual(Buffer.from('a'), Buffer.from('ab'))).toThrow(RangeError);
});

test('POSIX paths as node:path.posix, for any segments', () => {
  const segment = fc.constantFrom('a', 'b', '..', '.', '', 'c.json', 'x.tar.gz', '.hidden');
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), fc.array(segment, { maxLength: 6 }), (a, b) => {
      const p = a.join('/');
      // Doubled slashes ("//a", which dirname keeps) never occur in the emulator's paths.
      const q = `/${b.filter((s) => s !== '').join('/')}`;
      expect(path.join(...a)).toBe(nodePath.posix.join(...a));
      expect(path.resolve('/root', p)).toBe(nodePath.posix.resolve('/root', p));
      expect(path.dirname(q)).toBe(nodePath.posix.dirname(q));
      expect(path.basename(q)).toBe(nodePath.posix.basename(q));
      expect(path.extname(q)).toBe(nodePath.posix.extname(q));
      expect(path.relative(`/${p}`, q)).toBe(nodePath.posix.relative(`/${p}`, q));
    }),
  );
});

test('the in-memory file system: added files read, listed and stated; a missing one is ENOENT', () => {
  addFiles({ '/project/src/api/page/content-types/page/schema.json': { kind: 'collectionType' }, 'project/README.md': 'hi' });
  expect(JSON.parse(readFileSync('/project/src/api/page/content-types/page/schema.json'))).toEqual({ kind: 'collectionType' });
  expect(readdirSync('/project')).toEqual(['README.md', 'src']);
  expect(statSync(new URL('file:///project/src')).isDirectory()).toBe(true);
  expect(existsSync('/project/nope')).toBe(false);
  expect(() => readFileSync('/project/nope')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
});

test('zlib and net stand-ins', () => {
  const bytes = nodeRandom(1000);
  expect(Buffer.compare(inflateSync(nodeDeflate(bytes)), bytes)).toBe(0);
  expect(crc32(bytes)).toBe(nodeCrc32(bytes) >>> 0);
  expect([isIP('127.0.0.1'), isIP('::1'), isIP('256.1.1.1'), isIP('host')]).toEqual([4, 6, 0, 0]);
});
