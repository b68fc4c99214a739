// runCheck end to end against an emulator standing in for a live instance (the project folder
// given as --project, since the emulator has no content-type builder), behind a proxy that can
// die: a dead instance is said once and stops the run (exit 2), an interrupted run removes what
// it made, and every content type gets its scenarios.
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/index.js';
import { listen } from '../../emulator/server.js';
import { runCheck } from './check.js';

const project = join(fileURLToPath(new URL('../..', import.meta.url)), 'test', 'fixtures', 'strapi-project');
const token = 'check-test-full-access';
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function instance(major: 4 | 5 = 5) {
  const emulator = createEmulator({ strapi: major, project, apiTokens: [{ accessKey: token, type: 'full-access' }], onWarning: () => {} });
  await emulator.ready;
  const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
  closers.push(() => server.close());
  return { emulator, url: server.url };
}

/** A proxy to `target` that, after `limit` requests, closes and refuses every connection. */
async function dyingProxy(target: string, limit: number): Promise<{ url: string; count: () => number }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    if (++n > limit) {
      req.socket.destroy();
      server.close();
      server.closeAllConnections();
      return;
    }
    const up = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => void server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n };
}

/** A reverse proxy serving `target` under `/cms` (as nginx would), which drops the rate-limit headers. */
async function prefixProxy(target: string): Promise<string> {
  const server: Server = createServer((req, res) => {
    if (!req.url!.startsWith('/cms/')) {
      res.writeHead(404).end('not under /cms');
      return;
    }
    const up = request(new URL(req.url!.slice(4), target), { method: req.method, headers: req.headers }, (r) => {
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !k.startsWith('x-ratelimit')));
      res.writeHead(r.statusCode!, headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => void server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cms`;
}

describe('runCheck', () => {
  it('behind a reverse proxy under a path: every scenario passes, the rate-limit one skipped with why', async () => {
    const { url } = await instance();
    const result = await runCheck({ url: await prefixProxy(url), token, project, emulator: false, sources: 'one', progress: () => {} });
    const live = result.runs[0];
    expect(live.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(live.results.find((r) => r.group === 'auth rate limit')).toMatchObject({ status: 'skipped', message: expect.stringMatching(/no X-RateLimit-Limit header/) });
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it('an instance that stops answering: said once, the rest not run, exit 2', async () => {
    const { url } = await instance();
    const proxy = await dyingProxy(url, 40);
    const lines: string[] = [];
    const result = await runCheck({ url: proxy.url, token, project, emulator: false, progress: (l) => lines.push(l) });
    expect(result.exitCode).toBe(2);
    expect(result.notes[0]).toMatch(new RegExp(`^the instance stopped answering: ${proxy.url} stopped answering \\(`));
    const live = result.runs[0];
    expect(live.results.filter((r) => r.status === 'failed')).toHaveLength(1);
    expect(live.results.filter((r) => r.status === 'not run').length).toBeGreaterThan(10);
    expect(lines.filter((l) => /stopped answering/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/fetch failed/);
  }, 60_000);

  it('interrupted: no scenario starts after it, what was created is removed, exit 2', async () => {
    const { url } = await instance(4);
    let started = 0;
    const result = await runCheck({ url, token, project, emulator: false, progress: () => {}, interrupted: () => ++started > 12 });
    expect(result.exitCode).toBe(2);
    expect(result.runs[0].interrupted).toBe(true);
    expect(result.runs[0].results.some((r) => r.status === 'not run' && r.message === 'interrupted')).toBe(true);
    expect(result.runs[0].cleanupFailures).toEqual([]);
    for (const type of ['categories', 'pages']) {
      const res = await fetch(`${url}/api/${type}?publicationState=preview`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
    }
  }, 60_000);

  it('every content type of the project gets its scenarios, and all pass on the emulator of v4 and v5', async () => {
    for (const major of [4, 5] as const) {
      const { url } = await instance(major);
      const result = await runCheck({ url, token, project, emulator: false, progress: () => {} });
      const live = result.runs[0];
      expect(live.results.filter((r) => r.status === 'failed')).toEqual([]);
      const groups = new Set(live.results.map((r) => r.group));
      expect([...groups].filter((g) => g.startsWith('api::')).sort()).toEqual(['api::category.category (collection type)', 'api::homepage.homepage (single type)', 'api::page.page (collection type)']);
      expect(result.exitCode).toBe(0);
    }
  }, 120_000);
});
