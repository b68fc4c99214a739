// Bundles the emulator's entry points into dist/ (one file each plus shared chunks) so they
// start with plain `node`: under tsx, transpiling ~60 TS files and loading ~400 ESM files of
// dependencies took ~1.5 s before the first answer (bench/results/hot-spots.md).
// dist/ sits one level below the root, like emulator/ and spec/, so the `../spec/…` URLs the
// sources read at run time resolve the same from both.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');

// `npm start` after `npm install` (whose `prepare` just built) must not pay for a second build:
// --if-stale skips it, in a few ms and without loading esbuild, when dist/ is newer than every
// file the last build read (esbuild's metafile lists them; the stamp keeps that list).
if (process.argv.includes('--if-stale')) {
  try {
    const built = statSync(stamp).mtimeMs;
    const inputs = JSON.parse(readFileSync(stamp, 'utf8'));
    if (inputs.every((f) => statSync(join(root, f)).mtimeMs < built)) process.exit(0);
  } catch {}
}
const { build } = await import('esbuild');
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Test-time and optional tools stay outside: the user's own copies are the ones to use.
  external: ['msw', 'msw/*', 'vitest', 'tsx', 'tsx/*', 'playwright-core', '@hey-api/openapi-ts', 'openapi-typescript', 'undici', 'autocannon', 'fast-check', 'esbuild', 'sharp'],
  // Some CommonJS dependencies (qs, bcryptjs) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
};
// The server is one file of its own: it starts when it is the file node runs (server.ts checks
// import.meta.url), which a chunk shared with the other entries would not be.
const separate = { server: 'emulator/server.ts' };
const shared = { index: 'emulator/index.ts', msw: 'emulator/msw.ts', vitest: 'emulator/vitest.ts', cli: 'cli/main.ts' };

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const started = Date.now();
const results = await Promise.all([build({ ...common, entryPoints: separate }), build({ ...common, entryPoints: shared, splitting: true })]);
const inputs = new Set(['package-lock.json', 'scripts/build.mjs', ...results.flatMap((r) => Object.keys(r.metafile.inputs))]);
writeFileSync(stamp, JSON.stringify([...inputs], null, 1));
if (!process.argv.includes('--quiet')) console.log(`built dist/ (${Object.keys({ ...separate, ...shared }).join(', ')}) in ${Date.now() - started} ms`);
