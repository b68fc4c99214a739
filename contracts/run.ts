// `npm run contracts [-- real-v5 emulator-v4 …]`: runs the conformance scenarios against each
// target (default: emulator-v4, emulator-v5, real-v4, real-v5), one after the other, writes
// vitest's JSON to .live/results-<target>.json, then prints the parity table (scenario × target).
// Real targets are booted by the project's harness (contracts/live/) and stopped afterwards.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../clients/generate.js';
import { bootStrapi } from './live/harness.js';
import { parityTable, readReport } from './parity.js';
import type { TargetInfo } from './target.js';
import { runVitest } from './vitest-run.js';

const allTargets = ['emulator-v4', 'emulator-v5', 'real-v4', 'real-v5'] as const;
type TargetName = (typeof allTargets)[number];
const args = process.argv.slice(2);
const unknown = args.filter((a) => !(allTargets as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown target ${unknown.join(', ')}; targets: ${allTargets.join(', ')}`);
  process.exit(2);
}
const targets = (args.length ? args : allTargets) as TargetName[];

const outDir = join(repoRoot, '.live');
mkdirSync(outDir, { recursive: true });
const reportOf = (name: string) => join(outDir, `results-${name}.json`);

const vitest = (config: string, files: string[], name: string, env: NodeJS.ProcessEnv = {}) => runVitest({ config, files, reportFile: reportOf(name), env });

let ok = true;
for (const name of targets) {
  const t0 = Date.now();
  if (name.startsWith('emulator')) {
    ok = vitest('vitest.config.ts', [`contracts/conformance/${name}.test.ts`], name) && ok;
  } else {
    const major = Number(name.slice(-1)) as 4 | 5;
    const strapi = await bootStrapi({ major });
    const target: TargetInfo = { name, major, url: strapi.url, apiTokens: strapi.apiTokens, mailFile: strapi.mailFile, jwtSecret: strapi.jwtSecret };
    try {
      ok = vitest('contracts/vitest.config.ts', [], name, { CONTRACT_TARGET: JSON.stringify(target) }) && ok;
    } finally {
      await strapi.stop();
    }
  }
  console.error(`[contracts] ${name}: ${Math.round((Date.now() - t0) / 1000)} s`);
}

const reports = targets.map((name) => ({ name, report: readReport(reportOf(name)) }));
console.log(parityTable(reports));
process.exit(ok && reports.every((r) => r.report) ? 0 : 1);
