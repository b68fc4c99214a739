// One vitest run of contract scenarios, its JSON report written for the parity table
// (contracts/run.ts, `strapi-emulator check`).
import { spawn, spawnSync } from 'node:child_process';
import { repoRoot } from '../clients/generate.js';

type VitestRun = { config: string; files?: string[]; reportFile: string; env?: NodeJS.ProcessEnv; args?: string[] };
const vitestArgs = (opts: VitestRun) => ['vitest', 'run', '--config', opts.config, ...(opts.files ?? []), ...(opts.args ?? []), '--reporter=default', '--reporter=json', `--outputFile.json=${opts.reportFile}`];

/** Runs vitest in the repo with `config` on `files`; true when every test passed. */
export function runVitest(opts: VitestRun): boolean {
  const run = spawnSync('npx', vitestArgs(opts), { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  return run.status === 0;
}

/**
 * The same, without blocking this process: a real Strapi it booted keeps writing its log
 * (the harness copies Strapi's output into strapi.log from this process's event loop).
 */
export function runVitestAsync(opts: VitestRun): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('npx', vitestArgs(opts), { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...opts.env } });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
