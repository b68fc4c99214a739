// `check` as a function: discovers the instance, runs the scenarios made from its schemas against
// it, then (unless told not to) against an emulator built from the same discovery, and writes
// the reports. Exit code 0: every scenario passed on the instance; 1: some failed (or something
// created could not be removed); 2: it could not run (unreachable, token refused, the instance
// stopped answering, interrupted).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEmulator } from '../../emulator/index.js';
import { listen } from '../../emulator/server.js';
import { buildSpec } from '../../spec/build.js';
import { SpecValidator } from '../validate.js';
import { authScenarios, rateLimitScenarios } from './auth.js';
import { documentScenarios } from './documents.js';
import { Http, isLoopback } from './http.js';
import { DiscoveryError, type Instance, discoverInstance, emulatorOptions, schemasOf, writeProject } from './instance.js';
import { type JsonReport, junitXml, summaryTable, withCounts } from './reports.js';
import { type Scenario, type TargetRun, runScenarios } from './runner.js';
import { stressScenarios } from './stress.js';
import { uploadScenarios } from './upload.js';

export type CheckOptions = {
  url: string;
  token: string;
  project?: string;
  readOnly?: boolean;
  stress?: boolean;
  junit?: string;
  json?: string;
  /** Also against an emulator built from the discovery (default true). */
  emulator?: boolean;
  /**
   * 'auto' (default): a loopback URL gets a 127.0.x.y address per scenario, any other one
   * address. 'one': one address even on loopback, as from another machine.
   */
  sources?: 'auto' | 'one';
  progress?: (line: string) => void;
  /** Polled between scenarios: true stops the run (cleanup still runs). */
  interrupted?: () => boolean;
};

export type CheckResult = { exitCode: 0 | 1 | 2; runs: TargetRun[]; instance?: Instance; summary: string; notes: string[] };

export function scenariosOf(instance: Instance): Scenario[] {
  return [...documentScenarios(instance), ...authScenarios(), ...uploadScenarios(), ...stressScenarios(instance), ...rateLimitScenarios()];
}

export async function runCheck(o: CheckOptions): Promise<CheckResult> {
  const progress = o.progress ?? ((line: string) => process.stderr.write(line + '\n'));
  const url = o.url.replace(/\/+$/, '');
  const startedAt = new Date().toISOString();
  const notes: string[] = [];
  let instance: Instance;
  try {
    instance = await discoverInstance(url, o.token, { project: o.project });
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    progress(`[check] ${error.message}`);
    // The reports still say why: a CI job shows one failed case instead of a missing file.
    const failed: TargetRun = { name: 'live', results: [{ group: 'discovery', name: 'reach the instance and read its content types', status: 'failed', ms: 0, message: error.message }], cleanupFailures: [], interrupted: false, requests: 0 };
    writeReports(o, [failed], { url, startedAt, exitCode: 2, notes: [error.message], sources: o.sources ?? 'auto' });
    return { exitCode: 2, runs: [], summary: error.message, notes: [error.message] };
  }
  notes.push(...instance.warnings);
  // 127.0.x.y source addresses reach only an IPv4 loopback host (`localhost` may resolve to ::1).
  const sources = o.sources === 'one' || !isLoopback(url) || !/^127\./.test(new URL(url).hostname) ? 'one' : 'per-scenario';
  if (sources === 'one') notes.push('all requests from one address: auth requests wait out the rate-limit window when X-RateLimit-Remaining reaches 0, and the rate-limit scenario runs last');
  if (o.readOnly) notes.push('--read-only: only GET and HEAD requests were sent; the scenarios that write are skipped');
  if (!o.readOnly) notes.push('the first upload to an instance makes Strapi create its "API Uploads" folder, which a content API token cannot remove: it stays if it was not there');
  const dir = mkdtempSync(join(tmpdir(), 'strapi-check-'));
  const runs: TargetRun[] = [];
  try {
    writeProject(instance, dir);
    const validator = new SpecValidator(buildSpec(instance.major, schemasOf(dir)));
    const scenarios = scenariosOf(instance);
    const counts = [...new Set(scenarios.map((s) => s.group))].map((g) => `${g} ${scenarios.filter((s) => s.group === g).length}`);
    progress(`[check] ${url}: Strapi ${instance.major}, ${Object.keys(instance.contentTypes).length} content types, ${Object.keys(instance.components).length} components${instance.locales ? `, locales ${instance.locales.map((l) => l.code).join(', ')}` : ''}; ${scenarios.length} scenarios (${counts.join(', ')})`);
    const live = new Http({ url, readOnly: o.readOnly, sources, onWait: (s, why) => progress(`[check] waiting ${s} s: ${why}`) });
    try {
      runs.push(await runScenarios(scenarios, { name: `live-v${instance.major}`, url, token: o.token, instance, validator, http: live, readOnly: Boolean(o.readOnly), stress: Boolean(o.stress), progress, interrupted: o.interrupted }));
    } finally {
      await live.close();
    }
    if (o.emulator !== false && !runs[0].down && !runs[0].interrupted) {
      const token = randomBytes(32).toString('hex');
      const warnings: string[] = [];
      const emulator = createEmulator({ ...emulatorOptions(instance, dir), apiTokens: [{ accessKey: token, type: 'full-access', name: 'check' }], onWarning: (w) => warnings.push(w), onStrapiCrash: () => {} });
      await emulator.ready;
      const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
      const http = new Http({ url: server.url, readOnly: o.readOnly, sources: 'per-scenario' });
      progress(`[check] the same scenarios against an emulator of these content types (${server.url})`);
      try {
        runs.push(await runScenarios(scenarios, { name: `emulator-v${instance.major}`, url: server.url, token, instance: { ...instance, url: server.url }, validator, http, readOnly: Boolean(o.readOnly), stress: Boolean(o.stress), progress, interrupted: o.interrupted }));
      } finally {
        await http.close();
        await server.close();
      }
      for (const w of warnings) notes.push(`emulator: ${w}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const [liveRun] = runs;
  if (liveRun.down) notes.unshift(`the instance stopped answering: ${liveRun.down}`);
  if (liveRun.interrupted) notes.unshift('interrupted: the remaining scenarios were not run (what was created has been removed)');
  for (const f of liveRun.cleanupFailures) notes.push(`NOT removed: ${f}`);
  const failed = liveRun.results.some((r) => r.status === 'failed') || liveRun.cleanupFailures.length > 0;
  const exitCode: 0 | 1 | 2 = liveRun.down || liveRun.interrupted ? 2 : failed ? 1 : 0;
  const summary = summaryTable(runs);
  writeReports(o, runs, { url, major: instance.major, startedAt, exitCode, notes, sources });
  return { exitCode, runs, instance, summary, notes };
}

function writeReports(o: CheckOptions, runs: TargetRun[], meta: { url: string; major?: 4 | 5; startedAt: string; exitCode: 0 | 1 | 2; notes: string[]; sources: string }): void {
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  if (o.junit) write(o.junit, junitXml(runs));
  if (o.json) {
    const report: JsonReport = { ...meta, readOnly: Boolean(o.readOnly), stress: Boolean(o.stress), targets: withCounts(runs) };
    write(o.json, JSON.stringify(report, null, 2) + '\n');
  }
}
