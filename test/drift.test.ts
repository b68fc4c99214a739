// The committed spec/dist and clients/ must be exactly what `npm run generate` makes from the
// spec sources: an edit to spec/ without regenerating fails here.
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { generate, repoRoot } from '../clients/generate.js';

function files(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full, root) : [relative(root, full)];
  });
}

test('generated spec and clients are up to date (run `npm run generate`)', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'generate-'));
  await generate(fresh);
  for (const dir of ['spec/dist', 'clients/v4', 'clients/v5']) {
    const expected = files(join(fresh, dir)).sort();
    expect(files(join(repoRoot, dir)).sort(), `${dir}: file list`).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(join(repoRoot, dir, file), 'utf8'), `${dir}/${file} differs from a fresh generate`).toBe(readFileSync(join(fresh, dir, file), 'utf8'));
    }
  }
});
