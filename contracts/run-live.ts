// `npm run contracts:live [-- 4 5]`: boots real Strapi (the project's harness), runs the
// conformance scenarios against it, stops it; one major after the other. Writes vitest's JSON
// results to .live/results-<target>.json and prints a table of passed/failed per target.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../clients/generate.js';
import { bootStrapi } from './live/harness.js';
import type { TargetInfo } from './target.js';

const majors = (process.argv.slice(2).length ? process.argv.slice(2) : ['4', '5']).map((m) => {
  if (m !== '4' && m !== '5') throw new Error(`unknown Strapi major ${m} (expected 4 or 5)`);
  return Number(m) as 4 | 5;
});

const outDir = join(repoRoot, '.live');
mkdirSync(outDir, { recursive: true });
const rows: Array<{ target: string; passed: number; failed: number; seconds: number }> = [];
let failed = false;

for (const major of majors) {
  const t0 = Date.now();
  const strapi = await bootStrapi({ major });
  const target: TargetInfo = { name: `real-v${major}`, major, url: strapi.url, apiTokens: strapi.apiTokens, mailFile: strapi.mailFile };
  const outputFile = join(outDir, `results-${target.name}.json`);
  try {
    const run = spawnSync('npx', ['vitest', 'run', '--config', 'contracts/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, CONTRACT_TARGET: JSON.stringify(target) },
    });
    if (run.status !== 0) failed = true;
  } finally {
    await strapi.stop();
  }
  try {
    const results = JSON.parse(readFileSync(outputFile, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    rows.push({ target: target.name, passed: results.numPassedTests, failed: results.numFailedTests, seconds: Math.round((Date.now() - t0) / 1000) });
  } catch {
    failed = true;
    rows.push({ target: target.name, passed: 0, failed: 1, seconds: Math.round((Date.now() - t0) / 1000) });
  }
}

console.log('\nconformance of the spec against real Strapi');
console.log('| target | passed | failed | seconds (boot + run) |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.target} | ${r.passed} | ${r.failed} | ${r.seconds} |`);
process.exit(failed ? 1 : 0);
