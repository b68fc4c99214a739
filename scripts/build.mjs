// Bundles the emulator's entry points into dist/ (one file each plus shared chunks) so they
// start with plain `node`: under tsx, transpiling ~60 TS files and loading ~400 ESM files of
// dependencies took ~1.5 s before the first answer (bench/results/hot-spots.md).
// dist/ sits one level below the root, like emulator/ and spec/, so the `../spec/…` URLs the
// sources read at run time resolve the same from both.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
// `npm install -D --install-links /path/to/clone` runs only this (`prepare`) in a clone that may
// never have seen `npm install`: then the build's own tools come first, from package-lock.json.
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || existsSync(join(root, 'node_modules', 'esbuild'))) throw error;
  }
  console.error('strapi-emulator: installing its build tools first (npm ci in ' + root + ')');
  // The outer install's settings (save, global, prefix, …) are not this one's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k) || /^npm_config_(cache|registry|userconfig)$/i.test(k)));
  const npm = process.env.npm_execpath;
  const args = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--include=dev'];
  const done = npm ? spawnSync(process.execPath, [npm, ...args], { cwd: root, env, stdio: 'inherit' }) : spawnSync('npm', args, { cwd: root, env, stdio: 'inherit', shell: true });
  if (done.status !== 0) throw new Error(`strapi-emulator: npm ci in ${root} failed (exit ${done.status})`);
  return import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
}

// The type declarations (tsconfig.build.json → dist/types), in parallel with the bundles. The
// same files again under dist/types-cjs, whose package.json says CommonJS: what a `require`
// of the package resolves to, so a CommonJS project's compiler does not see ESM declarations.
function buildTypes() {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`type declarations: tsc exited ${code}`));
      cpSync(join(root, 'dist', 'types'), join(root, 'dist', 'types-cjs'), { recursive: true });
      writeFileSync(join(root, 'dist', 'types-cjs', 'package.json'), '{ "type": "commonjs" }\n');
      resolve();
    });
  });
}

const { build } = await loadEsbuild();
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The app's own copies at run time: peers (msw, vitest), optional tools, and what loads native code (esbuild, sharp).
  // undici (check, diff) is bundled: a devDependency here, so an installed package has no copy of its own.
  external: ['msw', 'msw/*', 'vitest', 'tsx', 'tsx/*', 'playwright-core', '@hey-api/openapi-ts', 'openapi-typescript', 'autocannon', 'fast-check', 'esbuild', 'sharp'],
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
const shared = { index: 'emulator/index.ts', msw: 'emulator/msw-node.ts', vitest: 'emulator/vitest.ts', jest: 'emulator/jest.ts', cli: 'cli/main.ts' };
// CommonJS for what jest loads without flags (Node 20 has no require(esm) by default): one
// self-contained .cjs each (CommonJS has no shared chunks), beside the ESM files so that the
// `../spec/…` URLs resolve the same. import.meta.url becomes the file's own URL.
const commonjs = { index: 'emulator/index.ts', msw: 'emulator/msw-node.ts', jest: 'emulator/jest.ts' };
const cjs = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__importMetaUrl' },
  // import() of an external (msw, loaded lazily) becomes require(): jest's CommonJS runtime has no import().
  supported: { 'dynamic-import': false },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// strapi-emulator/msw/browser: the same sources for the browser, Node's built-ins replaced by
// emulator/browser/* and the files the emulator reads at run time bundled into its in-memory
// file system, under the paths its loaders compute from this import.meta.url.
const browserUrl = 'file:///strapi-emulator/dist/browser.js';
const shims = { fs: 'fs.ts', 'fs/promises': 'fs.ts', path: 'path.ts', crypto: 'crypto.ts' };
const builtins = new Set(['fs', 'fs/promises', 'path', 'crypto', 'http', 'net', 'url', 'os', 'module', 'zlib', 'util', 'stream', 'events', 'string_decoder', 'child_process', 'esbuild']);
function bundledFiles() {
  const out = {};
  const add = (rel) => (out[`/strapi-emulator/${rel}`] = readFileSync(join(root, rel), 'utf8'));
  for (const major of [4, 5]) add(`spec/dist/strapi-v${major}.json`);
  add('spec/seed/permissions.json');
  for (const type of readdirSync(join(root, 'spec', 'content-types'))) add(`spec/content-types/${type}/schema.json`);
  return out;
}
const browserPlugin = {
  name: 'browser-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (builtins.has(name)) return { path: join(root, 'emulator', 'browser', shims[name] ?? 'node-misc.ts') };
      if (args.path === './bundled-files.js' && args.importer.endsWith(join('browser', 'fs.ts'))) return { path: 'bundled-files', namespace: 'strapi-emulator' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'strapi-emulator' }, () => ({ contents: `export const files = ${JSON.stringify(bundledFiles())};`, loader: 'js' }));
  },
};
const browser = {
  absWorkingDir: root,
  outfile: 'dist/browser.js',
  entryPoints: ['emulator/msw-browser.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['msw', 'msw/*'],
  inject: ['emulator/browser/buffer-global.ts'],
  define: { 'import.meta.url': JSON.stringify(browserUrl), global: 'globalThis' },
  plugins: [browserPlugin],
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const started = Date.now();
const types = process.argv.includes('--no-types') ? undefined : buildTypes();
const results = await Promise.all([
  build({ ...common, entryPoints: separate }),
  build({ ...common, entryPoints: shared, splitting: true }),
  build({ ...cjs, entryPoints: commonjs }),
  build(browser),
]);
await types;
const inputs = new Set(['package-lock.json', 'scripts/build.mjs', ...results.flatMap((r) => Object.keys(r.metafile.inputs))]);
writeFileSync(stamp, JSON.stringify([...inputs], null, 1));
if (!process.argv.includes('--quiet')) console.log(`built dist/ (${Object.keys({ ...separate, ...shared }).join(', ')}; CommonJS: ${Object.keys(commonjs).join(', ')}; browser)${types ? ' and types' : ''} in ${Date.now() - started} ms`);
