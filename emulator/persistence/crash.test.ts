import { expect, test } from 'vitest';
import { runCrashTest } from './crash.js';

// A bounded run of the crash test (npm run crash-test runs as many as asked).
test('a server SIGKILLed at random moments under concurrent writes leaves a loadable file holding every acknowledged write', async () => {
  const report = await runCrashTest({ iterations: 5, clients: 6 });
  expect(report.problems).toEqual([]);
  expect([report.iterations, report.losses, report.unloadable]).toEqual([5, 0, 0]);
  // Some writes were acknowledged (a kill in the first milliseconds of every iteration would prove nothing).
  expect(report.acknowledged).toBeGreaterThan(0);
}, 240_000);
