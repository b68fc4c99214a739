import { expect, test } from 'vitest';
import { createEmulator } from '../index.js';
import { httpLogHook, httpLogLine, strapiTimestamp } from './http-log.js';

test("Strapi's line: local time to the millisecond, method, path with query, ms rounded up, status", () => {
  const at = new Date(2026, 11, 3, 9, 5, 7, 42);
  expect(strapiTimestamp(at)).toBe('2026-12-03 09:05:07.042');
  const line = httpLogLine({ method: 'GET', url: new URL('http://h/api/articles?x=1'), durationMs: 16.2, status: 200 }, at);
  expect(line).toBe('[2026-12-03 09:05:07.042] http: GET /api/articles?x=1 (17 ms) 200');
  expect(httpLogLine({ method: 'POST', url: new URL('http://h/api/auth/local'), durationMs: 0, status: 400 }, at, true)).toBe('[2026-12-03 09:05:07.042] \u001b[32mhttp\u001b[39m: POST /api/auth/local (0 ms) 400');
});

test('the hook prints one line per answered request (refused and unknown ones too), never the inspector pages', async () => {
  const emulator = createEmulator({ strapi: 5, bcryptCost: 4 });
  const lines: string[] = [];
  emulator.use(httpLogHook((l) => lines.push(l), { now: () => new Date(2026, 0, 2, 3, 4, 5, 6) }));
  await emulator.app.request('http://h/api/articles?sort=title');
  await emulator.app.request('http://h/nope');
  await emulator.app.request('http://h/_emulator/ui/users');
  await emulator.app.request('http://h/_emulator/outbox', { headers: { origin: 'http://evil.example' } });
  expect(lines.map((l) => l.replace(/\(\d+ ms\)/, '(N ms)'))).toEqual([
    '[2026-01-02 03:04:05.006] http: GET /api/articles?sort=title (N ms) 200',
    '[2026-01-02 03:04:05.006] http: GET /nope (N ms) 404',
    '[2026-01-02 03:04:05.006] http: GET /_emulator/outbox (N ms) 403',
  ]);
});
