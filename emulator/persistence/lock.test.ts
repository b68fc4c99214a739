// The lock follows the state file's real identity, not the name it was given.
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createEmulator } from '../index.js';
import { attachPersistence } from './index.js';
import { realStatePath } from './lock.js';

let dir: string;
beforeEach(() => {
  dir = realStatePath(mkdtempSync(join(tmpdir(), 'emulator-lock-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const attach = (file: string) => attachPersistence(createEmulator({ bcryptCost: 4 }), { file });
const inUse = /is in use by another emulator in this process/;

test.each([
  ['a symbolic link to it', (real: string) => (symlinkSync(real, join(dir, 'link.json')), join(dir, 'link.json'))],
  ['a relative symbolic link to it', () => (symlinkSync('deep/state.json', join(dir, 'rel.json')), join(dir, 'rel.json'))],
  // x/.. is where the kernel goes (the parent of x's target), not what path.resolve makes of the letters.
  ['a relative path through a linked folder', () => (symlinkSync(join(dir, "deep", "inner"), join(dir, "x")), `${relative(process.cwd(), dir)}/x/../state.json`)],
  ['a symbolic link to its folder', () => (symlinkSync(join(dir, 'deep'), `${dir}-alias`), join(`${dir}-alias`, 'state.json'))],
] as const)('a second emulator reaching the file through %s gets no lock of its own', async (_, otherName) => {
  mkdirSync(join(dir, 'deep', 'inner'), { recursive: true });
  const real = join(dir, 'deep', 'state.json');
  const a = await attach(real);
  const name = otherName(real);
  try {
    await expect(attach(name)).rejects.toThrow(inUse);
    await a.close();
    // Either name takes the one lock, and the writes go to the file itself.
    const b = await attach(name);
    await expect(attach(real)).rejects.toThrow(inUse);
    await b.close();
  } finally {
    rmSync(`${dir}-alias`, { force: true });
  }
});

test('a file not written yet, reached through a symlinked folder or a dangling symlink, is locked and written where it will be', async () => {
  const target = join(dir, 'new.json');
  symlinkSync(target, join(dir, 'dangling.json'));
  const a = await attach(join(dir, 'dangling.json'));
  await expect(attach(target)).rejects.toThrow(inUse);
  await a.close();
  // The link is still a link, and the state is in its target.
  expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
  expect(JSON.parse(readFileSync(target, 'utf8')).format).toBe('strapi-emulator-state');
});

test('a state file with several names (hard links) is refused, since the first write would split them', async () => {
  const real = join(dir, 'state.json');
  await (await attach(real)).close();
  linkSync(real, join(dir, 'hard.json'));
  await expect(attach(join(dir, 'hard.json'))).rejects.toThrow(`${join(dir, 'hard.json')}: has 2 names (hard links)`);
  await expect(attach(real)).rejects.toThrow(/has 2 names \(hard links\)/);
  rmSync(join(dir, 'hard.json'));
  await (await attach(real)).close();
});

test('a folder that does not exist and a loop of links are named', () => {
  expect(() => realStatePath(join(dir, 'missing', 'state.json'))).toThrow(`${join(dir, 'missing', 'state.json')}: cannot be created: its folder ${join(dir, 'missing')} does not exist`);
  symlinkSync(join(dir, 'b'), join(dir, 'a'));
  symlinkSync(join(dir, 'a'), join(dir, 'b'));
  expect(() => realStatePath(join(dir, 'a'))).toThrow(/a: cannot be resolved \(ELOOP/);
});
