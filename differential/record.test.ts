// record → verify against emulators: an emulator on a port stands for the instance, traffic
// goes through the recording proxy, and the recording replays against a fresh emulator.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator } from '../emulator/index.js';
import { listen } from '../emulator/server.js';
import { richProject } from '../contracts/conformance/rich-client.js';
import { runDiff } from './diff.js';
import { RecordingFileError, readRecording } from './exchange.js';
import { discoverInstance } from '../contracts/remote/instance.js';
import { startRecorder, tokenAlias } from './record.js';
import { formatReport } from './replay.js';
import { runVerify } from './verify.js';

const token = 'record-test-full-access-token';
const dir = mkdtempSync(join(tmpdir(), 'strapi-emulator-record-'));

for (const major of [4, 5] as const) {
  describe(`record and verify, Strapi ${major}`, () => {
    let server: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      const instance = createEmulator({ strapi: major, project: richProject, locales: ['en', 'fr'], seedPermissions: {}, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: () => {}, onStrapiCrash: () => {} });
      await instance.ready;
      server = await listen(instance, { port: 0, host: '127.0.0.1' });
    });
    afterAll(() => server.close());
    const file = join(dir, `v${major}.jsonl`);

    test('traffic through the proxy reaches the instance and is recorded; verify replays it with no divergence', async () => {
      const found = await discoverInstance(server.url, token, { project: richProject });
      const rec = await startRecorder({ target: server.url, out: file, instance: found });
      try {
        const through = await runDiff({ url: rec.url, token, project: richProject, uploads: true });
        expect(through.divergences).toEqual([]);
        expect(rec.count).toBeGreaterThan(through.requests);
      } finally {
        await rec.close();
      }
      const { header, exchanges } = readRecording(file);
      expect(header).toMatchObject({ format: 'strapi-emulator-recording', version: 1, major, target: server.url });
      // The API token is recorded as an alias only.
      expect(readFileSync(file, 'utf8')).not.toContain(token);
      expect(exchanges[0].request.headers.authorization).toBe(tokenAlias(`Bearer ${token}`));
      const upload = exchanges.find((e) => e.request.path === '/api/upload');
      expect(upload?.request.body && 'base64' in upload.request.body).toBe(true);
      const result = await runVerify({ file, project: richProject });
      expect(formatReport(result.divergences, result.requests)).toBe(`0 divergences in ${exchanges.length} requests`);
    });

    test('verify finds what a changed emulator answers differently', async () => {
      const hook = { name: 'planted', before: (_r: Request, url: URL) => (url.pathname === '/api/users/me' ? Response.json({ data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials', details: {} } }, { status: 401 }) : undefined) };
      const result = await runVerify({ file, project: richProject, hooks: [hook] });
      expect(result.divergences.map((d) => d.request)).toEqual(expect.arrayContaining(['GET /api/users/me']));
      expect(result.divergences.every((d) => d.request.startsWith('GET /api/users/me'))).toBe(true);
      expect(result.divergences.flatMap((d) => d.differences.map((x) => x.path))).toContain('status');
    });
  });
}

describe('the recording file', () => {
  test('a last line cut short is skipped and said; a bad line elsewhere names its line', () => {
    const file = join(dir, 'cut.jsonl');
    writeFileSync(file, `${JSON.stringify({ format: 'strapi-emulator-recording', version: 1, target: 'http://x', startedAt: 'now', bodyLimit: 10 })}\n`);
    appendFileSync(file, `${JSON.stringify({ seq: 1, at: 'now', durationMs: 1, request: { method: 'GET', path: '/api/x', headers: {} }, response: { status: 404, headers: {} } })}\n{"seq":2,"requ`);
    const r = readRecording(file);
    expect([r.exchanges.length, r.truncated]).toEqual([1, true]);
    writeFileSync(file, `${JSON.stringify({ format: 'strapi-emulator-recording', version: 1 })}\nnot json\n{}\n`);
    expect(() => readRecording(file)).toThrow(new RecordingFileError(`${file}:2: not JSON`));
    writeFileSync(file, `${JSON.stringify({ format: 'strapi-emulator-recording', version: 2 })}\n`);
    expect(() => readRecording(file)).toThrow(/recording version 2; this strapi-emulator reads version 1/);
    writeFileSync(file, '{"hello":1}\n');
    expect(() => readRecording(file)).toThrow(/not a strapi-emulator-recording file/);
    expect(() => readRecording(join(dir, 'missing.jsonl'))).toThrow(/no such file/);
  });

  test('bodies past the bound are kept as size and hash, and such a request is not replayed but said', async () => {
    const upstream = createEmulator({ strapi: 5, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: () => {} });
    const server = await listen(upstream, { port: 0, host: '127.0.0.1' });
    const file = join(dir, 'bounded.jsonl');
    const rec = await startRecorder({ target: server.url, out: file, bodyLimit: 64 });
    try {
      const big = JSON.stringify({ data: { title: 'x'.repeat(200) } });
      const res = await fetch(`${rec.url}/api/articles`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: big });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { data: { title: string } }).data.title).toHaveLength(200);
    } finally {
      await rec.close();
      await server.close();
    }
    const [e] = readRecording(file).exchanges;
    expect(e.request.body).toEqual({ omitted: true, size: Buffer.byteLength(JSON.stringify({ data: { title: 'x'.repeat(200) } })), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(e.response.body).toMatchObject({ omitted: true });
    const result = await runVerify({ file, major: 5 });
    expect(result.divergences[0].note).toMatch(/not replayed: its body \(\d+ bytes\) is over the recording's bound/);
  });

  test('a target that does not answer: the client gets a 502 naming it, the exchange is recorded as such', async () => {
    const file = join(dir, 'down.jsonl');
    const rec = await startRecorder({ target: 'http://127.0.0.1:9', out: file });
    try {
      const res = await fetch(`${rec.url}/api/articles`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/did not answer \(ECONNREFUSED\)/);
    } finally {
      await rec.close();
    }
    const [e] = readRecording(file).exchanges;
    expect(e.error).toMatch(/ECONNREFUSED/);
    expect((await runVerify({ file, major: 5 })).notes.join('\n')).toMatch(/#1 GET \/api\/articles: not replayed/);
  });
});
