// Sums vitest JSON reports into the one closing line CI reads: `N passed, N failed`.
// A report that is missing (its run crashed before writing it) counts as one failure.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numTotalTests === 0) failed += 1;
    // A suite that failed outside any test (a beforeAll hook) skips its tests: one failure, not none.
    else if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += 1;
  } catch {
    console.error(`no test report at ${file}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
