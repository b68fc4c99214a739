// The package as another project gets it: `npm pack`, the tarball installed into a scratch
// project (test/package/consumer, exact versions from the registry or the npm cache), and that
// project's own tests run there: vitest with strapi-emulator/vitest, CommonJS jest with
// strapi-emulator/jest, MSW's service worker in Chromium with strapi-emulator/msw/browser, and
// its type check (skipLibCheck: false) with TypeScript 5.9 and the newest TypeScript.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'test', 'package', 'consumer');
const work = mkdtempSync(join(tmpdir(), 'strapi-emulator-package-'));
const project = join(work, 'consumer');
let tarball: string;
let files: string[];
const timings: string[] = [];

// The outer vitest's variables would change how the inner runners behave.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_OPTIONS|TEST$|JEST_)/.test(k) && !k.startsWith('npm_')));

function run(command: string, args: string[], cwd: string, timeout = 600_000): SpawnSyncReturns<string> {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env: { ...env, CI: 'true', NO_COLOR: '1' }, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  timings.push(`${[command, ...args].join(' ').replace(root, '.').slice(0, 80)}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const output = (r: SpawnSyncReturns<string>) => plain(`exit ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`).slice(-6000);

beforeAll(() => {
  const packed = run('npm', ['pack', '--json', '--pack-destination', work], root);
  expect(packed.status, output(packed)).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info.filename);
  files = info.files.map((f) => f.path);
  cpSync(fixture, project, { recursive: true });
  const manifest = readFileSync(join(project, 'package.template.json'), 'utf8').replace('"TARBALL"', JSON.stringify(`file:${tarball}`));
  writeFileSync(join(project, 'package.json'), manifest);
  rmSync(join(project, 'package.template.json'));
  const installed = run('npm', ['install', '--no-audit', '--no-fund', '--engine-strict', '--prefer-offline'], project);
  expect(installed.status, output(installed)).toBe(0);
});

afterAll(() => {
  console.log(`package test timings:\n  ${timings.join('\n  ')}`);
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the built files, declarations and run-time data, and no sources, tests or benchmarks', () => {
  for (const needed of ['dist/index.js', 'dist/index.cjs', 'dist/jest.cjs', 'dist/msw.cjs', 'dist/vitest.js', 'dist/server.js', 'dist/cli.js', 'bin/strapi-emulator.mjs', 'spec/dist/strapi-v5.json', 'spec/seed/permissions.json', 'spec/seed-file.schema.json', 'dist/types/emulator/index.d.ts', 'dist/types-cjs/package.json']) {
    expect(files, needed).toContain(needed);
  }
  expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
  expect(files.filter((f) => /^(test|bench|contracts|clients|cli|scripts)\//.test(f) || f.endsWith('.map'))).toEqual([]);
});

test('vitest: strapi-emulator/vitest joins the project’s own MSW server', () => {
  const r = run(join(project, 'node_modules', '.bin', 'vitest'), ['run', 'vitest'], project);
  expect(r.status, output(r)).toBe(0);
  expect(plain(r.stdout)).toMatch(/Tests\s+3 passed \(3\)/);
});

test('jest (CommonJS, no flags): strapi-emulator/jest through MSW and on a port', () => {
  const r = run(join(project, 'node_modules', '.bin', 'jest'), ['--ci'], project);
  expect(r.status, output(r)).toBe(0);
  expect(plain(r.stderr)).toMatch(/Tests:\s+4 passed, 4 total/);
});

test.each([
  ['TypeScript 5.9', 'typescript'],
  ['the newest TypeScript', 'typescript-latest'],
])('types: a strict ESM and CommonJS project checks with %s (skipLibCheck: false)', (_, pkg) => {
  const tsc = join(project, 'node_modules', pkg, 'bin', 'tsc');
  expect(existsSync(tsc)).toBe(true);
  const version = run(process.execPath, [tsc, '--version'], project);
  expect(version.stdout).toMatch(pkg === 'typescript' ? /^Version 5\.9\./ : /^Version [7-9]\./);
  const r = run(process.execPath, [tsc, '-p', 'types'], project);
  expect(r.status, output(r)).toBe(0);
});

test.each([['check'], ['diff']])('the installed command: %s loads its whole suite and says an instance it cannot reach could not be checked (exit 2)', (command) => {
  const r = run(join(project, 'node_modules', '.bin', 'strapi-emulator'), [command, 'http://127.0.0.1:9', '--token', 'x'], project, 120_000);
  expect(r.stderr).not.toMatch(/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/);
  expect(r.stderr + r.stdout).toMatch(/127\.0\.0\.1:9/);
  expect(r.status, output(r)).toBe(2);
});

test('browser: strapi-emulator/msw/browser behind MSW’s service worker in Chromium, and no Node import in it', () => {
  const bundle = readFileSync(join(project, 'node_modules', 'strapi-emulator', 'dist', 'browser.js'), 'utf8');
  expect(bundle.match(/\bfrom\s*["'](node:[^"']+|fs|path|crypto)["']|\brequire\(/g)).toBeNull();
  const r = run(process.execPath, [join(project, 'browser', 'run.mjs')], project);
  expect(r.status, output(r)).toBe(0);
  const { result, errors } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  expect(errors).toEqual([]);
  expect(result).toEqual({ registered: 200, me: 'ann@example.com', filtered: ['x'], wrongPassword: [400, 'Invalid identifier or password'], ownFile: 200, controlled: true });
});
