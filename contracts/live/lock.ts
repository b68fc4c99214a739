// Regenerates contracts/live/v<major>/package-lock.json from that template's package.json:
//   tsx contracts/live/lock.ts 4|5
//
// `npm install --package-lock-only` against the registry reachable here silently drops the
// optional platform packages the registry does not serve (e.g. @swc/core-darwin-arm64,
// @rollup/rollup-win32-x64-msvc answer 404), and `npm ci` then refuses the lockfile
// ("Missing: @swc/core-darwin-arm64@ from lock file"). A lockfile made against the full registry
// lists them with their os/cpu, and npm ci skips them on other platforms without fetching. So
// this script adds the missing entries back: version from the parent's optionalDependencies,
// os/cpu/libc from the platform name (when it can be read from it), `optional: true`, and no
// integrity (the registry here has none to give). The lockfile records no tarball URLs
// (omit-lockfile-registry-resolved is set here): everything comes from the configured registry.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liveDir } from './harness.js';

type LockEntry = {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
  [k: string]: unknown;
};
type Lock = { packages: Record<string, LockEntry>; [k: string]: unknown };

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'android', 'openharmony'];
const CPU: Record<string, string> = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips64el: 'mips64el' };

/** `@swc/core-linux-arm-gnueabihf` → { os: linux, cpu: arm, libc: glibc } (undefined if unreadable). */
export function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | undefined {
  const tokens = name.split('/').pop()!.split('-');
  const i = tokens.findIndex((t) => OS.includes(t));
  if (i < 0 || i + 1 >= tokens.length) return undefined;
  const cpu = CPU[tokens[i + 1]];
  if (!cpu) return undefined;
  const rest = tokens.slice(i + 2).join('-');
  const out: Pick<LockEntry, 'os' | 'cpu' | 'libc'> = { os: [tokens[i]], cpu: [cpu] };
  if (tokens[i] === 'linux') {
    if (/^musl/.test(rest)) out.libc = ['musl'];
    else if (/^gnu/.test(rest)) out.libc = ['glibc'];
  }
  return out;
}

/** Where node's resolution from `from` (a lock path) finds `name`, if anywhere. */
function resolveIn(lock: Lock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const idx = dir.lastIndexOf('/node_modules/');
    dir = idx < 0 ? '' : dir.slice(0, idx);
  }
}

export function completeOptionalPlatforms(lock: Lock): string[] {
  const added: string[] = [];
  for (const [loc, entry] of Object.entries(lock.packages)) {
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      if (resolveIn(lock, loc, name)) continue;
      const plat = platformOf(name);
      if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) throw new Error(`${loc}: optional ${name}@${spec} is missing and not an exact version`);
      const at = lock.packages[`node_modules/${name}`] ? `${loc}/node_modules/${name}` : `node_modules/${name}`;
      lock.packages[at] = { version: spec, optional: true, ...(plat ?? {}) };
      added.push(`${at}@${spec}`);
    }
  }
  const sorted: Record<string, LockEntry> = {};
  for (const k of Object.keys(lock.packages).sort((a, b) => a.localeCompare(b, 'en'))) sorted[k] = lock.packages[k];
  lock.packages = sorted;
  return added;
}

function main() {
  const major = process.argv[2];
  if (major !== '4' && major !== '5') {
    console.error('usage: tsx contracts/live/lock.ts 4|5');
    process.exit(2);
  }
  const tpl = path.join(liveDir, `v${major}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), `strapi-live-lock-v${major}-`));
  try {
    copyFileSync(path.join(tpl, 'package.json'), path.join(scratch, 'package.json'));
    const res = spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: scratch, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`npm install --package-lock-only failed (${res.status})`);
    const lock = JSON.parse(readFileSync(path.join(scratch, 'package-lock.json'), 'utf8')) as Lock;
    const added = completeOptionalPlatforms(lock);
    const urls = Object.entries(lock.packages).filter(([, e]) => typeof e.resolved === 'string' && !String(e.resolved).startsWith('https://registry.npmjs.org/'));
    if (urls.length) throw new Error(`non-registry sources in the lockfile: ${urls.map(([k, e]) => `${k} ${e.resolved}`).join(', ')}`);
    writeFileSync(path.join(tpl, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    console.error(`v${major}: ${Object.keys(lock.packages).length - 1} packages; added ${added.length} optional platform entries the registry here lacks:\n  ${added.join('\n  ')}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(liveDir, 'lock.ts')) main();
