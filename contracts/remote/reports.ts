// check's reports: the summary table (scenario groups × targets), JUnit XML (one testsuite per
// target and group, which CI systems show per test) and the JSON of every result.
import type { Result, Status, TargetRun } from './runner.js';

const counts = (results: Result[]) => {
  const c: Record<Status, number> = { passed: 0, failed: 0, skipped: 0, 'not run': 0 };
  for (const r of results) c[r.status]++;
  return c;
};
const cell = (results: Result[]) => {
  if (!results.length) return '—';
  const c = counts(results);
  return [`${c.passed}/${results.length - c.skipped - c['not run']} passed`, c.failed && `${c.failed} failed`, c.skipped && `${c.skipped} skipped`, c['not run'] && `${c['not run']} not run`].filter(Boolean).join(', ');
};

export function summaryTable(runs: TargetRun[]): string {
  const groups = [...new Set(runs.flatMap((r) => r.results.map((x) => x.group)))];
  const rows = [['scenario group', ...runs.map((r) => r.name)], ...groups.map((g) => [g, ...runs.map((r) => cell(r.results.filter((x) => x.group === g)))]), ['all', ...runs.map((r) => cell(r.results))]];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
  if (runs.length > 1) {
    const [live, ...others] = runs;
    for (const other of others) {
      const diverging = live.results.filter((r) => {
        const o = other.results.find((x) => x.group === r.group && x.name === r.name);
        return o && (r.status === 'passed') !== (o.status === 'passed') && r.status !== 'skipped' && o.status !== 'skipped';
      });
      if (diverging.length) out.push('', `${diverging.length} scenario(s) where ${live.name} and ${other.name} differ:`, ...diverging.map((r) => `  ${r.group} › ${r.name}: ${live.name} ${r.status}, ${other.name} ${other.results.find((x) => x.group === r.group && x.name === r.name)!.status}`));
    }
  }
  return out.join('\n');
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(runs: TargetRun[]): string {
  const all = runs.flatMap((r) => r.results);
  const c = counts(all);
  const suites = runs.flatMap((run) =>
    [...new Set(run.results.map((r) => r.group))].map((group) => {
      const rs = run.results.filter((r) => r.group === group);
      const k = counts(rs);
      const cases = rs.map((r) => {
        const body =
          r.status === 'failed' ? `<failure message="${xml((r.message ?? '').split('\n')[0].slice(0, 500))}">${xml(r.message ?? '')}</failure>`
          : r.status === 'skipped' || r.status === 'not run' ? `<skipped message="${xml(r.message ?? r.status)}"/>`
          : '';
        return `    <testcase classname="${xml(`${run.name}.${group}`)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}">${body}</testcase>`;
      });
      const time = rs.reduce((t, r) => t + r.ms, 0) / 1000;
      return `  <testsuite name="${xml(`${run.name} › ${group}`)}" tests="${rs.length}" failures="${k.failed}" errors="0" skipped="${k.skipped + k['not run']}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
    }),
  );
  const time = all.reduce((t, r) => t + r.ms, 0) / 1000;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="strapi-emulator check" tests="${all.length}" failures="${c.failed}" errors="0" skipped="${c.skipped + c['not run']}" time="${time.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export type JsonReport = {
  url: string;
  /** undefined: the instance could not be reached or read. */
  major?: 4 | 5;
  readOnly: boolean;
  stress: boolean;
  sources: string;
  startedAt: string;
  exitCode: 0 | 1 | 2;
  notes: string[];
  targets: Array<TargetRun & { counts: Record<Status, number> }>;
};

export const withCounts = (runs: TargetRun[]) => runs.map((r) => ({ ...r, counts: counts(r.results) }));
