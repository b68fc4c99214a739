// The browser build's stand-ins for Node's built-ins answer as Node does for what the emulator
// asks of them.
import { createHash as nodeHash, randomBytes as nodeRandom } from 'node:crypto';
import nodePath from 'node:path';
import { crc32 as nodeCrc32, deflateSync as nodeDeflate } from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createHash, randomBytes, timingSafeEqual } from './crypto.js';
import { addFiles, existsSync, readFileSync, readdirSync, statSync } from './fs.js';
import { crc32, inflateSync, isIP } from './node-misc.js';
import * as path from './path.js';

test('sha256 is the same digest as node:crypto, for any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(nodeHash('sha256').update(bytes).digest('hex'));
    }),
  );
  expect(createHash('sha256').update('abc').digest('base64')).toBe(nodeHash('sha256').update('abc').digest('base64'));
  expect(() => createHash('md5')).toThrow("createHash('md5') is not available in the browser build");
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
