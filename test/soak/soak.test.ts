import { expect, test } from 'vitest';
import { runSoak, soakFailures, soakSummary } from './soak.js';

// 30 s of the soak (npm run soak runs 10 min): no error, the RSS bound, the counts. No timing assertion.
test('30 s of mixed reads and writes from concurrent clients: no error, RSS within its bound, counts add up', async () => {
  const report = await runSoak({ durationMs: 30_000, clients: 4 });
  expect(soakFailures(report), soakSummary(report)).toEqual([]);
  // The mix really ran: every kind of write was acknowledged at least once.
  for (const op of ['register', 'login', 'me', 'article.create', 'article.update', 'article.list', 'upload', 'role.create', 'user.role']) expect(report.byOperation[op], op).toBeGreaterThan(0);
}, 120_000);
