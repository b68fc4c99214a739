// diff, record and verify against a real Strapi booted by the harness with the rich project
// (CONTRACT_TARGET, started by contracts/run.ts). All traffic comes from one source address
// (127.0.0.1, as from another machine), and the instance's database is the same after as
// before. Each run's report goes to .live/diff-<target>-<run>.txt.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../clients/generate.js';
import { png } from '../fixtures.js';
import { richProject } from '../conformance/rich-client.js';
import { targetFromEnv } from '../target.js';
import { type DbState, readState, stateChanges } from '../live/state.js';
import { discoverInstance } from '../remote/instance.js';
import { localesOf, runDiff, type DiffResult } from '../../differential/diff.js';
import { readRecording } from '../../differential/exchange.js';
import { startRecorder } from '../../differential/record.js';
import { formatReport } from '../../differential/replay.js';
import { runVerify } from '../../differential/verify.js';

const target = targetFromEnv();
const token = target.apiTokens.fullAccess;
const runDir = dirname(target.mailFile!);
const dbFile = join(runDir, 'data.db');
const outDir = join(repoRoot, '.live');
mkdirSync(outDir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'strapi-emulator-live-diff-'));

function report(run: string, result: { requests: number; divergences: DiffResult['divergences']; notes: string[] }): string {
  const text = formatReport(result.divergences, result.requests);
  writeFileSync(join(outDir, `diff-${target.name}-${run}.txt`), `${text}\n${result.notes.map((n) => `note: ${n}`).join('\n')}\n`);
  return text;
}

/** The requests Strapi logged (`http: GET /api/x (3 ms) 200`), from line `from` on. */
function loggedRequests(from: number): string[] {
  const lines = readFileSync(join(runDir, 'strapi.log'), 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  return lines.slice(from).flatMap((l) => /\bhttp: ([A-Z]+) (\S+) \(/.exec(l)?.slice(1, 3).join(' ') ?? []);
}
const logLength = () => readFileSync(join(runDir, 'strapi.log'), 'utf8').split('\n').length - 1;

describe(`diff, record and verify on ${target.name} (rich project)`, () => {
  let before: DbState;
  beforeAll(async () => {
    // Strapi makes the media library's "API Uploads" folder on the first API upload and never
    // removes it: one upload before the first look, so the runs' own uploads add nothing lasting.
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(png(2, 2))], { type: 'image/png' }), 'prime.png');
    const up = await fetch(`${target.url}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(up.status).toBe(target.major === 5 ? 201 : 200);
    const [file] = (await up.json()) as Array<{ id: number }>;
    expect((await fetch(`${target.url}/api/upload/files/${file.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    before = readState(dbFile, target.major);
  });

  test('--read-only: only GET requests reach the instance (its own request log), no divergence', async () => {
    const from = logLength();
    const result = await runDiff({ url: target.url, token, readOnly: true });
    const text = report('read-only', result);
    // Strapi's log reaches the file through a pipe: wait until the run's requests are all in.
    let logged = loggedRequests(from);
    for (let i = 0; i < 50 && logged.length < result.requests; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logged = loggedRequests(from);
    }
    expect(logged.length).toBeGreaterThanOrEqual(result.requests);
    expect(logged.filter((l) => !/^(GET|HEAD) /.test(l))).toEqual([]);
    expect(text).toBe(`0 divergences in ${result.requests} requests`);
  });

  test('diff with the content types the instance itself describes: every type written and read, no divergence, nothing left', async () => {
    const result = await runDiff({ url: target.url, token, uploads: true });
    const text = report('full', result);
    expect(result.leftovers).toEqual([]);
    expect(result.stopped).toBeUndefined();
    expect(result.requests).toBeGreaterThan(250);
    expect(text).toBe(`0 divergences in ${result.requests} requests`);
  });

  test('record → verify: the traffic of a run through the proxy replays on the emulator with no divergence', async () => {
    const file = join(tmp, 'recording.jsonl');
    const found = await discoverInstance(target.url, token, { project: richProject });
    const recorder = await startRecorder({ target: target.url, out: file, instance: { major: found.major, locales: localesOf(found), permissions: found.permissions } });
    let through: DiffResult;
    try {
      through = await runDiff({ url: recorder.url, token, project: richProject, uploads: true });
    } finally {
      await recorder.close();
    }
    expect(through.leftovers).toEqual([]);
    const { exchanges } = readRecording(file);
    expect(exchanges.length).toBeGreaterThan(through.requests);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    const result = await runVerify({ file, project: richProject });
    const text = report('verify', result);
    expect(text).toBe(`0 divergences in ${exchanges.length} requests`);
  });

  test('a planted difference (an emulator changed by a hook) is found, on exactly the requests it touches', async () => {
    const hook = {
      name: 'planted',
      async after(ex: { url: URL; method: string; response: Response }) {
        if (ex.url.pathname !== '/api/tags' || ex.response.status !== 200) return;
        const body = (await ex.response.clone().json()) as { meta: { pagination: { pageSize: number } } };
        body.meta.pagination.pageSize += 1;
        return new Response(JSON.stringify(body), { status: 200, headers: ex.response.headers });
      },
    };
    const result = await runDiff({ url: target.url, token, readOnly: true, hooks: [hook as never] });
    report('planted', result);
    expect(result.divergences.length).toBeGreaterThan(0);
    expect(result.divergences.every((d) => /^GET \/api\/tags\?/.test(d.request))).toBe(true);
    expect(result.divergences.every((d) => d.differences.length === 1 && d.differences[0].path === 'body.meta.pagination.pageSize')).toBe(true);
  });

  // Last (tests run in order), and a test rather than an afterAll hook so that it counts in the report.
  test('the instance is left as it was found: every table, every row of its database', () => {
    expect(stateChanges(before, readState(dbFile, target.major))).toEqual({});
  });
});
