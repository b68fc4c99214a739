// `npm run contracts [-- real-v5 emulator-v4 …]`: runs the conformance scenarios
// against each target (default: emulator-v4, emulator-v5, real-v4, real-v5), one after the other,
// for each of the three projects: the built-in `article` one (spec/content-types), the `rich`
// one (contracts/projects/rich) and the `auth` one (contracts/projects/auth: refresh mode). Writes
// vitest's JSON to .live/results-<target>.json (article), .live/results-<target>-rich.json and
// -auth.json, and for real targets .live/results-<target>-check.json (`strapi-emulator check`
// against that Strapi, contracts/remote/check.live.test.ts) and .live/results-<target>-diff.json
// (diff/record/verify, contracts/differential/), then prints the parity table (scenario × target).
// Real targets are booted by the project's harness (contracts/live/), once per project, and
// stopped afterwards.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../clients/generate.js';
import { richProject } from './conformance/rich-client.js';
import { authProject } from './conformance/sessions.js';
import { bootStrapi } from './live/harness.js';
import { customisedRich } from './differential/customised.js';
import { type Report, parityTable, readReport } from './parity.js';
import type { TargetInfo } from './target.js';
import { runVitest, runVitestAsync } from './vitest-run.js';

const allTargets = ['emulator-v4', 'emulator-v5', 'real-v4', 'real-v5'] as const;
type TargetName = (typeof allTargets)[number];
const args = process.argv.slice(2);
const names = args;
const unknown = names.filter((a) => !(allTargets as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown target ${unknown.join(', ')}; targets: ${allTargets.join(', ')}`);
  process.exit(2);
}
const targets = (names.length ? names : allTargets) as TargetName[];

const outDir = join(repoRoot, '.live');
mkdirSync(outDir, { recursive: true });
const reportOf = (name: string) => join(outDir, `results-${name}.json`);
const liveConfig = 'contracts/vitest.config.ts';

const vitest = (config: string, files: string[], report: string, env: NodeJS.ProcessEnv = {}) => runVitest({ config, files, reportFile: reportOf(report), env });

/** Boots real Strapi (with `project`, or the article one), runs `file` against it, stops it. */
async function onReal(name: TargetName, file: string, report: string, project?: string): Promise<boolean> {
  const major = Number(name.slice(-1)) as 4 | 5;
  const strapi = await bootStrapi({ major, project });
  const target: TargetInfo = { name, major, url: strapi.url, apiTokens: strapi.apiTokens, mailFile: strapi.mailFile, jwtSecret: strapi.jwtSecret };
  try {
    // Not blocking: Strapi's log keeps reaching its run dir while the scenarios run (live-diff reads it).
    return await runVitestAsync({ config: liveConfig, files: [file], reportFile: reportOf(report), env: { CONTRACT_TARGET: JSON.stringify(target) } });
  } finally {
    await strapi.stop();
  }
}

let ok = true;
const runs: Record<string, string[]> = {};
for (const name of targets) {
  const t0 = Date.now();
  runs[name] = [name, `${name}-rich`, `${name}-auth`];
  if (name.startsWith('emulator')) {
    ok = vitest('vitest.config.ts', [`contracts/conformance/${name}.test.ts`], name) && ok;
    ok = vitest('vitest.config.ts', [`contracts/conformance/rich-${name}.test.ts`], `${name}-rich`) && ok;
    ok = vitest('vitest.config.ts', [`contracts/conformance/auth-${name}.test.ts`], `${name}-auth`) && ok;
  } else {
    ok = (await onReal(name, 'contracts/conformance/live.test.ts', name)) && ok;
    ok = (await onReal(name, 'contracts/conformance/live-rich.test.ts', `${name}-rich`, richProject)) && ok;
    ok = (await onReal(name, 'contracts/conformance/live-auth.test.ts', `${name}-auth`, authProject)) && ok;
    // `strapi-emulator check` against a rich-project instance it boots itself (its own report, not a parity column).
    ok = vitest('contracts/remote/vitest.config.ts', ['contracts/remote/check.live.test.ts'], `${name}-check`, { CHECK_MAJOR: name.slice(-1) }) && ok;
    // diff, record and verify against a fresh boot of the rich project (they compare its database before and after).
    runs[name].push(`${name}-diff`);
    ok = (await onReal(name, 'contracts/differential/live-diff.test.ts', `${name}-diff`, richProject)) && ok;
    if (name === 'real-v5') {
      // diff's use case, once: a Strapi whose controller departs from stock behaviour.
      runs[name].push(`${name}-custom`);
      ok = (await onReal(name, 'contracts/differential/live-custom.test.ts', `${name}-custom`, customisedRich())) && ok;
    }
  }
  console.error(`[contracts] ${name}: ${Math.round((Date.now() - t0) / 1000)} s`);
}

/** One target's reports (article, rich, …) read as one. */
function merged(files: string[]): Report | undefined {
  const reports = files.map((f) => readReport(reportOf(f)));
  if (reports.some((r) => !r)) return undefined;
  return {
    numPassedTests: reports.reduce((n, r) => n + r!.numPassedTests, 0),
    numFailedTests: reports.reduce((n, r) => n + r!.numFailedTests, 0),
    testResults: reports.flatMap((r) => r!.testResults),
  };
}

const reports = targets.map((name) => ({ name, report: merged(runs[name]) }));
console.log(parityTable(reports));
process.exit(ok && reports.every((r) => r.report) ? 0 : 1);
