// The client `check` talks through, against a bare node server: --read-only refuses a write
// before it leaves the machine, the auth rate-limit window is waited out from the headers, and a
// server that goes away is reported once as "stopped answering", not as `fetch failed`.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http, InstanceDown, WriteRefused, isLoopback } from './http.js';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler!(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

describe('Http', () => {
  it('--read-only: a POST is refused without reaching the server; GET goes through', async () => {
    const { url, seen } = await serve((_, res) => res.end('{}'));
    const http = new Http({ url, readOnly: true, sources: 'one' });
    await expect(http.send('POST', '/api/tags', { json: {} })).rejects.toBeInstanceOf(WriteRefused);
    await expect(http.send('DELETE', '/api/tags/1')).rejects.toBeInstanceOf(WriteRefused);
    expect((await http.send('GET', '/api/tags')).status).toBe(200);
    expect(seen).toEqual(['GET /api/tags']);
    await http.close();
  });

  it('waits out an auth window used up, until X-RateLimit-Reset (epoch seconds)', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const { url } = await serve((_, res) => {
      res.setHeader('x-ratelimit-remaining', '0');
      res.setHeader('x-ratelimit-reset', String(reset));
      res.end('{}');
    });
    const waits: number[] = [];
    const http = new Http({ url, sources: 'one', onWait: (s) => waits.push(s) });
    await http.send('POST', '/api/auth/local', { json: {} });
    await http.send('GET', '/api/tags'); // not an auth route: no wait
    expect(waits).toEqual([]);
    const t0 = Date.now();
    await http.send('POST', '/api/auth/local', { json: {} });
    expect(waits.length).toBe(1);
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await http.close();
  });

  it('an instance that stops answering: one InstanceDown naming it, then every request fails the same way at once', async () => {
    const { url, server } = await serve((_, res) => res.end('{}'));
    const http = new Http({ url, sources: 'one', timeoutMs: 2000 });
    expect((await http.send('GET', '/api/tags')).status).toBe(200);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    const error = await http.send('GET', '/api/tags').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceDown);
    expect((error as Error).message).toMatch(new RegExp(`^${url} stopped answering \\(GET /api/tags: ECONNREFUSED`));
    await expect(http.send('GET', '/api/other')).rejects.toThrow(/stopped answering/);
    await http.close();
  });

  it('a request that fails while the instance still answers is that request\'s failure', async () => {
    const { url } = await serve((req, res) => (req.url === '/api/reset' ? req.socket.destroy() : res.end('{}')));
    const http = new Http({ url, sources: 'one' });
    await expect(http.send('GET', '/api/reset')).rejects.toThrow(/no answer .*though the instance still answers/);
    expect(http.down).toBeUndefined();
    await http.close();
  });

  it('knows a loopback URL', () => {
    expect(['http://127.0.0.1:1337', 'http://localhost', 'http://[::1]:1', 'http://127.3.4.5'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['https://staging.example.com', 'http://10.0.0.2', 'http://128.0.0.1'].map(isLoopback)).toEqual([false, false, false]);
  });
});
