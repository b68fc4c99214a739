// Bundles the emulator's entry points into dist/ (one file each plus shared chunks) so they
// start with plain `node`: under tsx, transpiling ~60 TS files and loading ~400 ESM files of
// dependencies took ~1.5 s before the first answer (bench/results/hot-spots.md).
// dist/ sits one level below the root, like emulator/ and spec/, so the `../spec/…` URLs the
// sources read at run time resolve the same from both.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');

/** Newest mtime of what goes into the bundle; tests are not part of it. */
function newestSource() {
  const files = ['package-lock.json', 'scripts/build.mjs'];
  for (const dir of ['emulator', 'cli']) {
    for (const f of readdirSync(join(root, dir), { recursive: true })) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) files.push(join(dir, f));
  }
  return Math.max(...files.map((f) => statSync(join(root, f)).mtimeMs));
}

// `npm start` after `npm install` (whose `prepare` just built) must not pay for a second build:
// --if-stale skips it when dist/ is newer than every source, in a few ms and without loading esbuild.
if (process.argv.includes('--if-stale')) {
  let built = 0;
  try {
    built = statSync(stamp).mtimeMs;
  } catch {}
  if (built > newestSource()) process.exit(0);
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
  external: ['msw', 'msw/*', 'vitest', 'tsx', 'tsx/*', 'playwright-core', '@hey-api/openapi-ts', 'openapi-typescript', 'undici', 'autocannon', 'fast-check'],
  // Some CommonJS dependencies (qs, bcryptjs) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};
// The server is one file of its own: it starts when it is the file node runs (server.ts checks
// import.meta.url), which a chunk shared with the other entries would not be.
const separate = { server: 'emulator/server.ts' };
const shared = { index: 'emulator/index.ts', msw: 'emulator/msw.ts', vitest: 'emulator/vitest.ts', cli: 'cli/main.ts' };

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const started = Date.now();
await Promise.all([build({ ...common, entryPoints: separate }), build({ ...common, entryPoints: shared, splitting: true })]);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) console.log(`built dist/ (${Object.keys({ ...separate, ...shared }).join(', ')}) in ${Date.now() - started} ms`);
