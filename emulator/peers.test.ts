import { expect, test } from 'vitest';
import { PeerDependencyError, checkPeer, satisfies } from './peers.js';
import { installedVersion } from './peers-node.js';

test('a version inside [min, next major of max) satisfies; a prerelease tail is ignored', () => {
  expect(satisfies('2.15.0', '2.0.0', 2)).toBe(true);
  expect(satisfies('2.0.0-beta.1', '2.0.0', 2)).toBe(true);
  expect(satisfies('1.3.5', '2.0.0', 2)).toBe(false);
  expect(satisfies('3.0.0', '2.0.0', 2)).toBe(false);
  expect(satisfies('4.9.9', '1.0.0', 4)).toBe(true);
  expect(satisfies('29.7.0', '29.1.0', 30)).toBe(true);
  expect(satisfies('29.0.9', '29.1.0', 30)).toBe(false);
  expect(satisfies('not-a-version', '1.0.0', 4)).toBe(false);
});

test('a wrong or missing peer is one line naming what is installed and what is needed', () => {
  expect(() => checkPeer('strapi-emulator/msw', 'msw', '1.3.5', '2.0.0', 2)).toThrow(new PeerDependencyError("strapi-emulator/msw needs msw >=2.0.0 <3 (a peer dependency: your project's own copy), but msw 1.3.5 is installed: npm install -D msw@2"));
  expect(() => checkPeer('strapi-emulator/vitest', 'vitest', undefined, '1.0.0', 4)).toThrow('but vitest is not installed: npm install -D vitest@4');
  expect(() => checkPeer('strapi-emulator/msw', 'msw', '2.15.0', '2.0.0', 2)).not.toThrow();
});

test("the installed version is read from the package's package.json as Node resolves it", () => {
  expect(installedVersion('msw')).toMatch(/^2\./);
  expect(installedVersion('no-such-package-here')).toBeUndefined();
});
