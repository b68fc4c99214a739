// One vitest run of contract scenarios, its JSON report written for the parity table
// (contracts/run.ts, `strapi-emulator check`).
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../clients/generate.js';

/** Runs vitest in the repo with `config` on `files`; true when every test passed. */
export function runVitest(opts: { config: string; files?: string[]; reportFile: string; env?: NodeJS.ProcessEnv; args?: string[] }): boolean {
  const args = ['vitest', 'run', '--config', opts.config, ...(opts.files ?? []), ...(opts.args ?? []), '--reporter=default', '--reporter=json', `--outputFile.json=${opts.reportFile}`];
  const run = spawnSync('npx', args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  return run.status === 0;
}
