// `check` against real Strapi (CHECK_MAJOR, default both) booted by the harness with
// contracts/projects/rich, which this test first makes "not fresh" (records of its own, a set
// single type, an uploaded file). All of check's traffic comes from one source address
// (sources: 'one', the mode of any non-loopback URL: no 127.0.x.y address per scenario), as
// from another machine. The instance's database is read before and after each run: identical.
// The --read-only run is verified from Strapi's own request log (strapi::logger's `http:` lines).
// Run by contracts/run.ts (npm run contracts), not by npm test.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { richProject } from '../conformance/rich-client.js';
import { type LiveStrapi, bootStrapi } from '../live/harness.js';
import { runCheck } from './check.js';

const majors = (process.env.CHECK_MAJOR ? [Number(process.env.CHECK_MAJOR)] : [4, 5]) as Array<4 | 5>;

type Db = { prepare(sql: string): { all(): Array<Record<string, unknown>> }; close(): void };

/**
 * Every table's rows, sorted, as JSON. Left out, each because Strapi itself rewrites it whatever
 * the client does:
 * - `sqlite_sequence`: the AUTOINCREMENT counters. A record check creates and deletes advances
 *   its table's counter; no row of the instance changes.
 * - `strapi_api_tokens.last_used_at`: Strapi stamps the token on every request it authenticates.
 * - the `plugin_upload_metrics` row of `strapi_core_store_settings`: the upload plugin's weekly
 *   metrics cron (scheduled from the boot time) writes `lastWeeklyUpdate` into it, requests or not.
 */
function snapshot(dbFile: string, appDir: string): Record<string, string[]> {
  const Database = createRequire(join(appDir, 'package.json'))('better-sqlite3') as new (file: string, opts: { readonly: boolean }) => Db;
  const db = new Database(dbFile, { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name").all().map((r) => String(r.name));
    for (const table of tables) {
      out[table] = db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .filter((row) => !(table === 'strapi_core_store_settings' && row.key === 'plugin_upload_metrics'))
        .map((row) => {
          if (table === 'strapi_api_tokens') delete row.last_used_at;
          return JSON.stringify(row);
        })
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** The rows only in `before` and only in `after`, per table: empty when identical (short failure messages). */
function changes(before: Record<string, string[]>, after: Record<string, string[]>): Record<string, { gone: string[]; added: string[] }> {
  const out: Record<string, { gone: string[]; added: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = new Set(before[table] ?? []);
    const a = new Set(after[table] ?? []);
    const gone = [...b].filter((r) => !a.has(r)).map((r) => r.slice(0, 300));
    const added = [...a].filter((r) => !b.has(r)).map((r) => r.slice(0, 300));
    if (gone.length || added.length || !(table in before) || !(table in after)) out[table] = { gone, added };
  }
  return out;
}

/** The files under public/uploads (the local upload provider's), with their sizes. */
function uploads(appDir: string): string[] {
  const dir = join(appDir, 'public', 'uploads');
  return readdirSync(dir).map((f) => `${f} ${statSync(join(dir, f)).size}`).sort();
}

const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
/** strapi::logger's lines (`http: GET /api/x (3 ms) 200`) written after byte `from` of the log. */
function requestLines(logFile: string, from: number): Array<{ method: string; path: string }> {
  return strip(readFileSync(logFile).subarray(from).toString('utf8'))
    .split('\n')
    .map((l) => /\bhttp: ([A-Z]+) (\S+) \(\d+ ms\) \d+/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ method: m[1], path: m[2] }));
}

describe.each(majors)('check against real Strapi %i (rich project, one source address)', (major) => {
  let strapi: LiveStrapi;
  let runDir: string;
  let appDir: string;

  const api = async (method: string, path: string, body?: unknown, form?: FormData) => {
    const res = await fetch(new URL(path, strapi.url), { method, headers: { authorization: `Bearer ${strapi.apiTokens.fullAccess}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: form ?? (body ? JSON.stringify(body) : undefined) });
    const json = (await res.json()) as { data?: { id: number; documentId?: string } };
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    strapi = await bootStrapi({ major, project: richProject });
    // The harness keeps its run dir as the mail file's folder: app/, data.db, strapi.log.
    runDir = dirname(strapi.mailFile);
    appDir = join(runDir, 'app');
    // The instance's own content, which check must leave as it is.
    await api('POST', '/api/tags', { data: { label: 'own tag', weight: 3 } });
    await api('POST', '/api/makers', { data: { name: 'Own maker', country: 'fr' } });
    await api('PUT', '/api/setting', { data: { siteName: 'Own site', maintenance: false } });
    const form = new FormData();
    form.append('files', new Blob([Buffer.from('own file')], { type: 'text/plain' }), 'own.txt');
    await api('POST', '/api/upload', undefined, form);
  }, 180_000);
  afterAll(async () => {
    await strapi?.stop();
  });

  test('--read-only: only GET and HEAD reach the instance (its own request log), and nothing changes', async () => {
    const before = snapshot(join(runDir, 'data.db'), appDir);
    const files = uploads(appDir);
    const logFile = join(runDir, 'strapi.log');
    const from = statSync(logFile).size;
    const result = await runCheck({ url: strapi.url, token: strapi.apiTokens.fullAccess, readOnly: true, sources: 'one', emulator: false, progress: () => {} });
    await new Promise((r) => setTimeout(r, 500)); // the log is written asynchronously
    const lines = requestLines(logFile, from);
    // Discovered from the instance itself: the project's types, its locales and config/api.js.
    expect(Object.keys(result.instance!.contentTypes).sort()).toEqual(['api::gadget.gadget', 'api::guide.guide', 'api::homepage.homepage', 'api::maker.maker', 'api::manual.manual', 'api::review.review', 'api::setting.setting', 'api::tag.tag']);
    expect(result.instance!.locales?.map((l) => l.code)).toEqual(['en', 'fr']);
    expect(result.instance!.rest).toEqual({ defaultLimit: 10, maxLimit: 50, withCount: true });
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.filter((l) => l.method !== 'GET' && l.method !== 'HEAD')).toEqual([]);
    const failed = result.runs[0].results.filter((r) => r.status === 'failed');
    expect(failed).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.runs[0].results.filter((r) => r.status === 'skipped').every((r) => /read-only|stress/.test(r.message ?? ''))).toBe(true);
    expect(changes(before, snapshot(join(runDir, 'data.db'), appDir))).toEqual({});
    expect(uploads(appDir)).toEqual(files);
  }, 300_000);

  test('the full check passes on stock Strapi and leaves the database and the uploads folder as they were', async () => {
    const before = snapshot(join(runDir, 'data.db'), appDir);
    const files = uploads(appDir);
    const logFile = join(runDir, 'strapi.log');
    const from = statSync(logFile).size;
    const result = await runCheck({ url: strapi.url, token: strapi.apiTokens.fullAccess, sources: 'one', emulator: false, progress: () => {} });
    const live = result.runs[0];
    // It did write (so "identical" below means it removed all it made): records, users, files.
    await new Promise((r) => setTimeout(r, 500));
    const lines = requestLines(logFile, from);
    for (const [method, path] of [['POST', '/api/gadgets'], ['PUT', '/api/guides/'], ['POST', '/api/auth/local/register'], ['POST', '/api/upload'], ['DELETE', '/api/upload/files/'], ['DELETE', '/api/users/'], ['DELETE', '/api/tags/']])
      expect(lines.some((l) => l.method === method && l.path.startsWith(path)), `${method} ${path}`).toBe(true);
    expect(live.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(live.cleanupFailures).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Every content type of the project got its scenarios, writes included.
    for (const uid of ['api::gadget.gadget', 'api::guide.guide', 'api::homepage.homepage', 'api::tag.tag']) expect(live.results.some((r) => r.group.startsWith(uid) && r.status === 'passed')).toBe(true);
    expect(live.results.find((r) => r.name.startsWith('set, read back, delete') && r.group.startsWith('api::setting.setting'))?.status).toBe('skipped');
    expect(live.results.find((r) => r.group === 'auth rate limit')?.status).toBe('passed');
    expect(changes(before, snapshot(join(runDir, 'data.db'), appDir))).toEqual({});
    expect(uploads(appDir)).toEqual(files);
  }, 300_000);
});
