// Fault injection: forced statuses with Strapi's envelope, latency (fake timers, no real
// waiting), dropped connections over a socket, in-process and through MSW, `times` and a
// seeded `ratio`, the control API (never faulted itself) and reset.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createEmulator } from '../index.js';
import { listen } from '../server.js';
import { fullAccessToken, setup } from '../testing.js';
import { errorForStatus as errorFor } from '../http/errors.js';
import { prng } from './faults.js';

const admin = { token: fullAccessToken };

afterEach(() => {
  vi.useRealTimers();
});

describe('forced statuses', () => {
  test("Strapi's envelope for the status: its own error classes, else http-errors' name and text", () => {
    const body = (status: number) => {
      const e = errorFor(status);
      return { status: e.status, name: e.name, message: e.message, details: e.details };
    };
    expect(body(503)).toEqual({ status: 503, name: 'ServiceUnavailableError', message: 'Service Unavailable', details: undefined });
    expect(body(502)).toEqual({ status: 502, name: 'BadGatewayError', message: 'Bad Gateway', details: undefined });
    expect(body(418)).toEqual({ status: 418, name: 'ImATeapotError', message: "I'm a Teapot", details: undefined });
    expect(body(429)).toEqual({ status: 429, name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} });
    expect(body(404)).toEqual({ status: 404, name: 'NotFoundError', message: 'Not Found', details: {} });
    expect(body(500)).toEqual({ status: 500, name: 'InternalServerError', message: 'Internal Server Error', details: undefined });
  });

  test('a client that retries on 503 gets through after the N forced failures', async () => {
    const t = await setup({ strapi: 5 });
    const user = await t.register();
    const added = await t.call('POST', '/_emulator/faults', { json: { route: 'POST /api/auth/local', status: 503, times: 3 } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: 1, route: 'POST /api/auth/local', status: 503, seed: 1, matched: 0, applied: 0, remaining: 3 });

    const attempts: number[] = [];
    let answer: Response | undefined;
    for (let attempt = 1; attempt <= 5; attempt++) {
      answer = await t.emulator.app.request('http://127.0.0.1/api/auth/local', { method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-client-ip': t.ip() }, body: JSON.stringify({ identifier: user.username, password: 'Passw0rd!' }) });
      attempts.push(answer.status);
      if (answer.status !== 503) break;
      if (attempt === 1) {
        expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(answer.headers.get('x-powered-by')).toBe('Strapi <strapi.io>');
        expect(await answer.json()).toEqual({ data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Service Unavailable' } });
      }
    }
    expect(attempts).toEqual([503, 503, 503, 200]);
    expect(((await answer!.json()) as { user: { id: number } }).user.id).toBe(user.id);
    expect((await t.call('GET', '/_emulator/faults')).body.faults).toEqual([{ id: 1, route: 'POST /api/auth/local', status: 503, seed: 1, matched: 3, applied: 3, remaining: 0 }]);
  });

  test('routes: a method or any, `*` wildcards, case-insensitive, an optional trailing slash', async () => {
    const t = await setup({ strapi: 4 });
    t.control.faults.add({ route: '/api/articles*', status: 500 });
    t.control.faults.add({ route: 'DELETE /api/users/*', status: 403 });
    const status = async (method: string, path: string) => (await t.call(method, path, { ...admin, validate: false })).status;
    expect(await status('GET', '/api/articles')).toBe(500);
    expect(await status('GET', '/API/Articles/')).toBe(500);
    expect(await status('PUT', '/api/articles/7')).toBe(500);
    expect(await status('GET', '/api/users')).toBe(200);
    expect(await status('GET', '/api/users/1')).not.toBe(403);
    expect(await status('DELETE', '/api/users/1')).toBe(403);
  });

  test('the control API is never faulted', async () => {
    const t = await setup({ strapi: 5 });
    t.control.faults.add({ route: '*', status: 500 });
    expect((await t.call('GET', '/api/articles', { validate: false })).status).toBe(500);
    expect((await t.call('GET', '/_emulator/faults')).status).toBe(200);
    expect((await t.call('GET', '/_emulator/clock')).status).toBe(200);
  });
});

describe('ratio', () => {
  test('a seeded PRNG decides: the same seed, the same requests fail', async () => {
    const pattern = async (seed: number) => {
      const t = await setup({ strapi: 5 });
      t.control.faults.add({ route: 'GET /api/articles', status: 502, ratio: 0.3, seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await t.call('GET', '/api/articles', { validate: false })).status);
      return { out, fault: t.control.faults.list()[0] };
    };
    const a = await pattern(42);
    const b = await pattern(42);
    const c = await pattern(7);
    expect(a.out).toEqual(b.out);
    expect(a.out).not.toEqual(c.out);
    // Exactly the draws of mulberry32(42) under 0.3.
    const random = prng(42);
    expect(a.out).toEqual(Array.from({ length: 40 }, () => (random() < 0.3 ? 502 : 200)));
    expect(a.fault).toMatchObject({ matched: 40, applied: a.out.filter((s) => s === 502).length, remaining: null });
    expect(a.fault.applied).toBeGreaterThan(0);
    expect(a.fault.applied).toBeLessThan(40);
  });
});

describe('latency', () => {
  test('the answer waits `latency` ms (fake timers), then is served or fails', async () => {
    const t = await setup({ strapi: 5 });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    t.control.faults.add({ route: 'GET /api/articles', latency: 500, times: 1 });
    t.control.faults.add({ route: 'GET /api/upload/files', latency: 200, status: 504 });
    let done = false;
    const slow = Promise.resolve(t.emulator.app.request('http://127.0.0.1/api/articles')).then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await slow).status).toBe(200);
    expect(done).toBe(true);

    const failing = t.emulator.app.request('http://127.0.0.1/api/upload/files', { headers: { authorization: `Bearer ${fullAccessToken}` } });
    await vi.advanceTimersByTimeAsync(200);
    const r = await failing;
    expect(r.status).toBe(504);
    expect(((await r.json()) as { error: { name: string } }).error.name).toBe('GatewayTimeoutError');
    // `times: 1` is used up: no more waiting.
    expect((await t.emulator.app.request('http://127.0.0.1/api/articles')).status).toBe(200);
  });
});

describe('dropped connections', () => {
  test('over a socket: the socket is destroyed, fetch fails; the next request is served', async () => {
    const emulator = createEmulator({ strapi: 5 });
    await emulator.ready;
    const server = await listen(emulator, { port: 0, host: '127.0.0.1' });
    try {
      emulator.control.faults.add({ route: 'GET /api/articles', drop: true, times: 1 });
      const error = await fetch(`${server.url}/api/articles`).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError & { cause?: { code?: string } }).cause?.code).toBe('UND_ERR_SOCKET');
      expect((await fetch(`${server.url}/api/articles`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('in-process: app.fetch answers a network error (Response.error())', async () => {
    const t = await setup({ strapi: 4 });
    t.control.faults.add({ route: 'GET /api/articles', drop: true });
    const r = await t.emulator.app.fetch(new Request('http://strapi.test/api/articles'));
    expect(r.type).toBe('error');
  });

  // Through MSW: faults.msw.test.ts (a process where @hono/node-server has not replaced the
  // global Response, as in an app's own unit tests).
});

describe('control API', () => {
  test('bad faults are 400s with the reason; unknown ids 404', async () => {
    const t = await setup({ strapi: 5 });
    for (const [body, message] of [
      [{}, 'route must be a string'],
      [{ route: 'GET /api/articles' }, 'a fault needs latency, status or drop'],
      [{ route: 'FETCH /x', status: 500 }, 'unknown method FETCH'],
      [{ route: 'api/articles', status: 500 }, 'the path must start with /'],
      [{ route: '/x', status: 302 }, 'status must be an integer 400..599'],
      [{ route: '/x', status: 500, drop: true }, 'give status or drop, not both'],
      [{ route: '/x', status: 500, ratio: 2 }, 'ratio must be a number 0..1'],
      [{ route: '/x', status: 500, times: 0 }, 'times must be a positive integer'],
      [{ route: '/x', latency: -1 }, 'latency must be a number of milliseconds'],
      [{ route: '/x', status: 500, when: 'now' }, 'unknown fault keys: when'],
    ] as const) {
      const r = await t.call('POST', '/_emulator/faults', { json: body, validate: false });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.name).toBe('ValidationError');
      expect(r.body.error.message).toContain(message);
    }
    expect((await t.call('DELETE', '/_emulator/faults/99')).status).toBe(404);
    expect((await t.call('GET', '/_emulator/faults')).body).toEqual({ faults: [] });
  });

  test('remove one, clear all; reset (HTTP or in-process) clears them; snapshots leave them alone', async () => {
    const t = await setup({ strapi: 5 });
    const one = await t.call('POST', '/_emulator/faults', { json: { route: '/api/articles', status: 500 } });
    await t.call('POST', '/_emulator/faults', { json: { route: '/api/users', status: 500 } });
    expect((await t.call('DELETE', `/_emulator/faults/${one.body.id}`)).status).toBe(200);
    expect((await t.call('GET', '/api/articles')).status).toBe(200);
    expect((await t.call('GET', '/_emulator/faults')).body.faults.map((f: { route: string }) => f.route)).toEqual(['/api/users']);
    expect((await t.call('DELETE', '/_emulator/faults')).status).toBe(200);
    expect((await t.call('GET', '/api/users', { ...admin })).status).toBe(200);

    t.control.faults.add({ route: '/api/articles', status: 500 });
    const snap = t.control.snapshot();
    await t.control.restore(snap);
    expect(t.control.faults.list()).toHaveLength(1);
    expect((await t.call('POST', '/_emulator/reset')).status).toBe(200);
    expect(t.control.faults.list()).toEqual([]);
    expect((await t.call('GET', '/api/articles')).status).toBe(200);

    t.control.faults.add({ route: '/api/articles', status: 500 });
    await t.control.reset();
    expect(t.control.faults.list()).toEqual([]);
    expect((await t.call('GET', '/api/articles')).status).toBe(200);
  });
});
