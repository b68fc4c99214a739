// The control guard over real sockets (Host, Origin and Sec-Fetch-Site as a browser or a
// rebinding page would send them, through node:http so every header is ours) and in-process.
// The hostile pages themselves, in Chromium: test/hostile-page.browser.test.ts.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator } from '../index.js';
import { listen, parseServerArgs, UsageError } from '../server.js';
import { checkControlToken, isLoopbackHost } from './guard.js';

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, setHost: !('Host' in headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request written by hand, as curl sends `-X POST` without a body: no Content-Length, no Transfer-Encoding. */
function bare(port: number, line: string, rest = '\r\n'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${line} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${rest}`));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

const json = { 'Content-Type': 'application/json' };
const message = (r: Raw) => (JSON.parse(r.body) as { error: { message: string } }).error.message;

describe('on loopback, without a token', () => {
  const emulator = createEmulator({ strapi: 5, bcryptCost: 4 });
  let server: Awaited<ReturnType<typeof listen>>;
  let base: string;
  let port: number;
  beforeAll(async () => {
    server = await listen(emulator, { port: 0, host: '127.0.0.1' });
    base = server.url;
    port = server.port;
  });
  afterAll(() => server.close());

  test('the machine\'s own programs (no Origin, no Sec-Fetch-Site) read and write; no CORS headers on the control API', async () => {
    expect(server.controlToken).toBeUndefined();
    expect(server.exposed).toBe(false);
    const outbox = await raw(base, 'GET', '/_emulator/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.headers['access-control-allow-origin']).toBeUndefined();
    expect(outbox.headers['access-control-allow-credentials']).toBeUndefined();
    expect(outbox.headers['cross-origin-resource-policy']).toBe('same-origin');
    const created = await raw(base, 'POST', '/_emulator/users', json, JSON.stringify({ username: 'ann', email: 'ann@example.com', password: 'Passw0rd!' }));
    expect(created.status, created.body).toBe(201);
    // A body-less write (curl -X POST: no Content-Length at all) needs no Content-Type.
    expect((await raw(base, 'POST', '/_emulator/reset')).status).toBe(200);
    expect((await bare(port, 'POST /_emulator/reset')).startsWith('HTTP/1.1 200')).toBe(true);
    expect((await bare(port, 'DELETE /_emulator/outbox')).startsWith('HTTP/1.1 200')).toBe(true);
    // A body of no declared type is still refused, chunked or not.
    expect(await bare(port, 'POST /_emulator/reset', 'Content-Length: 2\r\n\r\n{}')).toMatch(/^HTTP\/1\.1 415/);
    expect(await bare(port, 'POST /_emulator/reset', 'Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n')).toMatch(/^HTTP\/1\.1 415/);
    expect(emulator.store.users.count()).toBe(0);
  });

  test('a browser page of the server\'s own origin passes (the inspector)', async () => {
    const ownOrigin = `http://127.0.0.1:${port}`;
    expect((await raw(base, 'GET', '/_emulator/ui', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
    expect((await raw(base, 'GET', '/_emulator/ui', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
    expect((await raw(base, 'POST', '/_emulator/reset', { Origin: ownOrigin, 'Sec-Fetch-Site': 'same-origin', ...json }, '{}')).status).toBe(200);
    expect((await raw(base, 'GET', '/_emulator/ui', { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  test('cross-site and same-site pages, sandboxed ones (Origin null) and preflights are refused with 403 and no CORS headers', async () => {
    const refusals: Array<[string, string, Record<string, string>, string?]> = [
      ['GET', '/_emulator/snapshot', { Origin: 'http://127.0.0.2:8080', 'Sec-Fetch-Site': 'cross-site' }],
      ['GET', '/_emulator/outbox', { 'Sec-Fetch-Site': 'same-site' }], // another port of 127.0.0.1
      ['GET', '/_emulator/outbox', { Origin: `http://127.0.0.1:${port + 1}` }],
      ['GET', '/_emulator/outbox', { Origin: 'null' }],
      ['GET', '/_EMULATOR/Outbox', { Origin: 'http://evil.example' }], // the router matches case-insensitively
      ['POST', '/_emulator/reset', { Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, '{}'],
      ['POST', '/_emulator/api-tokens', { Origin: 'http://evil.example', ...json }, JSON.stringify({ accessKey: 'evil-token', type: 'full-access' })],
      ['OPTIONS', '/_emulator/webhooks', { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' }],
      ['GET', '/_emulator/ui/outbox', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' }],
    ];
    for (const [method, path, headers, body] of refusals) {
      const r = await raw(base, method, path, headers, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(message(r)).toMatch(/^The emulator's control API and inspector answer this machine's programs and their own pages only: cross-site browser request refused/);
      for (const h of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers']) expect(r.headers[h]).toBeUndefined();
    }
    expect(emulator.store.apiTokens.count()).toBe(0);
    // Without an Origin, a preflight-shaped OPTIONS still gets no CORS answer on the control API.
    const options = await raw(base, 'OPTIONS', '/_emulator/webhooks', { 'Access-Control-Request-Method': 'POST' });
    expect(options.status).toBe(200);
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a Host that is not this machine (DNS rebinding) is refused on the control API and the inspector; /api serves any Host as Strapi does', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `192.168.1.20:${port}`]) {
      for (const path of ['/_emulator/outbox', '/_emulator/ui']) {
        const r = await raw(base, 'GET', path, { Host: host });
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(message(r)).toContain(`Host ${host} is neither localhost nor an address the server listens on`);
      }
    }
    for (const host of [`localhost:${port}`, `app.localhost:${port}`, `127.0.0.1:${port}`, 'localhost']) expect((await raw(base, 'GET', '/_emulator/outbox', { Host: host })).status, host).toBe(200);
    const api = await raw(base, 'GET', '/api/articles', { Host: `evil.example:${port}`, Origin: 'http://evil.example' });
    expect(api.status).toBe(200);
    expect(api.headers['access-control-allow-origin']).toBe('http://evil.example');
    expect(api.headers['access-control-allow-credentials']).toBe('true');
  });

  test('control writes take JSON only: form, text and multipart bodies get 415 and change nothing', async () => {
    const user = { username: 'eve', email: 'eve@example.com', password: 'Passw0rd!' };
    const bodies: Array<[string | undefined, string]> = [
      ['application/x-www-form-urlencoded', 'username=eve&email=eve%40example.com&password=Passw0rd!'],
      ['text/plain', JSON.stringify(user)],
      ['text/plain;charset=UTF-8', JSON.stringify(user)],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\neve\r\n--x--\r\n'],
      [undefined, JSON.stringify(user)],
    ];
    for (const [type, body] of bodies) {
      const r = await raw(base, 'POST', '/_emulator/users', type ? { 'Content-Type': type } : {}, body);
      expect(r.status, String(type)).toBe(415);
      expect(message(r)).toBe(`The control API takes JSON bodies only: send Content-Type: application/json (got ${type ?? 'no Content-Type'})`);
    }
    expect((await raw(base, 'PUT', '/_emulator/settings', { 'Content-Type': 'text/plain' }, '{"allow_register":false}')).status).toBe(415);
    expect(emulator.store.users.count()).toBe(0);
    expect((await raw(base, 'GET', '/_emulator/settings')).body).toContain('"allow_register":true');
    // +json types are JSON.
    expect((await raw(base, 'POST', '/_emulator/reset', { 'Content-Type': 'application/vnd.api+json' }, '{}')).status).toBe(200);
  });

  test('/api keeps real Strapi\'s CORS: preflights answered for any Origin, a plain OPTIONS gets no CORS headers', async () => {
    const pre = await raw(base, 'OPTIONS', '/api/articles', { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-custom' });
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({
      vary: 'Origin',
      'access-control-allow-origin': 'http://evil.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS',
      'access-control-allow-headers': 'Content-Type,Authorization,Origin,Accept',
      'access-control-max-age': '31536000',
    });
    const plain = await raw(base, 'OPTIONS', '/api/articles', { Origin: 'http://evil.example' });
    expect(plain.status).toBe(200);
    expect(plain.headers.allow).toBe('HEAD, GET, POST');
    expect(plain.headers.vary).toBe('Origin');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(plain.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test('in-process callers (app.request, any Host) are this machine\'s programs', async () => {
    expect((await emulator.app.request('http://strapi.test/_emulator/outbox')).status).toBe(200);
    expect((await emulator.app.request('/_emulator/reset', { method: 'POST', headers: json, body: '{}' })).status).toBe(200);
    expect((await emulator.app.request('/_emulator/outbox', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    // A string body without a type is text/plain to fetch: refused like a page's.
    expect((await emulator.app.request('/_emulator/reset', { method: 'POST', body: '{}' })).status).toBe(415);
  });
});

describe('with a control token', () => {
  test('listening beyond loopback requires a token (generated when none is given); header and inspector cookie', async () => {
    const emulator = createEmulator({ strapi: 5, bcryptCost: 4 });
    // Bound on loopback, but told it is exposed: no traffic ever leaves the machine.
    const server = await listen(emulator, { port: 0, host: '127.0.0.1', exposed: true });
    try {
      const token = server.controlToken!;
      expect(server.exposed).toBe(true);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const base = server.url;
      for (const headers of [{}, { 'X-Emulator-Control-Token': 'wrong-token-wrong-token' }, { Authorization: `Bearer ${token}` }] as Array<Record<string, string>>) {
        const r = await raw(base, 'GET', '/_emulator/outbox', headers);
        expect(r.status, JSON.stringify(headers)).toBe(401);
        expect(message(r)).toBe('The control API and the inspector need the control token: send it in the X-Emulator-Control-Token header, or open the inspector link printed at start (/_emulator/ui?token=…)');
      }
      expect((await raw(base, 'GET', '/_emulator/ui')).status).toBe(401);
      expect((await raw(base, 'GET', '/_emulator/outbox', { 'X-Emulator-Control-Token': token })).status).toBe(200);
      // The token proves the caller: any Host name (a container's, a tunnel's) is fine with it.
      expect((await raw(base, 'GET', '/_emulator/outbox', { 'X-Emulator-Control-Token': token, Host: 'strapi-emulator:1337' })).status).toBe(200);
      // …but never a cross-site page, token or not.
      expect((await raw(base, 'GET', '/_emulator/outbox', { 'X-Emulator-Control-Token': token, Origin: 'http://evil.example' })).status).toBe(403);
      // /api is Strapi's: no control token there.
      expect((await raw(base, 'GET', '/api/articles')).status).toBe(200);
      // The ?token= link only works on the inspector, and only as a way to get the cookie.
      expect((await raw(base, 'GET', `/_emulator/outbox?token=${token}`)).status).toBe(401);
      const link = await raw(base, 'GET', `/_emulator/ui/outbox?token=${token}&page=2`, { 'Sec-Fetch-Site': 'none' });
      expect(link.status).toBe(303);
      expect(link.headers.location).toBe('/_emulator/ui/outbox?page=2');
      const cookie = `strapi_emulator_control_${server.port}=${token}`;
      expect(link.headers['set-cookie']).toEqual([`${cookie}; Path=/_emulator; HttpOnly; SameSite=Strict`]);
      expect((await raw(base, 'GET', '/_emulator/ui/outbox?page=2', { Cookie: `other=1; ${cookie}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
      expect((await raw(base, 'GET', '/_emulator/ui', { Cookie: `strapi_emulator_control_${server.port + 1}=${token}` })).status).toBe(401);
      expect((await raw(base, 'GET', `/_emulator/ui?token=nope-nope-nope-nope`)).status).toBe(401);
      // A generated token also binds in-process callers from then on.
      expect((await emulator.app.request('/_emulator/outbox')).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  test('a given token is required even on loopback, and is kept when the server goes beyond loopback', async () => {
    const token = 'ci-control-token-0123';
    const emulator = createEmulator({ strapi: 4, bcryptCost: 4, controlToken: token });
    expect((await emulator.app.request('/_emulator/outbox')).status).toBe(401);
    expect((await emulator.app.request('/_emulator/outbox', { headers: { 'X-Emulator-Control-Token': token } })).status).toBe(200);
    const server = await listen(emulator, { port: 0, host: '127.0.0.1', exposed: true });
    try {
      expect(server.controlToken).toBe(token);
    } finally {
      await server.close();
    }
    expect(() => createEmulator({ controlToken: 'short' })).toThrow('controlToken must be 16 to 256 characters');
  });

  test('which addresses are loopback; the token\'s shape; the --control-token flag', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', 'app.localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '', '192.168.1.2', '10.0.0.1', 'example.com', 'localhost.example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
    expect(() => checkControlToken('a'.repeat(15))).toThrow(TypeError);
    expect(() => checkControlToken('has space in it, ok?')).toThrow(TypeError);
    expect(() => checkControlToken('a'.repeat(16))).not.toThrow();
    expect(parseServerArgs(['--control-token', 'flag-token-0123456789'], { EMULATOR_CONTROL_TOKEN: 'env-token-0123456789' }).emulator.controlToken).toBe('flag-token-0123456789');
    expect(parseServerArgs([], { EMULATOR_CONTROL_TOKEN: 'env-token-0123456789' }).emulator.controlToken).toBe('env-token-0123456789');
    expect(() => parseServerArgs(['--control-token', 'short'], {})).toThrow(UsageError);
  });
});

test('an uploaded file is served sandboxed: Strapi\'s headers plus `sandbox` in its CSP', async () => {
  const emulator = createEmulator({ strapi: 5, bcryptCost: 4, apiTokens: [{ accessKey: 'full-access-key', type: 'full-access' }] });
  const form = new FormData();
  form.append('files', new File(['<script>alert(1)</script>'], 'x.html', { type: 'text/html' }));
  const up = await emulator.app.request('/api/upload', { method: 'POST', headers: { Authorization: 'Bearer full-access-key' }, body: form });
  expect(up.status).toBe(201);
  const [file] = (await up.json()) as Array<{ url: string }>;
  const served = await emulator.app.request(file.url, { headers: { Origin: 'http://evil.example' } });
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  expect(served.headers.get('content-security-policy')).toMatch(/^connect-src 'self' https:;.*;style-src 'self' https: 'unsafe-inline';sandbox$/);
  // Strapi's CORS on the public folder is unchanged.
  expect(served.headers.get('access-control-allow-origin')).toBe('http://evil.example');
});
