// The servers under test, each started as its user would start it, timed from process spawn to
// the first 200 on its ready path:
// - the emulator: `node dist/server.js --strapi N --api-token …` with PORT (the bundle that
//   `npm start` builds and then runs), and `npm start` itself for its cold start (npm → build →
//   node);
// - real Strapi: contracts/live/harness.ts bootStrapi({major, port}) (`strapi start`, fresh app
//   dir and sqlite DB); the bench polls the port itself every 5 ms from the call on;
// - bare Hono: bench/hono-hello.ts, bundled the same way (bench/.build/hono-hello.js), via node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootStrapi } from '../contracts/live/harness.js';
import { TOKEN } from './options.js';
import { firstOk, freePort, pidOnPort, spawnGroup } from './proc.js';
import { median } from './stats.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Target = { name: string; major: 4 | 5; url: string; pid: number | undefined; token: string; coldMs: number; stop(): Promise<void> };
export type Starter = { name: string; major: 4 | 5; start(): Promise<Target> };

/** A child process on a free port (PORT in its environment), up once `readyPath` answers 200. */
function processStarter(name: string, major: 4 | 5, readyPath: string, command: (port: number) => [string, string[]], timeoutMs = 60_000): Starter {
  return {
    name,
    major,
    async start() {
      const port = await freePort();
      const [cmd, args] = command(port);
      const t0 = performance.now();
      const proc = spawnGroup(cmd, args, { PORT: String(port) }, repoRoot);
      const url = `http://127.0.0.1:${port}`;
      let coldMs: number;
      try {
        coldMs = await firstOk(url + readyPath, t0, timeoutMs, () => proc.child.exitCode === null);
      } catch (error) {
        await proc.stop();
        throw new Error(`${name}: ${(error as Error).message}\n${proc.output()}`);
      }
      return { name, major, url, pid: pidOnPort(port), token: TOKEN, coldMs, stop: proc.stop };
    },
  };
}

const emulatorArgs = (major: 4 | 5) => ['--strapi', String(major), '--api-token', TOKEN];

export const emulatorViaNpm = (major: 4 | 5) =>
  processStarter(`emulator v${major} (npm start)`, major, '/api/articles', () => ['npm', ['start', '--silent', '--', ...emulatorArgs(major)]]);

/** What `npm start` hands to node (its V8 flags and the bundle), read from package.json so the two cannot differ. */
function npmStartNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`bench: package.json "start" must run node, got "${pkg.scripts.start}"`);
  return args;
}

/** `extra`: more server arguments (`--data FILE`), named in the target's name. */
export const emulatorViaNode = (major: 4 | 5, extra: string[] = []) =>
  processStarter(`emulator v${major}${extra.length ? ` ${extra.join(' ')}` : ''}`, major, '/api/articles', () => [process.execPath, [...npmStartNodeArgs(), ...emulatorArgs(major), ...extra]]);

/** `node dist/server.js` with more flags (`--seed file`, `--data file`): the growth cases. */
export const emulatorWith = (major: 4 | 5, name: string, args: string[], timeoutMs: number) =>
  processStarter(name, major, '/api/articles', () => [process.execPath, [...npmStartNodeArgs(), ...emulatorArgs(major), ...args]], timeoutMs);

export const bareHono = processStarter('bare Hono', 5, '/', () => [process.execPath, ['bench/.build/hono-hello.js']]);

/** The bundles the targets run: dist/ (scripts/build.mjs, as npm start does) and the Hono hello. */
export async function buildTargets(): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  const { build } = await import('esbuild');
  await build({ absWorkingDir: repoRoot, entryPoints: ['bench/hono-hello.ts'], outfile: 'bench/.build/hono-hello.js', bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
}

export const realStrapi = (major: 4 | 5): Starter => ({
  name: `real Strapi v${major}`,
  major,
  async start() {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    let failed = false;
    const booting = bootStrapi({ major, port }).catch((error: unknown) => {
      failed = true;
      throw error;
    });
    const cold = firstOk(`${url}/api/articles`, t0, 180_000, () => !failed);
    const live = await booting;
    const coldMs = await cold;
    return { name: `real Strapi v${major}`, major, url, pid: pidOnPort(port), token: live.apiTokens.fullAccess, coldMs, stop: live.stop };
  },
});

/** Starts `runs` times (stopping all but the last, which is returned for the load cases). */
export async function coldStarts(starter: Starter, runs: number): Promise<{ runsMs: number[]; medianMs: number; target: Target }> {
  const runsMs: number[] = [];
  for (let i = 0; ; i++) {
    const target = await starter.start();
    runsMs.push(target.coldMs);
    if (i === runs - 1) return { runsMs, medianMs: median(runsMs), target };
    await target.stop();
  }
}
