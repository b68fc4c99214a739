// The parity table: one row per scenario, one column per target, from vitest JSON reports.
import { readFileSync } from 'node:fs';

type Assertion = { ancestorTitles: string[]; title: string; status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' };
export type Report = { numPassedTests: number; numFailedTests: number; testResults: Array<{ name: string; assertionResults: Assertion[] }> };

export function readReport(file: string): Report | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

const mark: Record<string, string> = { passed: 'pass', failed: '**FAIL**', skipped: 'skip', pending: 'skip', todo: 'todo' };

export function parityTable(reports: Array<{ name: string; report?: Report }>): string {
  const rows = new Map<string, Map<string, string>>();
  for (const { name, report } of reports) {
    for (const file of report?.testResults ?? []) {
      for (const a of file.assertionResults) {
        const scenario = [...a.ancestorTitles, a.title].join(' › ');
        if (!rows.has(scenario)) rows.set(scenario, new Map());
        rows.get(scenario)!.set(name, mark[a.status] ?? a.status);
      }
    }
  }
  const names = reports.map((r) => r.name);
  const lines = [
    `| scenario | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...[...rows].map(([scenario, cells]) => `| ${scenario} | ${names.map((n) => cells.get(n) ?? '—').join(' | ')} |`),
    `| **passed / failed** | ${reports.map((r) => (r.report ? `${r.report.numPassedTests} / ${r.report.numFailedTests}` : 'no report')).join(' | ')} |`,
  ];
  return `\nparity: contract scenarios × targets\n${lines.join('\n')}`;
}
