// diff, record and verify as a user runs them: `bin/strapi-emulator.mjs` in child processes,
// against an emulator served by `serve` standing for the instance.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffUsage, recordUsage, verifyUsage } from './differential.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'strapi-emulator.mjs');
const rich = join(root, 'contracts', 'projects', 'rich');
const token = 'cli-differential-token';
const dir = mkdtempSync(join(tmpdir(), 'strapi-emulator-cli-diff-'));
const children: ChildProcess[] = [];

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, STRAPI_EMULATOR_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return { child, out: () => out, err: () => err, done: new Promise((resolve) => child.on('close', resolve)) };
}

async function until(read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 300; i++) {
    const m = pattern.exec(read());
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never printed ${pattern}: ${read()}`);
}

let url: string;
beforeAll(async () => {
  const served = start(['serve', '--port', '0', '--project', rich, '--api-token', token, '--locales', 'en,fr']);
  url = (await until(served.out, /listening on (http:\/\/\S+)/))[1];
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
});

describe('strapi-emulator diff / record / verify', () => {
  test('the README shows each --help text as it is', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const usage of [diffUsage, recordUsage, verifyUsage]) expect(readme).toContain(usage);
  });

  test('--help of each, and mistakes as one line with exit 2', async () => {
    for (const cmd of ['diff', 'record', 'verify']) {
      const help = start([cmd, '--help']);
      expect(await help.done).toBe(0);
      expect(help.out()).toMatch(new RegExp(`^usage: strapi-emulator ${cmd} `));
    }
    const cases: Array<[string[], RegExp]> = [
      [['diff'], /diff needs the URL of a running Strapi/],
      [['diff', url], /diff needs a full-access API token/],
      [['diff', url, '--token', 'wrong'], /refused the token \(401/],
      [['record', '--target', url], /record needs --out FILE/],
      [['verify'], /verify needs a recording file/],
    ];
    for (const [args, pattern] of cases) {
      const r = start(args);
      expect([await r.done, r.err().trim().split('\n').length]).toEqual([2, 1]);
      expect(r.err()).toMatch(pattern);
    }
  }, 180_000); // eight child processes, each loading the sources through tsx

  test('record a diff run through the proxy, then verify the recording: no divergence, exit 0, JSON reports', async () => {
    const recording = join(dir, 'rec.jsonl');
    const rec = start(['record', '--target', url, '--out', recording, '--port', '0', '--token', token, '--project', rich]);
    const proxy = (await until(rec.err, /\[record\] (http:\/\/\S+) →/))[1];
    const diff = start(['diff', proxy, '--token', token, '--project', rich, '--json', join(dir, 'diff.json'), '--quiet']);
    expect(await diff.done).toBe(0);
    expect(diff.out().trim().split('\n').at(-1)).toMatch(/^0 divergences in \d+ requests$/);
    rec.child.kill('SIGINT');
    expect(await rec.done).toBe(0);
    expect(rec.err()).toMatch(/\[record\] \d+ exchanges in /);
    const json = JSON.parse(readFileSync(join(dir, 'diff.json'), 'utf8'));
    expect(json).toMatchObject({ url: proxy, major: 5, divergences: [], leftovers: [] });
    const verify = start(['verify', recording, '--project', rich, '--json', join(dir, 'verify.json')]);
    expect(await verify.done).toBe(0);
    expect(verify.out().trim()).toMatch(/^0 divergences in \d+ requests$/);
    expect(JSON.parse(readFileSync(join(dir, 'verify.json'), 'utf8'))).toMatchObject({ major: 5, divergences: [] });
  }, 180_000);
});
