// `npm run bench [-- --quick] [-- --no-real]`: every target and case in one run, then
// bench/results/report.{md,json} and chart.svg. Targets run one after another, never side by side.
import os from 'node:os';
import { runCases } from './cases.js';
import { inProcess } from './inprocess.js';
import { cannon } from './load.js';
import { machine, versions } from './machine.js';
import { settings } from './options.js';
import { rssMb } from './proc.js';
import { type ControlRow, type Results, writeReport } from './report.js';
import { emptyRss, growthRun } from './growth.js';
import { bareHono, buildTargets, coldStarts, emulatorViaNode, emulatorViaNpm, realStrapi, type Starter } from './targets.js';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const started = performance.now();

const results: Results = {
  date: new Date().toISOString(),
  quick: settings.quick,
  settings: { durationSeconds: settings.duration, connections: settings.connections, coldRuns: settings.coldRuns, fixtureDocs: settings.fixtureDocs, fixtureUsers: settings.fixtureUsers },
  machine: machine(),
  versions: versions(),
  cold: {},
  http: {},
  msw: {},
  control: [],
  scale: [],
  growth: [],
  runSeconds: 0,
  loadAverageAtEnd: [],
};

/** Cold starts of one starter; the last instance then takes the load cases, or the hello ceiling, or nothing. */
async function target(starter: Starter, load: 'cold only' | 'ceiling' | { emulator: boolean }): Promise<void> {
  log(`${starter.name}: ${settings.coldRuns} cold starts`);
  const { runsMs, medianMs, target: t } = await coldStarts(starter, settings.coldRuns);
  results.cold[starter.name] = { runsMs, medianMs };
  log(`${starter.name}: cold start median ${medianMs.toFixed(0)} ms (${runsMs.map((v) => v.toFixed(0)).join(', ')})`);
  try {
    if (load === 'ceiling') {
      results.ceiling = { ...(await cannon(`${t.url}/`, {}, settings.duration, settings.connections)), rssMb: rssMb(t.pid) };
      log(`${starter.name}: hello ${results.ceiling.rps.toFixed(0)} req/s, p50 ${results.ceiling.p50} ms, p99 ${results.ceiling.p99} ms`);
    } else if (load !== 'cold only') results.http[starter.name] = await runCases(t, load);
  } finally {
    await t.stop();
  }
}

await buildTargets();
if (!settings.growthOnly) await others();

/** Everything but growth: the targets side by side, MSW, the control API. */
async function others(): Promise<void> {
  await target(bareHono, 'ceiling');
  for (const major of [5, 4] as const) {
    await target(emulatorViaNpm(major), 'cold only');
    await target(emulatorViaNode(major), { emulator: true });
    if (settings.real) await target(realStrapi(major), { emulator: false });
}

log('in-process MSW');
for (const line of (await inProcess('msw')).lines) if (line.kind === 'msw' || line.kind === 'direct' || line.kind === 'mswFloor') results.msw[line.kind] = line.load;
log(`  MSW p50 ${results.msw.msw?.p50.toFixed(3)} ms, app.request p50 ${results.msw.direct?.p50.toFixed(3)} ms, MSW floor p50 ${results.msw.mswFloor?.p50.toFixed(3)} ms`);

for (const documents of [0, ...settings.controlSizes]) {
  log(`control restore/reset at ${documents} documents`);
  const { lines, cappedAtMs } = await inProcess('control', [String(documents)]);
  const times = (kind: 'restore' | 'reset') => lines.flatMap((l) => (l.kind === kind ? [l.ms] : []));
  const row: ControlRow = { documents, restoreMs: times('restore'), resetMs: times('reset'), ...(cappedAtMs ? { cappedAtMs } : {}) };
  results.control.push(row);
  log(`  restore ${row.restoreMs.map((v) => v.toFixed(1)).join(', ') || '–'} ms; reset ${row.resetMs.map((v) => v.toFixed(1)).join(', ') || '–'} ms${cappedAtMs ? ` (stopped at the ${cappedAtMs / 1000} s cap)` : ''}`);
}

}

// Growth (and the scale rows, from the same servers: the list one at a time after PUT /_emulator/snapshot).
const rssEmptyMb = await emptyRss();
log(`growth: an empty emulator v5 holds ${rssEmptyMb.toFixed(0)} MB RSS`);
for (const documents of settings.scaleSizes) {
  log(`growth: ${documents} documents`);
  const row = await growthRun(documents, rssEmptyMb);
  results.growth.push(row);
  results.scale.push({ documents, httpRestoreMs: row.seedingMs, matched: row.matched, load: row.list, rssMb: row.rssMb });
  log(`  scale: matched ${row.matched}, p50 ${row.list.p50.toFixed(2)} ms, p99 ${row.list.p99.toFixed(2)} ms, RSS ${row.rssMb.toFixed(0)} MB`);
}

results.runSeconds = (performance.now() - started) / 1000;
results.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
log(`report: ${writeReport(results)}/report.md (${results.runSeconds.toFixed(0)} s)`);
